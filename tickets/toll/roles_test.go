package toll

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// What a role may be given: its keys, public keys, its policy, stores,
// plain values, and records as bytes. Nothing that holds another role's
// state.
var roleInputs = map[reflect.Type]bool{
	reflect.TypeFor[context.Context]():      true,
	reflect.TypeFor[*ecdsa.PrivateKey]():    true,
	reflect.TypeFor[*ecdsa.PublicKey]():     true,
	reflect.TypeFor[[]*ecdsa.PublicKey]():   true,
	reflect.TypeFor[Config]():               true,
	reflect.TypeFor[Stores]():               true,
	reflect.TypeFor[ledger.Ledger]():        true,
	reflect.TypeFor[PlazaID]():              true,
	reflect.TypeFor[VehicleID]():            true,
	reflect.TypeFor[time.Time]():            true,
	reflect.TypeFor[time.Duration]():        true,
	reflect.TypeFor[money.Amount]():         true,
	reflect.TypeFor[[]Fare]():               true,
	reflect.TypeFor[string]():               true,
	reflect.TypeFor[[]byte]():               true,
	reflect.TypeFor[[][]byte]():             true,
	reflect.TypeFor[[32]byte]():             true,
	reflect.TypeFor[uint64]():               true,
	reflect.TypeFor[[TripSecretSize]byte](): true,
	reflect.TypeFor[*Trip]():                true, // the vehicle's own journey state
}

// TestRoleSignatures: every role's constructor and every method of every
// role takes only its own keys, public keys, policy, stores, plain values
// and records' bytes — never another role — and the shared stores are
// interfaces a database can implement.
func TestRoleSignatures(t *testing.T) {
	check := func(name string, f reflect.Type, skipRecv bool) {
		for i := range f.NumIn() {
			if i == 0 && skipRecv {
				continue
			}
			if !roleInputs[f.In(i)] {
				t.Errorf("%s takes a %v", name, f.In(i))
			}
		}
	}
	for name, f := range map[string]any{
		"OpenAuthority": OpenAuthority, "OpenOperator": OpenOperator, "OpenPlaza": OpenPlaza, "NewVehicle": NewVehicle, "NewTrip": NewTrip,
	} {
		check(name, reflect.TypeOf(f), false)
	}
	for _, role := range []reflect.Type{reflect.TypeFor[*Authority](), reflect.TypeFor[*Operator](), reflect.TypeFor[*Plaza](), reflect.TypeFor[*Vehicle](), reflect.TypeFor[*Pass]()} {
		for i := range role.NumMethod() {
			m := role.Method(i)
			check(role.String()+"."+m.Name, m.Type, true)
		}
	}
	// The fields of Config and Stores: public keys, policy, and stores
	// that are interfaces a database implements.
	fields := map[reflect.Type]bool{
		reflect.TypeFor[*ecdsa.PublicKey](): true, reflect.TypeFor[[]*ecdsa.PublicKey](): true,
		reflect.TypeFor[money.Currency](): true, reflect.TypeFor[tickets.Policy](): true,
		reflect.TypeFor[ledger.Ledger](): true, reflect.TypeFor[trs.Store](): true, reflect.TypeFor[tickets.UsedSet](): true,
	}
	for _, st := range []reflect.Type{reflect.TypeFor[Stores](), reflect.TypeFor[Config]()} {
		for i := range st.NumField() {
			if f := st.Field(i); !fields[f.Type] {
				t.Errorf("%v.%s is a %v", st, f.Name, f.Type)
			}
		}
	}
}

// sent is what travels between roles: a copy of the bytes, so that no
// role can share memory with another.
func sent(b []byte) []byte { return bytes.Clone(b) }

// key passes a private key to its role as bytes.
func keyFromBytes(t *testing.T, k *ecdsa.PrivateKey) *ecdsa.PrivateKey {
	t.Helper()
	p, err := ecdsa.ParsePrivateKey(k.Bytes())
	check(t, err)
	return p
}

func pubFromBytes(t *testing.T, k *ecdsa.PrivateKey) *ecdsa.PublicKey {
	t.Helper()
	p, err := ecdsa.ParsePublicKey(k.Public().Bytes())
	check(t, err)
	return p
}

