package trs

import (
	"bytes"
	"context"
	"errors"
	"math/rand"
	"slices"
	"testing"
)

func TestIndexKinds(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	privs, ring := testRing(t, rng, 6)
	tag := NewTag([]byte("sale-1"), ring)
	other := NewTag([]byte("sale-2"), ring)
	idx := NewIndex(NewMemoryStore())

	check := func(tag *Tag, k int, msg string, want Kind, wantSlot int) {
		t.Helper()
		sig := testSign(t, rng, privs[k], tag, []byte(msg))
		res, err := idx.CheckAndAdd(ctx, tag, []byte(msg), sig)
		if err != nil {
			t.Fatal(err)
		}
		if res.Kind != want || res.Index != wantSlot {
			t.Fatalf("slot %d, %q: got %v at %d, want %v at %d", k, msg, res.Kind, res.Index, want, wantSlot)
		}
		if want == Revealed && !res.Key.Equal(privs[k].Public()) {
			t.Fatal("wrong revealed key")
		}
		if want != Revealed && res.Key != nil {
			t.Fatal("key reported without a reveal")
		}
	}
	for k := range privs {
		check(tag, k, "first", Fresh, -1)
	}
	check(tag, 2, "first", Linked, -1)   // replay, fresh nonces
	check(tag, 4, "second", Revealed, 4) // double use
	check(tag, 4, "third", Revealed, 4)  // and again: the revealed one was not stored
	check(other, 4, "first", Fresh, -1)  // another tag is independent
	check(other, 4, "x", Revealed, 4)
}

// TestCheckAcceptedDoesNotStore: CheckAccepted reports like
// CheckAndAddAccepted but leaves the store as it was.
func TestCheckAcceptedDoesNotStore(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	privs, ring := testRing(t, rng, 4)
	tag := NewTag([]byte("sale-1"), ring)
	idx := NewIndex(NewMemoryStore())
	accept := func(k int, msg string) *Accepted {
		t.Helper()
		a, err := Accept(tag, []byte(msg), testSign(t, rng, privs[k], tag, []byte(msg)))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	expect := func(res TraceResult, err error, want Kind) {
		t.Helper()
		if err != nil || res.Kind != want {
			t.Fatalf("got %v (%v), want %v", res.Kind, err, want)
		}
	}
	first := accept(1, "m1")
	res, err := idx.CheckAccepted(ctx, first)
	expect(res, err, Fresh)
	res, err = idx.CheckAccepted(ctx, first) // still not stored
	expect(res, err, Fresh)
	res, err = idx.CheckAndAddAccepted(ctx, accept(1, "m2")) // nothing stored: fresh
	expect(res, err, Fresh)
	res, err = idx.CheckAccepted(ctx, first) // now member 1 is stored
	expect(res, err, Revealed)
	res, err = idx.CheckAccepted(ctx, accept(2, "m1"))
	expect(res, err, Fresh)
	res, err = idx.CheckAndAddAccepted(ctx, accept(2, "m1")) // the check stored nothing
	expect(res, err, Fresh)
}

func TestIndexRejectsInvalid(t *testing.T) {
	f := newFixture(t, 3, 4)
	idx := NewIndex(nil)
	bad := f.sig.Bytes()
	bad[40] ^= 1
	sig, err := ParseSignature(bad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idx.CheckAndAdd(ctx, f.tag, f.msg, sig); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("invalid signature: %v", err)
	}
	if _, err := idx.CheckAndAddAccepted(ctx, nil); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("nil accepted: %v", err)
	}
	// Nothing was stored: the valid one is fresh.
	if res, err := idx.CheckAndAdd(ctx, f.tag, f.msg, f.sig); err != nil || res.Kind != Fresh {
		t.Fatalf("got %v, %v", res, err)
	}
}

// collidingStore returns every stored record at every slot: each is a
// (false) hit that the index must confirm.
type collidingStore struct{ recs []Record }

func (s *collidingStore) CheckAndAdd(_ context.Context, r Record, fps []uint64, decide func([]Match) (bool, error)) error {
	var m []Match
	for _, rec := range s.recs {
		for j := range fps {
			m = append(m, Match{Record: rec, Slot: j})
		}
	}
	add, err := decide(m)
	if err == nil && add {
		s.recs = append(s.recs, r)
	}
	return err
}

func TestIndexConfirmsFingerprintHits(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	privs, ring := testRing(t, rng, 5)
	tag := NewTag([]byte("t"), ring)
	idx := NewIndex(new(collidingStore))
	for k := range privs {
		sig := testSign(t, rng, privs[k], tag, []byte("m"))
		if res, err := idx.CheckAndAdd(ctx, tag, []byte("m"), sig); err != nil || res.Kind != Fresh {
			t.Fatalf("slot %d: false positive became %v (%v)", k, res.Kind, err)
		}
	}
	sig := testSign(t, rng, privs[3], tag, []byte("n"))
	if res, _ := idx.CheckAndAdd(ctx, tag, []byte("n"), sig); res.Kind != Revealed || res.Index != 3 {
		t.Fatalf("got %+v", res)
	}
}

type failingStore struct{}

var errDisk = errors.New("disk on fire")

func (failingStore) CheckAndAdd(context.Context, Record, []uint64, func([]Match) (bool, error)) error {
	return errDisk
}

func TestIndexStoreErrors(t *testing.T) {
	f := newFixture(t, 2, 6)
	if res, err := NewIndex(failingStore{}).CheckAndAdd(ctx, f.tag, f.msg, f.sig); !errors.Is(err, errDisk) || res.Kind == Fresh {
		t.Fatalf("got %v, %v", res, err)
	}
	// A store returning garbage gives an error, not a panic or a verdict.
	garbage := &collidingStore{recs: []Record{{Tag: f.tag.Digest()}}}
	garbage.recs[0].A1[0] = 0xff
	if _, err := NewIndex(garbage).CheckAndAdd(ctx, f.tag, f.msg, f.sig); err == nil {
		t.Fatal("malformed stored record accepted")
	}
}

func TestRecordRoundTripAndFingerprints(t *testing.T) {
	f := newFixture(t, 7, 8)
	a, err := Accept(f.tag, f.msg, f.sig)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Record()
	r2, err := ParseRecord(r.Bytes())
	if err != nil || r2 != r || !bytes.Equal(r2.Bytes(), r.Bytes()) {
		t.Fatalf("record round trip: %v", err)
	}
	fps, err := r.Fingerprints(7)
	if err != nil || !slices.Equal(fps, a.fps) {
		t.Fatalf("Record.Fingerprints disagrees with Accept: %v", err)
	}
	for _, n := range []int{0, -1, MaxRingSize + 1} {
		if _, err := r.Fingerprints(n); err == nil {
			t.Fatalf("Fingerprints(%d) accepted", n)
		}
	}
	seen := map[uint64]bool{}
	for _, fp := range fps {
		if seen[fp] {
			t.Fatal("repeated fingerprint within one signature")
		}
		seen[fp] = true
	}
	if a.Tag() != f.tag {
		t.Fatal("Accepted.Tag")
	}
}
