package trs

import (
	"context"
	"crypto/sha512"
	"errors"
	"math/rand"
	"slices"
	"testing"
)

// storeModel is the reference the memory store is checked against: the
// records added under one tag, indexed by fingerprint and by the top 32
// bits of the fingerprint.
type storeModel struct {
	records []Record
	byFP    map[uint64][]int
	byTop   map[uint64][]int
}

func (m *storeModel) add(r Record, fps []uint64) {
	if m.byFP == nil {
		m.byFP, m.byTop = make(map[uint64][]int), make(map[uint64][]int)
	}
	m.records = append(m.records, r)
	for _, fp := range fps {
		m.byFP[fp] = append(m.byFP[fp], len(m.records)-1)
		m.byTop[fp>>32] = append(m.byTop[fp>>32], len(m.records)-1)
	}
}

// lookupAll calls CheckAndAdd with a decide function that records the
// candidates and stores nothing.
func lookupAll(t *testing.T, s Store, r Record, fps []uint64) []Match {
	t.Helper()
	var got []Match
	err := s.CheckAndAdd(ctx, r, fps, func(m []Match) (bool, error) {
		got = m
		return false, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestMemoryStoreFindsEveryCandidate adds random records, some sharing
// fingerprints, some fingerprints differing only in their low bits, under
// a few tags, and checks that every lookup returns every stored record that
// has one of the fingerprints (at the right slot), and nothing whose
// fingerprint's top 32 bits differ. It adds enough records under one tag to
// widen the record numbers twice (past 255 and 65535).
func TestMemoryStoreFindsEveryCandidate(t *testing.T) {
	rng := rand.New(rand.NewSource(51))
	s := NewMemoryStore()
	models := map[[DigestSize]byte]*storeModel{}
	tags := make([][DigestSize]byte, 3)
	for i := range tags {
		tags[i] = sha512.Sum512([]byte{byte(i)})
	}
	var pool []uint64 // earlier fingerprints, to reuse
	newFP := func() uint64 {
		switch {
		case len(pool) > 0 && rng.Intn(8) == 0:
			return pool[rng.Intn(len(pool))] // shared
		case len(pool) > 0 && rng.Intn(8) == 0:
			return pool[rng.Intn(len(pool))] ^ uint64(1+rng.Intn(255)) // low bits differ
		}
		fp := rng.Uint64()
		pool = append(pool, fp)
		return fp
	}
	check := func(tag [DigestSize]byte, fps []uint64) {
		t.Helper()
		m := models[tag]
		got := lookupAll(t, s, Record{Tag: tag}, fps)
		found := make(map[Match]bool)
		for _, c := range got {
			if c.Record.Tag != tag || c.Slot < 0 || c.Slot >= len(fps) {
				t.Fatalf("candidate with tag %x… at slot %d", c.Record.Tag[:4], c.Slot)
			}
			found[c] = true
			// A candidate must agree with the fingerprint in its top bits.
			if !slices.ContainsFunc(m.byTop[fps[c.Slot]>>32], func(i int) bool { return m.records[i] == c.Record }) {
				t.Fatalf("candidate that shares no top bits with the fingerprint at slot %d", c.Slot)
			}
		}
		for j, fp := range fps {
			for _, i := range m.byFP[fp] {
				if !found[Match{Record: m.records[i], Slot: j}] {
					t.Fatalf("stored record %d with fingerprint %x at slot %d not returned", i, fp, j)
				}
			}
		}
	}
	for _, tag := range tags {
		models[tag] = new(storeModel)
	}
	total := 90000
	if testing.Short() {
		total = 3000
	}
	for i := range total {
		tag := tags[0]
		if i%4 == 3 {
			tag = tags[1+rng.Intn(2)]
		}
		r := Record{Tag: tag}
		rng.Read(r.A0[:])
		rng.Read(r.A1[:])
		fps := make([]uint64, 1+rng.Intn(3))
		for j := range fps {
			fps[j] = newFP()
		}
		if i%500 == 0 || i < 300 {
			check(tag, fps)
		}
		if err := s.CheckAndAdd(ctx, r, fps, addAlways); err != nil {
			t.Fatal(err)
		}
		models[tag].add(r, fps)
		if i%97 == 0 {
			check(tag, fps) // finds itself
		}
	}
	// Every stored record is found by its own fingerprints.
	for tag, m := range models {
		for fp, records := range m.byFP {
			if records[0]%7 == 0 || records[0] < 300 {
				check(tag, []uint64{rng.Uint64(), fp})
			}
		}
	}
	if bits := s.(*memoryStore).shards[shardOf(&tags[0])].tags[tags[0]].idBits; total > 1<<16 && bits != 24 {
		t.Fatalf("record numbers have %d bits after %d records", bits, total)
	}
	// The tables stay within the documented load.
	for _, tag := range tags {
		tt := s.(*memoryStore).shards[shardOf(&tag)].tags[tag]
		if load := float64(tt.used) / float64(len(tt.slots)); load > tableMaxLoad || load < tableGrownLoad-0.05 {
			t.Fatalf("fingerprint table %.0f%% full", 100*load)
		}
	}
}

// TestMemoryStoreDecide checks the contract around decide: nothing is
// stored when it says no or fails, its error is returned, and a cancelled
// context stops the call before decide.
func TestMemoryStoreDecide(t *testing.T) {
	s := NewMemoryStore()
	r := Record{Tag: sha512.Sum512([]byte("decide"))}
	fps := []uint64{1 << 40, 2 << 40}
	boom := errors.New("boom")
	if err := s.CheckAndAdd(ctx, r, fps, func([]Match) (bool, error) { return true, boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if err := s.CheckAndAdd(ctx, r, fps, func([]Match) (bool, error) { return false, nil }); err != nil {
		t.Fatal(err)
	}
	if m := lookupAll(t, s, r, fps); len(m) != 0 {
		t.Fatalf("refused record stored: %v", m)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	called := false
	if err := s.CheckAndAdd(cancelled, r, fps, func([]Match) (bool, error) { called = true; return true, nil }); !errors.Is(err, context.Canceled) || called {
		t.Fatalf("cancelled context: %v, decide called %v", err, called)
	}
	var nilCtx context.Context
	if err := s.CheckAndAdd(nilCtx, r, fps, addAlways); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("nil context: %v", err)
	}
	if err := s.CheckAndAdd(ctx, r, fps, nil); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("nil decide: %v", err)
	}
	if err := s.CheckAndAdd(ctx, r, fps, addAlways); err != nil {
		t.Fatal(err)
	}
	if m := lookupAll(t, s, r, fps); len(m) != 2 || m[0].Slot != 0 || m[1].Slot != 1 || m[0].Record != r {
		t.Fatalf("stored record: %v", m)
	}
}
