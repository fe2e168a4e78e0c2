package toll

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestConcurrentCopiesOneAccepted: many goroutines, each its own plaza
// process sharing only the spent store and the used set, present copies
// of one pass's tickets for one trip at once — identical copies, and
// tickets signed for another exit plaza — while unrelated traffic goes
// on. Exactly one is accepted; every other is linked, revealed, or (its
// entry proof used by the accepted one) refused before the spent store
// saw the spend. Presented again afterwards, every copy is linked or
// revealed. Run with -race.
func TestConcurrentCopiesOneAccepted(t *testing.T) {
	for _, name := range []string{"memory", "file"} {
		t.Run(name, func(t *testing.T) {
			newLedger := memoryLedgers
			if name == "file" {
				newLedger = fileLedgers(t, t.TempDir())
			}
			w := newWorldOn(t, 1, testPolicy, newLedger)
			a := w.ops[0]
			at := day0.Add(time.Hour)
			trip := w.enter(t, 0, 1, at)
			exits := []PlazaID{2, 3}
			copies := map[PlazaID][]byte{}
			for _, e := range exits {
				tk, err := w.vehicles[0].pass.Ticket(trip, a.key.Public(), e)
				check(t, err)
				copies[e] = tk
			}
			others := [][]byte{w.ticket(t, 1, 0, 2, 3, at), w.ticket(t, 2, 0, 3, 1, at)}
			othersExit := []PlazaID{3, 1}

			n := 16
			if testing.Short() {
				n = 8
			}
			// One plaza object per goroutine: separate processes.
			plaza := func(id PlazaID) *Plaza {
				pw := a.plazas[id]
				p, err := OpenPlaza(ctx, pw.key, id, a.key.Public(), []*ecdsa.PublicKey{w.ops[1].key.Public()}, Stores{Ledger: ledger.NewMemory(), Spent: w.spent, Used: w.used})
				check(t, err)
				for _, r := range a.records {
					check(t, p.Apply(ctx, r))
				}
				for _, s := range w.sales {
					check(t, p.Apply(ctx, s))
				}
				return p
			}
			plazas := make([]*Plaza, n)
			for g := range plazas {
				plazas[g] = plaza(exits[g%len(exits)])
			}
			var (
				wg                                     sync.WaitGroup
				mu                                     sync.Mutex
				accepted, linked, revealed, entryTaken int
				unexpected                             []error
			)
			for g := range n {
				wg.Go(func() {
					_, err := plazas[g].Exit(ctx, copies[exits[g%len(exits)]], at.Add(time.Hour))
					mu.Lock()
					defer mu.Unlock()
					var re *tickets.ReuseError
					switch {
					case err == nil:
						accepted++
					case errors.As(err, &re) && re.Kind == trs.Linked:
						linked++
					case errors.As(err, &re) && re.Kind == trs.Revealed:
						revealed++
					case errors.Is(err, ErrEntryReused):
						entryTaken++
					default:
						unexpected = append(unexpected, err)
					}
				})
			}
			for i, tk := range others {
				wg.Go(func() {
					if _, err := w.plaza(0, othersExit[i]).Exit(ctx, tk, at.Add(time.Hour)); err != nil {
						t.Errorf("other ticket %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			if accepted != 1 || linked+revealed+entryTaken != n-1 || len(unexpected) > 0 {
				t.Fatalf("accepted %d, linked %d, revealed %d, entry taken %d, unexpected %v", accepted, linked, revealed, entryTaken, unexpected)
			}
			if got := w.spentCount(); got != 1+len(others) {
				t.Errorf("%d spent records, want %d", got, 1+len(others))
			}
			// Afterwards every copy is linked or revealed.
			kinds := map[trs.Kind]int{}
			for g := range n {
				_, err := plazas[g].Exit(ctx, copies[exits[g%len(exits)]], at.Add(time.Hour))
				var re *tickets.ReuseError
				if !errors.As(err, &re) {
					t.Fatalf("copy presented again: %v", err)
				}
				kinds[re.Kind]++
			}
			if kinds[trs.Linked] == 0 || kinds[trs.Revealed] == 0 {
				t.Errorf("copies presented again: %v", kinds)
			}
		})
	}
}
