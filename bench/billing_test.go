package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var eur = money.MustCurrency("EUR")

// billingScenario is a billing system on an in-memory ledger with n
// registered users, between periods.
type billingScenario struct {
	collector *billing.Collector
	key       *ecdsa.PublicKey // the collector's, as users know it
	users     []*arsig.PrivateKey
	periods   int // periods run so far
}

var (
	billingEpoch  = time.Unix(1_800_000_000, 0).UTC() // a date in 2027
	billingPeriod = 60 * 24 * time.Hour               // a period's usage window is its first half
)

func newBillingScenario(tb testing.TB, n int) *billingScenario {
	tb.Helper()
	ctx := context.Background()
	signer, err := ecdsa.GenerateKey()
	check(tb, err)
	opener, err := arsig.GenerateOpenerKey()
	check(tb, err)
	deposit := money.MustNew(50_00, eur)
	collector, err := billing.NewCollector(ctx, ledger.NewMemory(), signer, opener, deposit)
	check(tb, err)
	s := &billingScenario{collector: collector, key: signer.Public()}
	params, err := billing.ParseParameters(collector.Book().Parameters().Bytes(), s.key)
	check(tb, err)
	for i := range n {
		k, err := arsig.GenerateKey()
		check(tb, err)
		r, err := billing.NewRegistration(k, params, deposit, billingEpoch.Add(time.Duration(i-86400)*time.Second))
		check(tb, err)
		check(tb, collector.Accept(ctx, r.Bytes()))
		s.users = append(s.users, k)
	}
	return s
}

// billingPhases accumulates the time of each phase of the periods run.
type billingPhases struct {
	sign, collect, invoice, check, pay time.Duration
}

// period runs one whole billing period: the collector opens it over the
// registered users; users sign records usage records (round robin) from the
// period's descriptor and the collector takes them in one batch; the
// collector closes the period and opens every record into one invoice per
// user; each user checks every line of their invoice with the descriptor
// and pays, getting a receipt.
func (s *billingScenario) period(tb testing.TB, records int, ph *billingPhases) {
	ctx := context.Background()
	start := billingEpoch.Add(time.Duration(s.periods) * billingPeriod)
	end := start.Add(billingPeriod / 2)
	issued, due := end.Add(time.Hour), end.Add(15*24*time.Hour)
	s.periods++

	desc, err := s.collector.OpenPeriod(ctx, start, end)
	check(tb, err)
	period, err := billing.ParsePeriod(desc.Bytes(), s.key)
	check(tb, err)

	t0 := time.Now()
	usages := make([][]byte, records)
	for i := range usages {
		u, err := billing.NewUsage(s.users[i%len(s.users)], period, fmt.Sprintf("call-%d", i%4),
			money.MustNew(int64(10+i%7), eur), start.Add(time.Duration(60*i)*time.Second), nil)
		check(tb, err)
		usages[i] = u.Bytes()
	}
	t1 := time.Now()
	for i, err := range s.collector.Collect(ctx, usages) {
		if err != nil {
			tb.Fatalf("usage %d: %v", i, err)
		}
	}
	t2 := time.Now()
	check(tb, s.collector.ClosePeriod(ctx, end))
	invoices, err := s.collector.DraftInvoices(period.ID(), issued, due)
	check(tb, err)
	for _, inv := range invoices {
		check(tb, s.collector.Issue(ctx, inv))
	}
	if want := min(records, len(s.users)); len(invoices) != want {
		tb.Fatalf("%d invoices, want %d", len(invoices), want)
	}
	t3 := time.Now()
	for _, sent := range invoices {
		inv, err := billing.ParseInvoice(sent.Bytes(), s.key)
		check(tb, err)
		lineErrs, err := inv.Check(period, inv.User())
		check(tb, err)
		for _, err := range lineErrs {
			check(tb, err)
		}
	}
	t4 := time.Now()
	for _, inv := range invoices {
		r, err := s.collector.Pay(ctx, inv.ID(), inv.Total(), issued.Add(10*time.Minute))
		check(tb, err)
		receipt, err := billing.ParseReceipt(r.Bytes(), s.key)
		check(tb, err)
		check(tb, receipt.Check(inv, inv.Total()))
	}
	t5 := time.Now()

	ph.sign += t1.Sub(t0)
	ph.collect += t2.Sub(t1)
	ph.invoice += t3.Sub(t2)
	ph.check += t4.Sub(t3)
	ph.pay += t5.Sub(t4)
}

// report adds the mean time of each phase per period to the benchmark's
// output, so the users' work (signing, checking invoices) can be told apart
// from the collector's.
func (ph *billingPhases) report(b *testing.B) {
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 / n }
	b.ReportMetric(ms(ph.sign), "users-sign-ms/period")
	b.ReportMetric(ms(ph.collect), "collector-collect-ms/period")
	b.ReportMetric(ms(ph.invoice), "collector-invoice-ms/period")
	b.ReportMetric(ms(ph.check), "users-check-ms/period")
	b.ReportMetric(ms(ph.pay), "pay-ms/period")
}

// BenchmarkBillingPeriod is one billing period of the enforced bill
// collection flow from the first usage record to the last receipt: N
// registered users, records usage records.
func BenchmarkBillingPeriod(b *testing.B) {
	for _, c := range []struct{ n, records int }{{64, 100}} {
		b.Run(fmt.Sprintf("N=%d,records=%d", c.n, c.records), func(b *testing.B) {
			s := newBillingScenario(b, c.n)
			var ph billingPhases
			b.ReportAllocs()
			for b.Loop() {
				s.period(b, c.records, &ph)
			}
			ph.report(b)
		})
	}
}

// TestBillingPeriod runs the scenario once, small, so that plain go test
// keeps it working.
func TestBillingPeriod(t *testing.T) {
	s := newBillingScenario(t, 4)
	var ph billingPhases
	s.period(t, 6, &ph)
	s.period(t, 3, &ph)
}

func check(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
