package main

import (
	"context"
	"crypto/sha512"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/toll"
	"github.com/ringtrace/ringtrace/trs"
)

var krw = money.MustCurrency("KRW")

// tollRingSize is the ring size of every sale: the AnonymousTollPass paper's.
const tollRingSize = 50

// tollWorld is a toll network as separate processes would run it, here in
// one: an authority, an operator selling tickets in rings of tollRingSize,
// an entry plaza (1) and an exit plaza (2) that share a spent store and a
// used set, and a supply of bought, unused passes. Its clock moves forward
// a minute per trip.
type tollWorld struct {
	ctx       context.Context
	authKey   *ecdsa.PrivateKey
	authority *toll.Authority
	opKey     *ecdsa.PrivateKey
	operator  *toll.Operator
	entry     *toll.Plaza
	exit      *toll.Plaza
	price     money.Amount
	clock     time.Time
	vehicles  int
	passes    []*toll.Pass
}

var tollDay0 = time.Date(2027, 3, 1, 6, 0, 0, 0, time.UTC)

// newTollWorld opens the roles with spent as the shared spent store.
func newTollWorld(tb testing.TB, spent trs.Store) *tollWorld {
	tb.Helper()
	w := &tollWorld{ctx: context.Background(), price: money.MustNew(3000, krw), clock: tollDay0}
	var err error
	w.authKey, err = ecdsa.GenerateKey()
	check(tb, err)
	w.authority, err = toll.OpenAuthority(w.ctx, w.authKey, ledger.NewMemory())
	check(tb, err)
	w.opKey, err = ecdsa.GenerateKey()
	check(tb, err)
	w.operator, err = toll.OpenOperator(w.ctx, w.opKey, toll.Config{
		Authority: w.authKey.Public(),
		Currency:  krw,
		Policy:    tickets.Policy{RingSize: tollRingSize, Validity: 90 * 24 * time.Hour},
	}, toll.Stores{Ledger: ledger.NewMemory(), Spent: spent})
	check(tb, err)
	used := tickets.NewMemoryUsedSet()
	var records [][]byte
	plaza := func(id toll.PlazaID, name string) *toll.Plaza {
		key, err := ecdsa.GenerateKey()
		check(tb, err)
		reg, err := w.operator.RegisterPlaza(w.ctx, id, name, key.Public())
		check(tb, err)
		records = append(records, reg)
		p, err := toll.OpenPlaza(w.ctx, key, id, w.opKey.Public(), nil, toll.Stores{Ledger: ledger.NewMemory(), Spent: spent, Used: used})
		check(tb, err)
		return p
	}
	w.entry, w.exit = plaza(1, "Seoul TG"), plaza(2, "Daejeon IC")
	fares, err := w.operator.PublishFares(w.ctx, []toll.Fare{{Entry: 1, Exit: 2, Amount: money.MustNew(2500, krw)}}, 4*time.Hour, w.clock)
	check(tb, err)
	for _, p := range []*toll.Plaza{w.entry, w.exit} {
		for _, r := range append(records, fares) {
			check(tb, p.Apply(w.ctx, r))
		}
	}
	return w
}

// buySale has tollRingSize new vehicles register and order a ticket each,
// which completes one sale, and keeps their passes.
func (w *tollWorld) buySale(tb testing.TB) {
	tb.Helper()
	var vs []*toll.Vehicle
	var sale []byte
	for range tollRingSize {
		w.vehicles++
		key, err := ecdsa.GenerateKey()
		check(tb, err)
		v, err := toll.NewVehicle(key, w.authKey.Public())
		check(tb, err)
		reg, err := w.authority.Register(w.ctx, toll.VehicleID(w.vehicles), key.Public(), w.clock)
		check(tb, err)
		check(tb, v.SetRegistration(reg))
		req, err := v.Order(w.opKey.Public(), w.price, w.clock)
		check(tb, err)
		s, err := w.operator.Purchase(w.ctx, req, w.clock)
		check(tb, err)
		if s != nil {
			sale = s
		}
		vs = append(vs, v)
	}
	if sale == nil {
		tb.Fatal("a full ring of purchases made no sale")
	}
	check(tb, w.exit.Apply(w.ctx, sale))
	for _, v := range vs {
		ps, err := v.Claim(sale)
		check(tb, err)
		w.passes = append(w.passes, ps...)
	}
	w.clock = w.clock.Add(time.Minute)
}

