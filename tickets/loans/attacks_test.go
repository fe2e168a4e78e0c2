package loans

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

// forgePledge re-makes a pledge after mutate, ring-signed by signer (nil:
// keep the ring signature) and signed by account.
func (h *harness) forgePledge(enc []byte, mutate func(*pledge), signer *arsig.PrivateKey, ring *arsig.Ring, account *ecdsa.PrivateKey) []byte {
	h.t.Helper()
	r, err := parsePledge(enc)
	if err != nil {
		h.t.Fatal(err)
	}
	mutate(r)
	if err := r.setMessage(); err != nil {
		h.t.Fatal(err)
	}
	if signer != nil {
		if r.sig, err = arsig.Sign(signer, ring, h.pool.params.opener, r.msg); err != nil {
			h.t.Fatal(err)
		}
	}
	return h.must(seal(account, pledgeContext, r.body))
}

// A dishonest lender, or anyone who saw a pledge, replays or moves it.
func TestPledgeAttacks(t *testing.T) {
	h := newHarness(t, 3, 2)
	a := h.request(0, 1000, 1000, 1, 2)
	b := h.request(1, 1000, 1000, 1, 2)
	enc := h.pledge(0, a, 100)
	h.submit(enc)
	ring := h.pool.ring(3)

	h.refuse("the same pledge again", enc, ErrDuplicate)
	h.refuse("the same message signed again", h.forgePledge(enc, func(*pledge) {}, h.lenderKey[0], ring, h.accounts[0]), ErrDuplicate)

	move := func(r *pledge) { r.loan = b }
	moved := bytes.Replace(enc, a[:], b[:], 1)
	h.refuse("moved to another loan", moved, ErrBadSignature)
	h.refuse("moved and re-signed by the account, not the ring", h.forgePledge(enc, move, nil, nil, h.accounts[0]), ErrBadSignature)
	h.refuse("moved and re-signed with another account", h.forgePledge(enc, func(r *pledge) { r.loan = b; r.account = h.accounts[1].Public() }, nil, nil, h.accounts[1]), ErrBadSignature)
	h.refuse("another amount", h.forgePledge(enc, func(r *pledge) { r.amount = euros(900) }, nil, nil, h.accounts[0]), ErrBadSignature)

	// Someone else's account: the record must be signed by the account's
	// key, which only its holder has.
	h.refuse("from an account that is not the signer's", h.forgePledge(enc, func(r *pledge) { r.nonce[0] ^= 1; r.account = h.accounts[2].Public() }, h.lenderKey[0], ring, h.accounts[0]), ErrBadSignature)

	// An outsider signs in a ring that includes it: verified against the
	// registered lenders, it fails.
	outsider := mustARS(t)
	bigger, err := arsig.NewRing([]*arsig.PublicKey{h.lenderKey[0].Public(), h.lenderKey[1].Public(), outsider.Public()})
	if err != nil {
		t.Fatal(err)
	}
	h.refuse("an unregistered lender", h.forgePledge(enc, func(r *pledge) { r.nonce[0] ^= 2 }, outsider, bigger, h.accounts[0]), ErrBadSignature)
	if _, err := NewLenderOrFatal(t, outsider).Pledge(h.pool, a, euros(1)); !errors.Is(err, ErrUnregistered) {
		t.Errorf("an unregistered lender's Pledge: %v", err)
	}
	h.refuse("a ring larger than the lenders", h.forgePledge(enc, func(r *pledge) { r.nonce[0] ^= 3; r.ring = 4 }, nil, nil, h.accounts[0]), ErrRefused)

	h.refuse("more than the loan needs", h.pledge(1, a, 901), ErrRefused)
	bk := h.borrowKey[0]
	self, err := NewLender(h.lenderKey[1], bk)
	if err != nil {
		t.Fatal(err)
	}
	h.refuse("from the borrower's own key", h.must(self.Pledge(h.pool, a, euros(1))), ErrRefused)
	h.refuse("to an unknown loan", h.forgePledge(enc, func(r *pledge) { r.loan = ID{1} }, h.lenderKey[0], ring, h.accounts[0]), ErrUnregistered)
	h.refuse("of another pool", h.forgePledge(enc, func(r *pledge) { r.pool = ID{1} }, h.lenderKey[0], ring, h.accounts[0]), ErrRefused)
	h.refuse("in another currency", h.forgePledge(enc, func(r *pledge) { r.nonce[0] ^= 4; r.amount = krw(5) }, h.lenderKey[0], ring, h.accounts[0]), ErrRefused)

	// A pledge made in period 1 and held back is refused in period 2.
	held := h.pledge(1, a, 100)
	h.close()
	h.refuse("from a closed period", held, ErrRefused)
	// A pledge to a funded loan.
	h.submit(h.pledge(1, a, 900))
	h.refuse("to a funded loan", h.forgePledge(enc, func(r *pledge) { r.nonce[0] ^= 5; r.period = 2; r.account = h.accounts[2].Public() }, h.lenderKey[2], ring, h.accounts[2]), ErrRefused)
}

