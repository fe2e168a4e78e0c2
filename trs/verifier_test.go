package trs

import (
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"sync"
	"testing"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// signed is a tag with valid signatures under it.
type signed struct {
	tag  *Tag
	msgs [][]byte
	sigs []*Signature
}

func signMany(t testing.TB, rng *rand.Rand, n, count int, issue string) *signed {
	t.Helper()
	privs, ring := testRing(t, rng, n)
	s := &signed{tag: NewTag([]byte(issue), ring)}
	for i := range count {
		msg := []byte(fmt.Sprintf("%s ticket %d", issue, i))
		s.msgs = append(s.msgs, msg)
		s.sigs = append(s.sigs, testSign(t, rng, privs[i%n], s.tag, msg))
	}
	return s
}

// tampered returns sig with c_1, z_n or A1 (doubled) changed.
func tampered(t testing.TB, sig *Signature, which int) *Signature {
	t.Helper()
	b := sig.Bytes()
	switch which % 3 {
	case 0:
		b[32] ^= 1
	case 1:
		b[len(b)-32] ^= 1
	case 2:
		var a1 ristretto.Element
		copy(b[:32], a1.Add(&sig.a1, &sig.a1).Bytes())
	}
	s, err := ParseSignature(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (v *Verifier) hasTables(r *Ring) bool { return v.lookup(r) != nil }

// TestVerifierMatchesVerify verifies valid and tampered signatures before
// and after the Verifier has built the ring's tables, and checks that the
// results, errors and index records are those of Verify and Accept.
func TestVerifierMatchesVerify(t *testing.T) {
	rng := rand.New(rand.NewSource(41))
	s := signMany(t, rng, 6, 12, "verifier")
	v := NewVerifier(1 << 30)
	successes := 0 // successful calls, two per round (Verify and Accept)
	for i, sig := range s.sigs {
		if got := v.hasTables(s.tag.ring); got != (successes >= verifierBuildAfter) {
			t.Fatalf("after %d verifications: tables built = %v", successes, got)
		}
		successes += 2
		if err := v.Verify(s.tag, s.msgs[i], sig); err != nil {
			t.Fatalf("signature %d: %v", i, err)
		}
		bad := tampered(t, sig, i)
		want, got := Verify(s.tag, s.msgs[i], bad), v.Verify(s.tag, s.msgs[i], bad)
		if got == nil || !errors.Is(got, ErrInvalidSignature) || got.Error() != want.Error() {
			t.Fatalf("tampered signature %d: Verifier says %v, Verify %v", i, got, want)
		}
		if err := v.Verify(s.tag, []byte("another message"), sig); !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("signature %d on another message: %v", i, err)
		}
		plain, err := Accept(s.tag, s.msgs[i], sig)
		if err != nil {
			t.Fatal(err)
		}
		cached, err := v.Accept(s.tag, s.msgs[i], sig)
		if err != nil {
			t.Fatal(err)
		}
		if plain.Record() != cached.Record() || fmt.Sprint(plain.fps) != fmt.Sprint(cached.fps) {
			t.Fatalf("signature %d: Accept and Verifier.Accept differ", i)
		}
	}
	// A tag with a different issue on the same ring uses the same tables.
	other := NewTag([]byte("other issue"), s.tag.ring)
	if err := v.Verify(other, s.msgs[0], s.sigs[0]); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("signature under another tag: %v", err)
	}
}

// TestVerifierSharesTablesAcrossRingValues parses the ring again: the
// cache is keyed by the encoding, not by the Ring value.
func TestVerifierSharesTablesAcrossRingValues(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	s := signMany(t, rng, 3, verifierBuildAfter, "shared")
	v := NewVerifier(1 << 30)
	for i, sig := range s.sigs {
		if err := v.Verify(s.tag, s.msgs[i], sig); err != nil {
			t.Fatal(err)
		}
	}
	parsed, err := ParseRing(s.tag.ring.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if parsed == s.tag.ring || !v.hasTables(parsed) {
		t.Fatal("a parsed copy of the ring does not find its tables")
	}
	if err := v.Verify(NewTag([]byte("shared"), parsed), s.msgs[0], s.sigs[0]); err != nil {
		t.Fatal(err)
	}
}

// checkAccounting verifies that v.used is the sum of its entries' sizes,
// within the bound, and that the list and the map agree.
func checkAccounting(t *testing.T, v *Verifier) {
	t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	sum := 0
	for el := v.lru.Front(); el != nil; el = el.Next() {
		e := el.Value.(*ringEntry)
		if v.byRing[e.key] != el {
			t.Fatal("list and map disagree")
		}
		sum += e.size
	}
	if sum != v.used || v.lru.Len() != len(v.byRing) {
		t.Fatalf("used = %d, entries sum to %d", v.used, sum)
	}
	if v.used > v.maxBytes {
		t.Fatalf("cache holds %d bytes, bound %d", v.used, v.maxBytes)
	}
}

// TestVerifierCacheBound fills a cache that holds the tables of two rings
// of three with three rings: the least recently used one is evicted, and
// the bytes stay within the bound.
func TestVerifierCacheBound(t *testing.T) {
	rng := rand.New(rand.NewSource(43))
	rings := []*signed{
		signMany(t, rng, 3, verifierBuildAfter+1, "A"),
		signMany(t, rng, 3, verifierBuildAfter+1, "B"),
		signMany(t, rng, 3, verifierBuildAfter+1, "C"),
	}
	v := NewVerifier(2*ringEntrySize(3) + 1)
	for _, s := range rings {
		for i, sig := range s.sigs {
			if err := v.Verify(s.tag, s.msgs[i], sig); err != nil {
				t.Fatal(err)
			}
			checkAccounting(t, v)
		}
	}
	if v.hasTables(rings[0].tag.ring) || !v.hasTables(rings[1].tag.ring) || !v.hasTables(rings[2].tag.ring) {
		t.Fatal("the least recently used ring was not the one evicted")
	}
	// Using B makes A's return evict C.
	for i, sig := range rings[1].sigs {
		v.Verify(rings[1].tag, rings[1].msgs[i], sig)
	}
	for i, sig := range rings[0].sigs {
		v.Verify(rings[0].tag, rings[0].msgs[i], sig)
	}
	checkAccounting(t, v)
	if !v.hasTables(rings[0].tag.ring) || !v.hasTables(rings[1].tag.ring) || v.hasTables(rings[2].tag.ring) {
		t.Fatal("eviction did not follow recent use")
	}
}

// TestVerifierCountsApart counts more rings than it keeps counts for,
// none of them verified often enough for tables: the tables it has stay,
// and the counts stay bounded.
func TestVerifierCountsApart(t *testing.T) {
	rng := rand.New(rand.NewSource(49))
	s := signMany(t, rng, 2, verifierBuildAfter, "kept")
	v := NewVerifier(ringEntrySize(2))
	for i, sig := range s.sigs {
		if err := v.Verify(s.tag, s.msgs[i], sig); err != nil {
			t.Fatal(err)
		}
	}
	for range verifierMaxCounted + 10 {
		_, ring := testRing(t, rng, 1)
		v.verifiedWithout(ring)
		if len(v.counts) > verifierMaxCounted {
			t.Fatalf("%d rings counted", len(v.counts))
		}
	}
	if !v.hasTables(s.tag.ring) {
		t.Fatal("counting other rings evicted the tables")
	}
	checkAccounting(t, v)
}

// TestVerifierWithoutRoom never builds tables that would not fit, and
// still verifies.
func TestVerifierWithoutRoom(t *testing.T) {
	rng := rand.New(rand.NewSource(44))
	s := signMany(t, rng, 4, 2*verifierBuildAfter, "small")
	for _, size := range []int{-1, 0, ringEntrySize(4) - 1} {
		v := NewVerifier(size)
		for i, sig := range s.sigs {
			if err := v.Verify(s.tag, s.msgs[i], sig); err != nil {
				t.Fatal(err)
			}
		}
		if v.hasTables(s.tag.ring) || v.used != 0 || len(v.counts) != 0 {
			t.Fatalf("cache of %d bytes: tables built or rings counted (%d bytes, %d counts)", size, v.used, len(v.counts))
		}
	}
}

func TestVerifierBadInputs(t *testing.T) {
	f := newFixture(t, 2, 45)
	var nilVerifier *Verifier
	if err := nilVerifier.Verify(f.tag, f.msg, f.sig); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if _, err := new(Verifier).Accept(f.tag, f.msg, f.sig); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	v := NewVerifier(1 << 20)
	for _, c := range []struct {
		tag  *Tag
		sig  *Signature
		want error
	}{
		{nil, f.sig, ErrInvalidInput},
		{NewTag(nil, nil), f.sig, ErrInvalidInput},
		{f.tag, nil, ErrInvalidInput},
		{f.tag, &Signature{}, ErrInvalidInput},
		{NewTag(nil, new(Ring)), f.sig, ErrRingMismatch},
	} {
		if err := v.Verify(c.tag, f.msg, c.sig); !errors.Is(err, c.want) {
			t.Errorf("Verify: got %v, want %v", err, c.want)
		}
		if _, err := v.Accept(c.tag, f.msg, c.sig); !errors.Is(err, c.want) {
			t.Errorf("Accept: got %v, want %v", err, c.want)
		}
	}
}

// TestVerifierConcurrent shares one Verifier, whose cache holds one ring's
// tables, between goroutines verifying valid and tampered signatures of
// three rings, so that tables are built, evicted and rebuilt while others
// use them. Run it with -race.
func TestVerifierConcurrent(t *testing.T) {
	rng := rand.New(rand.NewSource(46))
	perRing, goroutines := 12, 8
	if testing.Short() {
		perRing, goroutines = 8, 4
	}
	rings := []*signed{
		signMany(t, rng, 4, perRing, "X"),
		signMany(t, rng, 4, perRing, "Y"),
		signMany(t, rng, 4, perRing, "Z"),
	}
	type job struct {
		s   *signed
		i   int
		bad bool
	}
	var jobs []job
	for _, s := range rings {
		for i := range perRing {
			jobs = append(jobs, job{s, i, false}, job{s, i, true})
		}
	}
	var badSigs sync.Map
	v := NewVerifier(ringEntrySize(4) + 1)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for r := range 3 {
				for k := range jobs {
					j := jobs[(k*7+g+r)%len(jobs)]
					sig := j.s.sigs[j.i]
					if j.bad {
						b, _ := badSigs.LoadOrStore(sig, tampered(t, sig, j.i))
						sig = b.(*Signature)
					}
					err := v.Verify(j.s.tag, j.s.msgs[j.i], sig)
					if (err != nil) != j.bad {
						t.Errorf("ring %s signature %d (tampered %v): %v", j.s.tag.issue, j.i, j.bad, err)
						return
					}
				}
				runtime.Gosched()
			}
		})
	}
	wg.Wait()
	checkAccounting(t, v)
}

