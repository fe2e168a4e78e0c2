package charging_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/charging"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Example: three cars registered with the bill collector; one charges at a
// charger that is offline, which checks the session from the period's
// descriptor alone, refuses it a second time, and delivers its queue once
// it is online. The car finds the session on its invoice.
func Example() {
	ctx := context.Background()
	eur := money.MustCurrency("EUR")
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

	// The collector, with its keys and its ledger; the cars register.
	signer, _ := ecdsa.GenerateKey()
	opener, _ := arsig.GenerateOpenerKey()
	collector, _ := billing.NewCollector(ctx, ledger.NewMemory(), signer, opener, money.MustNew(5000, eur))
	params := collector.Book().Parameters()
	var cars []*arsig.PrivateKey
	for range 3 {
		k, _ := arsig.GenerateKey()
		r, _ := billing.NewRegistration(k, params, money.MustNew(5000, eur), start.Add(-time.Hour))
		collector.Accept(ctx, r.Bytes())
		cars = append(cars, k)
	}
	desc, _ := collector.OpenPeriod(ctx, start, start.Add(30*24*time.Hour))

	// The charger: the collector's public key, its rate, its ledger and
	// the descriptor's bytes.
	rate := money.MustNew(39, eur) // per kWh
	charger, _ := charging.OpenCharger(ctx, ledger.NewMemory(), "charger-7", signer.Public(), rate)
	charger.AddPeriod(ctx, desc.Bytes())

	// Car 1 charges 12.345 kWh and signs the session.
	end := start.Add(2 * time.Hour)
	p, _ := billing.ParsePeriod(desc.Bytes(), signer.Public())
	s, _ := charging.NewSession(cars[1], p, "charger-7", 12345, rate, end)
	got, err := charger.Accept(ctx, s.Bytes(), end)
	fmt.Println("accepted:", got.Energy(), "Wh for", got.Amount(), err)
	_, err = charger.Accept(ctx, s.Bytes(), end)
	fmt.Println("again:", errors.Is(err, charging.ErrReplayed))

	// Offline, then online.
	offline := func(_ context.Context, recs [][]byte) []error {
		errs := make([]error, len(recs))
		for i := range errs {
			errs[i] = errors.New("no network")
		}
		return errs
	}
	charger.Deliver(ctx, offline)
	fmt.Println("queued:", len(charger.Pending()))
	n, err := charger.Deliver(ctx, collector.Collect)
	fmt.Println("delivered:", n, err)

	// The collector bills the period; the car checks its invoice.
	collector.ClosePeriod(ctx, p.End())
	invs, _ := collector.DraftInvoices(p.ID(), p.End(), p.End().Add(14*24*time.Hour))
	for _, inv := range invs {
		collector.Issue(ctx, inv)
		lineErrs, err := inv.Check(p, cars[1].Public())
		line, _ := charging.SessionOf(inv.Lines()[0].Usage)
		fmt.Println("invoice:", inv.Total(), line.Energy(), "Wh at", line.Charger(), err, lineErrs)
	}
	// Output:
	// accepted: 12345 Wh for EUR 4.82 <nil>
	// again: true
	// queued: 1
	// delivered: 1 <nil>
	// invoice: EUR 4.82 12345 Wh at charger-7 <nil> [<nil>]
}
