package toll_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/toll"
	"github.com/ringtrace/ringtrace/trs"
)

// Example runs two operators that accept each other's tickets, a ring of
// three vehicles buying from operator A, a trip on A's road, a double use,
// a trip on B's road with A's ticket, and settlement. Everything between
// the roles is records' bytes; the spent store and the used set are
// shared by every exit.
func Example() {
	ctx := context.Background()
	krw := money.MustCurrency("KRW")
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	key := func() *ecdsa.PrivateKey { k, _ := ecdsa.GenerateKey(); return k }
	spent, used := trs.NewMemoryStore(), tickets.NewMemoryUsedSet()

	raKey := key()
	authority, _ := toll.OpenAuthority(ctx, raKey, ledger.NewMemory())
	aKey, bKey := key(), key()
	policy := tickets.Policy{RingSize: 3, Validity: 24 * time.Hour}
	a, _ := toll.OpenOperator(ctx, aKey, toll.Config{Authority: raKey.Public(), Partners: []*ecdsa.PublicKey{bKey.Public()}, Currency: krw, Policy: policy}, toll.Stores{Ledger: ledger.NewMemory(), Spent: spent})
	b, _ := toll.OpenOperator(ctx, bKey, toll.Config{Authority: raKey.Public(), Partners: []*ecdsa.PublicKey{aKey.Public()}, Currency: krw, Policy: policy}, toll.Stores{Ledger: ledger.NewMemory(), Spent: spent})

	// Each operator has plazas 1 and 2 and a fare between them.
	type road struct {
		op     *toll.Operator
		key    *ecdsa.PrivateKey
		plazas map[toll.PlazaID]*toll.Plaza
	}
	roads := map[string]*road{"A": {a, aKey, map[toll.PlazaID]*toll.Plaza{}}, "B": {b, bKey, map[toll.PlazaID]*toll.Plaza{}}}
	for name, r := range roads {
		partner := roads[map[string]string{"A": "B", "B": "A"}[name]].key.Public()
		var records [][]byte
		for id := toll.PlazaID(1); id <= 2; id++ {
			pk := key()
			reg, _ := r.op.RegisterPlaza(ctx, id, fmt.Sprintf("%s%d", name, id), pk.Public())
			records = append(records, reg)
			r.plazas[id], _ = toll.OpenPlaza(ctx, pk, id, r.key.Public(), []*ecdsa.PublicKey{partner}, toll.Stores{Ledger: ledger.NewMemory(), Spent: spent, Used: used})
		}
		fares, _ := r.op.PublishFares(ctx, []toll.Fare{{Entry: 1, Exit: 2, Amount: money.MustNew(1300, krw)}}, 3*time.Hour, now)
		records = append(records, fares)
		for _, p := range r.plazas {
			for _, rec := range records {
				p.Apply(ctx, rec)
			}
		}
		for _, other := range roads {
			if other != r {
				for _, rec := range records {
					other.op.Apply(ctx, rec)
				}
			}
		}
	}

	// Three vehicles buy a ticket each from A; the third completes the ring.
	var vehicles []*toll.Vehicle
	var sale []byte
	for id := toll.VehicleID(7); id < 10; id++ {
		vk := key()
		v, _ := toll.NewVehicle(vk, raKey.Public())
		reg, _ := authority.Register(ctx, id, vk.Public(), now)
		v.SetRegistration(reg)
		order, _ := v.Order(aKey.Public(), money.MustNew(2000, krw), now)
		if s, _ := a.Purchase(ctx, order, now); s != nil {
			sale = s
		}
		vehicles = append(vehicles, v)
	}
	for _, r := range roads {
		r.op.Apply(ctx, sale)
		for _, p := range r.plazas {
			p.Apply(ctx, sale)
		}
	}
	passes, _ := vehicles[0].Claim(sale)
	fmt.Println("ring size:", passes[0].Sale().Ring().Len())

	// A trip: commit to a secret at entry, reveal it in the ticket at exit.
	trip := func(pass *toll.Pass, r *road, at time.Time) ([]byte, []byte, error) {
		t, _ := toll.NewTrip()
		proof, _ := r.plazas[1].Enter(t.Commitment(), at)
		t.SetEntryProof(proof)
		ticket, _ := pass.Ticket(t, r.key.Public(), 2)
		req, err := r.plazas[2].Exit(ctx, ticket, at.Add(40*time.Minute))
		return ticket, req, err
	}
	_, onA, err := trip(passes[0], roads["A"], now)
	fmt.Println("trip on A:", err == nil)

	// The same pass again: its one-time key is revealed, and A names the
	// buyer.
	second, _, err := trip(passes[0], roads["A"], now.Add(time.Hour))
	var reuse *tickets.ReuseError
	if errors.As(err, &reuse) {
		buyer, _ := a.Reveal(ctx, second)
		fmt.Println("second trip:", reuse.Kind, "buyer", buyer)
	}

	// Another vehicle's A ticket on B's road.
	other, _ := vehicles[1].Claim(sale)
	_, onB, err := trip(other[0], roads["B"], now)
	fmt.Println("A's ticket on B:", err == nil)

	// Settlement: A pays its plaza; B pays its plaza and forwards the
	// request to A, which owes B the fare.
	results, _, _ := a.Settle(ctx, [][]byte{onA, onA}, now.Add(12*time.Hour))
	fmt.Println("A settles:", results[0].Outcome, results[1].Outcome)
	b.Settle(ctx, [][]byte{onB}, now.Add(12*time.Hour))
	_, sts, _ := a.Settle(ctx, [][]byte{onB}, now.Add(13*time.Hour))
	fmt.Println("A owes B:", sts[0].Amount(), sts[0].Creditor().Equal(bKey.Public()), sts[0].Verify(aKey.Public()) == nil)
	// Output:
	// ring size: 3
	// trip on A: true
	// second trip: revealed buyer 7
	// A's ticket on B: true
	// A settles: paid already paid
	// A owes B: KRW 1300 true true
}
