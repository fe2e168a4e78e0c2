package credits

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// TestMachines: three machines, each with its own redeemer over one spent
// store, take each credit once; a second spend anywhere reveals the buyer;
// a copy of a spend is a replay and reveals nothing.
func TestMachines(t *testing.T) {
	s := newShop(t, 4)
	spent := trs.NewMemoryStore()
	vending := s.machine(t, "vending-1", spent)
	parking := s.machine(t, "parking-2", spent)
	charger := s.machine(t, "charger-3", spent)

	now := t0.Add(time.Hour)
	first := s.spend(t, 1, "vending-1", now)
	a, err := vending.Redeem(ctx, first, now)
	must(t, err)
	if a.Sale().ID() != s.sale.ID() {
		t.Fatal("accepted ticket's sale")
	}
	// Adding the sale again changes nothing: the credit stays spent (the
	// second spend below is revealed).
	if again, err := vending.AddSale(s.sale.Bytes()); err != nil || again.ID() != s.sale.ID() {
		t.Fatalf("adding the sale again: %v", err)
	}
	_, err = charger.Redeem(ctx, s.spend(t, 2, "charger-3", now), now.Add(time.Minute))
	must(t, err)

	t.Run("spent twice", func(t *testing.T) {
		for _, m := range []struct {
			machine *Machine
			id      string
		}{{parking, "parking-2"}, {vending, "vending-1"}} {
			_, err := m.machine.Redeem(ctx, s.spend(t, 1, m.id, now), now)
			wantErr(t, err, ErrRefused, tickets.ErrReused)
			var reuse *tickets.ReuseError
			if !errors.As(err, &reuse) || reuse.Kind != trs.Revealed {
				t.Fatalf("a second spend at %s was not revealed: %v", m.id, err)
			}
			buyer, ok := s.issuer.Buyer(reuse.Key)
			if !ok || string(buyer) != deviceName(1) {
				t.Fatalf("revealed key bought by %q, want %s", buyer, deviceName(1))
			}
		}
	})
	t.Run("replayed", func(t *testing.T) {
		_, err := vending.Redeem(ctx, first, now)
		var reuse *tickets.ReuseError
		if !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
			t.Fatalf("a replay: %v", err)
		}
	})
	t.Run("spent for another machine", func(t *testing.T) {
		forVending := s.spend(t, 3, "vending-1", now)
		_, err := parking.Redeem(ctx, forVending, now)
		wantErr(t, err, ErrRefused)
		// Refused before the store: the credit is still good where it was
		// spent, and nothing is revealed.
		_, err = vending.Redeem(ctx, forVending, now)
		must(t, err)
	})
	t.Run("far from the machine's clock", func(t *testing.T) {
		late := s.spend(t, 0, "parking-2", now)
		_, err := parking.Redeem(ctx, late, now.Add(MaxSkew+time.Second))
		wantErr(t, err, ErrRefused)
		_, err = parking.Redeem(ctx, late, now.Add(-MaxSkew-time.Second))
		wantErr(t, err, ErrRefused)
		_, err = parking.Redeem(ctx, late, now.Add(MaxSkew))
		must(t, err) // and still good: the refusals spent nothing
	})
}

