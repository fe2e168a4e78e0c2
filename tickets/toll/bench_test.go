package toll

import (
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// benchSetup is a world with operator A's passes sold in rings of n, one
// ticket per pass, and what A's ledger held before anything was spent or
// settled.
type benchSetup struct {
	w       *world
	setup   []ledger.Entry // operator A's ledger: plazas, fares, partner records, purchases, sales
	tickets [][]byte
	exits   []PlazaID
	at      []time.Time
}

func newBenchSetup(b *testing.B, n, count int) *benchSetup {
	policy := testPolicy
	policy.RingSize = n
	w := newWorldOn(b, (count+n-1)/n, policy, memoryLedgers)
	s := &benchSetup{w: w, setup: entries(w.ops[0].l), tickets: make([][]byte, count), exits: make([]PlazaID, count), at: make([]time.Time, count)}
	parallel.For(count, func(i int) {
		r := routes[i%len(routes)]
		s.at[i] = day0.Add(time.Hour + time.Duration(i)*time.Second)
		s.exits[i] = r[1]
		s.tickets[i] = w.ticket(b, i, 0, r[0], r[1], s.at[i])
	})
	return s
}

// freshPlazas gives A's plazas new, empty shared stores (on a memory
// ledger, as a deployment on one machine would), rebuilding each plaza
// from its ledger.
func (s *benchSetup) freshPlazas(b *testing.B) map[PlazaID]*Plaza {
	l := ledger.NewMemory()
	spent, err := tickets.OpenSpentStore(ctx, l)
	check(b, err)
	used, err := tickets.OpenUsedSet(ctx, l)
	check(b, err)
	a := s.w.ops[0]
	plazas := map[PlazaID]*Plaza{}
	for id, pw := range a.plazas {
		plazas[id], err = OpenPlaza(ctx, pw.key, id, a.key.Public(), []*ecdsa.PublicKey{s.w.ops[1].key.Public()}, Stores{Ledger: pw.l, Spent: spent, Used: used})
		check(b, err)
	}
	return plazas
}

// BenchmarkExit measures one plaza's exit check of a fresh ticket: the
// entry proof, fare and time checks, the TRS verification, the entry
// commitment and the spent store (each a ledger append), and the signed
// usage request. Tickets cycle through a pool; the stores are emptied
// whenever the pool is used up, so every check is of an unspent ticket.
func BenchmarkExit(b *testing.B) {
	const n, pool = 50, 200
	s := newBenchSetup(b, n, pool)
	b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		var plazas map[PlazaID]*Plaza
		i := 0
		for b.Loop() {
			if i%pool == 0 {
				b.StopTimer()
				plazas = s.freshPlazas(b)
				b.StartTimer()
			}
			k := i % pool
			if _, err := plazas[s.exits[k]].Exit(ctx, s.tickets[k], s.at[k].Add(30*time.Minute)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkSettle measures an operator settling k usage requests for
// tickets of rings of n that its exits accepted: every plaza signature
// and ticket re-checked, the ring signatures verified in parallel, each
// ticket looked up in the spent store, paid, and recorded as one ledger
// entry. Each iteration settles on an operator rebuilt from its ledger as
// it was before any settlement.
func BenchmarkSettle(b *testing.B) {
	const n, k = 50, 1000
	s := newBenchSetup(b, n, k)
	reqs := make([][]byte, k)
	parallel.For(k, func(i int) {
		var err error
		reqs[i], err = s.w.plaza(0, s.exits[i]).Exit(ctx, s.tickets[i], s.at[i].Add(30*time.Minute))
		check(b, err)
	})
	a := s.w.ops[0]
	b.Run(fmt.Sprintf("n=%d,k=%d", n, k), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			l := ledger.NewMemory()
			for _, e := range s.setup {
				_, err := l.Append(ctx, e.Kind, e.Payload)
				check(b, err)
			}
			op, err := OpenOperator(ctx, a.key, s.w.config(0), Stores{Ledger: l, Spent: s.w.spent})
			check(b, err)
			b.StartTimer()
			results, sts, err := op.Settle(ctx, reqs, day0.Add(20*time.Hour))
			check(b, err)
			if len(sts) == 0 || results[k-1].Outcome != Paid {
				b.Fatalf("last request: %v %v", results[k-1].Outcome, results[k-1].Err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*k), "µs/request")
	})
}
