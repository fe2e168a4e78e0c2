package tickets

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// ctx is the context of every ledger call in the tests.
var ctx = context.Background()

var (
	krw   = money.MustCurrency("KRW")
	day0  = time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	price = money.MustNew(3000, krw)
)

func won(n int64) money.Amount { return money.MustNew(n, krw) }

// world is a small toll network for tests: an authority, a provider on a
// ledger, plazas 1..3, a fare table, and vehicles whose passes are sold in
// rings of ringSize.
type world struct {
	authority   *Authority
	providerKey *ecdsa.PrivateKey
	provider    *Provider
	ledger      ledger.Ledger
	plazas      map[PlazaID]*Plaza
	vehicles    []*Vehicle
	passes      []*Pass // passes[i] belongs to vehicles[i]
	sales       []*Sale
}

var testConfig = Config{Currency: krw, RingSize: 4, SaleValidity: 24 * time.Hour, MaxTrip: 4 * time.Hour}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testFares() []Fare {
	return []Fare{
		{Entry: 1, Exit: 2, Amount: won(1500)},
		{Entry: 1, Exit: 3, Amount: won(2800)},
		{Entry: 2, Exit: 3, Amount: won(1400)},
		{Entry: 2, Exit: 1, Amount: won(1500)},
		{Entry: 3, Exit: 1, Amount: won(2800)},
		{Entry: 3, Exit: 2, Amount: won(1400)},
		{Entry: 1, Exit: 4, Amount: won(5000)}, // dearer than a ticket
	}
}

// newWorld builds a world with vehicles = rings × ringSize vehicles, each
// holding one pass.
func newWorld(t testing.TB, l ledger.Ledger, rings int) *world {
	t.Helper()
	return newWorldConfig(t, l, rings, testConfig)
}

func newWorldConfig(t testing.TB, l ledger.Ledger, rings int, cfg Config) *world {
	t.Helper()
	w := &world{authority: NewAuthority(mustKey(t)), providerKey: mustKey(t), ledger: l, plazas: map[PlazaID]*Plaza{}}
	var err error
	if w.provider, err = OpenProvider(w.providerKey, w.authority.PublicKey(), l, cfg); err != nil {
		t.Fatal(err)
	}
	for id := PlazaID(1); id <= 4; id++ {
		key := mustKey(t)
		if _, err := w.provider.RegisterPlaza(id, "Plaza "+string(rune('A'+id-1)), key.Public()); err != nil {
			t.Fatal(err)
		}
		w.plazas[id] = NewPlaza(id, key, w.provider)
	}
	if _, err := w.provider.PublishFares(testFares(), day0); err != nil {
		t.Fatal(err)
	}
	n := rings * cfg.RingSize
	for i := range n {
		v, err := NewVehicle(VehicleID(1000 + i))
		if err != nil {
			t.Fatal(err)
		}
		reg, err := w.authority.Register(v.ID(), v.PublicKey(), day0)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.SetRegistration(reg, w.authority.PublicKey()); err != nil {
			t.Fatal(err)
		}
		req, err := v.OrderTicket(price, day0)
		if err != nil {
			t.Fatal(err)
		}
		sale, err := w.provider.Purchase(reg, req, day0)
		if err != nil {
			t.Fatal(err)
		}
		if sale != nil {
			w.sales = append(w.sales, sale)
		}
		w.vehicles = append(w.vehicles, v)
	}
	for _, v := range w.vehicles {
		var got []*Pass
		for _, s := range w.sales {
			ps, err := v.Claim(s, w.provider.PublicKey())
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ps...)
		}
		if len(got) != 1 {
			t.Fatalf("vehicle %d has %d passes", v.ID(), len(got))
		}
		w.passes = append(w.passes, got[0])
	}
	return w
}

// trip makes vehicle i enter at entry at time at and returns its ticket
// for exit.
func (w *world) ticket(t testing.TB, i int, entry, exit PlazaID, at time.Time) *Ticket {
	t.Helper()
	trip, err := NewTrip()
	if err != nil {
		t.Fatal(err)
	}
	proof, err := w.plazas[entry].Enter(trip.Commitment(), at)
	if err != nil {
		t.Fatal(err)
	}
	if err := trip.SetEntryProof(proof); err != nil {
		t.Fatal(err)
	}
	tk, err := w.passes[i].Ticket(trip, exit)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
