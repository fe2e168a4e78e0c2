package tickets

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestBadInputs: nil and zero-value inputs are errors, never panics.
func TestBadInputs(t *testing.T) {
	s := newShop(t)
	r := s.redeemer(t, trs.NewMemoryStore())
	var nilCtx context.Context
	var zero time.Time
	a, err := r.Accept(s.ticket(t, 0, "m"), t0)
	if err != nil {
		t.Fatal(err)
	}
	used := NewMemoryUsedSet()
	store, _ := OpenSpentStore(ctx, ledger.NewMemory())
	for name, f := range map[string]func() error{
		"OpenIssuer nil ctx":     func() error { _, err := OpenIssuer(nilCtx, s.key, ledger.NewMemory(), testPolicy); return err },
		"Purchase nil ctx":       func() error { _, err := s.issuer.Purchase(nilCtx, pass, mustTRS(t).Public(), nil, t0); return err },
		"Purchase zero class":    func() error { _, err := s.issuer.Purchase(ctx, Class{}, mustTRS(t).Public(), nil, t0); return err },
		"Purchase zero time":     func() error { _, err := s.issuer.Purchase(ctx, pass, mustTRS(t).Public(), nil, zero); return err },
		"Flush nil ctx":          func() error { _, err := s.issuer.Flush(nilCtx, pass, t0); return err },
		"Flush zero time":        func() error { _, err := s.issuer.Flush(ctx, pass, zero); return err },
		"OpenSpentStore nil ctx": func() error { _, err := OpenSpentStore(nilCtx, ledger.NewMemory()); return err },
		"CheckAndAdd nil ctx": func() error {
			return store.CheckAndAdd(nilCtx, trs.Record{}, []uint64{1}, func([]trs.Match) (bool, error) { return true, nil })
		},
		"OpenUsedSet nil ctx":  func() error { _, err := OpenUsedSet(nilCtx, ledger.NewMemory()); return err },
		"Use nil ctx":          func() error { _, err := used.Use(nilCtx, [32]byte{}, t0); return err },
		"Spend nil ctx":        func() error { return r.Spend(nilCtx, a) },
		"Check nil ctx":        func() error { _, err := r.Check(nilCtx, a); return err },
		"Redeem nil ctx":       func() error { return r.Redeem(nilCtx, s.ticket(t, 1, "m"), t0) },
		"Redeem nil ticket":    func() error { return r.Redeem(ctx, nil, t0) },
		"Redeem zero time":     func() error { return r.Redeem(ctx, s.ticket(t, 1, "m"), zero) },
		"NewTicket nil key":    func() error { _, err := NewTicket(nil, s.sale, nil); return err },
		"NewTicket nil sale":   func() error { _, err := NewTicket(s.keys[0], nil, nil); return err },
		"NewTicket outsider":   func() error { _, err := NewTicket(mustTRS(t), s.sale, nil); return err },
		"ParseTicket nil":      func() error { _, err := ParseTicket(nil); return err },
		"ParseSale nil":        func() error { _, err := ParseSale(nil); return err },
		"AddSale nil":          func() error { _, err := r.AddSale(nil); return err },
		"NewRedeemer zero key": func() error { _, err := NewRedeemer(trs.NewMemoryStore(), new(ecdsa.PublicKey)); return err },
		"Sale.Verify nil key":  func() error { return s.sale.Verify(nil) },
		"Sale.Verify nil":      func() error { return (*Sale)(nil).Verify(s.key.Public()) },
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panics: %v", name, r)
				}
			}()
			if err := f(); err == nil {
				t.Errorf("%s: no error", name)
			}
		}()
	}
}

// TestReuseErrorZeroValue: a ReuseError built by hand, without its sale,
// prints and unwraps rather than panicking.
func TestReuseErrorZeroValue(t *testing.T) {
	for _, e := range []*ReuseError{nil, {}} {
		if e.Error() == "" || !errors.Is(e, ErrReused) {
			t.Errorf("%#v: %q", e, e.Error())
		}
	}
}