func NewLenderOrFatal(t *testing.T, k *arsig.PrivateKey) *Lender {
	ld, err := NewLender(k, mustECDSA(t))
	if err != nil {
		t.Fatal(err)
	}
	return ld
}

// A dishonest borrower repays twice, late, short, or for someone else.
func TestRepaymentAttacks(t *testing.T) {
	h := newHarness(t, 1, 2)
	id := h.request(0, 100, 120, 2, 1)
	h.submit(h.pledge(0, id, 100))
	early := h.must(h.borrowers[0].Repay(h.pool, id))
	h.refuse("in the period of funding", early, ErrRefused)
	h.close()

	first := h.must(h.borrowers[0].Repay(h.pool, id))
	h.submit(first)
	h.refuse("the same repayment again", first, ErrDuplicate)
	again := h.must(seal(h.borrowKey[0], repaymentContext, (&repayment{pool: h.pool.id, loan: id, period: 2, instalment: 1, amount: euros(60)}).body))
	h.refuse("instalment 1 signed again", again, ErrDuplicate)
	if got := len(h.pool.Obligations(2)); got != 1 {
		t.Fatalf("%d obligations for one repayment", got)
	}
	mk := func(key *ecdsa.PrivateKey, period, instalment int, units int64) []byte {
		return h.must(seal(key, repaymentContext, (&repayment{pool: h.pool.id, loan: id, period: period, instalment: instalment, amount: euros(units)}).body))
	}
	h.refuse("instalment 2 early", mk(h.borrowKey[0], 2, 2, 60), ErrRefused)
	h.refuse("instalment 3 of 2", mk(h.borrowKey[0], 2, 3, 60), ErrRefused)
	h.refuse("by another borrower", mk(h.borrowKey[1], 2, 2, 60), ErrBadSignature)
	h.close()
	h.refuse("short", mk(h.borrowKey[0], 3, 2, 59), ErrRefused)
	h.refuse("for another period", mk(h.borrowKey[0], 2, 2, 60), ErrRefused)
	h.submit(mk(h.borrowKey[0], 3, 2, 60))
	if l := h.loan(id); l.Status != Repaid {
		t.Fatalf("loan %v", l.Status)
	}
	h.refuse("after the last", mk(h.borrowKey[0], 3, 2, 60), ErrDuplicate)
	d := h.must(h.platform.Default(h.pool, id))
	h.refuse("default of a repaid loan", d, ErrRefused)
}

// A dishonest platform defaults a loan early, twice, or one that pays.
func TestDefault(t *testing.T) {
	h := newHarness(t, 1, 1)
	id := h.request(0, 100, 100, 4, 1)
	h.submit(h.pledge(0, id, 100))
	h.close()
	h.submit(h.must(h.borrowers[0].Repay(h.pool, id)))
	h.refuse("while an instalment is paid and the next not due", h.must(h.platform.Default(h.pool, id)), ErrRefused)
	h.close()
	h.refuse("in the period the instalment is due", h.must(h.platform.Default(h.pool, id)), ErrRefused)
	h.close()
	// Instalment 2 was due in period 3, which is over.
	other := mustECDSA(t)
	forged := h.must(seal(other, defaultContext, (&loanDefault{pool: h.pool.id, loan: id, period: 4, instalment: 2}).body))
	h.refuse("signed by someone else", forged, ErrBadSignature)
	wrong := h.must(seal(h.key, defaultContext, (&loanDefault{pool: h.pool.id, loan: id, period: 4, instalment: 3}).body))
	h.refuse("of an instalment not the first unpaid", wrong, ErrRefused)
	d := h.must(h.platform.Default(h.pool, id))
	h.submit(d)
	if l := h.loan(id); l.Status != Defaulted || l.Paid != 1 {
		t.Fatalf("loan %v, %d paid", l.Status, l.Paid)
	}
	h.refuse("twice", d, ErrDuplicate)
	h.refuse("repaid after the default", h.must(seal(h.borrowKey[0], repaymentContext,
		(&repayment{pool: h.pool.id, loan: id, period: 4, instalment: 2, amount: euros(25)}).body)), ErrRefused)
	h.close()
	if len(h.pool.Obligations(4)) != 0 {
		t.Fatal("a defaulted loan made obligations")
	}
}

