package toll

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// ctx is the context of every store call in the tests.
var ctx = context.Background()

var (
	krw   = money.MustCurrency("KRW")
	day0  = time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	price = won(3000)
)

func won(n int64) money.Amount { return money.MustNew(n, krw) }

const maxTrip = 4 * time.Hour

var testPolicy = tickets.Policy{RingSize: 4, MinRingSize: 2, Validity: 24 * time.Hour}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// testFares is operator A's table: plazas 1..4, and a route dearer than a
// ticket.
func testFares() []Fare {
	return []Fare{
		{Entry: 1, Exit: 2, Amount: won(1500)},
		{Entry: 1, Exit: 3, Amount: won(2800)},
		{Entry: 2, Exit: 3, Amount: won(1400)},
		{Entry: 2, Exit: 1, Amount: won(1500)},
		{Entry: 3, Exit: 1, Amount: won(2800)},
		{Entry: 3, Exit: 2, Amount: won(1400)},
		{Entry: 1, Exit: 4, Amount: won(5000)},
	}
}

// partnerFares is operator B's table: plazas 1..2.
func partnerFares() []Fare {
	return []Fare{{Entry: 1, Exit: 2, Amount: won(2000)}, {Entry: 2, Exit: 1, Amount: won(2000)}}
}

// world is a toll network built the way separate processes would build
// it: every role from its own keys, its stores and records' bytes. There
// are two interoperating operators, A (plazas 1..4) and B (plazas 1..2),
// one spent store and one used set shared by every exit, and vehicles that
// hold one pass each of operator A.
type world struct {
	authKey   *ecdsa.PrivateKey
	authority *Authority
	authL     ledger.Ledger
	spent     trs.Store
	spentL    ledger.Ledger
	used      tickets.UsedSet
	ops       [2]*opWorld
	vehicles  []*testVehicle
	sales     [][]byte // every sale record, of both operators
	policy    tickets.Policy
}

type opWorld struct {
	key     *ecdsa.PrivateKey
	op      *Operator
	l       ledger.Ledger
	plazas  map[PlazaID]*plazaWorld
	records [][]byte // its plaza registrations and fare tables
}

type plazaWorld struct {
	key *ecdsa.PrivateKey
	p   *Plaza
	l   ledger.Ledger
}

type testVehicle struct {
	key  *ecdsa.PrivateKey
	id   VehicleID
	v    *Vehicle
	pass *Pass
}

// ledgers makes the ledgers of a world: memory by default.
type ledgers func(name string) ledger.Ledger

func memoryLedgers(string) ledger.Ledger { return ledger.NewMemory() }

func newWorld(t testing.TB, rings int) *world { return newWorldOn(t, rings, testPolicy, memoryLedgers) }

func newWorldOn(t testing.TB, rings int, policy tickets.Policy, newLedger ledgers) *world {
	t.Helper()
	w := &world{authKey: mustKey(t), authL: newLedger("authority"), spentL: newLedger("shared"), policy: policy}
	var err error
	w.authority, err = OpenAuthority(ctx, w.authKey, w.authL)
	check(t, err)
	w.spent, err = tickets.OpenSpentStore(ctx, w.spentL)
	check(t, err)
	w.used, err = tickets.OpenUsedSet(ctx, w.spentL)
	check(t, err)

	keys := [2]*ecdsa.PrivateKey{mustKey(t), mustKey(t)}
	for i := range w.ops {
		w.ops[i] = &opWorld{key: keys[i]}
	}
	for i := range w.ops {
		o := &opWorld{key: keys[i], l: newLedger(fmt.Sprintf("operator-%d", i)), plazas: map[PlazaID]*plazaWorld{}}
		o.op, err = OpenOperator(ctx, o.key, w.config(i), Stores{Ledger: o.l, Spent: w.spent})
		check(t, err)
		nPlazas, fares := 4, testFares()
		if i == 1 {
			nPlazas, fares = 2, partnerFares()
		}
		for id := PlazaID(1); id <= PlazaID(nPlazas); id++ {
			pw := &plazaWorld{key: mustKey(t), l: newLedger(fmt.Sprintf("plaza-%d-%d", i, id))}
			reg, err := o.op.RegisterPlaza(ctx, id, fmt.Sprintf("Plaza %c%d", 'A'+i, id), pw.key.Public())
			check(t, err)
			o.records = append(o.records, reg)
			o.plazas[id] = pw
		}
		ft, err := o.op.PublishFares(ctx, fares, maxTrip, day0)
		check(t, err)
		o.records = append(o.records, ft)
		w.ops[i] = o
	}
	// Each operator applies the partner's records; each plaza, its
	// operator's.
	for i, o := range w.ops {
		for _, r := range w.ops[1-i].records {
			check(t, o.op.Apply(ctx, r))
		}
		for id, pw := range o.plazas {
			pw.p = w.openPlaza(t, i, id)
		}
	}
	for range rings * policy.RingSize {
		w.buy(t, 0, price)
	}
	return w
}

