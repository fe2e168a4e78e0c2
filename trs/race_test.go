package trs

import (
	"context"
	"fmt"
	"math/rand"
	"runtime"
	"sync"
	"testing"
)

// TestConcurrentIndexAndVerify has many goroutines verify and index
// signatures on shared tags, rings and stores at once. Every member signs
// several different messages (and some are replayed); across all
// goroutines exactly one signature per member and tag may come back Fresh,
// and every other must be Revealed (with that member's slot) or Linked.
// Run it with -race.
func TestConcurrentIndexAndVerify(t *testing.T) {
	n, perMember, goroutines := 6, 3, 16
	if testing.Short() {
		n, perMember, goroutines = 4, 2, 8
	}
	rng := rand.New(rand.NewSource(14))
	privs, ring := testRing(t, rng, n)
	tags := []*Tag{NewTag([]byte("tag A"), ring), NewTag([]byte("tag B"), ring)}

	type job struct {
		tag  *Tag
		slot int
		msg  []byte
		sig  *Signature
	}
	var jobs []job
	for _, tag := range tags {
		for k := range privs {
			for m := range perMember {
				msg := []byte(fmt.Sprintf("trip %d", m))
				j := job{tag, k, msg, testSign(t, rng, privs[k], tag, msg)}
				jobs = append(jobs, j, j) // each submitted twice
			}
		}
	}
	rng.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })

	idx := NewIndex(NewMemoryStore())
	results := make([]TraceResult, len(jobs))
	var wg sync.WaitGroup
	var next sync.Mutex
	cursor := 0
	for range goroutines {
		wg.Go(func() {
			for {
				next.Lock()
				i := cursor
				cursor++
				next.Unlock()
				if i >= len(jobs) {
					return
				}
				j := jobs[i]
				if err := Verify(j.tag, j.msg, j.sig); err != nil {
					t.Error(err)
					return
				}
				res, err := idx.CheckAndAdd(ctx, j.tag, j.msg, j.sig)
				if err != nil {
					t.Error(err)
					return
				}
				results[i] = res
			}
		})
	}
	// Batch verification races with the rest.
	items := make([]BatchItem, len(jobs))
	for i, j := range jobs {
		items[i] = BatchItem{j.tag, j.msg, j.sig}
	}
	for i, err := range VerifyBatch(items) {
		if err != nil {
			t.Errorf("batch item %d: %v", i, err)
		}
	}
	wg.Wait()

	fresh := map[[2]int]int{}
	for i, res := range results {
		j := jobs[i]
		key := [2]int{int(j.tag.issue[4]), j.slot}
		switch res.Kind {
		case Fresh:
			fresh[key]++
		case Revealed:
			if res.Index != j.slot || !res.Key.Equal(privs[j.slot].Public()) {
				t.Errorf("job %d revealed slot %d, signer is %d", i, res.Index, j.slot)
			}
		case Linked:
		default:
			t.Errorf("job %d: %v", i, res.Kind)
		}
	}
	for _, tag := range tags {
		for k := range privs {
			if c := fresh[[2]int{int(tag.issue[4]), k}]; c != 1 {
				t.Errorf("%s, slot %d: %d fresh results, want 1", tag.issue, k, c)
			}
		}
	}
}

// yieldingStore gives up the processor between its lookup and its add,
// widening the window in which a store without its own atomicity would let
// two checks of one member both find nothing.
type yieldingStore struct{ Store }

func (s yieldingStore) CheckAndAdd(ctx context.Context, r Record, fps []uint64, decide func([]Match) (bool, error)) error {
	return s.Store.CheckAndAdd(ctx, r, fps, func(m []Match) (bool, error) {
		runtime.Gosched()
		return decide(m)
	})
}

// TestIndexOneFreshPerMember releases many goroutines at once, each
// checking a different signature by the same member under the same tag:
// exactly one may be Fresh, every other must reveal that member.
func TestIndexOneFreshPerMember(t *testing.T) {
	goroutines := 32
	if testing.Short() {
		goroutines = 12
	}
	rng := rand.New(rand.NewSource(21))
	privs, ring := testRing(t, rng, 3)
	tag := NewTag([]byte("one fresh"), ring)
	accepted := make([]*Accepted, goroutines)
	for i := range accepted {
		msg := []byte(fmt.Sprintf("trip %d", i))
		a, err := Accept(tag, msg, testSign(t, rng, privs[1], tag, msg))
		if err != nil {
			t.Fatal(err)
		}
		accepted[i] = a
	}
	idx := NewIndex(yieldingStore{NewMemoryStore()})
	results := make([]TraceResult, goroutines)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Go(func() {
			<-start
			res, err := idx.CheckAndAddAccepted(ctx, accepted[i])
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	close(start)
	wg.Wait()
	fresh := 0
	for i, res := range results {
		switch {
		case res.Kind == Fresh:
			fresh++
		case res.Kind != Revealed || res.Index != 1:
			t.Errorf("goroutine %d: %v at slot %d, want Revealed at slot 1", i, res.Kind, res.Index)
		}
	}
	if fresh != 1 {
		t.Fatalf("%d Fresh results for one member under one tag, want 1", fresh)
	}
}
