package billing

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// TestDraftSplitsOverflowingTotals: a user who signs records whose amounts
// add up beyond the range of money gets several invoices, each within it;
// invoicing the period does not fail for everyone else.
func TestDraftSplitsOverflowingTotals(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	huge := int64(math.MaxInt64/2 + 1)
	w.use(0, 3, huge)
	w.use(1, 1, 300)
	w.close()
	invs, err := w.collector.DraftInvoices(1, tIssued, tDue)
	must(t, err)
	lines := 0
	for _, inv := range invs {
		must(t, w.collector.Issue(ctx, inv))
		lines += len(inv.Lines())
	}
	if len(invs) != 4 || lines != 4 {
		t.Fatalf("%d invoices of %d lines, want 4 of 4 (3 for the huge records, 1 for user 1)", len(invs), lines)
	}
	if got := w.owed(w.invoiceFor(1).rec); got != eurs(300) {
		t.Fatalf("user 1 owes %v", got)
	}
}

// TestCheckRefusesOverflowingTotal: an invoice whose lines add up beyond
// the range of money does not check, whatever total it states.
func TestCheckRefusesOverflowingTotal(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	us := []*Usage{
		w.sign(0, "svc", math.MaxInt64, tStart),
		w.sign(0, "svc", 1, tStart.Add(time.Second)),
		w.sign(0, "svc", 1, tStart.Add(2*time.Second)),
	}
	var lines []Line
	for _, u := range us {
		o, err := w.opener.Open(w.period.ring, u.id[:], u.sig)
		must(t, err)
		lines = append(lines, Line{Usage: u, Opening: o})
	}
	// Skipping the additions that overflow, the lines would add up to
	// MaxInt64: the total this invoice states.
	inv, err := newInvoice(w.signer, 1, w.users[0].Public(), tIssued, tDue, eurs(math.MaxInt64), lines)
	must(t, err)
	_, err = inv.Check(w.period, w.users[0].Public())
	wantErr(t, err, ErrRefused, money.ErrOverflow)
	if errors.Is(err, ErrInvalidLine) {
		t.Fatal("blamed a line")
	}
}
