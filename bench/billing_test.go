package main

import (
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
	book      *billing.Book
	collector *billing.Collector
	provider  *billing.Provider
	users     []*billing.User
	periods   int // periods run so far
}

const (
	billingEpoch  = 1_800_000_000 // seconds; a date in 2027
	billingPeriod = 60 * 86400    // a period's usage window is its first half
)

func newBillingScenario(tb testing.TB, n int) *billingScenario {
	tb.Helper()
	book, err := billing.Open(ledger.NewMemory())
	check(tb, err)
	signer, err := ecdsa.GenerateKey()
	check(tb, err)
	opener, err := arsig.GenerateOpenerKey()
	check(tb, err)
	deposit := money.MustNew(50_00, eur)
	collector, err := billing.SetUp(book, signer, opener, deposit)
	check(tb, err)
	s := &billingScenario{book: book, collector: collector, provider: billing.NewProvider(book)}
	for i := range n {
		u, err := billing.NewUser(book)
		check(tb, err)
		check(tb, u.Register(deposit, billingEpoch-86400+int64(i)))
		s.users = append(s.users, u)
	}
	return s
}

// billingPhases accumulates the time of each phase of the periods run.
type billingPhases struct {
	sign, accept, invoice, check, pay time.Duration
}

// period runs one whole billing period: the collector opens it over the
// registered users; users sign records usage records (round robin) and the
// provider accepts them in one batch; the collector closes the period and
// opens every record into one invoice per user; each user checks every line
// of their invoice and pays, getting a receipt.
func (s *billingScenario) period(tb testing.TB, records int, ph *billingPhases) {
	start := int64(billingEpoch + s.periods*billingPeriod)
	end := start + billingPeriod/2
	issued, due := end+3600, end+15*86400
	s.periods++

	_, err := s.collector.OpenPeriod(start, end)
	check(tb, err)

	t0 := time.Now()
	usages := make([]*billing.Usage, records)
	for i := range usages {
		u := s.users[i%len(s.users)]
		usages[i], err = u.Use(fmt.Sprintf("call-%d", i%4), money.MustNew(int64(10+i%7), eur), start+int64(60*i))
		check(tb, err)
	}
	t1 := time.Now()
	for i, err := range s.provider.AcceptBatch(usages) {
		if err != nil {
			tb.Fatalf("usage %d: %v", i, err)
		}
	}
	t2 := time.Now()
	check(tb, s.collector.ClosePeriod(end))
	invoices, err := s.collector.IssueInvoices(s.book.CurrentPeriod(), issued, due)
	check(tb, err)
	if want := min(records, len(s.users)); len(invoices) != want {
		tb.Fatalf("%d invoices, want %d", len(invoices), want)
	}
	t3 := time.Now()
	byUser := make(map[string]*billing.User, len(s.users))
	for _, u := range s.users {
		byUser[string(u.Public().Bytes())] = u
	}
	for _, inv := range invoices {
		lineErrs, err := byUser[string(inv.User.Bytes())].CheckInvoice(inv)
		check(tb, err)
		for _, err := range lineErrs {
			check(tb, err)
		}
	}
	t4 := time.Now()
	for _, inv := range invoices {
		d, err := inv.Digest()
		check(tb, err)
		info, err := s.book.Invoice(d)
		check(tb, err)
		r, err := s.collector.Pay(d, info.Owed, issued+600)
		check(tb, err)
		check(tb, byUser[string(inv.User.Bytes())].CheckReceipt(inv, info.Owed, r))
	}
	t5 := time.Now()

	ph.sign += t1.Sub(t0)
	ph.accept += t2.Sub(t1)
	ph.invoice += t3.Sub(t2)
	ph.check += t4.Sub(t3)
	ph.pay += t5.Sub(t4)
}

// report adds the mean time of each phase per period to the benchmark's
// output, so the users' work (signing, checking invoices) can be told apart
// from the provider's and the collector's.
func (ph *billingPhases) report(b *testing.B) {
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 / n }
	b.ReportMetric(ms(ph.sign), "users-sign-ms/period")
	b.ReportMetric(ms(ph.accept), "provider-accept-ms/period")
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