// TestMachineRefuses: credits of other sales, classes and issuers, expired
// or changed, and garbage are refused, each for its reason, and spend
// nothing.
func TestMachineRefuses(t *testing.T) {
	s := newShop(t, 3)
	spent := trs.NewMemoryStore()
	m := s.machine(t, "vending-1", spent)
	now := t0.Add(time.Hour)

	t.Run("a sale of another class", func(t *testing.T) {
		other, err := tickets.OpenIssuer(ctx, s.key, ledger.NewMemory(), tickets.Policy{RingSize: 2, Validity: time.Hour})
		must(t, err)
		big := tickets.Class{Label: credit.Label, Price: money.MustNew(500, eur)}
		var sale *tickets.Sale
		for range 2 {
			k, err := trs.GenerateKey()
			must(t, err)
			sale, err = other.Purchase(ctx, big, k.Public(), nil, t0)
			must(t, err)
		}
		_, err = m.AddSale(sale.Bytes())
		wantErr(t, err, ErrRefused)
	})
	t.Run("a sale of an issuer not trusted", func(t *testing.T) {
		stranger := newShop(t, 2)
		_, err := m.AddSale(stranger.sale.Bytes())
		wantErr(t, err, ErrRefused, tickets.ErrUnknownSale)
		_, err = m.Redeem(ctx, stranger.spend(t, 0, "vending-1", now), now)
		wantErr(t, err, ErrRefused, tickets.ErrUnknownSale)
	})
	t.Run("expired", func(t *testing.T) {
		after := s.sale.ValidUntil().Add(time.Second)
		_, err := m.Redeem(ctx, s.spend(t, 0, "vending-1", after), after)
		wantErr(t, err, ErrRefused, tickets.ErrExpired)
	})
	t.Run("changed", func(t *testing.T) {
		b := s.spend(t, 0, "vending-1", now)
		b[len(b)-1] ^= 1
		_, err := m.Redeem(ctx, b, now)
		if err == nil {
			t.Fatal("a changed ticket was accepted")
		}
	})
	t.Run("not a spend", func(t *testing.T) {
		tk, err := tickets.NewTicket(s.devices[0], s.sale, []byte("vending-1, 1 coffee"))
		must(t, err)
		_, err = m.Redeem(ctx, tk.Bytes(), now)
		wantErr(t, err, ErrMalformed)
		_, err = m.Redeem(ctx, []byte{1, 1, 3}, now)
		wantErr(t, err, ErrMalformed, tickets.ErrMalformed)
	})
	// None of that spent device 0's credit.
	_, err := m.Redeem(ctx, s.spend(t, 0, "vending-1", now), now)
	must(t, err)
}

func TestMachineBadInputs(t *testing.T) {
	s := newShop(t, 2)
	store := trs.NewMemoryStore()
	key := s.key.Public()
	var nilCtx context.Context
	for name, f := range map[string]func() error{
		"no id":          func() error { _, err := NewMachine("", credit, store, key); return err },
		"bad id":         func() error { _, err := NewMachine("\xff", credit, store, key); return err },
		"long id":        func() error { _, err := NewMachine(string(make([]byte, 65)), credit, store, key); return err },
		"zero class":     func() error { _, err := NewMachine("m", tickets.Class{}, store, key); return err },
		"no store":       func() error { _, err := NewMachine("m", credit, nil, key); return err },
		"no issuer":      func() error { _, err := NewMachine("m", credit, store); return err },
		"nil issuer":     func() error { _, err := NewMachine("m", credit, store, (*ecdsa.PublicKey)(nil)); return err },
		"zero machine":   func() error { _, err := (&Machine{}).Redeem(ctx, nil, t0); return err },
		"nil machine":    func() error { _, err := (*Machine)(nil).AddSale(s.sale.Bytes()); return err },
		"nil context":    func() error { _, err := s.machine(t, "m", store).Redeem(nilCtx, nil, t0); return err },
		"garbage sale":   func() error { _, err := s.machine(t, "m", store).AddSale([]byte("sale")); return err },
		"nil key":        func() error { _, err := NewSpend(nil, s.sale, "m", t0); return err },
		"nil sale":       func() error { _, err := NewSpend(s.devices[0], nil, "m", t0); return err },
		"spend, no id":   func() error { _, err := NewSpend(s.devices[0], s.sale, "", t0); return err },
		"spend, no time": func() error { _, err := NewSpend(s.devices[0], s.sale, "m", time.Time{}); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			wantErr(t, err, ErrMalformed)
		}
	}
	other, err := trs.GenerateKey()
	must(t, err)
	_, err = NewSpend(other, s.sale, "m", t0)
	wantErr(t, err, ErrMalformed, trs.ErrNotInRing)
}
