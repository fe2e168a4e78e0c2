package loans

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

var (
	eur   = money.MustCurrency("EUR")
	start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

func euros(units int64) money.Amount { return money.MustNew(units, eur) }

// harness is a pool with its platform, lenders and borrowers, all in one
// test; records pass between them as bytes through Submit.
type harness struct {
	t         testing.TB
	ctx       context.Context
	ledger    *ledger.Memory
	pool      *Pool
	platform  *Platform
	key       *ecdsa.PrivateKey
	lenders   []*Lender
	lenderKey []*arsig.PrivateKey
	accounts  []*ecdsa.PrivateKey
	borrowers []*Borrower
	borrowKey []*ecdsa.PrivateKey
}

func mustECDSA(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustARS(t testing.TB) *arsig.PrivateKey {
	t.Helper()
	k, err := arsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newHarness(t testing.TB, lenders, borrowers int) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), ledger: ledger.NewMemory(), key: mustECDSA(t)}
	opener, err := arsig.GenerateOpenerKey()
	if err != nil {
		t.Fatal(err)
	}
	if h.platform, err = NewPlatform(h.key, opener); err != nil {
		t.Fatal(err)
	}
	if h.pool, err = Open(h.ctx, h.ledger, h.key.Public()); err != nil {
		t.Fatal(err)
	}
	h.submit(h.must(h.platform.Setup(eur, start)))
	for range lenders {
		k, acct := mustARS(t), mustECDSA(t)
		ld, err := NewLender(k, acct)
		if err != nil {
			t.Fatal(err)
		}
		h.lenders, h.lenderKey, h.accounts = append(h.lenders, ld), append(h.lenderKey, k), append(h.accounts, acct)
		h.submit(h.must(h.platform.RegisterLender(h.pool, k.Public())))
	}
	for range borrowers {
		k := mustECDSA(t)
		b, err := NewBorrower(k)
		if err != nil {
			t.Fatal(err)
		}
		h.borrowers, h.borrowKey = append(h.borrowers, b), append(h.borrowKey, k)
		h.submit(h.must(h.platform.RegisterBorrower(h.pool, k.Public())))
	}
	return h
}

func (h *harness) must(b []byte, err error) []byte {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

func (h *harness) submit(b []byte) {
	h.t.Helper()
	if err := h.pool.Submit(h.ctx, b); err != nil {
		h.t.Fatal(err)
	}
}

// refuse submits b and checks it is refused with want.
func (h *harness) refuse(what string, b []byte, want error) {
	h.t.Helper()
	n := h.ledger.Len()
	if err := h.pool.Submit(h.ctx, b); !errors.Is(err, want) {
		h.t.Errorf("%s: got %v, want %v", what, err, want)
	}
	if h.ledger.Len() != n {
		h.t.Errorf("%s: the ledger grew", what)
	}
}

// request posts a request by borrower b and returns the loan's ID.
func (h *harness) request(b int, amount, repayment int64, instalments, deadline int) ID {
	h.t.Helper()
	enc := h.must(h.borrowers[b].Request(h.pool, euros(amount), euros(repayment), instalments, deadline))
	h.submit(enc)
	r, err := parseRequest(enc)
	if err != nil {
		h.t.Fatal(err)
	}
	return r.id()
}

func (h *harness) pledge(lender int, loan ID, units int64) []byte {
	h.t.Helper()
	return h.must(h.lenders[lender].Pledge(h.pool, loan, euros(units)))
}

func (h *harness) close() {
	h.t.Helper()
	h.submit(h.must(h.platform.Close(h.pool)))
}

func (h *harness) loan(id ID) Loan {
	h.t.Helper()
	for _, l := range h.pool.Loans() {
		if l.ID == id {
			return l
		}
	}
	h.t.Fatalf("no loan %x", id[:4])
	return Loan{}
}

func party(k *ecdsa.PrivateKey) netting.Party { return netting.Party(k.Public().Bytes()) }

func krw(units int64) money.Amount { return money.MustNew(units, money.MustCurrency("KRW")) }