// The platform names a lender, and cannot name anyone else.
func TestDisclosure(t *testing.T) {
	h := newHarness(t, 3, 1)
	id := h.request(0, 100, 100, 1, 1)
	h.submit(h.pledge(1, id, 60))
	h.submit(h.pledge(2, id, 40))
	pledges := h.loan(id).Pledges
	d := h.must(h.platform.Disclose(h.pool, pledges[0].ID, "regulator request 7"))

	// The opening of pledge 1 attached to pledge 0; pledge 0's opening
	// altered to name lender 0; a disclosure signed by someone else.
	other := h.must(h.platform.Disclose(h.pool, pledges[1].ID, "x"))
	r, _ := parseDisclosure(other)
	r.pledge = pledges[0].ID
	h.refuse("another pledge's opening", h.must(seal(h.key, disclosureContext, r.body)), ErrBadSignature)
	r, _ = parseDisclosure(d)
	ob := r.opening.Bytes()
	copy(ob, h.lenderKey[0].Public().Bytes())
	if r.opening, _ = arsig.ParseOpening(ob); r.opening == nil {
		t.Fatal("opening did not parse")
	}
	h.refuse("an opening naming another lender", h.must(seal(h.key, disclosureContext, r.body)), ErrBadSignature)
	r, _ = parseDisclosure(d)
	h.refuse("not by the platform", h.must(seal(mustECDSA(t), disclosureContext, r.body)), ErrBadSignature)
	r.pledge = ID{9}
	h.refuse("of an unknown pledge", h.must(seal(h.key, disclosureContext, r.body)), ErrUnregistered)

	h.submit(d)
	h.refuse("twice", h.must(h.platform.Disclose(h.pool, pledges[0].ID, "again")), ErrDuplicate)
	ds := h.pool.Disclosures()
	if len(ds) != 1 || !ds[0].Lender.Equal(h.lenderKey[1].Public()) || ds[0].Reason != "regulator request 7" || ds[0].Pledge != pledges[0].ID {
		t.Fatalf("disclosures %v", ds)
	}
}

// A dishonest platform closes a period with a statement that is not its
// netting.
func TestStatementAttacks(t *testing.T) {
	h := newHarness(t, 2, 1)
	id := h.request(0, 100, 100, 1, 1)
	h.submit(h.pledge(0, id, 60))
	h.submit(h.pledge(1, id, 40))
	obs := h.pool.Obligations(1)
	sign := func(key *ecdsa.PrivateKey, obs []netting.Obligation, from, to int) []byte {
		s, err := netting.Net(obs)
		if err != nil {
			t.Fatal(err)
		}
		st, err := netting.NewStatement(key, h.pool.params.periodStart(from), h.pool.params.periodStart(to), s)
		if err != nil {
			t.Fatal(err)
		}
		return st.Bytes()
	}
	h.refuse("an obligation left out", sign(h.key, obs[:1], 1, 2), ErrRefused)
	h.refuse("an obligation redirected", sign(h.key, []netting.Obligation{obs[0], {Payer: obs[1].Payer, Payee: obs[0].Payer, Amount: obs[1].Amount}}, 1, 2), ErrRefused)
	h.refuse("the wrong period", sign(h.key, obs, 2, 3), ErrRefused)
	h.refuse("two periods at once", sign(h.key, obs, 1, 3), ErrRefused)
	h.refuse("by someone else", sign(mustECDSA(t), obs, 1, 2), ErrBadSignature)
	good := sign(h.key, obs, 1, 2)
	h.submit(good)
	h.refuse("again", good, ErrDuplicate)
}

