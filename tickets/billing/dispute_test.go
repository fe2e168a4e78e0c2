package billing

import (
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// tamper bills one of b's records to a, pairing it with the opening of a's
// first line, the way a collector overbilling a would, and issues every
// drafted invoice. It returns a's tampered invoice, b's invoice without
// the record, and the index of the tampered line.
func tamper(t testing.TB, w *world, a, b int) (*Invoice, *Invoice, int) {
	t.Helper()
	invs, err := w.collector.DraftInvoices(w.period.ID(), tIssued, tDue)
	must(t, err)
	var ia, ib int
	for i, inv := range invs {
		switch {
		case inv.User().Equal(w.users[a].Public()):
			ia = i
		case inv.User().Equal(w.users[b].Public()):
			ib = i
		}
	}
	la, lb := invs[ia].Lines(), invs[ib].Lines()
	la = append(la, Line{Usage: lb[0].Usage, Opening: la[0].Opening})
	invs[ia], err = NewInvoice(w.signer, w.period, invs[ia].User(), tIssued, tDue, la)
	must(t, err)
	invs[ib], err = NewInvoice(w.signer, w.period, invs[ib].User(), tIssued, tDue, lb[1:])
	must(t, err)
	for _, inv := range invs {
		must(t, w.collector.Issue(ctx, inv))
	}
	return invs[ia], invs[ib], len(la) - 1
}

// dispute files a dispute of line i of inv.
func (w *world) dispute(inv *Invoice, i int, t time.Time) error {
	d, err := NewDispute(inv, i, t)
	if err != nil {
		return err
	}
	return w.collector.Accept(ctx, d.Bytes())
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

	lineErrs, err := ia.Check(w.period, w.users[0].Public())
	must(t, err)
	for i, err := range lineErrs {
		if (err != nil) != (i == bad) {
			t.Fatalf("line %d: %v", i, err)
		}
	}
	wantErr(t, lineErrs[bad], ErrInvalidLine)

	// Honest lines cannot be disputed, by the user or anyone.
	at := tIssued.Add(10 * time.Second)
	wantErr(t, w.dispute(ia, 0, at), ErrRefused, errDisputeRejected)
	wantErr(t, w.dispute(ia, 1, at), ErrRefused, errDisputeRejected)
	// Nor lines that do not exist.
	wantErr(t, w.dispute(ia, len(ia.lines), at), ErrMalformed)
	beyond := &Dispute{invoice: ia.ID(), line: uint32(len(ia.lines)), time: at}
	beyond.enc, err = beyond.encode()
	must(t, err)
	wantErr(t, w.collector.Accept(ctx, beyond.enc), ErrRefused, errDisputeRejected)

	must(t, w.dispute(ia, bad, at))
	wantErr(t, w.dispute(ia, bad, at.Add(time.Second)), ErrRefused, errAlreadyDisputed)
	is := w.invoiceFor(0)
	if w.owed(ia).Units() != 3*200 || !is.struck[bad] {
		t.Fatalf("after dispute: owed %v, struck %v", w.owed(ia), is.struck)
	}
	// Paying the full original total is refused; the owed amount is accepted.
	_, err = w.collector.Pay(ctx, ia.ID(), ia.Total(), tIssued.Add(20*time.Second))
	wantErr(t, err, ErrRefused, errWrongAmount)
	_, err = w.collector.Pay(ctx, ia.ID(), w.owed(ia), tIssued.Add(20*time.Second))
	must(t, err)
	wantErr(t, w.dispute(ia, bad, tIssued.Add(30*time.Second)), ErrRefused, errAlreadyPaid)

	// The struck record is unbilled again and goes to its real signer.
	again := w.issueAll(tIssued.Add(40*time.Second), tDue)
	if len(again) != 1 || !again[0].User().Equal(w.users[1].Public()) || len(again[0].Lines()) != 1 {
		t.Fatalf("rebilling: %d invoices", len(again))
	}
	errs, err := again[0].Check(w.period, w.users[1].Public())
	must(t, err)
	must(t, errs[0])

	// A replica rebuilds the same state, disputes included.
	b2, err := Open(ctx, w.l, w.signer.Public())
	must(t, err)
	if b2.st.digest() != w.book.st.digest() {
		t.Error("replayed state differs")
	}
}

// TestDisputeVoidsInvoice: an invoice whose only line is struck owes
// nothing and no longer counts against the deposit.
func TestDisputeVoidsInvoice(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.use(0, 1, 200)
	w.use(1, 1, 200)
	w.close()
	invs, err := w.collector.DraftInvoices(1, tIssued, tDue)
	must(t, err)
	// Bill user 0's record to user 1 with user 1's opening.
	l0, l1 := invs[0].Lines(), invs[1].Lines()
	if !invs[0].User().Equal(w.users[0].Public()) {
		l0, l1 = l1, l0
	}
	wrong, err := NewInvoice(w.signer, w.period, w.users[1].Public(), tIssued, tDue, []Line{{l0[0].Usage, l1[0].Opening}})
	must(t, err)
	must(t, w.collector.Issue(ctx, wrong))
	must(t, w.dispute(wrong, 0, tIssued.Add(time.Second)))
	if w.owed(wrong).Sign() != 0 || w.invoiceFor(1).status != invoiceVoid || w.account(1).open != 0 {
		t.Fatal("a wholly struck invoice still owes")
	}
	_, err = w.collector.Pay(ctx, wrong.ID(), eurs(200), tIssued.Add(2*time.Second))
	wantErr(t, err, ErrRefused, errSettled)
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
		if inv.User().Equal(w.users[0].Public()) {
			mine = inv
		} else if theirs == nil {
			theirs = inv
		}
	}
	altered := *mine.lines[0].Usage
	altered.detail = []byte("changed")
	enc, err := altered.encode()
	must(t, err)
	forged, err := parseUsage(enc)
	must(t, err)
	cases := []struct {
		name  string
		edit  func(lines []Line)
		cause error
	}{
		{"openings swapped between records", func(l []Line) {
			l[0].Opening, l[1].Opening = l[1].Opening, l[0].Opening
		}, arsig.ErrInvalidOpening},
		{"opening of another user's record", func(l []Line) {
			l[0].Opening = theirs.lines[0].Opening
		}, nil},
		{"usage record altered", func(l []Line) {
			l[0].Usage = forged
		}, arsig.ErrInvalidSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lines := mine.Lines()
			tc.edit(lines)
			inv, err := NewInvoice(w.signer, w.period, mine.User(), tIssued, tDue, lines)
			must(t, err)
			errs, err := inv.Check(w.period, w.users[0].Public())
			must(t, err)
			if errs[0] == nil {
				t.Fatal("tampered line verifies")
			}
			wantErr(t, errs[0], ErrInvalidLine)
			if tc.cause != nil {
				wantErr(t, errs[0], tc.cause)
			}
		})
	}
}

// TestRepeatedLine: an invoice billing one record on two lines verifies line
// by line, so the user's check refuses it as a whole; so does the check of
// a forfeiture whose evidence repeats a record.
func TestRepeatedLine(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.use(0, 1, 300)
	w.close()
	invs, err := w.collector.DraftInvoices(1, tIssued, tDue)
	must(t, err)
	l := invs[0].Lines()
	twice, err := NewInvoice(w.signer, w.period, invs[0].User(), tIssued, tDue, []Line{l[0], l[0]})
	must(t, err)
	_, err = twice.Check(w.period, w.users[0].Public())
	wantErr(t, err, ErrRefused)
	wantErr(t, w.collector.Issue(ctx, twice), ErrRefused, errNotBillable)
	must(t, w.collector.Issue(ctx, invs[0]))
	f, err := newForfeiture(w.signer, invs[0], eurs(600), tDue.Add(time.Second), []Line{l[0], l[0]})
	must(t, err)
	wantErr(t, f.Check(w.period), ErrRefused)
	wantErr(t, w.book.append(ctx, f), ErrRefused)
}
