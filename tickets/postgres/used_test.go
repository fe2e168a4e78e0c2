package postgres

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
)

var _ tickets.UsedSet = (*UsedSet)(nil)

func usedID(i int) [32]byte { return sha256.Sum256(fmt.Appendf(nil, "test id %d", i)) }

func TestUsedSet(t *testing.T) {
	db, _ := newTestDB(t)
	u := db.UsedSet()
	until := time.Now().Add(time.Hour)
	use := func(id [32]byte, want bool) {
		t.Helper()
		first, err := u.Use(ctx, id, until)
		if err != nil || first != want {
			t.Fatalf("Use(%x…) = %v, %v; want %v", id[:4], first, err, want)
		}
	}
	use(usedID(1), true)
	use(usedID(1), false)
	use(usedID(2), true)
	use(usedID(1), false)
	if _, err := u.Use(ctx, usedID(3), time.Time{}); err == nil {
		t.Fatal("zero until accepted")
	}
}

// TestUsedSetConcurrent: many goroutines on two pools use the same ids at
// once; each id has exactly one first use.
func TestUsedSetConcurrent(t *testing.T) {
	db, cfg := newTestDB(t)
	sets := []*UsedSet{db.UsedSet(), openConfig(t, cfg).UsedSet()}
	const ids, users = 20, 8
	var firsts [ids]atomic.Int32
	var wg sync.WaitGroup
	until := time.Now().Add(time.Hour)
	for g := range users {
		wg.Go(func() {
			for i := range ids {
				first, err := sets[g%2].Use(ctx, usedID((i+g)%ids), until)
				if err != nil {
					t.Error(err)
					return
				}
				if first {
					firsts[(i+g)%ids].Add(1)
				}
			}
		})
	}
	wg.Wait()
	for i := range firsts {
		if n := firsts[i].Load(); n != 1 {
			t.Fatalf("id %d: %d first uses", i, n)
		}
	}
}

// TestUsedSetPrune: Prune forgets exactly the ids whose until has passed,
// over several batches; a forgotten id is new again.
func TestUsedSetPrune(t *testing.T) {
	db, _ := newTestDB(t)
	u := db.UsedSet()
	u.pruneBatch = 3
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for i := range 10 {
		until := now.Add(time.Hour)
		if i < 7 {
			until = now.Add(-time.Duration(i+1) * time.Minute)
		}
		if first, err := u.Use(ctx, usedID(i), until); err != nil || !first {
			t.Fatal(first, err)
		}
	}
	if n, err := u.Prune(ctx, now); err != nil || n != 7 {
		t.Fatalf("Prune forgot %d (%v), want 7", n, err)
	}
	if n, err := u.Prune(ctx, now); err != nil || n != 0 {
		t.Fatalf("second Prune forgot %d (%v)", n, err)
	}
	for i := range 10 {
		first, err := u.Use(ctx, usedID(i), now.Add(time.Hour))
		if err != nil || first != (i < 7) {
			t.Fatalf("id %d after pruning: first = %v (%v)", i, first, err)
		}
	}
}
