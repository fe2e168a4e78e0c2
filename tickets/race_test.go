package tickets

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestConcurrentCopiesOneAccepted: many goroutines present copies of one
// pass's ticket at once — identical copies and tickets signed for other
// exit plazas — sharing one provider. Exactly one is accepted; every other
// is linked (same message) or revealed (different message), never an
// error of another kind. Run it with -race.
func TestConcurrentCopiesOneAccepted(t *testing.T) {
	for _, name := range []string{"memory", "file"} {
		t.Run(name, func(t *testing.T) {
			var l ledger.Ledger = ledger.NewMemory()
			if name == "file" {
				f, err := ledger.OpenFile(filepath.Join(t.TempDir(), "l"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				l = f
			}
			w := newWorld(t, l, 1)
			at := day0.Add(time.Hour)
			trip, _ := NewTrip()
			proof, _ := w.plazas[1].Enter(trip.Commitment(), at)
			trip.SetEntryProof(proof)
			exits := []PlazaID{2, 3}
			tickets := map[PlazaID]*Ticket{}
			for _, e := range exits {
				tk, err := w.passes[0].Ticket(trip, e)
				if err != nil {
					t.Fatal(err)
				}
				tickets[e] = tk
			}
			// Unrelated honest traffic at the same time.
			others := []*Ticket{w.ticket(t, 1, 2, 3, at), w.ticket(t, 2, 3, 1, at)}

			copies := 16
			if testing.Short() {
				copies = 8
			}
			var (
				wg                         sync.WaitGroup
				mu                         sync.Mutex
				accepted, linked, revealed int
				unexpected                 []error
			)
			for g := range copies {
				wg.Go(func() {
					// Parse a copy from bytes, as a plaza would receive it.
					e := exits[g%len(exits)]
					tk, err := ParseTicket(tickets[e].Bytes())
					if err != nil {
						t.Error(err)
						return
					}
					_, err = w.plazas[e].Exit(tk, at.Add(time.Hour))
					mu.Lock()
					defer mu.Unlock()
					var re *ReuseError
					switch {
					case err == nil:
						accepted++
					case errors.As(err, &re) && re.Kind == trs.Linked:
						linked++
					case errors.As(err, &re) && re.Kind == trs.Revealed:
						revealed++
						if re.Buyer != w.vehicles[0].ID() {
							unexpected = append(unexpected, err)
						}
					default:
						unexpected = append(unexpected, err)
					}
				})
			}
			for i, tk := range others {
				wg.Go(func() {
					if _, err := w.plazas[tk.ExitPlaza].Exit(tk, at.Add(time.Hour)); err != nil {
						t.Errorf("other ticket %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			if accepted != 1 || linked+revealed != copies-1 || len(unexpected) > 0 {
				t.Fatalf("accepted %d, linked %d, revealed %d, unexpected %v", accepted, linked, revealed, unexpected)
			}
			if revealed == 0 {
				t.Error("no copy for another exit plaza was revealed")
			}
			if got := w.provider.Stats().ExitSpent; got != 1+len(others) {
				t.Errorf("%d spent records, want %d", got, 1+len(others))
			}
		})
	}
}

// TestSpentStoreReplay stores records through an index on a ledger and
// reopens the store from the ledger.
func TestSpentStoreReplay(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	at := day0.Add(time.Hour)
	for i := range 3 {
		if _, err := w.plazas[2].Exit(w.ticket(t, i, 1, 2, at), at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	s, err := OpenSpentStore(w.ledger, KindExitSpent)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 {
		t.Fatalf("replayed %d records", s.Len())
	}
	// A fresh index over the replayed store still catches a double use.
	tk := w.ticket(t, 1, 2, 3, at)
	res, err := trs.NewIndex(s).CheckAndAdd(context.Background(), w.sales[0].Tag(), tk.Message(), tk.sig)
	if err != nil || res.Kind != trs.Revealed || !res.Key.Equal(w.passes[1].Key()) {
		t.Fatalf("replayed store: %+v, %v", res, err)
	}
}
