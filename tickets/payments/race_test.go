package payments

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// TestConcurrentTills presents one payment at many tills of the merchant at
// once, each its own Merchant sharing one used set, together with other
// payments: the one payment is accepted exactly once, the others each once.
func TestConcurrentTills(t *testing.T) {
	w := newWorld(t, 4)
	const tills = 8
	var ms []*Merchant
	for range tills {
		m := must(NewMerchant(w.shopKey.Public(), w.procKey.Public(), w.used))
		must(m.AddRoster(w.roster.Bytes()))
		ms = append(ms, m)
	}
	contested := w.pay(t, 0, 100, "contested").Bytes()
	var others [][]byte
	for i := range tills {
		others = append(others, w.pay(t, i%4, int64(200+i), "other").Bytes())
	}
	errs := make([]error, 2*tills)
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Go(func() { _, errs[i] = m.Accept(ctx, contested, t0.Add(time.Hour)) })
		wg.Go(func() { _, errs[tills+i] = m.Accept(ctx, others[i], t0.Add(time.Hour)) })
	}
	wg.Wait()
	won := 0
	for i, err := range errs[:tills] {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrUsed):
			t.Errorf("till %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("the payment was accepted %d times", won)
	}
	for i, err := range errs[tills:] {
		if err != nil {
			t.Errorf("other payment %d: %v", i, err)
		}
	}
}
