package loans

import (
	"errors"
	"sync"
	"testing"
)

// TestConcurrentPledges: lenders pledge to two loans at once while others
// read the pool; the loans are funded exactly, never beyond their amount,
// and a replay agrees. Run with -race.
func TestConcurrentPledges(t *testing.T) {
	h := newHarness(t, 4, 2)
	loans := []ID{h.request(0, 50, 50, 1, 1), h.request(1, 50, 50, 1, 1)}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for lender := range 4 {
		wg.Go(func() {
			for round := range 4 {
				enc, err := h.lenders[lender].Pledge(h.pool, loans[(lender+round)%2], euros(10))
				if err == nil {
					err = h.pool.Submit(h.ctx, enc)
				}
				if err != nil && !errors.Is(err, ErrRefused) {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			for range 20 {
				for _, l := range h.pool.Loans() {
					if l.Amount.Units() < 50 {
						errs <- errors.New("snapshot changed")
					}
				}
				_ = h.pool.Obligations(h.pool.Period())
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, id := range loans {
		l := h.loan(id)
		var sum int64
		for _, p := range l.Pledges {
			sum += p.Amount.Units()
		}
		if sum != 50 || l.Status != Funded {
			t.Fatalf("loan pledged %d, %v", sum, l.Status)
		}
	}
	replayed, err := Open(h.ctx, h.ledger, h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	samePool(t, h.pool, replayed)
}
