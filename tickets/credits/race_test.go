package credits

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/trs"
)

// TestConcurrentMachines: machines running at once, each its own redeemer
// over one store, are offered every credit several times; each credit is
// taken exactly once, and every other spend of it is refused as reused.
// Run with -race.
func TestConcurrentMachines(t *testing.T) {
	s := newShop(t, 6)
	spent := trs.NewMemoryStore()
	const machines = 3
	ms := make([]*Machine, machines)
	for j := range ms {
		ms[j] = s.machine(t, fmt.Sprintf("machine-%d", j), spent)
	}
	now := t0.Add(time.Hour)
	taken := make([]atomic.Int32, len(s.devices))
	var wg sync.WaitGroup
	for j, m := range ms {
		for i := range s.devices {
			wg.Go(func() {
				tk, err := NewSpend(s.devices[i], s.sale, fmt.Sprintf("machine-%d", j), now)
				if err == nil {
					_, err = m.Redeem(ctx, tk.Bytes(), now)
				}
				switch {
				case err == nil:
					taken[i].Add(1)
				case !errors.Is(err, tickets.ErrReused):
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	for i := range taken {
		if n := taken[i].Load(); n != 1 {
			t.Errorf("credit %d taken %d times", i, n)
		}
	}
}
