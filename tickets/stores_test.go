package tickets

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestSpentStoreReplay spends tickets through a store on a file ledger,
// reopens the file and checks the replayed store still knows them.
func TestSpentStoreReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spent.ledger")
	l, err := ledger.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l.Append(ctx, 0x0b01, []byte("another package's record"))
	s := newShop(t)
	store, err := OpenSpentStore(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	r := s.redeemer(t, store)
	for i := range 3 {
		if err := r.Redeem(ctx, s.ticket(t, i, "m"), t0); err != nil {
			t.Fatal(err)
		}
	}
	// A refused ticket is not stored.
	r.Redeem(ctx, s.ticket(t, 0, "again"), t0)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := ledger.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if l2.Len() != 4 {
		t.Errorf("%d entries, want the foreign one and three spent", l2.Len())
	}
	store2, err := OpenSpentStore(ctx, l2)
	if err != nil {
		t.Fatal(err)
	}
	r2 := s.redeemer(t, store2)
	var re *ReuseError
	if err := r2.Redeem(ctx, s.ticket(t, 1, "other"), t0); !errors.As(err, &re) || re.Kind != trs.Revealed || !re.Key.Equal(s.keys[1].Public()) {
		t.Errorf("double use after reopening: %v", err)
	}
	if err := r2.Redeem(ctx, s.ticket(t, 3, "m"), t0); err != nil {
		t.Errorf("the unspent key after reopening: %v", err)
	}
}

func TestSpentStoreRefusesDamage(t *testing.T) {
	l := ledger.NewMemory()
	l.Append(ctx, kindSpent, []byte{1, 1, 4, 0})
	if _, err := OpenSpentStore(ctx, l); !errors.Is(err, ErrMalformed) {
		t.Errorf("damaged record: %v", err)
	}
	if _, err := OpenSpentStore(ctx, nil); err == nil {
		t.Error("nil ledger accepted")
	}
	store, _ := OpenSpentStore(ctx, ledger.NewMemory())
	if err := store.CheckAndAdd(ctx, trs.Record{}, nil, func([]trs.Match) (bool, error) { return true, nil }); err == nil {
		t.Error("a record without fingerprints was stored")
	}
	// A failed append stores nothing, and the store answers nothing more
	// from memory (TestStoresAfterUnsureAppend has why).
	closed := ledger.NewMemory()
	store, _ = OpenSpentStore(ctx, closed)
	closed.Close()
	s := newShop(t)
	r := s.redeemer(t, store)
	if err := r.Redeem(ctx, s.ticket(t, 0, "m"), t0); err == nil || errors.Is(err, ErrReused) {
		t.Fatalf("spend on a closed ledger: %v", err)
	}
	if a, _ := r.Accept(s.ticket(t, 0, "m"), t0); a != nil {
		if res, err := r.Check(ctx, a); err == nil {
			t.Errorf("the store answered %v after a failed append", res.Kind)
		}
	}
}

func TestUsedSets(t *testing.T) {
	l := ledger.NewMemory()
	onLedger, err := OpenUsedSet(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	until := t0.Add(time.Hour)
	for name, set := range map[string]UsedSet{"memory": NewMemoryUsedSet(), "ledger": onLedger} {
		id := [32]byte{1}
		if first, err := set.Use(ctx, id, until); !first || err != nil {
			t.Errorf("%s: first use: %v %v", name, first, err)
		}
		if first, err := set.Use(ctx, id, until); first || err != nil {
			t.Errorf("%s: second use: %v %v", name, first, err)
		}
		// Concurrent uses of one new id: exactly one is first.
		var wg sync.WaitGroup
		var mu sync.Mutex
		firsts := 0
		for range 16 {
			wg.Go(func() {
				if first, err := set.Use(ctx, [32]byte{2}, until); err == nil && first {
					mu.Lock()
					firsts++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if firsts != 1 {
			t.Errorf("%s: %d first uses of one id", name, firsts)
		}
	}
	if l.Len() != 2 {
		t.Errorf("ledger set appended %d entries, want 2", l.Len())
	}
	again, err := OpenUsedSet(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	if first, _ := again.Use(ctx, [32]byte{1}, until); first {
		t.Error("a reopened set forgot a used id")
	}
	if first, _ := again.Use(ctx, [32]byte{3}, until); !first {
		t.Error("a reopened set refuses a new id")
	}
	if _, err := onLedger.Use(ctx, [32]byte{4}, time.Unix(-5, 0)); err == nil {
		t.Error("an until before 1970 was recorded")
	}
	bad := ledger.NewMemory()
	bad.Append(ctx, kindUsed, []byte{1, 1, 5})
	if _, err := OpenUsedSet(ctx, bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("damaged record: %v", err)
	}
	if _, err := OpenUsedSet(ctx, nil); err == nil {
		t.Error("nil ledger accepted")
	}
}