// TestRingTableSize measures the heap that the tables of a ring take and
// compares it with RingTableSize, which the Verifier charges per member.
func TestRingTableSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tables of 64 keys")
	}
	rng := rand.New(rand.NewSource(47))
	const n = 64
	_, ring := testRing(t, rng, n)
	before := heapInUse()
	rt := newRingTables(ring)
	perKey := float64(heapInUse()-before) / n
	runtime.KeepAlive(rt)
	if perKey > RingTableSize || perKey < 0.97*RingTableSize {
		t.Fatalf("ring tables take %.0f bytes per key, RingTableSize is %d", perKey, RingTableSize)
	}
}

// TestVerifyBatchBuildsSharedRingTables checks which items of a batch get
// key tables: those of rings shared by at least batchTablesAfter items, the
// rings with the most items first within the byte budget, and never items
// that fail before any multiplication.
func TestVerifyBatchBuildsSharedRingTables(t *testing.T) {
	rng := rand.New(rand.NewSource(48))
	big := signMany(t, rng, 3, batchTablesAfter+2, "big")
	enough := signMany(t, rng, 3, batchTablesAfter, "enough")
	few := signMany(t, rng, 3, batchTablesAfter-1, "few")
	var items []BatchItem
	for _, s := range []*signed{big, enough, few} {
		for i := range s.sigs {
			items = append(items, BatchItem{s.tag, s.msgs[i], s.sigs[i]})
		}
	}
	items = append(items, BatchItem{}, BatchItem{Tag: big.tag, Message: big.msgs[0]})
	for _, c := range []struct {
		budget      int
		big, enough bool
		description string
	}{
		{1 << 30, true, true, "room for all"},
		{3 * RingTableSize, true, false, "room for one ring"},
		{3*RingTableSize - 1, false, false, "no room"},
	} {
		keys := batchRingTables(items, c.budget)
		for i, it := range items {
			want := false
			switch {
			case it.Signature == nil:
			case it.Tag == big.tag:
				want = c.big
			case it.Tag == enough.tag:
				want = c.enough
			}
			if (keys[i] != nil) != want {
				t.Fatalf("%s: item %d has tables %v, want %v", c.description, i, keys[i] != nil, want)
			}
		}
	}
	for i, err := range VerifyBatch(items) {
		if (err != nil) != (items[i].Signature == nil) {
			t.Fatalf("item %d: %v", i, err)
		}
	}
}
