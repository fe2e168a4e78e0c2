package billing_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A period with three users: each role works from its own key and the
// records' bytes.
func Example() {
	ctx := context.Background()
	eur := money.MustCurrency("EUR")
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

	// The collector: its keys, its ledger.
	signer, _ := ecdsa.GenerateKey()
	opener, _ := arsig.GenerateOpenerKey()
	collector, _ := billing.NewCollector(ctx, ledger.NewMemory(), signer, opener, money.MustNew(5000, eur))
	collectorKey := signer.Public() // published
	paramsBytes := collector.Book().Parameters().Bytes()

	// Users register with a deposit.
	users := make([]*arsig.PrivateKey, 3)
	for i := range users {
		users[i], _ = arsig.GenerateKey()
		params, _ := billing.ParseParameters(paramsBytes, collectorKey)
		reg, _ := billing.NewRegistration(users[i], params, params.Deposit(), start.Add(-time.Hour))
		_ = collector.Accept(ctx, reg.Bytes())
	}
	p, _ := collector.OpenPeriod(ctx, start, start.Add(30*24*time.Hour))
	periodBytes := p.Bytes()

	// User 0 charges twice at an edge, which checks the records from the
	// descriptor alone and delivers them (one of them twice).
	period, _ := billing.ParsePeriod(periodBytes, collectorKey)
	edge, _ := billing.NewEdge(period, "charger-7")
	var queue [][]byte
	for i, cents := range []int64{250, 175} {
		u, _ := billing.NewUsage(users[0], period, "charger-7", money.MustNew(cents, eur), start.Add(time.Duration(i)*time.Hour), nil)
		if _, err := edge.Accept(u.Bytes()); err == nil {
			queue = append(queue, u.Bytes())
		}
	}
	queue = append(queue, queue[0])
	for _, err := range collector.Collect(ctx, queue) {
		fmt.Println("delivered:", err == nil)
	}

	// The collector bills; the user checks every line and pays.
	_ = collector.ClosePeriod(ctx, period.End())
	invs, _ := collector.DraftInvoices(period.ID(), period.End(), period.End().Add(14*24*time.Hour))
	for _, inv := range invs {
		_ = collector.Issue(ctx, inv)
	}
	inv, _ := billing.ParseInvoice(invs[0].Bytes(), collectorKey)
	lineErrs, err := inv.Check(period, users[0].Public())
	fmt.Println("lines:", len(lineErrs), "invoice ok:", err == nil, "line 0 ok:", lineErrs[0] == nil, "line 1 ok:", lineErrs[1] == nil)
	fmt.Println("total:", inv.Total())
	r, _ := collector.Pay(ctx, inv.ID(), inv.Total(), period.End().Add(24*time.Hour))
	receipt, _ := billing.ParseReceipt(r.Bytes(), collectorKey)
	fmt.Println("receipt ok:", receipt.Check(inv, inv.Total()) == nil)
	// Output:
	// delivered: true
	// delivered: true
	// delivered: true
	// lines: 2 invoice ok: true line 0 ok: true line 1 ok: true
	// total: EUR 4.25
	// receipt ok: true
}
