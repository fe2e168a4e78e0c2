package billing

import (
	"testing"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// tamper bills one of b's
// records to a, pairing it with the opening of a's first line, the way a
// collector overbilling a would. It returns a's tampered invoice, b's
// invoice without the record, and the index of the tampered line.
func tamper(t testing.TB, w *world, a, b int) (*Invoice, *Invoice, int) {
	t.Helper()
	invs, err := w.collector.DraftInvoices(1, tIssued, tDue)
	must(t, err)
	var ia, ib *Invoice
	for _, inv := range invs {
		switch {
		case inv.User.Equal(w.users[a].Public()):
			ia = inv
		case inv.User.Equal(w.users[b].Public()):
			ib = inv
		}
	}
	moved := ib.Lines[0]
	u, err := w.book.Usage(moved.Usage)
	must(t, err)
	ib.Lines = ib.Lines[1:]
	ib.Total, err = ib.Total.Sub(u.Amount)
	must(t, err)
	ia.Lines = append(ia.Lines, Line{Usage: moved.Usage, Opening: ia.Lines[0].Opening})
	ia.Total, err = ia.Total.Add(u.Amount)
	must(t, err)
	for _, inv := range invs {
		_, err := w.collector.Issue(inv)
		must(t, err)
	}
	return ia, ib, len(ia.Lines) - 1
}

// TestDispute: a tampered line is detected by the user, disputed and
// struck; the record is billed again to its signer; disputing an honest
// line, or a struck one, is refused.
func TestDispute(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	for i := range w.users {
		w.use(i, 3, 200)
	}
	w.close()
	ia, _, bad := tamper(t, w, 0, 1)
	da, err := ia.Digest()
	must(t, err)

	lineErrs, err := w.users[0].CheckInvoice(ia)
	must(t, err)
	for i, err := range lineErrs {
		if (err != nil) != (i == bad) {
			t.Fatalf("line %d: %v", i, err)
		}
	}
	wantErr(t, lineErrs[bad], ErrInvalidLine)

	// Honest lines cannot be disputed, by the user or anyone.
	wantErr(t, w.users[0].Dispute(da, 0, tIssued+10), ErrDisputeRejected)
	wantErr(t, w.users[2].Dispute(da, 1, tIssued+10), ErrDisputeRejected)
	wantErr(t, w.users[0].Dispute(da, len(ia.Lines), tIssued+10), ErrDisputeRejected)

	must(t, w.users[0].Dispute(da, bad, tIssued+10))
	wantErr(t, w.users[0].Dispute(da, bad, tIssued+11), ErrAlreadyDisputed)
	info, err := w.book.Invoice(da)
	must(t, err)
	if info.Owed.Units() != 3*200 || len(info.Struck) != 1 || info.Struck[0] != bad {
		t.Fatalf("after dispute: owed %v, struck %v", info.Owed, info.Struck)
	}
	// Paying the full original total is refused; the owed amount is accepted.
	_, err = w.collector.Pay(da, ia.Total, tIssued+20)
	wantErr(t, err, ErrWrongAmount)
	_, err = w.collector.Pay(da, info.Owed, tIssued+20)
	must(t, err)
	wantErr(t, w.users[0].Dispute(da, bad, tIssued+30), ErrAlreadyPaid)

	// The struck record is unbilled again and goes to its real signer.
	again, err := w.collector.IssueInvoices(1, tIssued+40, tDue)
	must(t, err)
	if len(again) != 1 || !again[0].User.Equal(w.users[1].Public()) || len(again[0].Lines) != 1 {
		t.Fatalf("rebilling: %d invoices", len(again))
	}
	errs, err := w.users[1].CheckInvoice(again[0])
	must(t, err)
	must(t, errs[0])

	// A replica rebuilds the same state, disputes included.
	b2, err := Open(w.l)
	must(t, err)
	if b2.Digest() != w.book.Digest() {
		t.Error("replayed state differs")
	}
}

// TestLineTampering lists other ways a line can be wrong; each is caught by
// the user's check and can be disputed.
func TestLineTampering(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	for i := range w.users {
		w.use(i, 2, 100)
	}
	w.close()
	invs, err := w.collector.DraftInvoices(1, tIssued, tDue)
	must(t, err)
	var mine, theirs *Invoice
	for _, inv := range invs {
		if inv.User.Equal(w.users[0].Public()) {
			mine = inv
		} else if theirs == nil {
			theirs = inv
		}
	}
	cases := []struct {
		name string
		edit func(inv *Invoice)
	}{
		{"openings swapped between records", func(inv *Invoice) {
			inv.Lines[0].Opening, inv.Lines[1].Opening = inv.Lines[1].Opening, inv.Lines[0].Opening
		}},
		{"opening of another user's record", func(inv *Invoice) {
			inv.Lines[0].Opening = theirs.Lines[0].Opening
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := *mine
			inv.Lines = append([]Line(nil), mine.Lines...)
			tc.edit(&inv)
			must(t, inv.Sign(w.signer))
			errs, err := w.users[0].CheckInvoice(&inv)
			must(t, err)
			if errs[0] == nil {
				t.Fatal("tampered line verifies")
			}
			wantErr(t, errs[0], ErrInvalidLine)
		})
	}
}