// TestRolesFromBytes builds each role from its key's bytes, the public
// keys' bytes and its own stores, and drives a day with nothing between
// the roles but copies of records' bytes: registration, purchases, the
// sale, entry, exit, a double use revealed to the buyer, settlement and
// the statement the plaza checks.
func TestRolesFromBytes(t *testing.T) {
	authKey, opKey, plazaKey := mustKey(t), mustKey(t), mustKey(t)
	spentL := ledger.NewMemory()
	spent, err := tickets.OpenSpentStore(ctx, spentL)
	check(t, err)
	used := tickets.NewMemoryUsedSet()

	// The authority: its key and its ledger.
	authority, err := OpenAuthority(ctx, keyFromBytes(t, authKey), ledger.NewMemory())
	check(t, err)
	// The operator: its key, the authority's public key, its stores.
	operator, err := OpenOperator(ctx, keyFromBytes(t, opKey), Config{Authority: pubFromBytes(t, authKey), Currency: krw, Policy: testPolicy}, Stores{Ledger: ledger.NewMemory(), Spent: spent})
	check(t, err)
	// The plaza: its key, its ID, its operator's public key, its stores.
	plaza, err := OpenPlaza(ctx, keyFromBytes(t, plazaKey), 1, pubFromBytes(t, opKey), nil, Stores{Ledger: ledger.NewMemory(), Spent: spent, Used: used})
	check(t, err)
	// A second plaza of the operator, for entries.
	entryKey := mustKey(t)
	entry, err := OpenPlaza(ctx, keyFromBytes(t, entryKey), 2, pubFromBytes(t, opKey), nil, Stores{Ledger: ledger.NewMemory(), Spent: spent, Used: used})
	check(t, err)

	for id, k := range map[PlazaID]*ecdsa.PrivateKey{1: plazaKey, 2: entryKey} {
		reg, err := operator.RegisterPlaza(ctx, id, "P", pubFromBytes(t, k))
		check(t, err)
		check(t, plaza.Apply(ctx, sent(reg)))
		check(t, entry.Apply(ctx, sent(reg)))
	}
	fares, err := operator.PublishFares(ctx, []Fare{{Entry: 2, Exit: 1, Amount: won(1000)}}, time.Hour, day0)
	check(t, err)
	check(t, plaza.Apply(ctx, sent(fares)))
	check(t, entry.Apply(ctx, sent(fares)))

	// Vehicles: each its key and the authority's public key.
	var vehicles []*Vehicle
	var sale []byte
	for i := range testPolicy.RingSize {
		vk := mustKey(t)
		v, err := NewVehicle(keyFromBytes(t, vk), pubFromBytes(t, authKey))
		check(t, err)
		reg, err := authority.Register(ctx, VehicleID(i+1), pubFromBytes(t, vk), day0)
		check(t, err)
		check(t, v.SetRegistration(sent(reg)))
		req, err := v.Order(pubFromBytes(t, opKey), price, day0)
		check(t, err)
		if s, err := operator.Purchase(ctx, sent(req), day0); err != nil {
			t.Fatal(err)
		} else if s != nil {
			sale = s
		}
		vehicles = append(vehicles, v)
	}
	check(t, plaza.Apply(ctx, sent(sale)))
	check(t, entry.Apply(ctx, sent(sale)))

	// Vehicle 0 claims its pass from the sale's bytes and makes a trip.
	passes, err := vehicles[0].Claim(sent(sale))
	check(t, err)
	if len(passes) != 1 {
		t.Fatalf("%d passes", len(passes))
	}
	ticketAt := func(at time.Time) []byte {
		tr, err := NewTrip()
		check(t, err)
		proof, err := entry.Enter(tr.Commitment(), at)
		check(t, err)
		check(t, tr.SetEntryProof(sent(proof)))
		tk, err := passes[0].Ticket(tr, pubFromBytes(t, opKey), 1)
		check(t, err)
		return tk
	}
	req, err := plaza.Exit(ctx, sent(ticketAt(day0.Add(time.Hour))), day0.Add(90*time.Minute))
	check(t, err)

	// A second trip with the same pass is revealed, and the operator names
	// the buyer from the refused ticket's bytes.
	second := ticketAt(day0.Add(2 * time.Hour))
	_, err = plaza.Exit(ctx, sent(second), day0.Add(150*time.Minute))
	var re *tickets.ReuseError
	if !errors.As(err, &re) || re.Kind != trs.Revealed {
		t.Fatalf("second use: %v", err)
	}
	if buyer, err := operator.Reveal(ctx, sent(second)); err != nil || buyer != 1 {
		t.Errorf("buyer %d, %v", buyer, err)
	}

	// Settlement, and the plaza's check of its statement.
	results, sts, err := operator.Settle(ctx, [][]byte{sent(req)}, day0.Add(20*time.Hour))
	check(t, err)
	if results[0].Outcome != Paid || len(sts) != 1 {
		t.Fatalf("settlement: %+v", results)
	}
	st, err := ParseStatement(sent(sts[0].Bytes()))
	check(t, err)
	if err := st.Verify(pubFromBytes(t, opKey)); err != nil || !st.Pays(req) || !st.Creditor().Equal(plazaKey.Public()) || st.Amount() != won(1000) {
		t.Errorf("the plaza's statement: %v", err)
	}
}

