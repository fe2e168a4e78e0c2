package charging

import (
	"errors"
	"sync"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestConcurrentCharger: cars hand sessions to one charger from many
// goroutines, some twice and some in batches, while it delivers; every
// session is accepted exactly once and billed exactly once. Run with -race.
func TestConcurrentCharger(t *testing.T) {
	w := newWorld(t, 3)
	c := w.charger(ledger.NewMemory(), "charger-9")
	ss := w.sessions(24, "charger-9")
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := make(map[[32]byte]int)
	count := func(s *Session, err error) {
		switch {
		case err == nil:
			mu.Lock()
			accepted[s.ID()]++
			mu.Unlock()
		case !errors.Is(err, ErrReplayed):
			t.Error(err)
		}
	}
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(ss); i += 2 { // each session from two goroutines
				if i%3 == 0 {
					out, errs := c.AcceptBatch(ctx, [][]byte{ss[i].Bytes()}, ss[i].Time())
					count(out[0], errs[0])
				} else {
					count(c.Accept(ctx, ss[i].Bytes(), ss[i].Time()))
				}
				if i%5 == 0 {
					if _, err := c.Deliver(ctx, w.collector.Collect); err != nil {
						t.Error(err)
					}
					_ = c.Pending()
				}
			}
		})
	}
	wg.Wait()
	for _, s := range ss {
		if accepted[s.ID()] != 1 {
			t.Fatalf("session accepted %d times", accepted[s.ID()])
		}
	}
	if _, err := c.Deliver(ctx, w.collector.Collect); err != nil {
		t.Fatal(err)
	}
	if billed := billedTo(t, w.bill()); len(billed) != len(ss) {
		t.Fatalf("%d of %d sessions billed", len(billed), len(ss))
	}
}
