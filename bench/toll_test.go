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
	"github.com/ringtrace/ringtrace/trs"
)

var krw = money.MustCurrency("KRW")

// tollRingSize is the ring size of every sale: the AnonymousTollPass paper's.
const tollRingSize = 50

// tollWorld is a toll network on one in-memory ledger: an authority, a
// provider selling tickets in rings of tollRingSize, an entry plaza (1) and
// an exit plaza (2), and a supply of bought, unused passes. Its clock moves
// forward a minute per trip.
type tollWorld struct {
	authority *tickets.Authority
	provider  *tickets.Provider
	entry     *tickets.Plaza
	exit      *tickets.Plaza
	price     money.Amount
	clock     time.Time
	vehicles  int
	passes    []*tickets.Pass
}

var tollDay0 = time.Date(2027, 3, 1, 6, 0, 0, 0, time.UTC)

// newTollWorld opens a provider on l, which may already hold records.
func newTollWorld(tb testing.TB, l ledger.Ledger) *tollWorld {
	tb.Helper()
	authKey, err := ecdsa.GenerateKey()
	check(tb, err)
	provKey, err := ecdsa.GenerateKey()
	check(tb, err)
	w := &tollWorld{authority: tickets.NewAuthority(authKey), price: money.MustNew(3000, krw), clock: tollDay0}
	w.provider, err = tickets.OpenProvider(provKey, w.authority.PublicKey(), l, tickets.Config{
		Currency:     krw,
		RingSize:     tollRingSize,
		SaleValidity: 90 * 24 * time.Hour,
		MaxTrip:      4 * time.Hour,
	})
	check(tb, err)
	plaza := func(id tickets.PlazaID, name string) *tickets.Plaza {
		key, err := ecdsa.GenerateKey()
		check(tb, err)
		_, err = w.provider.RegisterPlaza(id, name, key.Public())
		check(tb, err)
		return tickets.NewPlaza(id, key, w.provider)
	}
	w.entry, w.exit = plaza(1, "Seoul TG"), plaza(2, "Daejeon IC")
	_, err = w.provider.PublishFares([]tickets.Fare{
		{Entry: 1, Exit: 2, Amount: money.MustNew(2500, krw)},
	}, w.clock)
	check(tb, err)
	return w
}

// buySale has tollRingSize new vehicles register and order a ticket each,
// which completes one sale, and keeps their passes.
func (w *tollWorld) buySale(tb testing.TB) {
	tb.Helper()
	var vs []*tickets.Vehicle
	var sale *tickets.Sale
	for range tollRingSize {
		w.vehicles++
		v, err := tickets.NewVehicle(tickets.VehicleID(w.vehicles))
		check(tb, err)
		reg, err := w.authority.Register(v.ID(), v.PublicKey(), w.clock)
		check(tb, err)
		check(tb, v.SetRegistration(reg, w.authority.PublicKey()))
		req, err := v.OrderTicket(w.price, w.clock)
		check(tb, err)
		s, err := w.provider.Purchase(reg, req, w.clock)
		check(tb, err)
		if s != nil {
			sale = s
		}
		vs = append(vs, v)
	}
	if sale == nil {
		tb.Fatal("a full ring of purchases made no sale")
	}
	for _, v := range vs {
		ps, err := v.Claim(sale, w.provider.PublicKey())
		check(tb, err)
		w.passes = append(w.passes, ps...)
	}
	w.clock = w.clock.Add(time.Minute)
}

// ticket makes a trip with an unused pass, buying a sale first if none is
// left, and returns the ticket to present at the exit plaza and when.
func (w *tollWorld) ticket(tb testing.TB) (*tickets.Ticket, time.Time) {
	tb.Helper()
	if len(w.passes) == 0 {
		w.buySale(tb)
	}
	pass := w.passes[0]
	w.passes = w.passes[1:]
	trip, err := tickets.NewTrip()
	check(tb, err)
	proof, err := w.entry.Enter(trip.Commitment(), w.clock)
	check(tb, err)
	check(tb, trip.SetEntryProof(proof))
	tk, err := pass.Ticket(trip, w.exit.ID())
	check(tb, err)
	exitAt := w.clock.Add(25 * time.Minute)
	w.clock = w.clock.Add(time.Minute)
	return tk, exitAt
}

