package reviews

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
)

// TestConcurrentPosts posts, from many goroutines at once, one review of
// every right and several different reviews of one right: every right but
// that one is accepted once, and exactly one of its reviews is accepted.
func TestConcurrentPosts(t *testing.T) {
	w := newWorldN(t, 6, kettle)
	var recs [][]byte
	for i, p := range w.purchases[1:] {
		recs = append(recs, w.review(t, p, 4, fmt.Sprintf("review %d", i)).Bytes())
	}
	const contenders = 6
	for i := range contenders {
		recs = append(recs, w.review(t, w.purchases[0], 1+i%5, fmt.Sprintf("contender %d", i)).Bytes())
	}
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	for i, rec := range recs {
		wg.Go(func() {
			_, errs[i] = w.board.Post(ctx, rec, t0.Add(time.Hour))
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		if i < len(w.purchases)-1 {
			if err != nil {
				t.Errorf("review %d: %v", i, err)
			}
			continue
		}
		switch {
		case err == nil:
			won++
		case !errors.Is(err, tickets.ErrReused):
			t.Errorf("contender: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d reviews of one right accepted", won)
	}
	if got := len(w.board.Reviews(kettle.Label)); got != len(w.purchases) {
		t.Fatalf("%d reviews on the board, want %d", got, len(w.purchases))
	}
}