// TestVehicleClaims: a vehicle takes a pass only from a sale, correctly
// signed, of the operator it ordered from.
func TestVehicleClaims(t *testing.T) {
	w := newWorld(t, 1)
	tv := w.buy(t, 0, price) // waits for A's next sale
	for range testPolicy.RingSize - 1 {
		w.buy(t, 1, price)
	}
	bSale := w.sales[len(w.sales)-1]
	if ps, err := tv.v.Claim(bSale); err != nil || len(ps) != 0 {
		t.Errorf("claim from another operator's sale: %d passes, %v", len(ps), err)
	}
	forged := bytes.Clone(w.sales[0])
	forged[len(forged)-1] ^= 1
	if _, err := tv.v.Claim(forged); !errors.Is(err, tickets.ErrBadSignature) {
		t.Errorf("forged sale: %v", err)
	}
	if _, err := tv.v.Claim(w.sales[0][1:]); !errors.Is(err, tickets.ErrMalformed) {
		t.Errorf("malformed sale: %v", err)
	}
	if _, err := tv.v.Order(w.ops[0].key.Public(), price, day0); err != nil {
		t.Fatal(err)
	}
	v, _ := NewVehicle(mustKey(t), w.authKey.Public())
	if _, err := v.Order(w.ops[0].key.Public(), price, day0); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("order without a registration: %v", err)
	}
	reg, _ := w.authority.Register(ctx, 77, mustKey(t).Public(), day0)
	if err := v.SetRegistration(reg); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("another key's registration: %v", err)
	}
}

// TestVehicleClaimsOnlyWhatItOrdered: an operator's key may sell other
// classes of ticket (tickets.Issuer), and nothing stops someone who saw a
// vehicle's order from buying such a ticket with its one-time key. A sale
// of another class, or of a toll ticket at another price than the order's,
// is not the vehicle's pass: the vehicle must not claim it, and must keep
// waiting for the sale of what it ordered.
func TestVehicleClaimsOnlyWhatItOrdered(t *testing.T) {
	w := newWorld(t, 0)
	a := w.ops[0]
	tv := w.buy(t, 0, price)
	var key *trs.PublicKey
	for k := range tv.v.pending {
		var err error
		key, err = trs.ParsePublicKey(k[:])
		check(t, err)
	}
	for name, c := range map[string]tickets.Class{
		"another class":   {Label: "charging", Price: price},
		"a cheaper class": {Label: classLabel, Price: won(1000)},
	} {
		is, err := tickets.OpenIssuer(ctx, a.key, newTestLedger(), tickets.Policy{RingSize: 1, Validity: time.Hour})
		check(t, err)
		sale, err := is.Purchase(ctx, c, key, nil, day0)
		check(t, err)
		if ps, err := tv.v.Claim(sale.Bytes()); err != nil || len(ps) != 0 {
			t.Errorf("%s: %d passes, %v", name, len(ps), err)
		}
	}
	for range testPolicy.RingSize - 1 {
		w.buy(t, 0, price)
	}
	if tv.pass == nil {
		t.Fatal("the vehicle did not claim the sale of what it ordered")
	}
	if c := tv.pass.Sale().Class(); c != (tickets.Class{Label: classLabel, Price: price}) {
		t.Errorf("pass of class %v", c)
	}
}