// fillExitSpent appends stored synthetic spent-ticket records to l under
// the exit plazas' kind, through tickets.OpenSpentStore, so that a provider
// opened on l replays them into its exit index. Each record stands for an
// exit of another sale's ticket: records are grouped tollRingSize to a tag
// (a sale never holds more), A0 and A1 are valid ristretto255 points, and
// the tollRingSize fingerprints are random. Signing and checking 100,000 real
// tickets would take the better part of an hour on two cores; the exit check
// under test costs the same tollRingSize lookups either way, since the
// index examines a stored record only when a fingerprint matches.
func fillExitSpent(tb testing.TB, l ledger.Ledger, stored int) {
	tb.Helper()
	st, err := tickets.OpenSpentStore(l, tickets.KindExitSpent)
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
		check(tb, st.CheckAndAdd(context.Background(), r, fps, func([]trs.Match) (bool, error) { return true, nil }))
	}
}

// BenchmarkPlazaExit is the exit plaza's whole check of a fresh ticket
// (registration, fare, times, entry proof, ring signature, spent index,
// signed usage request) against a spent store already holding stored
// tickets, growing by one per exit.
func BenchmarkPlazaExit(b *testing.B) {
	for _, stored := range []int{1000, 100_000} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			l := ledger.NewMemory()
			fillExitSpent(b, l, stored)
			w := newTollWorld(b, l)
			if got := w.provider.Stats().ExitSpent; got != stored {
				b.Fatalf("provider replayed %d spent records, want %d", got, stored)
			}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				tk, at := w.ticket(b)
				b.StartTimer()
				if _, err := w.exit.Exit(tk, at); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(w.provider.Stats().ExitSpent), "stored-at-end")
		})
	}
}

// BenchmarkSettlement is the provider settling a batch of k usage requests
// from the exit plaza: every plaza signature and ticket re-checked, the ring
// signatures verified in parallel, traced through the settlement index, paid,
// and recorded as one ledger entry.
func BenchmarkSettlement(b *testing.B) {
	for _, k := range []int{100} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			w := newTollWorld(b, ledger.NewMemory())
			reqs := make([]*tickets.UsageRequest, k)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				for i := range reqs {
					tk, at := w.ticket(b)
					req, err := w.exit.Exit(tk, at)
					check(b, err)
					reqs[i] = req
				}
				b.StartTimer()
				s, err := w.provider.Settle(reqs, w.clock.Add(time.Hour))
				check(b, err)
				for i, r := range s.Results {
					if r.Outcome != tickets.Paid {
						b.Fatalf("request %d: %v (%v)", i, r.Outcome, r.Err)
					}
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*k), "ns/request")
		})
	}
}

// TestTollScenarios runs each toll scenario once, small, so that plain
// go test keeps them working.
func TestTollScenarios(t *testing.T) {
	l := ledger.NewMemory()
	fillExitSpent(t, l, 120)
	w := newTollWorld(t, l)
	if got := w.provider.Stats().ExitSpent; got != 120 {
		t.Fatalf("provider replayed %d spent records, want 120", got)
	}
	var reqs []*tickets.UsageRequest
	for range 3 {
		tk, at := w.ticket(t)
		req, err := w.exit.Exit(tk, at)
		check(t, err)
		reqs = append(reqs, req)
	}
	s, err := w.provider.Settle(reqs, w.clock.Add(time.Hour))
	check(t, err)
	for i, r := range s.Results {
		if r.Outcome != tickets.Paid {
			t.Errorf("request %d: %v (%v)", i, r.Outcome, r.Err)
		}
	}
}