// ticket makes a trip with an unused pass, buying a sale first if none is
// left, and returns the ticket to present at the exit plaza and when.
func (w *tollWorld) ticket(tb testing.TB) ([]byte, time.Time) {
	tb.Helper()
	if len(w.passes) == 0 {
		w.buySale(tb)
	}
	pass := w.passes[0]
	w.passes = w.passes[1:]
	trip, err := toll.NewTrip()
	check(tb, err)
	proof, err := w.entry.Enter(trip.Commitment(), w.clock)
	check(tb, err)
	check(tb, trip.SetEntryProof(proof))
	tk, err := pass.Ticket(trip, w.opKey.Public(), 2)
	check(tb, err)
	exitAt := w.clock.Add(25 * time.Minute)
	w.clock = w.clock.Add(time.Minute)
	return tk, exitAt
}

// spentStoreHolding returns a spent store on a memory ledger that already
// holds stored synthetic records, replayed through tickets.OpenSpentStore
// as a restarted exit would. Each record stands for an exit of another
// sale's ticket: records are grouped tollRingSize to a tag (a sale never
// holds more), A0 and A1 are valid ristretto255 points, and the
// tollRingSize fingerprints are random. Signing and checking 100,000 real
// tickets would take the better part of an hour on two cores; the exit
// check under test costs the same single store call either way, since the
// index examines a stored record only when a fingerprint matches.
func spentStoreHolding(tb testing.TB, stored int) trs.Store {
	tb.Helper()
	ctx := context.Background()
	l := ledger.NewMemory()
	st, err := tickets.OpenSpentStore(ctx, l)
	check(tb, err)
	// Distinct (A0, A1) pairs from a pool of public keys: enough for 512²
	// records without a point multiplication each.
	const pool = 512
	points := make([][]byte, pool)
	for i := range points {
		k, err := trs.GenerateKey()
		check(tb, err)
		points[i] = k.Public().Bytes()
	}
	rng := rand.New(rand.NewSource(1))
	fps := make([]uint64, tollRingSize)
	var r trs.Record
	for i := range stored {
		if i%tollRingSize == 0 {
			r.Tag = sha512.Sum512(fmt.Appendf(nil, "synthetic sale %d", i/tollRingSize))
		}
		copy(r.A0[:], points[i%pool])
		copy(r.A1[:], points[(i/pool+1+i)%pool])
		for j := range fps {
			fps[j] = rng.Uint64()
		}
		check(tb, st.CheckAndAdd(ctx, r, fps, func([]trs.Match) (bool, error) { return true, nil }))
	}
	if l.Len() != uint64(stored) {
		tb.Fatalf("%d spent records on the ledger, want %d", l.Len(), stored)
	}
	replayed, err := tickets.OpenSpentStore(ctx, l)
	check(tb, err)
	return replayed
}

// BenchmarkPlazaExit is the exit plaza's whole check of a fresh ticket
// (registrations, fare, times, entry proof, ring signature, entry
// commitment, spent store, signed usage request) against a spent store
// already holding stored tickets, growing by one per exit.
func BenchmarkPlazaExit(b *testing.B) {
	for _, stored := range []int{1000, 100_000} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			w := newTollWorld(b, spentStoreHolding(b, stored))
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				tk, at := w.ticket(b)
				b.StartTimer()
				if _, err := w.exit.Exit(w.ctx, tk, at); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSettlement is the operator settling a batch of k usage
// requests from the exit plaza: every plaza signature and ticket
// re-checked, the ring signatures verified in parallel, each ticket looked
// up in the spent store, paid, and recorded as one ledger entry.
func BenchmarkSettlement(b *testing.B) {
	for _, k := range []int{100} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			w := newTollWorld(b, trs.NewMemoryStore())
			reqs := make([][]byte, k)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				for i := range reqs {
					tk, at := w.ticket(b)
					req, err := w.exit.Exit(w.ctx, tk, at)
					check(b, err)
					reqs[i] = req
				}
				b.StartTimer()
				results, _, err := w.operator.Settle(w.ctx, reqs, w.clock.Add(time.Hour))
				check(b, err)
				for i, r := range results {
					if r.Outcome != toll.Paid {
						b.Fatalf("request %d: %v (%v)", i, r.Outcome, r.Err)
					}
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*k), "ns/request")
		})
	}
}

// TestTollScenarios runs each toll scenario once, small, so that plain go
// test keeps them working.
func TestTollScenarios(t *testing.T) {
	w := newTollWorld(t, spentStoreHolding(t, 120))
	var reqs [][]byte
	for range 3 {
		tk, at := w.ticket(t)
		req, err := w.exit.Exit(w.ctx, tk, at)
		check(t, err)
		reqs = append(reqs, req)
	}
	results, _, err := w.operator.Settle(w.ctx, reqs, w.clock.Add(time.Hour))
	check(t, err)
	for i, r := range results {
		if r.Outcome != toll.Paid {
			t.Errorf("request %d: %v (%v)", i, r.Outcome, r.Err)
		}
	}
}
