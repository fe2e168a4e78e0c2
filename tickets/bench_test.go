package tickets

import (
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// benchSetup is a world whose ledger holds only the setup (plazas, fares,
// purchases, sales), with one ticket per pass, each wrapped in a usage
// request. fresh returns a provider rebuilt from the setup alone, with
// nothing spent or settled, and points the plazas at it.
type benchSetup struct {
	w     *world
	setup []ledger.Entry
	reqs  []*UsageRequest
}

func newBenchSetup(b *testing.B, ringSize, tickets int) *benchSetup {
	cfg := testConfig
	cfg.RingSize = ringSize
	rings := (tickets + ringSize - 1) / ringSize
	w := newWorldConfig(b, ledger.NewMemory(), rings, cfg)
	s := &benchSetup{w: w}
	w.ledger.Scan(ctx, 0, func(e ledger.Entry) error {
		s.setup = append(s.setup, e)
		return nil
	})
	s.reqs = make([]*UsageRequest, tickets)
	routes := [][2]PlazaID{{1, 2}, {2, 3}, {3, 1}, {1, 3}}
	parallel.For(tickets, func(i int) {
		r := routes[i%len(routes)]
		at := day0.Add(time.Hour + time.Duration(i)*time.Second)
		trip, _ := NewTrip()
		proof, _ := w.plazas[r[0]].Enter(trip.Commitment(), at)
		trip.SetEntryProof(proof)
		tk, err := w.passes[i].Ticket(trip, r[1])
		if err != nil {
			panic(err)
		}
		req := &UsageRequest{Plaza: r[1], ExitTime: at.Add(30 * time.Minute), Ticket: tk}
		if err := signRecord(w.plazas[r[1]].key, contextUsage, req.body(), &req.sig); err != nil {
			panic(err)
		}
		s.reqs[i] = req
	})
	return s
}

func (s *benchSetup) fresh(b *testing.B) *Provider {
	l := ledger.NewMemory()
	for _, e := range s.setup {
		if _, err := l.Append(ctx, e.Kind, e.Payload); err != nil {
			b.Fatal(err)
		}
	}
	p, err := OpenProvider(s.w.providerKey, s.w.authority.PublicKey(), l, s.w.provider.cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, pl := range s.w.plazas {
		pl.provider = p
	}
	return p
}

// BenchmarkExit measures one exit check of a fresh ticket: the entry
// proof, fare and time checks, the TRS verification and the spent index
// (lookups, a ledger append for the entry commitment and one for the spent
// record). Tickets cycle through a pool; the provider is rebuilt from its
// setup whenever the pool is used up, so every check is of an unspent
// ticket.
func BenchmarkExit(b *testing.B) {
	const n, pool = 50, 200
	s := newBenchSetup(b, n, pool)
	b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i%pool == 0 {
				b.StopTimer()
				s.fresh(b)
				b.StartTimer()
			}
			r := s.reqs[i%pool]
			if _, err := s.w.plazas[r.Plaza].Exit(r.Ticket, r.ExitTime); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkSettle measures settling a batch of k usage requests for
// tickets of rings of n, on a provider with nothing settled yet.
func BenchmarkSettle(b *testing.B) {
	const n, k = 50, 1000
	s := newBenchSetup(b, n, k)
	b.Run(fmt.Sprintf("n=%d,k=%d", n, k), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			p := s.fresh(b)
			b.StartTimer()
			st, err := p.Settle(s.reqs, day0.Add(20*time.Hour))
			if err != nil {
				b.Fatal(err)
			}
			if len(st.Statements) == 0 || st.Results[k-1].Outcome != Paid {
				b.Fatalf("last request: %v %v", st.Results[k-1].Outcome, st.Results[k-1].Err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*k), "µs/request")
	})
}