func TestSetupAndRegistration(t *testing.T) {
	h := newHarness(t, 1, 1)
	h.refuse("second parameters", h.must(h.platform.Setup(eur, start)), ErrDuplicate)
	h.refuse("lender again", h.must(h.platform.RegisterLender(h.pool, h.lenderKey[0].Public())), ErrDuplicate)
	h.refuse("borrower again", h.must(h.platform.RegisterBorrower(h.pool, h.borrowKey[0].Public())), ErrDuplicate)
	h.refuse("lender by someone else", h.must(seal(mustECDSA(t), lenderContext,
		(&lenderRegistration{pool: h.pool.id, key: mustARS(t).Public()}).body)), ErrBadSignature)
	h.refuse("lender of another pool", h.must(seal(h.key, lenderContext,
		(&lenderRegistration{pool: ID{1}, key: mustARS(t).Public()}).body)), ErrRefused)

	stranger, _ := NewBorrower(mustECDSA(t))
	h.refuse("request by an unregistered borrower", h.must(stranger.Request(h.pool, euros(10), euros(10), 1, 1)), ErrUnregistered)
	h.refuse("request for an earlier period", h.must(seal(h.borrowKey[0], requestContext,
		(&request{pool: h.pool.id, borrower: h.borrowKey[0].Public(), period: 2, deadline: 2, amount: euros(1), repayment: euros(1), instalments: 1}).body)), ErrRefused)
	h.refuse("request in another currency", h.must(h.borrowers[0].Request(h.pool, krw(10), krw(10), 1, 1)), ErrRefused)
	for name, f := range map[string]func() ([]byte, error){
		"repayment below amount": func() ([]byte, error) { return h.borrowers[0].Request(h.pool, euros(10), euros(9), 1, 1) },
		"no instalments":         func() ([]byte, error) { return h.borrowers[0].Request(h.pool, euros(10), euros(10), 0, 1) },
		"too many instalments": func() ([]byte, error) {
			return h.borrowers[0].Request(h.pool, euros(1000), euros(1000), maxInstalments+1, 1)
		},
		"instalments below a unit": func() ([]byte, error) {
			return h.borrowers[0].Request(h.pool, euros(2), euros(2), 3, 1)
		},
		"deadline passed": func() ([]byte, error) { return h.borrowers[0].Request(h.pool, euros(10), euros(10), 1, 0) },
		"zero amount":     func() ([]byte, error) { return h.borrowers[0].Request(h.pool, euros(0), euros(10), 1, 1) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: request made", name)
		}
	}

	// Nothing but parameters before parameters.
	fresh, err := Open(h.ctx, ledger.NewMemory(), h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	if err := fresh.Submit(h.ctx, h.must(h.platform.RegisterLender(h.pool, mustARS(t).Public()))); !errors.Is(err, ErrRefused) {
		t.Errorf("registration before parameters: %v", err)
	}
	if _, err := h.platform.RegisterLender(fresh, mustARS(t).Public()); !errors.Is(err, ErrRefused) {
		t.Errorf("platform registered in a pool it does not run: %v", err)
	}
	if err := fresh.Submit(h.ctx, []byte{1, 0x0B, 0x01, 0}); !errors.Is(err, ErrMalformed) {
		t.Errorf("another package's record: %v", err)
	}
}

// TestReplay: replay skips other packages' records and other netters'
// statements, and refuses unknown kinds of its own range and records that
// do not fit, even ones the pool never submitted.
func TestReplay(t *testing.T) {
	h := newHarness(t, 1, 1)
	id := h.request(0, 100, 100, 1, 1)
	if _, err := h.ledger.Append(h.ctx, 0x0B07, []byte("billing's record")); err != nil {
		t.Fatal(err)
	}
	s, _ := netting.Net(nil)
	st, _ := netting.NewStatement(mustECDSA(t), start, start.AddDate(0, 1, 0), s)
	if _, err := h.ledger.Append(h.ctx, netting.Kind, st.Bytes()); err != nil {
		t.Fatal(err)
	}
	h.submit(h.pledge(0, id, 100))
	h.close()
	replayed, err := Open(h.ctx, h.ledger, h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	samePool(t, h.pool, replayed)

	for name, entry := range map[string]struct {
		kind    ledger.Kind
		payload []byte
	}{
		"unknown kind":      {0x0F09, []byte{1, 0x0F, 0x09}},
		"a repeated pledge": {kindPledge, h.loan(id).pledgeBytes(h)},
		"an early default":  {kindDefault, h.must(seal(h.key, defaultContext, (&loanDefault{pool: h.pool.id, loan: id, period: 2, instalment: 1}).body))},
		"a kind mismatch":   {kindRepayment, h.loan(id).pledgeBytes(h)},
	} {
		l := ledger.NewMemory()
		_ = h.ledger.Scan(h.ctx, 0, func(e ledger.Entry) error {
			_, err := l.Append(h.ctx, e.Kind, e.Payload)
			return err
		})
		if _, err := l.Append(h.ctx, entry.kind, entry.payload); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(h.ctx, l, h.key.Public()); err == nil {
			t.Errorf("%s: replay accepted it", name)
		}
	}
}

// pledgeBytes returns the encoding of the loan's first pledge.
func (l Loan) pledgeBytes(h *harness) []byte {
	return h.pool.pledges[l.Pledges[0].ID].enc
}

// TestAnotherPlatformsPool: a pool opens only under the platform key it
// is opened with, so someone who rewrites a ledger from its first record
// under a key of their own (their parameters, registrations, loans and
// statements, all verifying) does not pass it off as the platform's.
func TestAnotherPlatformsPool(t *testing.T) {
	h := newHarness(t, 1, 1)
	forger := newHarness(t, 1, 1)
	id := forger.request(0, 100, 100, 1, 1)
	forger.submit(forger.pledge(0, id, 100))
	forger.close()
	if _, err := Open(h.ctx, forger.ledger, h.key.Public()); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("another platform's pool opened: %v", err)
	}
	h.refuse("another platform's parameters", forger.must(forger.platform.Setup(eur, start)), ErrDuplicate)
	fresh, err := Open(h.ctx, ledger.NewMemory(), h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	if err := fresh.Submit(h.ctx, forger.must(forger.platform.Setup(eur, start))); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("another platform set the pool up: %v", err)
	}
}

// TestZeroValues: nil and zero-value roles and pools return errors.
func TestZeroValues(t *testing.T) {
	h := newHarness(t, 1, 1)
	id := h.request(0, 10, 10, 1, 1)
	var zero Pool
	var nilCtx context.Context
	for name, f := range map[string]func() error{
		"zero pool submit":  func() error { return zero.Submit(h.ctx, h.must(h.platform.Close(h.pool))) },
		"nil pool submit":   func() error { return (*Pool)(nil).Submit(h.ctx, nil) },
		"pledge, nil pool":  func() error { _, err := h.lenders[0].Pledge(nil, id, euros(1)); return err },
		"zero lender":       func() error { _, err := (&Lender{}).Pledge(h.pool, id, euros(1)); return err },
		"zero borrower":     func() error { _, err := (&Borrower{}).Repay(h.pool, id); return err },
		"request, nil pool": func() error { _, err := h.borrowers[0].Request(nil, euros(1), euros(1), 1, 1); return err },
		"zero platform":     func() error { _, err := (&Platform{}).Close(h.pool); return err },
		"zero platform set": func() error { _, err := (&Platform{}).Setup(eur, start); return err },
		"close, nil pool":   func() error { _, err := h.platform.Close(nil); return err },
		"disclose, zero":    func() error { _, err := h.platform.Disclose(&zero, ID{}, ""); return err },
		"nil lender key":    func() error { _, err := h.platform.RegisterLender(h.pool, nil); return err },
		"nil keys":          func() error { _, err := NewLender(nil, nil); return err },
		"nil ledger":        func() error { _, err := Open(h.ctx, nil, h.key.Public()); return err },
		"nil context open":  func() error { _, err := Open(nilCtx, h.ledger, h.key.Public()); return err },
		"nil platform key":  func() error { _, err := Open(h.ctx, h.ledger, nil); return err },
		"nil context update": func() error {
			if _, err := h.ledger.Append(h.ctx, 0x0B07, []byte("another package's record")); err != nil {
				t.Fatal(err)
			}
			return h.pool.Update(nilCtx)
		},
		"nil context submit": func() error { return h.pool.Submit(nilCtx, h.must(h.platform.Close(h.pool))) },
		"zero platform keys": func() error {
			pl, err := NewPlatform(&ecdsa.PrivateKey{}, &arsig.OpenerKey{})
			if err == nil {
				_, err = pl.Setup(eur, start)
			}
			return err
		},
		"zero opener key": func() error {
			pl, err := NewPlatform(h.key, &arsig.OpenerKey{})
			if err == nil {
				_, err = pl.Setup(eur, start)
			}
			return err
		},
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if zero.Period() != 0 || len(zero.Loans()) != 0 || zero.Obligations(1) != nil || zero.Statements() != nil {
		t.Error("a zero pool reads as non-empty")
	}
	var none *Pool
	if none.Period() != 0 || none.Loans() != nil || none.Obligations(1) != nil || none.Statements() != nil || none.Disclosures() != nil {
		t.Error("a nil pool reads as non-empty")
	}
	if (Loan{}).Instalment(1).Valid() {
		t.Error("instalment of a zero loan")
	}
}
