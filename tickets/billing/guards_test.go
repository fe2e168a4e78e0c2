package billing

import (
	"testing"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// billed returns a world of n users in which user 0 used the service twice
// and the period is closed and invoiced; it returns user 0's invoice.
func billed(t *testing.T, n int) (*world, InvoiceInfo) {
	t.Helper()
	w := newWorld(t, ledger.NewMemory(), n)
	w.use(0, 2, 300)
	w.close()
	_, err := w.collector.IssueInvoices(1, tIssued, tDue)
	must(t, err)
	return w, w.invoiceFor(0)
}

func TestGuardsPayment(t *testing.T) {
	w, info := billed(t, 2)
	t.Run("wrong amount", func(t *testing.T) {
		_, err := w.collector.Pay(info.Digest, eurs(1), tIssued+1)
		wantErr(t, err, ErrWrongAmount)
	})
	t.Run("unknown invoice", func(t *testing.T) {
		_, err := w.collector.Pay(Digest{1}, info.Owed, tIssued+1)
		wantErr(t, err, ErrUnknownInvoice)
	})
	t.Run("receipt not signed by the collector", func(t *testing.T) {
		other, err := ecdsa.GenerateKey()
		must(t, err)
		r := &Receipt{Invoice: info.Digest, Amount: info.Owed, Payer: info.Invoice.User, Time: tIssued + 1}
		must(t, r.Sign(other))
		_, err = w.book.Append(r)
		wantErr(t, err, ErrInvalidReceipt)
	})
	r, err := w.collector.Pay(info.Digest, info.Owed, tIssued+2)
	must(t, err)
	t.Run("twice", func(t *testing.T) {
		_, err := w.collector.Pay(info.Digest, info.Owed, tIssued+3)
		wantErr(t, err, ErrAlreadyPaid)
	})
	t.Run("retry of the same receipt is idempotent", func(t *testing.T) {
		n := w.l.Len()
		e, err := w.book.Append(r)
		must(t, err)
		if w.l.Len() != n || e.Kind != TypeReceipt.Kind() {
			t.Fatal("retry appended")
		}
	})
	t.Run("forfeiture of a paid invoice", func(t *testing.T) {
		_, err := w.collector.Forfeit(info.Digest, tDue+1)
		wantErr(t, err, ErrAlreadyPaid)
	})
	t.Run("receipt for another invoice", func(t *testing.T) {
		other := *info.Invoice
		other.Due++
		must(t, other.Sign(w.signer))
		wantErr(t, w.users[0].CheckReceipt(&other, info.Owed, r), ErrInvalidReceipt)
		wantErr(t, VerifyReceipt(w.signer.Public(), &other, info.Owed, r), ErrInvalidReceipt)
		wantErr(t, VerifyReceipt(w.signer.Public(), info.Invoice, eurs(1), r), ErrInvalidReceipt)
		must(t, VerifyReceipt(w.signer.Public(), info.Invoice, info.Owed, r))
		forged := *r
		forged.Time++
		wantErr(t, VerifyReceipt(w.signer.Public(), info.Invoice, info.Owed, &forged), ErrInvalidReceipt)
	})
}

func TestGuardsForfeiture(t *testing.T) {
	w, info := billed(t, 3)
	t.Run("before the due date", func(t *testing.T) {
		_, err := w.collector.Forfeit(info.Digest, tDue)
		wantErr(t, err, ErrNotDue)
	})
	t.Run("refund while owed", func(t *testing.T) {
		wantErr(t, w.users[0].Refund(tIssued+1), ErrDepositLocked)
	})
	f, err := w.collector.Forfeit(info.Digest, tDue+1)
	must(t, err)
	t.Run("more than owed", func(t *testing.T) {
		w3, info3 := billed(t, 2)
		greedy := &Forfeiture{Invoice: info3.Digest, User: info3.Invoice.User, Amount: eurs(5000), Time: tDue + 1}
		greedy.Evidence = append(greedy.Evidence, info3.Invoice.Lines...)
		_, err := w3.book.Append(greedy)
		wantErr(t, err, ErrExceedsDeposit)
	})
	t.Run("evidence missing a line", func(t *testing.T) {
		w3, info3 := billed(t, 2)
		short := &Forfeiture{Invoice: info3.Digest, User: info3.Invoice.User, Amount: info3.Owed, Time: tDue + 1,
			Evidence: info3.Invoice.Lines[:1]}
		_, err := w3.book.Append(short)
		wantErr(t, err, ErrInvalidEvidence)
	})
	t.Run("twice", func(t *testing.T) {
		_, err := w.collector.Forfeit(info.Digest, tDue+2)
		wantErr(t, err, ErrAlreadyForfeited)
	})
	t.Run("payment after forfeiture", func(t *testing.T) {
		_, err := w.collector.Pay(info.Digest, info.Owed, tDue+2)
		wantErr(t, err, ErrAlreadyForfeited)
	})
	t.Run("dispute after forfeiture", func(t *testing.T) {
		wantErr(t, w.users[0].Dispute(info.Digest, 0, tDue+2), ErrAlreadyForfeited)
	})
	t.Run("refund of the whole original deposit", func(t *testing.T) {
		_, err := w.book.Append(w.refund(0, eurs(5000), tDue+3))
		wantErr(t, err, ErrExceedsDeposit)
	})
	t.Run("anyone verifies the evidence", func(t *testing.T) {
		must(t, w.book.VerifyForfeiture(f))
		bad := *f
		bad.Evidence = []Line{{Usage: f.Evidence[0].Usage, Opening: f.Evidence[1].Opening}, f.Evidence[1]}
		wantErr(t, w.book.VerifyForfeiture(&bad), ErrInvalidEvidence)
	})
	t.Run("refund of the remainder, once", func(t *testing.T) {
		must(t, w.users[0].Refund(tDue+4))
		acct, err := w.book.Account(w.users[0].Public())
		must(t, err)
		if !acct.Retired || acct.Deposit.Sign() != 0 {
			t.Fatalf("%+v", acct)
		}
		wantErr(t, w.users[0].Refund(tDue+5), ErrUnregistered)
		_, err = w.book.Append(w.refund(0, eurs(0), tDue+6))
		wantErr(t, err, ErrUnregistered)
	})
}

// TestForfeitureCappedByDeposit: an invoice larger than the deposit forfeits
// all of it, and no more; the key is left out of the next ring.
func TestForfeitureCappedByDeposit(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	w.use(0, 3, 2000) // 60.00 owed against a 50.00 deposit
	w.close()
	_, err := w.collector.IssueInvoices(1, tIssued, tDue)
	must(t, err)
	info := w.invoiceFor(0)
	f, err := w.collector.Forfeit(info.Digest, tDue+1)
	must(t, err)
	if f.Amount.Units() != 5000 {
		t.Fatalf("forfeited %v", f.Amount)
	}
	ring, err := w.book.NextRing()
	must(t, err)
	if _, ok := ring.IndexOf(w.users[0].Public()); ok || ring.Len() != 2 {
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
	issue := func(edit func(*Invoice)) error {
		c := *inv
		c.Lines = append([]Line(nil), inv.Lines...)
		edit(&c)
		_, err := w.collector.Issue(&c)
		return err
	}
	t.Run("unregistered key", func(t *testing.T) {
		stranger, err := arsig.GenerateKey()
		must(t, err)
		wantErr(t, issue(func(c *Invoice) { c.User = stranger.Public() }), ErrUnregistered)
	})
	t.Run("registered after the period opened", func(t *testing.T) {
		late, err := NewUser(w.book)
		must(t, err)
		must(t, late.Register(eurs(5000), tEnd))
		wantErr(t, issue(func(c *Invoice) { c.User = late.Public() }), ErrUnregistered)
	})
	t.Run("wrong total", func(t *testing.T) {
		wantErr(t, issue(func(c *Invoice) { c.Total = eurs(c.Total.Units() + 1) }), ErrInvalidInvoice)
	})
	t.Run("unknown record", func(t *testing.T) {
		wantErr(t, issue(func(c *Invoice) { c.Lines[0].Usage[0] ^= 1 }), ErrInvalidInvoice)
	})
	t.Run("repeated record", func(t *testing.T) {
		wantErr(t, issue(func(c *Invoice) {
			c.Lines = append(c.Lines, c.Lines[0])
			c.Total, _ = c.Total.Mul(2)
		}), ErrInvalidInvoice)
	})
	t.Run("issued before the period ends", func(t *testing.T) {
		wantErr(t, issue(func(c *Invoice) { c.Issued = tEnd - 1 }), ErrInvalidInvoice)
	})
	t.Run("not signed by the collector", func(t *testing.T) {
		c := *inv
		c.Signature = append([]byte(nil), inv.Signature...)
		c.Signature[5] ^= 1
		_, err := w.book.Append(&c)
		wantErr(t, err, ErrInvalidInvoice)
	})
	_, err = w.collector.Issue(inv)
	must(t, err)
	t.Run("record already billed", func(t *testing.T) {
		wantErr(t, issue(func(c *Invoice) { c.Due++ }), ErrInvalidInvoice)
	})
}

func TestGuardsRegistryAndUsage(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	t.Run("parameters twice", func(t *testing.T) {
		_, err := SetUp(w.book, w.signer, w.opener, eurs(6000))
		wantErr(t, err, ErrAlreadySetUp)
		// The same record again is a retry, accepted without a change.
		n := w.l.Len()
		_, err = SetUp(w.book, w.signer, w.opener, eurs(5000))
		must(t, err)
		if w.l.Len() != n {
			t.Fatal("retry appended")
		}
	})
	t.Run("nothing before parameters", func(t *testing.T) {
		b, err := Open(ledger.NewMemory())
		must(t, err)
		u, err := NewUser(b)
		must(t, err)
		wantErr(t, u.Register(eurs(5000), 1), ErrNotSetUp)
	})
	t.Run("registered twice", func(t *testing.T) {
		wantErr(t, w.users[0].Register(eurs(6000), tStart), ErrAlreadyRegistered)
	})
	t.Run("small deposit", func(t *testing.T) {
		u, err := NewUser(w.book)
		must(t, err)
		wantErr(t, u.Register(eurs(4999), tStart), ErrDepositTooSmall)
		wantErr(t, u.Register(money.MustNew(5000, money.MustCurrency("USD")), tStart), ErrDepositTooSmall)
	})
	t.Run("second open period", func(t *testing.T) {
		_, err := w.collector.OpenPeriod(tEnd, tEnd+10)
		wantErr(t, err, ErrPeriod)
	})
	t.Run("ring digest of another ring", func(t *testing.T) {
		_, err := w.book.Append(&PeriodOpen{ID: 2, Start: tEnd, End: tEnd + 10, RingSize: 2, RingDigest: Digest{7}})
		wantErr(t, err, ErrPeriod)
	})

	good, err := w.users[0].Use("svc", eurs(100), tStart+5)
	must(t, err)
	t.Run("invalid signature", func(t *testing.T) {
		bad := *good
		bad.Amount = eurs(1)
		wantErr(t, w.provider.Accept(&bad), ErrInvalidUsage)
		_, err := w.book.Append(&bad)
		wantErr(t, err, ErrInvalidUsage)
	})
	t.Run("other ring", func(t *testing.T) {
		bad := *good
		bad.RingDigest[0] ^= 1
		wantErr(t, w.provider.Accept(&bad), ErrPeriod)
	})
	t.Run("outside the window", func(t *testing.T) {
		u, err := w.users[0].Use("svc", eurs(100), tEnd)
		must(t, err)
		wantErr(t, w.provider.Accept(u), ErrPeriod)
	})
	t.Run("other currency", func(t *testing.T) {
		u, err := w.users[0].Use("svc", money.MustNew(100, money.MustCurrency("USD")), tStart)
		must(t, err)
		wantErr(t, w.provider.Accept(u), ErrMalformed)
	})
	must(t, w.provider.Accept(good))
	t.Run("replayed", func(t *testing.T) {
		wantErr(t, w.provider.Accept(good), ErrDuplicateUsage)
		errs := w.provider.AcceptBatch([]*Usage{good, good})
		wantErr(t, errs[0], ErrDuplicateUsage)
		wantErr(t, errs[1], ErrDuplicateUsage)
	})
	t.Run("close with a wrong count", func(t *testing.T) {
		_, err := w.book.Append(&PeriodClose{ID: 1, Time: tEnd, Usages: 2})
		wantErr(t, err, ErrPeriod)
	})
	t.Run("close before the end", func(t *testing.T) {
		_, err := w.book.Append(&PeriodClose{ID: 1, Time: tEnd - 1, Usages: 1})
		wantErr(t, err, ErrPeriod)
	})
	w.close()
	t.Run("usage after close", func(t *testing.T) {
		u := *good
		u.Nonce[0] ^= 1
		wantErr(t, w.provider.Accept(&u), ErrPeriod)
	})
	t.Run("refund before the period is billed", func(t *testing.T) {
		wantErr(t, w.users[1].Refund(tEnd+1), ErrDepositLocked)
	})
	_, err = w.collector.IssueInvoices(1, tIssued, tDue)
	must(t, err)
	t.Run("refund of a user without invoices once billed", func(t *testing.T) {
		must(t, w.users[1].Refund(tIssued+1))
	})
}

// TestRegistrationProofOfPossession: a key is registered only with a proof
// made with its private key, on this record and this system's parameters.
func TestRegistrationProofOfPossession(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	params := w.book.Parameters()
	victim, err := arsig.GenerateKey()
	must(t, err)
	attacker, err := arsig.GenerateKey()
	must(t, err)
	reg := func() *Registration {
		return &Registration{User: victim.Public(), Deposit: eurs(5000), Time: tStart}
	}

	t.Run("no proof", func(t *testing.T) {
		_, err := w.book.Append(reg())
		wantErr(t, err, ErrMalformed)
	})
	t.Run("proof by another key", func(t *testing.T) {
		r := reg()
		wantErr(t, r.Prove(attacker, params), arsig.ErrNotInRing)
		// The attacker's own proof, moved onto the victim's key.
		own := &Registration{User: attacker.Public(), Deposit: eurs(5000), Time: tStart}
		must(t, own.Prove(attacker, params))
		r.Proof = own.Proof
		_, err := w.book.Append(r)
		wantErr(t, err, ErrInvalidProof)
	})
	t.Run("proof for other fields", func(t *testing.T) {
		r := reg()
		must(t, r.Prove(victim, params))
		r.Deposit = eurs(6000)
		_, err := w.book.Append(r)
		wantErr(t, err, ErrInvalidProof)
	})
	t.Run("proof for another system", func(t *testing.T) {
		other := *params
		other.Deposit = eurs(1)
		r := reg()
		must(t, r.Prove(victim, &other))
		_, err := w.book.Append(r)
		wantErr(t, err, ErrInvalidProof)
	})
	t.Run("replay refuses a record without a valid proof", func(t *testing.T) {
		r := reg()
		must(t, r.Prove(victim, params))
		r.Time++
		enc, err := r.MarshalBinary()
		must(t, err)
		l := ledger.NewMemory()
		must(t, w.l.Scan(ctx, 0, func(e ledger.Entry) error {
			_, err := l.Append(ctx, e.Kind, e.Payload)
			return err
		}))
		_, err = l.Append(ctx, TypeRegistration.Kind(), enc)
		must(t, err)
		_, err = Open(l)
		wantErr(t, err, ErrLedger)
		wantErr(t, err, ErrInvalidProof)
	})
	r := reg()
	must(t, r.Prove(victim, params))
	_, err = w.book.Append(r)
	must(t, err)
}

// TestDepositSpentOnce: two unpaid invoices of one user, together owing more
// than the deposit, forfeit no more than the deposit between them; nothing
// is left to refund.
func TestDepositSpentOnce(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.use(0, 3, 1000) // 30.00 in period 1
	w.close()
	_, err := w.collector.IssueInvoices(1, tIssued, tDue)
	must(t, err)
	first := w.invoiceFor(0)

	const start2, end2 = tEnd, tEnd + 30*86400
	_, err = w.collector.OpenPeriod(start2, end2)
	must(t, err)
	for j := range 3 { // 30.00 in period 2
		u, err := w.users[0].Use("svc", eurs(1000), start2+int64(j))
		must(t, err)
		must(t, w.provider.Accept(u))
	}
	must(t, w.collector.ClosePeriod(end2))
	_, err = w.collector.IssueInvoices(2, end2, end2+86400)
	must(t, err)
	second := w.invoiceFor(0)

	_, err = w.collector.Forfeit(first.Digest, end2+2*86400)
	must(t, err)
	f := &Forfeiture{Invoice: second.Digest, User: second.Invoice.User, Amount: second.Owed, Time: end2 + 2*86400,
		Evidence: second.Invoice.Lines}
	_, err = w.book.Append(f)
	wantErr(t, err, ErrExceedsDeposit)
	f2, err := w.collector.Forfeit(second.Digest, end2+2*86400)
	must(t, err)
	if f2.Amount.Units() != 2000 {
		t.Fatalf("second forfeiture took %v of the 20.00 left", f2.Amount)
	}
	acct, err := w.book.Account(w.users[0].Public())
	must(t, err)
	if acct.Deposit.Sign() != 0 {
		t.Fatalf("deposit left: %v", acct.Deposit)
	}
	_, err = w.book.Append(w.refund(0, eurs(1), end2+3*86400))
	wantErr(t, err, ErrExceedsDeposit)
}

// TestRefundNeedsTheKey: only the holder of a key can retire it; a refund
// proved by anyone else, or a proof moved onto other fields, is refused.
func TestRefundNeedsTheKey(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	w.close()
	params := w.book.Parameters()
	r := &Refund{User: w.users[0].Public(), Amount: eurs(5000), Time: tEnd + 1}
	_, err := w.book.Append(r)
	wantErr(t, err, ErrMalformed)
	wantErr(t, r.Prove(w.users[1].key, params), arsig.ErrNotInRing)
	r.Proof = w.refund(1, eurs(5000), tEnd+1).Proof
	_, err = w.book.Append(r)
	wantErr(t, err, ErrInvalidProof)
	moved := w.refund(0, eurs(5000), tEnd+1)
	moved.Time++
	_, err = w.book.Append(moved)
	wantErr(t, err, ErrInvalidProof)

	// A registration proof is no refund proof.
	reg := &Registration{User: w.users[0].Public(), Deposit: eurs(5000), Time: tEnd + 1}
	must(t, reg.Prove(w.users[0].key, params))
	r.Proof = reg.Proof
	_, err = w.book.Append(r)
	wantErr(t, err, ErrInvalidProof)

	must(t, w.users[0].Refund(tEnd+1))
	acct, err := w.book.Account(w.users[0].Public())
	must(t, err)
	if !acct.Retired {
		t.Fatal("refund by the key's holder did not retire the key")
	}
}
