package toll

import (
	"context"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// TestBadInputs: nil and zero-value inputs to every role are errors, never
// panics.
func TestBadInputs(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	p := w.plaza(0, 1)
	pass := w.vehicles[0].pass
	var nilCtx context.Context
	var zero time.Time
	st := Stores{Ledger: ledger.NewMemory(), Spent: trs.NewMemoryStore(), Used: tickets.NewMemoryUsedSet()}
	key := mustKey(t)
	for name, f := range map[string]func() error{
		"OpenAuthority nil ctx":  func() error { _, err := OpenAuthority(nilCtx, key, st.Ledger); return err },
		"OpenAuthority nil key":  func() error { _, err := OpenAuthority(ctx, nil, st.Ledger); return err },
		"OpenAuthority nil l":    func() error { _, err := OpenAuthority(ctx, key, nil); return err },
		"Register nil ctx":       func() error { _, err := w.authority.Register(nilCtx, 5, key.Public(), day0); return err },
		"Register nil key":       func() error { _, err := w.authority.Register(ctx, 5, nil, day0); return err },
		"Register zero time":     func() error { _, err := w.authority.Register(ctx, 5, key.Public(), zero); return err },
		"OpenOperator nil ctx":   func() error { _, err := OpenOperator(nilCtx, key, w.config(0), st); return err },
		"OpenOperator nil key":   func() error { _, err := OpenOperator(ctx, nil, w.config(0), st); return err },
		"OpenOperator zero cfg":  func() error { _, err := OpenOperator(ctx, key, Config{}, st); return err },
		"OpenOperator no stores": func() error { _, err := OpenOperator(ctx, key, w.config(0), Stores{}); return err },
		"OpenOperator nil partner": func() error {
			c := w.config(0)
			c.Partners = []*ecdsa.PublicKey{nil}
			_, err := OpenOperator(ctx, key, c, st)
			return err
		},
		"RegisterPlaza nil ctx": func() error { _, err := a.op.RegisterPlaza(nilCtx, 9, "x", key.Public()); return err },
		"RegisterPlaza nil key": func() error { _, err := a.op.RegisterPlaza(ctx, 9, "x", nil); return err },
		"RegisterPlaza no name": func() error { _, err := a.op.RegisterPlaza(ctx, 9, "", key.Public()); return err },
		"PublishFares nil ctx": func() error {
			_, err := a.op.PublishFares(nilCtx, testFares(), maxTrip, day0.Add(time.Hour))
			return err
		},
		"PublishFares no fares":  func() error { _, err := a.op.PublishFares(ctx, nil, maxTrip, day0.Add(time.Hour)); return err },
		"PublishFares zero trip": func() error { _, err := a.op.PublishFares(ctx, testFares(), 0, day0.Add(time.Hour)); return err },
		"PublishFares zero time": func() error { _, err := a.op.PublishFares(ctx, testFares(), maxTrip, zero); return err },
		"Operator.Apply nil ctx": func() error { return a.op.Apply(nilCtx, a.records[0]) },
		"Operator.Apply nil":     func() error { return a.op.Apply(ctx, nil) },
		"Purchase nil ctx":       func() error { _, err := a.op.Purchase(nilCtx, nil, day0); return err },
		"Purchase nil":           func() error { _, err := a.op.Purchase(ctx, nil, day0); return err },
		"Flush nil ctx":          func() error { _, err := a.op.Flush(nilCtx, price, day0); return err },
		"Flush zero price":       func() error { _, err := a.op.Flush(ctx, money.Amount{}, day0); return err },
		"Reveal nil ctx":         func() error { _, err := a.op.Reveal(nilCtx, nil); return err },
		"Reveal nil":             func() error { _, err := a.op.Reveal(ctx, nil); return err },
		"Settle nil ctx":         func() error { _, _, err := a.op.Settle(nilCtx, nil, day0); return err },
		"Settle zero time":       func() error { _, _, err := a.op.Settle(ctx, nil, zero); return err },
		"OpenPlaza nil ctx":      func() error { _, err := OpenPlaza(nilCtx, key, 1, a.key.Public(), nil, st); return err },
		"OpenPlaza nil key":      func() error { _, err := OpenPlaza(ctx, nil, 1, a.key.Public(), nil, st); return err },
		"OpenPlaza nil operator": func() error { _, err := OpenPlaza(ctx, key, 1, nil, nil, st); return err },
		"OpenPlaza no stores":    func() error { _, err := OpenPlaza(ctx, key, 1, a.key.Public(), nil, Stores{}); return err },
		"OpenPlaza nil partner": func() error {
			_, err := OpenPlaza(ctx, key, 1, a.key.Public(), []*ecdsa.PublicKey{nil}, st)
			return err
		},
		"Plaza.Apply nil ctx":  func() error { return p.Apply(nilCtx, a.records[0]) },
		"Plaza.Apply nil":      func() error { return p.Apply(ctx, nil) },
		"Enter zero time":      func() error { _, err := p.Enter([32]byte{}, zero); return err },
		"Exit nil ctx":         func() error { _, err := p.Exit(nilCtx, nil, day0); return err },
		"Exit nil":             func() error { _, err := p.Exit(ctx, nil, day0); return err },
		"Exit zero time":       func() error { _, err := p.Exit(ctx, nil, zero); return err },
		"NewVehicle nil key":   func() error { _, err := NewVehicle(nil, w.authKey.Public()); return err },
		"NewVehicle nil auth":  func() error { _, err := NewVehicle(key, nil); return err },
		"SetRegistration nil":  func() error { return w.vehicles[0].v.SetRegistration(nil) },
		"Order nil operator":   func() error { _, err := w.vehicles[0].v.Order(nil, price, day0); return err },
		"Order zero operator":  func() error { _, err := w.vehicles[0].v.Order(new(ecdsa.PublicKey), price, day0); return err },
		"Ticket zero operator": func() error { _, err := pass.Ticket(w.enter(t, 0, 1, day0), new(ecdsa.PublicKey), 2); return err },
		"OpenPlaza zero operator": func() error {
			_, err := OpenPlaza(ctx, key, 1, new(ecdsa.PublicKey), nil, st)
			return err
		},
		"OpenOperator zero partner": func() error {
			c := w.config(0)
			c.Partners = []*ecdsa.PublicKey{new(ecdsa.PublicKey)}
			_, err := OpenOperator(ctx, key, c, st)
			return err
		},
		"Order zero price":     func() error { _, err := w.vehicles[0].v.Order(a.key.Public(), money.Amount{}, day0); return err },
		"Order zero time":      func() error { _, err := w.vehicles[0].v.Order(a.key.Public(), price, zero); return err },
		"Claim nil":            func() error { _, err := w.vehicles[0].v.Claim(nil); return err },
		"Ticket nil trip":      func() error { _, err := pass.Ticket(nil, a.key.Public(), 2); return err },
		"Ticket no entry":      func() error { tr, _ := NewTrip(); _, err := pass.Ticket(tr, a.key.Public(), 2); return err },
		"Ticket nil operator":  func() error { _, err := pass.Ticket(w.enter(t, 0, 1, day0), nil, 2); return err },
		"Sign nil entry":       func() error { _, err := pass.Sign(nil, [TripSecretSize]byte{}, a.key.Public(), 2); return err },
		"SetEntryProof nil":    func() error { tr, _ := NewTrip(); return tr.SetEntryProof(nil) },
		"ParseStatement nil":   func() error { _, err := ParseStatement(nil); return err },
		"Statement.Verify nil": func() error { return (*Statement)(nil).Verify(a.key.Public()) },
		"Statement.Verify nil key": func() error {
			st, _ := ParseStatement(recordSeeds(t).statement)
			return st.Verify(nil)
		},
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
