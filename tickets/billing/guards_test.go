package billing

import (
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// billed returns a world of n users in which user 0 used the service twice
// and the period is closed and invoiced; it returns user 0's invoice.
func billed(t *testing.T, n int) (*world, *Invoice) {
	t.Helper()
	w := newWorld(t, ledger.NewMemory(), n)
	w.use(0, 2, 300)
	w.close()
	w.issueAll(tIssued, tDue)
	return w, w.invoiceFor(0).rec
}

func TestGuardsPayment(t *testing.T) {
	w, inv := billed(t, 2)
	owed := w.owed(inv)
	t.Run("wrong amount", func(t *testing.T) {
		_, err := w.collector.Pay(ctx, inv.ID(), eurs(1), tIssued.Add(time.Second))
		wantErr(t, err, ErrRefused, errWrongAmount)
	})
	t.Run("unknown invoice", func(t *testing.T) {
		_, err := w.collector.Pay(ctx, [32]byte{1}, owed, tIssued.Add(time.Second))
		wantErr(t, err, ErrRefused, errUnknownInvoice)
	})
	t.Run("receipt not signed by the collector", func(t *testing.T) {
		other, err := ecdsa.GenerateKey()
		must(t, err)
		r, err := newReceipt(other, inv, owed, tIssued.Add(time.Second))
		must(t, err)
		wantErr(t, w.book.append(ctx, r), ErrBadSignature, ecdsa.ErrInvalidSignature)
		_, err = ParseReceipt(r.Bytes(), w.signer.Public())
		wantErr(t, err, ErrBadSignature, ecdsa.ErrInvalidSignature)
	})
	r, err := w.collector.Pay(ctx, inv.ID(), owed, tIssued.Add(2*time.Second))
	must(t, err)
	if got := w.owed(inv); got.Sign() != 0 || w.invoiceFor(0).status != invoicePaid {
		t.Fatalf("after payment: owed %v, status %v", got, w.invoiceFor(0).status)
	}
	t.Run("twice", func(t *testing.T) {
		_, err := w.collector.Pay(ctx, inv.ID(), owed, tIssued.Add(3*time.Second))
		wantErr(t, err, ErrRefused, errAlreadyPaid)
	})
	t.Run("retry of the same receipt is idempotent", func(t *testing.T) {
		n := w.l.Len()
		must(t, w.book.append(ctx, r))
		if w.l.Len() != n {
			t.Fatal("retry appended")
		}
	})
	t.Run("forfeiture of a paid invoice", func(t *testing.T) {
		_, err := w.collector.Forfeit(ctx, inv.ID(), tDue.Add(time.Second))
		wantErr(t, err, ErrRefused, errAlreadyPaid)
	})
	t.Run("receipt for another invoice", func(t *testing.T) {
		other, err := newInvoice(w.signer, inv.period, inv.user, tIssued, tDue.Add(time.Second), inv.total, inv.lines)
		must(t, err)
		got, err := ParseReceipt(r.Bytes(), w.signer.Public())
		must(t, err)
		must(t, got.Check(inv, owed))
		wantErr(t, got.Check(other, owed), ErrRefused)
		wantErr(t, got.Check(inv, eurs(1)), ErrRefused)
		if got.Invoice() != inv.ID() || got.Amount() != owed {
			t.Fatal("receipt accessors")
		}
		forged := r.Bytes()
		forged[len(forged)-wireSig-1] ^= 1 // the time's last byte
		_, err = ParseReceipt(forged, w.signer.Public())
		wantErr(t, err, ErrBadSignature)
	})
}

// wireSig is the size of the collector's signature ending a signed record.
const wireSig = 64

func TestGuardsForfeiture(t *testing.T) {
	w, inv := billed(t, 3)
	owedLines := func(inv *Invoice) []Line {
		openings, err := w.collector.open(w.period, []*Usage{inv.lines[0].Usage, inv.lines[1].Usage})
		must(t, err)
		return []Line{{inv.lines[0].Usage, openings[0]}, {inv.lines[1].Usage, openings[1]}}
	}
	t.Run("before the due date", func(t *testing.T) {
		_, err := w.collector.Forfeit(ctx, inv.ID(), tDue)
		wantErr(t, err, ErrRefused, errNotDue)
		// The book refuses it too, not just the collector's method.
		f, err := newForfeiture(w.signer, inv, w.owed(inv), tDue, owedLines(inv))
		must(t, err)
		wantErr(t, w.book.append(ctx, f), ErrRefused, errNotDue)
	})
	t.Run("refund while owed", func(t *testing.T) {
		wantErr(t, w.refundAll(0, tIssued.Add(time.Second)), ErrRefused, errDepositLocked)
	})
	t.Run("more than owed", func(t *testing.T) {
		w3, inv3 := billed(t, 2)
		greedy, err := newForfeiture(w3.signer, inv3, eurs(5000), tDue.Add(time.Second), inv3.lines)
		must(t, err)
		wantErr(t, w3.book.append(ctx, greedy), ErrRefused, errDepositMismatch)
	})
	t.Run("evidence missing a line", func(t *testing.T) {
		w3, inv3 := billed(t, 2)
		short, err := newForfeiture(w3.signer, inv3, w3.owed(inv3), tDue.Add(time.Second), inv3.lines[:1])
		must(t, err)
		wantErr(t, w3.book.append(ctx, short), ErrRefused, errInvalidEvidence)
	})
	t.Run("evidence with swapped openings", func(t *testing.T) {
		w3, inv3 := billed(t, 2)
		l := inv3.lines
		bad, err := newForfeiture(w3.signer, inv3, w3.owed(inv3), tDue.Add(time.Second),
			[]Line{{l[0].Usage, l[1].Opening}, {l[1].Usage, l[0].Opening}})
		must(t, err)
		wantErr(t, w3.book.append(ctx, bad), ErrRefused, errInvalidEvidence, ErrInvalidLine)
		wantErr(t, bad.Check(w3.period), ErrInvalidLine, arsig.ErrInvalidOpening)
	})
	f, err := w.collector.Forfeit(ctx, inv.ID(), tDue.Add(time.Second))
	must(t, err)
	if f.Amount() != inv.Total() || f.Invoice() != inv.ID() {
		t.Fatalf("forfeited %v of %v", f.Amount(), inv.Total())
	}
	t.Run("twice", func(t *testing.T) {
		_, err := w.collector.Forfeit(ctx, inv.ID(), tDue.Add(2*time.Second))
		wantErr(t, err, ErrRefused, errAlreadyForfeited)
	})
	t.Run("payment after forfeiture", func(t *testing.T) {
		_, err := w.collector.Pay(ctx, inv.ID(), inv.Total(), tDue.Add(2*time.Second))
		wantErr(t, err, ErrRefused, errAlreadyForfeited)
	})
	t.Run("dispute after forfeiture", func(t *testing.T) {
		d, err := NewDispute(inv, 0, tDue.Add(2*time.Second))
		must(t, err)
		wantErr(t, w.collector.Accept(ctx, d.Bytes()), ErrRefused, errAlreadyForfeited)
	})
	t.Run("refund of the whole original deposit", func(t *testing.T) {
		wantErr(t, w.refund(0, eurs(5000), tDue.Add(3*time.Second)), ErrRefused, errDepositMismatch)
	})
	t.Run("anyone verifies the evidence", func(t *testing.T) {
		public, err := ParseForfeiture(f.Bytes(), w.signer.Public())
		must(t, err)
		must(t, public.Check(w.period))
		other, err := ecdsa.GenerateKey()
		must(t, err)
		_, err = ParseForfeiture(f.Bytes(), other.Public())
		wantErr(t, err, ErrBadSignature)
	})
	t.Run("refund of the remainder, once", func(t *testing.T) {
		must(t, w.refundAll(0, tDue.Add(4*time.Second)))
		if a := w.account(0); !a.retired || a.deposit.Sign() != 0 {
			t.Fatalf("%+v", a)
		}
		wantErr(t, w.refund(0, eurs(0), tDue.Add(5*time.Second)), ErrRefused, errUnregistered)
	})
}

// TestForfeitureCappedByDeposit: an invoice larger than the deposit forfeits
// all of it, and no more; the key is left out of the next ring.
func TestForfeitureCappedByDeposit(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	w.use(0, 3, 2000) // 60.00 owed against a 50.00 deposit
	w.close()
	w.issueAll(tIssued, tDue)
	inv := w.invoiceFor(0).rec
	f, err := w.collector.Forfeit(ctx, inv.ID(), tDue.Add(time.Second))
	must(t, err)
	if f.Amount().Units() != 5000 {
		t.Fatalf("forfeited %v", f.Amount())
	}
	must(t, f.Check(w.period))
	next, err := w.collector.OpenPeriod(ctx, tEnd.Add(24*time.Hour), tEnd.Add(48*time.Hour))
	must(t, err)
	if _, ok := next.Ring().IndexOf(w.users[0].Public()); ok || next.Ring().Len() != 2 {
		t.Fatal("a user without deposit stays in the ring")
	}
}

func TestGuardsInvoice(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	w.use(0, 2, 100)
	w.use(1, 1, 100)
	t.Run("period still open", func(t *testing.T) {
		_, err := w.collector.DraftInvoices(1, tIssued, tDue)
		wantErr(t, err, ErrPeriod)
	})
	w.close()
	invs, err := w.collector.DraftInvoices(1, tIssued, tDue)
	must(t, err)
	inv := invs[0]
	if !inv.User().Equal(w.users[0].Public()) {
		t.Fatal("invoices out of ledger order")
	}
	type variant struct {
		user        *arsig.PublicKey
		issued, due time.Time
		total       money.Amount
		lines       []Line
	}
	issue := func(edit func(*variant)) error {
		v := variant{inv.user, inv.issued, inv.due, inv.total, inv.Lines()}
		edit(&v)
		c, err := newInvoice(w.signer, 1, v.user, v.issued, v.due, v.total, v.lines)
		must(t, err)
		return w.collector.Issue(ctx, c)
	}
	t.Run("unregistered key", func(t *testing.T) {
		stranger, err := arsig.GenerateKey()
		must(t, err)
		wantErr(t, issue(func(v *variant) { v.user = stranger.Public() }), ErrPeriod, errOutsideRing)
	})
	t.Run("registered after the period opened", func(t *testing.T) {
		late, err := arsig.GenerateKey()
		must(t, err)
		w.users = append(w.users, late)
		must(t, w.register(len(w.users)-1, eurs(5000), tEnd))
		wantErr(t, issue(func(v *variant) { v.user = late.Public() }), ErrPeriod, errOutsideRing)
	})
	t.Run("wrong total", func(t *testing.T) {
		wantErr(t, issue(func(v *variant) { v.total = eurs(v.total.Units() + 1) }), ErrRefused, errNotBillable)
	})
	t.Run("record not on the book", func(t *testing.T) {
		stray := w.sign(0, "svc", 100, tStart)
		wantErr(t, issue(func(v *variant) { v.lines[0].Usage = stray }), ErrRefused, errNotBillable)
	})
	t.Run("record on the book with other signature bytes", func(t *testing.T) {
		// The same body signed again has the same ID but is not the record
		// the book holds.
		u := *inv.lines[0].Usage
		again, err := u.sign(w.users[0], w.period)
		must(t, err)
		if again.ID() != inv.lines[0].Usage.ID() {
			t.Fatal("re-signing changed the ID")
		}
		wantErr(t, issue(func(v *variant) { v.lines[0].Usage = again }), ErrRefused, errNotBillable)
	})
	t.Run("repeated record", func(t *testing.T) {
		wantErr(t, issue(func(v *variant) {
			v.lines = append(v.lines, v.lines[0])
			v.total, _ = v.total.Mul(2)
		}), ErrRefused, errNotBillable)
	})
	t.Run("issued before the period ends", func(t *testing.T) {
		wantErr(t, issue(func(v *variant) { v.issued = tEnd.Add(-time.Second) }), ErrRefused, errNotBillable)
	})
	t.Run("not signed by the collector", func(t *testing.T) {
		other, err := ecdsa.GenerateKey()
		must(t, err)
		c, err := NewInvoice(other, w.period, inv.user, tIssued, tDue, inv.Lines())
		must(t, err)
		wantErr(t, w.collector.Issue(ctx, c), ErrBadSignature, ecdsa.ErrInvalidSignature)
		_, err = ParseInvoice(c.Bytes(), w.signer.Public())
		wantErr(t, err, ErrBadSignature, ecdsa.ErrInvalidSignature)
	})
	must(t, w.collector.Issue(ctx, inv))
	t.Run("retry is idempotent", func(t *testing.T) {
		n := w.l.Len()
		must(t, w.collector.Issue(ctx, inv))
		if w.l.Len() != n {
			t.Fatal("retry appended")
		}
	})
	t.Run("record already billed", func(t *testing.T) {
		wantErr(t, issue(func(v *variant) { v.due = v.due.Add(time.Second) }), ErrRefused, errNotBillable)
	})
}

func TestGuardsRegistryAndUsage(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	t.Run("parameters twice", func(t *testing.T) {
		_, err := NewCollector(ctx, w.l, w.signer, w.opener, eurs(6000))
		wantErr(t, err, ErrRefused, errAlreadySetUp)
		otherOpener, err := arsig.GenerateOpenerKey()
		must(t, err)
		_, err = NewCollector(ctx, w.l, w.signer, otherOpener, eurs(5000))
		wantErr(t, err, ErrRefused, errAlreadySetUp)
		otherSigner, err := ecdsa.GenerateKey()
		must(t, err)
		_, err = NewCollector(ctx, w.l, otherSigner, w.opener, eurs(5000))
		wantErr(t, err, ErrBadSignature)
		// The same collector again resumes, appending nothing.
		n := w.l.Len()
		_, err = NewCollector(ctx, w.l, w.signer, w.opener, eurs(5000))
		must(t, err)
		if w.l.Len() != n {
			t.Fatal("resuming appended")
		}
	})
	t.Run("nothing before parameters", func(t *testing.T) {
		r, err := NewRegistration(w.users[0], w.params, eurs(5000), tStart)
		must(t, err)
		l := ledger.NewMemory()
		_, err = l.Append(ctx, kindRegistration, r.Bytes())
		must(t, err)
		_, err = Open(ctx, l, w.signer.Public())
		wantErr(t, err, ErrRefused, errNotSetUp)
	})
	t.Run("registered twice", func(t *testing.T) {
		wantErr(t, w.register(0, eurs(6000), tStart), ErrRefused, errAlreadyRegistered)
	})
	t.Run("small deposit", func(t *testing.T) {
		k, err := arsig.GenerateKey()
		must(t, err)
		w.users = append(w.users, k)
		i := len(w.users) - 1
		wantErr(t, w.register(i, eurs(4999), tStart), ErrRefused, errDepositTooSmall)
		wantErr(t, w.register(i, money.MustNew(5000, money.MustCurrency("USD")), tStart), ErrRefused, errDepositTooSmall)
		w.users = w.users[:i]
	})
	t.Run("second open period", func(t *testing.T) {
		_, err := w.collector.OpenPeriod(ctx, tEnd, tEnd.Add(10*time.Second))
		wantErr(t, err, ErrPeriod)
	})

	good := w.sign(0, "svc", 100, tStart.Add(5*time.Second))
	t.Run("invalid signature", func(t *testing.T) {
		u := *good
		u.amount = eurs(1)
		enc, err := u.encode()
		must(t, err)
		wantErr(t, w.collector.Accept(ctx, enc), ErrBadSignature, arsig.ErrInvalidSignature)
	})
	t.Run("another descriptor", func(t *testing.T) {
		u := *good
		u.periodDigest[0] ^= 1
		enc, err := u.encode()
		must(t, err)
		wantErr(t, w.collector.Accept(ctx, enc), ErrPeriod)
	})
	// Records a user's NewUsage would refuse to make, signed anyway.
	signed := func(edit func(*Usage)) []byte {
		u, err := unsignedUsage(w.period, "svc", eurs(100), tStart, nil)
		must(t, err)
		edit(u)
		u, err = u.sign(w.users[0], w.period)
		must(t, err)
		return u.Bytes()
	}
	t.Run("outside the window", func(t *testing.T) {
		_, err := NewUsage(w.users[0], w.period, "svc", eurs(100), tEnd, nil)
		wantErr(t, err, ErrPeriod)
		wantErr(t, w.collector.Accept(ctx, signed(func(u *Usage) { u.time = tEnd })), ErrPeriod)
		wantErr(t, w.collector.Accept(ctx, signed(func(u *Usage) { u.time = tStart.Add(-time.Second) })), ErrPeriod)
	})
	t.Run("other currency", func(t *testing.T) {
		usd := money.MustNew(100, money.MustCurrency("USD"))
		_, err := NewUsage(w.users[0], w.period, "svc", usd, tStart, nil)
		wantErr(t, err, ErrPeriod)
		wantErr(t, w.collector.Accept(ctx, signed(func(u *Usage) { u.amount = usd })), ErrPeriod)
	})
	must(t, w.collector.Accept(ctx, good.Bytes()))
	t.Run("delivered again: billed once", func(t *testing.T) {
		n := w.l.Len()
		must(t, w.collector.Accept(ctx, good.Bytes()))
		for _, err := range w.collector.Collect(ctx, [][]byte{good.Bytes(), good.Bytes()}) {
			must(t, err)
		}
		// The same use signed again (another signature, the same ID).
		u := *good
		again, err := u.sign(w.users[0], w.period)
		must(t, err)
		must(t, w.collector.Accept(ctx, again.Bytes()))
		if w.l.Len() != n || len(w.book.st.period(1).usages) != 1 {
			t.Fatal("a repeated delivery was appended")
		}
		// A copy carrying another record's signature is still refused.
		bad := *good
		bad.sig = w.sign(0, "svc", 100, tStart).sig
		enc, err := bad.encode()
		must(t, err)
		wantErr(t, w.collector.Accept(ctx, enc), ErrBadSignature, arsig.ErrInvalidSignature)
	})
	t.Run("close with a wrong count", func(t *testing.T) {
		c, err := newPeriodClose(w.signer, 1, tEnd, 2)
		must(t, err)
		wantErr(t, w.book.append(ctx, c), ErrPeriod)
	})
	t.Run("close before the end", func(t *testing.T) {
		wantErr(t, w.collector.ClosePeriod(ctx, tEnd.Add(-time.Second)), ErrPeriod)
	})
	t.Run("close not signed by the collector", func(t *testing.T) {
		other, err := ecdsa.GenerateKey()
		must(t, err)
		c, err := newPeriodClose(other, 1, tEnd, 1)
		must(t, err)
		wantErr(t, w.book.append(ctx, c), ErrBadSignature)
	})
	w.close()
	t.Run("usage after close", func(t *testing.T) {
		wantErr(t, w.collector.Accept(ctx, signed(func(u *Usage) {})), ErrPeriod)
		// A record already on the book is still acknowledged.
		must(t, w.collector.Accept(ctx, good.Bytes()))
	})
	t.Run("refund before the period is billed", func(t *testing.T) {
		wantErr(t, w.refundAll(1, tEnd.Add(time.Second)), ErrRefused, errDepositLocked)
	})
	w.issueAll(tIssued, tDue)
	t.Run("refund of a user without invoices once billed", func(t *testing.T) {
		must(t, w.refundAll(1, tIssued.Add(time.Second)))
	})
}

// TestPeriodRing: a period's ring must be the registry's, and a period
// opens only after the previous one closes.
func TestPeriodRing(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	w.close()
	start, end := tEnd, tEnd.Add(time.Hour)
	keys := []*arsig.PublicKey{w.users[0].Public(), w.users[1].Public()}
	short, err := arsig.NewRing(keys)
	must(t, err)
	p, err := newPeriod(w.signer, 2, w.params, start, end, short)
	must(t, err)
	wantErr(t, w.book.append(ctx, p), ErrPeriod)
	stranger, err := arsig.GenerateKey()
	must(t, err)
	padded, err := arsig.NewRing(append(keys, stranger.Public()))
	must(t, err)
	p, err = newPeriod(w.signer, 2, w.params, start, end, padded)
	must(t, err)
	wantErr(t, w.book.append(ctx, p), ErrPeriod)
	early, err := w.collector.OpenPeriod(ctx, tEnd.Add(-time.Second), end)
	if err == nil || early != nil {
		t.Fatal("a period opened before the previous one ended")
	}
	wantErr(t, err, ErrPeriod)
	// A key registered now joins the next ring; a refunded one leaves it.
	late, err := arsig.GenerateKey()
	must(t, err)
	w.users = append(w.users, late)
	must(t, w.register(3, eurs(5000), tEnd))
	w.issueAll(tIssued, tDue) // nothing to bill: period 1 is wholly billed
	must(t, w.refundAll(2, tEnd))
	next, err := w.collector.OpenPeriod(ctx, start, end)
	must(t, err)
	_, hasLate := next.Ring().IndexOf(late.Public())
	_, hasRefunded := next.Ring().IndexOf(w.users[2].Public())
	if !hasLate || hasRefunded || next.Ring().Len() != 3 {
		t.Fatal("the next ring is not the registry's")
	}
}

// TestRegistrationProofOfPossession: a key is registered only with a proof
// made with its private key, on this record and this system's parameters.
func TestRegistrationProofOfPossession(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	victim, err := arsig.GenerateKey()
	must(t, err)
	attacker, err := arsig.GenerateKey()
	must(t, err)
	reg := func(key *arsig.PrivateKey, params *Parameters) *holderRecord {
		r, err := NewRegistration(key, params, eurs(5000), tStart)
		must(t, err)
		return &r.r
	}

	t.Run("no proof", func(t *testing.T) {
		h := reg(victim, w.params)
		body, err := h.body()
		must(t, err)
		wantErr(t, w.collector.Accept(ctx, body), ErrMalformed)
	})
	t.Run("another key's proof", func(t *testing.T) {
		// The attacker's own proof, moved onto the victim's key.
		h := reg(victim, w.params)
		h.proof = reg(attacker, w.params).proof
		wantErr(t, w.collector.Accept(ctx, encodeHolder(t, h)), ErrBadSignature, arsig.ErrInvalidSignature)
	})
	t.Run("proof for other fields", func(t *testing.T) {
		h := reg(victim, w.params)
		h.amount = eurs(6000)
		wantErr(t, w.collector.Accept(ctx, encodeHolder(t, h)), ErrBadSignature)
	})
	t.Run("proof for another system", func(t *testing.T) {
		other, err := newParameters(w.signer, w.opener.Public(), eurs(1))
		must(t, err)
		wantErr(t, w.collector.Accept(ctx, encodeHolder(t, reg(victim, other))), ErrBadSignature)
	})
	t.Run("replay refuses a record without a valid proof", func(t *testing.T) {
		h := reg(victim, w.params)
		h.time = h.time.Add(time.Second)
		l := copyLedger(t, w.l, nil)
		_, err := l.Append(ctx, kindRegistration, encodeHolder(t, h))
		must(t, err)
		_, err = Open(ctx, l, w.signer.Public())
		wantErr(t, err, ErrBadSignature, arsig.ErrInvalidSignature)
	})
	must(t, w.collector.Accept(ctx, encodeHolder(t, reg(victim, w.params))))
}

// TestDepositSpentOnce: two unpaid invoices of one user, together owing more
// than the deposit, forfeit no more than the deposit between them; nothing
// is left to refund.
func TestDepositSpentOnce(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.use(0, 3, 1000) // 30.00 in period 1
	w.close()
	w.issueAll(tIssued, tDue)
	first := w.invoiceFor(0).rec

	start2, end2 := tEnd, tEnd.Add(30*24*time.Hour)
	var err error
	w.period, err = w.collector.OpenPeriod(ctx, start2, end2)
	must(t, err)
	w.use(0, 3, 1000) // 30.00 in period 2
	w.close()
	w.issueAll(end2, end2.Add(24*time.Hour))
	second := w.invoiceFor(0).rec
	late := end2.Add(48 * time.Hour)

	_, err = w.collector.Forfeit(ctx, first.ID(), late)
	must(t, err)
	openings, err := w.collector.open(w.period, []*Usage{second.lines[0].Usage, second.lines[1].Usage, second.lines[2].Usage})
	must(t, err)
	var evidence []Line
	for i, o := range openings {
		evidence = append(evidence, Line{second.lines[i].Usage, o})
	}
	f, err := newForfeiture(w.signer, second, w.owed(second), late, evidence)
	must(t, err)
	wantErr(t, w.book.append(ctx, f), ErrRefused, errDepositMismatch)
	f2, err := w.collector.Forfeit(ctx, second.ID(), late)
	must(t, err)
	if f2.Amount().Units() != 2000 {
		t.Fatalf("second forfeiture took %v of the 20.00 left", f2.Amount())
	}
	left, err := w.book.Deposit(w.users[0].Public())
	must(t, err)
	if left.Sign() != 0 {
		t.Fatalf("deposit left: %v", left)
	}
	wantErr(t, w.refund(0, eurs(1), late.Add(time.Hour)), ErrRefused, errDepositMismatch)
}

// TestRefundNeedsTheKey: only the holder of a key can retire it; a refund
// proved by anyone else, or a proof moved onto other fields, is refused.
func TestRefundNeedsTheKey(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	w.close()
	refund := func(i int) *holderRecord {
		r, err := NewRefund(w.users[i], w.params, eurs(5000), tEnd.Add(time.Second))
		must(t, err)
		return &r.r
	}
	body, err := refund(0).body()
	must(t, err)
	wantErr(t, w.collector.Accept(ctx, body), ErrMalformed)

	h := refund(0)
	h.proof = refund(1).proof
	wantErr(t, w.collector.Accept(ctx, encodeHolder(t, h)), ErrBadSignature)
	moved := refund(0)
	moved.time = moved.time.Add(time.Second)
	wantErr(t, w.collector.Accept(ctx, encodeHolder(t, moved)), ErrBadSignature)

	// A registration proof is no refund proof.
	reg, err := NewRegistration(w.users[0], w.params, eurs(5000), tEnd.Add(time.Second))
	must(t, err)
	h = refund(0)
	h.proof = reg.r.proof
	wantErr(t, w.collector.Accept(ctx, encodeHolder(t, h)), ErrBadSignature)

	must(t, w.refundAll(0, tEnd.Add(time.Second)))
	if !w.account(0).retired {
		t.Fatal("refund by the key's holder did not retire the key")
	}
	wantErr(t, w.register(0, eurs(5000), tEnd.Add(2*time.Second)), ErrRefused, errAlreadyRegistered)
}

// TestManyRecordsOneUser: an invoice holds at most 4096 lines, and a user
// with more records gets several invoices, so nobody's invoicing fails for
// it.
func TestManyRecordsOneUser(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.use(0, 5, 1)
	w.use(1, 1, 1)
	w.close()
	invs, err := w.collector.draft(1, tIssued, tDue, 2)
	must(t, err)
	if len(invs) != 4 || len(invs[0].Lines()) != 2 || len(invs[1].Lines()) != 2 || len(invs[2].Lines()) != 1 {
		t.Fatalf("%d invoices", len(invs))
	}
	for _, inv := range invs {
		must(t, w.collector.Issue(ctx, inv))
	}
	// The limit of the encoding.
	line := invs[3].Lines()[0]
	full := make([]Line, maxLines+1)
	for i := range full {
		full[i] = line
	}
	_, err = NewInvoice(w.signer, w.period, invs[3].User(), tIssued, tDue, full)
	wantErr(t, err, ErrMalformed)
	_, err = NewInvoice(w.signer, w.period, invs[3].User(), tIssued, tDue, full[:maxLines])
	must(t, err)
}

// encodeHolder re-encodes a registration or refund changed by a test.
func encodeHolder(t *testing.T, h *holderRecord) []byte {
	t.Helper()
	enc, err := h.encode()
	must(t, err)
	return enc
}

// TestRegistryBoundCountsLiveKeys: the registry holds at most
// arsig.MaxRingSize keys that are not refunded, the most a ring can have.
// Refunded keys stay on the book (they cannot register again) but do not
// count: otherwise, after 2^14 registrations in the system's life, nobody
// could ever register again, and registering and refunding keys would
// fill the registry for good.
func TestRegistryBoundCountsLiveKeys(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.close()
	w.issueAll(tIssued, tDue) // nothing to bill
	must(t, w.refundAll(0, tIssued))
	// Stand-ins for refunded keys, up to the bound with the two real ones.
	for i := 0; len(w.book.st.accounts) < arsig.MaxRingSize; i++ {
		var k keyID
		k[0], k[1], k[2] = 0xff, byte(i>>8), byte(i)
		w.book.st.accounts[k] = &account{retired: true}
	}
	newcomer, err := arsig.GenerateKey()
	must(t, err)
	w.users = append(w.users, newcomer)
	must(t, w.register(2, eurs(5000), tIssued.Add(time.Second)))

	// With the registry full of live keys, a registration is refused.
	w.book.st.live = arsig.MaxRingSize
	other, err := arsig.GenerateKey()
	must(t, err)
	w.users = append(w.users, other)
	wantErr(t, w.register(3, eurs(5000), tIssued.Add(2*time.Second)), ErrRefused)
}