func (w *world) config(i int) Config {
	return Config{Authority: w.authKey.Public(), Partners: []*ecdsa.PublicKey{w.ops[1-i].key.Public()}, Currency: krw, Policy: w.policy}
}

// openPlaza opens (or reopens, from its ledger) plaza id of operator i and
// gives it its operator's records and every sale.
func (w *world) openPlaza(t testing.TB, i int, id PlazaID) *Plaza {
	t.Helper()
	o := w.ops[i]
	pw := o.plazas[id]
	p, err := OpenPlaza(ctx, pw.key, id, o.key.Public(), []*ecdsa.PublicKey{w.ops[1-i].key.Public()}, Stores{Ledger: pw.l, Spent: w.spent, Used: w.used})
	check(t, err)
	for _, r := range o.records {
		check(t, p.Apply(ctx, r))
	}
	for _, s := range w.sales {
		check(t, p.Apply(ctx, s))
	}
	return p
}

// buy registers a new vehicle, which orders a ticket of operator i; when
// that completes a sale, the sale goes to everyone and each waiting
// vehicle claims its pass.
func (w *world) buy(t testing.TB, i int, price money.Amount) *testVehicle {
	t.Helper()
	tv := &testVehicle{key: mustKey(t), id: VehicleID(1000 + len(w.vehicles))}
	reg, err := w.authority.Register(ctx, tv.id, tv.key.Public(), day0)
	check(t, err)
	tv.v, err = NewVehicle(tv.key, w.authKey.Public())
	check(t, err)
	check(t, tv.v.SetRegistration(reg))
	req, err := tv.v.Order(w.ops[i].key.Public(), price, day0)
	check(t, err)
	w.vehicles = append(w.vehicles, tv)
	sale, err := w.ops[i].op.Purchase(ctx, req, day0)
	check(t, err)
	if sale != nil {
		w.publish(t, sale)
	}
	return tv
}

// publish sends a sale to every operator, plaza and vehicle.
func (w *world) publish(t testing.TB, sale []byte) {
	t.Helper()
	w.sales = append(w.sales, sale)
	for _, o := range w.ops {
		check(t, o.op.Apply(ctx, sale))
		for _, pw := range o.plazas {
			check(t, pw.p.Apply(ctx, sale))
		}
	}
	for _, tv := range w.vehicles {
		if tv.pass != nil {
			continue
		}
		ps, err := tv.v.Claim(sale)
		check(t, err)
		if len(ps) == 1 {
			tv.pass = ps[0]
		}
	}
}

func (w *world) plaza(op int, id PlazaID) *Plaza { return w.ops[op].plazas[id].p }

// enter makes vehicle i enter operator op's plaza entry at time at.
func (w *world) enter(t testing.TB, op int, entry PlazaID, at time.Time) *Trip {
	t.Helper()
	trip, err := NewTrip()
	check(t, err)
	proof, err := w.plaza(op, entry).Enter(trip.Commitment(), at)
	check(t, err)
	check(t, trip.SetEntryProof(proof))
	return trip
}

// ticket makes vehicle i enter operator op's plaza entry at time at and
// returns its ticket for exit plaza exit.
func (w *world) ticket(t testing.TB, i, op int, entry, exit PlazaID, at time.Time) []byte {
	t.Helper()
	tk, err := w.vehicles[i].pass.Ticket(w.enter(t, op, entry, at), w.ops[op].key.Public(), exit)
	check(t, err)
	return tk
}

// signUsage signs a usage request for a ticket as plaza id of operator op
// would, without the exit checks: what a dishonest plaza files.
func (w *world) signUsage(t testing.TB, op int, id PlazaID, exitTime time.Time, ticketBytes []byte) []byte {
	t.Helper()
	tk, err := parseTicket(ticketBytes)
	check(t, err)
	o := w.ops[op]
	r := &usageRequest{operator: o.key.Public(), plaza: plazaRef{idOf(o.key.Public()), id}, exitTime: exitTime, ticket: tk}
	body, err := r.body()
	check(t, err)
	r.sig, err = signRecord(o.plazas[id].key, contextUsage, body)
	check(t, err)
	return r.bytes()
}

// signEntry signs an entry proof as any key, claiming any plaza.
func signEntry(t testing.TB, key *ecdsa.PrivateKey, operator *ecdsa.PublicKey, id PlazaID, at time.Time, commitment [32]byte) []byte {
	t.Helper()
	e := &entryProof{plaza: plazaRef{idOf(operator), id}, operator: operator, time: at, commitment: commitment}
	body, err := e.body()
	check(t, err)
	e.sig, err = signRecord(key, contextEntry, body)
	check(t, err)
	return e.bytes()
}

// spentCount is the number of spent tickets in the shared store.
func (w *world) spentCount() int {
	n := 0
	w.spentL.Scan(ctx, 0, func(e ledger.Entry) error {
		if k, _ := wire.KindOf(e.Payload); k == 0x0104 {
			n++
		}
		return nil
	})
	return n
}

func newTestLedger() ledger.Ledger { return ledger.NewMemory() }
