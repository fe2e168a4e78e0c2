package payments

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// TestBadLengths: every record with a byte cut off or added is refused as
// malformed.
func TestBadLengths(t *testing.T) {
	w := newWorld(t, 2)
	en, _ := w.proc.Enrollment(w.customers[0].Public())
	p := w.pay(t, 0, 100, "x")
	d := must(w.proc.Open(ctx, p.Bytes(), "dispute", t0))
	for name, c := range map[string]struct {
		rec   []byte
		parse func([]byte) error
	}{
		"enrollment": {en.Bytes(), func(b []byte) error { _, err := ParseEnrollment(b); return err }},
		"roster":     {w.roster.Bytes(), func(b []byte) error { _, err := ParseRoster(b); return err }},
		"payment":    {p.Bytes(), func(b []byte) error { _, err := ParsePayment(b); return err }},
		"disclosure": {d.Bytes(), func(b []byte) error { _, err := ParseDisclosure(b); return err }},
	} {
		if err := c.parse(c.rec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, b := range [][]byte{c.rec[:len(c.rec)-1], append(append([]byte(nil), c.rec...), 0), nil} {
			if err := c.parse(b); !errors.Is(err, ErrMalformed) {
				t.Errorf("%s of %d bytes (valid: %d): %v", name, len(b), len(c.rec), err)
			}
		}
	}
}

// TestFieldLimits: references, accounts and reasons beyond their limits and
// amounts that are not positive are refused.
func TestFieldLimits(t *testing.T) {
	w := newWorld(t, 2)
	c := w.customers[0]
	shop := w.shopKey.Public()
	long := make([]byte, maxReference+1)
	if _, err := NewPayment(c, w.roster, shop, eurs(1), long, t0); !errors.Is(err, ErrMalformed) {
		t.Errorf("reference of %d bytes: %v", len(long), err)
	}
	if _, err := NewPayment(c, w.roster, shop, eurs(1), long[:maxReference], t0); err != nil {
		t.Errorf("reference of %d bytes: %v", maxReference, err)
	}
	for _, a := range []money.Amount{eurs(0), eurs(-5), {}} {
		if _, err := NewPayment(c, w.roster, shop, a, nil, t0); err == nil {
			t.Errorf("payment of %v", a)
		}
	}
	if _, err := NewEnrollment(c, w.procKey.Public(), w.opener.Public(), make([]byte, maxAccount+1), t0); !errors.Is(err, ErrMalformed) {
		t.Errorf("account of %d bytes: %v", maxAccount+1, err)
	}
	p := w.pay(t, 0, 100, "x")
	for _, r := range []string{"", string(make([]byte, maxReason+1)), "\xff"} {
		if _, err := w.proc.Open(ctx, p.Bytes(), r, t0); !errors.Is(err, ErrMalformed) {
			t.Errorf("reason of %d bytes: %v", len(r), err)
		}
	}
	if _, err := w.proc.PublishRoster(ctx, []*arsig.PublicKey{c.Public()}, eurs(0), t0, t0.Add(time.Hour)); !errors.Is(err, ErrMalformed) {
		t.Errorf("roster with a zero limit: %v", err)
	}
}

// TestNilInputs: nil and zero-value arguments are errors, not panics.
func TestNilInputs(t *testing.T) {
	w := newWorld(t, 2)
	c := w.customers[0]
	proc, shop := w.procKey.Public(), w.shopKey.Public()
	p := w.pay(t, 0, 100, "x")
	var nilCtx context.Context
	errs := []error{
		second(NewEnrollment(nil, proc, w.opener.Public(), []byte("a"), t0)),
		second(NewEnrollment(c, nil, w.opener.Public(), []byte("a"), t0)),
		second(NewEnrollment(c, proc, nil, []byte("a"), t0)),
		second(NewEnrollment(c, proc, w.opener.Public(), []byte("a"), time.Unix(-1, 0))),
		second(NewPayment(nil, w.roster, shop, eurs(1), nil, t0)),
		second(NewPayment(c, nil, shop, eurs(1), nil, t0)),
		second(NewPayment(c, &Roster{}, shop, eurs(1), nil, t0)),
		second(NewPayment(c, w.roster, nil, eurs(1), nil, t0)),
		second(NewMerchant(nil, proc, w.used)),
		second(NewMerchant(shop, nil, w.used)),
		second(NewMerchant(shop, proc, nil)),
		second(w.merchant.Accept(nilCtx, p.Bytes(), t0)),
		second(w.merchant.Accept(ctx, nil, t0)),
		second(w.merchant.AddRoster(nil)),
		second(OpenProcessor(nilCtx, w.procKey, w.opener, ledger.NewMemory())),
		second(OpenProcessor(ctx, nil, w.opener, ledger.NewMemory())),
		second(OpenProcessor(ctx, w.procKey, nil, ledger.NewMemory())),
		second(OpenProcessor(ctx, w.procKey, w.opener, nil)),
		second(w.proc.Enroll(nilCtx, nil)),
		second(w.proc.Enroll(ctx, nil)),
		second(w.proc.PublishRoster(nilCtx, nil, limit, t0, t0.Add(time.Hour))),
		second(w.proc.PublishRoster(ctx, nil, limit, t0, t0.Add(time.Hour))),
		second(w.proc.PublishRoster(ctx, []*arsig.PublicKey{nil}, limit, t0, t0.Add(time.Hour))),
		second(w.proc.Open(nilCtx, p.Bytes(), "r", t0)),
		second(w.proc.Open(ctx, nil, "r", t0)),
		(&Disclosure{}).Check(proc, w.roster),
		must(w.proc.Open(ctx, p.Bytes(), "r", t0)).Check(nil, w.roster),
		must(w.proc.Open(ctx, p.Bytes(), "r", t0)).Check(proc, nil),
		(&Roster{}).Verify(proc),
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	if _, ok := w.proc.Enrollment(nil); ok {
		t.Error("nil key enrolled")
	}
	var zp Payment
	var ze Enrollment
	var zd Disclosure
	var zr Roster
	_ = []any{zp.Bytes(), ze.Bytes(), zd.Bytes(), zd.Customer(), zr.Bytes(), zr.Ring()}
}

func second[A any](_ A, err error) error { return err }
