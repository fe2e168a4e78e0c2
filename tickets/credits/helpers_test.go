package credits

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

var ctx = context.Background()

var (
	eur    = money.MustCurrency("EUR")
	credit = tickets.Class{Label: "device credit", Price: money.MustNew(200, eur)}
	t0     = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
)

// shop is an issuer that has sold one ring of credits to devices, each
// device holding its one-time key, and the sale's bytes.
type shop struct {
	key     *ecdsa.PrivateKey
	issuer  *tickets.Issuer
	sale    *tickets.Sale
	devices []*trs.PrivateKey
}

func newShop(t testing.TB, devices int) *shop {
	t.Helper()
	s := &shop{}
	var err error
	s.key, err = ecdsa.GenerateKey()
	must(t, err)
	s.issuer, err = tickets.OpenIssuer(ctx, s.key, ledger.NewMemory(), tickets.Policy{RingSize: devices, Validity: 30 * 24 * time.Hour})
	must(t, err)
	for i := range devices {
		k, err := trs.GenerateKey()
		must(t, err)
		s.devices = append(s.devices, k)
		sale, err := s.issuer.Purchase(ctx, credit, k.Public(), []byte(deviceName(i)), t0)
		must(t, err)
		if sale != nil {
			s.sale = sale
		}
	}
	if s.sale == nil {
		t.Fatal("no sale")
	}
	return s
}

func deviceName(i int) string { return fmt.Sprintf("device-%d", i) }

// machine returns a machine named id trusting the shop, on spent, holding
// the sale.
func (s *shop) machine(t testing.TB, id string, spent trs.Store) *Machine {
	t.Helper()
	m, err := NewMachine(id, credit, spent, s.key.Public())
	must(t, err)
	_, err = m.AddSale(s.sale.Bytes())
	must(t, err)
	return m
}

// spend has device i spend its credit at machine at time at, as bytes.
func (s *shop) spend(t testing.TB, i int, machine string, at time.Time) []byte {
	t.Helper()
	tk, err := NewSpend(s.devices[i], s.sale, machine, at)
	must(t, err)
	return tk.Bytes()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("got error %v, want %v", err, target)
		}
	}
}
