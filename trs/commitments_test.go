package trs

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// specCommitments computes a_j and b_j by spec §5.3's formulas with
// filippo.io/edwards25519's multiplications, no tables.
func specCommitments(tag *Tag, s *Signature, a0 *ristretto.Element) (a, b []*ristretto.Element) {
	n := len(tag.ring.keys)
	sigma := make([]ristretto.Element, n)
	sigmaChain(sigma, a0, &s.a1)
	for j, k := range tag.ring.keys {
		a = append(a, new(ristretto.Element).VarTimeDoubleScalarBaseMult(&s.c[j], &k.e, &s.z[j]))
		zh := new(ristretto.Element).ScalarMult(&s.z[j], &tag.h)
		b = append(b, zh.Add(zh, new(ristretto.Element).ScalarMult(&s.c[j], &sigma[j])))
	}
	return a, b
}

// TestCommitmentsAgainstPlainFormulas checks the table-based commitments
// for ring sizes whose table shapes differ, before and after the tag has
// its table of h, with and without the ring's key tables, on random and
// edge scalars (0, 1, −1) and on an A1 that makes σ_j the identity at one
// position.
func TestCommitmentsAgainstPlainFormulas(t *testing.T) {
	rng := rand.New(rand.NewSource(31))
	sizes := []int{1, 2, 7, 10, 50, 301}
	if testing.Short() {
		sizes = []int{1, 2, 7, 10, 50}
	}
	minusOne := new(ristretto.Scalar).Negate(new(ristretto.Scalar).SetUint64(1))
	for _, n := range sizes {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			_, ring := testRing(t, rng, n)
			tag := NewTag([]byte("commitments"), ring)
			keys := newRingTables(ring)
			a0 := tag.a0([]byte("message"))
			s := &Signature{c: make([]ristretto.Scalar, n), z: make([]ristretto.Scalar, n)}
			for j := range n {
				s.c[j].Set(edgeOrRandomScalar(rng, j))
				s.z[j].Set(edgeOrRandomScalar(rng, j+1))
			}
			// A1 = −A0/k for a position k: σ_k = A0 + k·A1 is the identity.
			k := 1 + rng.Intn(n)
			kInv := new(ristretto.Scalar).Invert(new(ristretto.Scalar).SetUint64(uint64(k)))
			s.a1.ScalarMult(kInv.Multiply(kInv, minusOne), a0)
			wantA, wantB := specCommitments(tag, s, a0)
			for range 2 {
				for _, kt := range []*ringTables{nil, keys} {
					a := make([]ristretto.Element, n)
					b := make([]ristretto.Element, n)
					commitments(a, b, tag, kt, s, a0)
					for j := range n {
						if a[j].Equal(wantA[j]) != 1 || b[j].Equal(wantB[j]) != 1 {
							t.Fatalf("slot %d (tag table %v, key tables %v): commitments differ",
								j, tag.hBase.Load() != nil, kt != nil)
						}
					}
				}
				// Give the tag its table of h for the second round.
				for tag.hBase.Load() == nil {
					tag.hTable()
				}
			}
		})
	}
}

// edgeOrRandomScalar returns 0, 1 or −1 for the first slots and random
// scalars after.
func edgeOrRandomScalar(rng *rand.Rand, j int) *ristretto.Scalar {
	switch j {
	case 0:
		return ristretto.NewScalar()
	case 1:
		return new(ristretto.Scalar).SetUint64(1)
	case 2:
		return new(ristretto.Scalar).Negate(new(ristretto.Scalar).SetUint64(1))
	}
	var b [64]byte
	rng.Read(b[:])
	s, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
	return s
}

// TestTagTableSize pins the size the documentation gives for a tag's
// table of h.
func TestTagTableSize(t *testing.T) {
	if got := ristretto.BaseTableSize(tagTableWindow, 1); got != 165_120 {
		t.Fatalf("a tag's table of h takes %d bytes, the documentation says 165,120", got)
	}
}

// TestTagTableThreshold checks when a tag builds its table of h: on the
// use that reaches tagTableMemberUses/n uses, not before, and that
// signatures with the same randomness are the same bytes with and without
// it.
func TestTagTableThreshold(t *testing.T) {
	rng := rand.New(rand.NewSource(32))
	for _, n := range []int{1, 50, 300, 1000} {
		if testing.Short() && n > 50 {
			continue
		}
		privs, ring := testRing(t, rng, n)
		tag := NewTag([]byte("threshold"), ring)
		want := max(1, (tagTableMemberUses+n-1)/n)
		var rnd [32]byte
		before, err := sign(privs[0], tag, []byte("m"), &rnd) // use 1
		if err != nil {
			t.Fatal(err)
		}
		for use := 2; use <= want; use++ {
			if tag.hBase.Load() != nil {
				t.Fatalf("n=%d: table built after %d uses, want %d", n, use-1, want)
			}
			if err := Verify(tag, []byte("m"), before); err != nil {
				t.Fatal(err)
			}
		}
		if tag.hBase.Load() == nil {
			t.Fatalf("n=%d: no table after %d uses", n, want)
		}
		after, err := sign(privs[0], tag, []byte("m"), &rnd)
		if err != nil {
			t.Fatal(err)
		}
		if string(after.Bytes()) != string(before.Bytes()) {
			t.Fatalf("n=%d: the tag's table changed the signature", n)
		}
	}
}

// TestTagTableConcurrent has goroutines sign and verify under one fresh tag
// at once, across the use that builds its table of h: every result stays
// right, and exactly one table is kept. Run it with -race.
func TestTagTableConcurrent(t *testing.T) {
	rng := rand.New(rand.NewSource(33))
	const n = 30 // the table is built on the tenth use
	privs, ring := testRing(t, rng, n)
	tag := NewTag([]byte("concurrent table"), ring)
	msgs := make([][]byte, 8)
	sigs := make([]*Signature, len(msgs))
	for i := range msgs {
		msgs[i] = []byte{byte(i)}
		sigs[i] = testSign(t, rng, privs[i], NewTag([]byte("concurrent table"), ring), msgs[i])
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for r := range 4 {
				i := (g + r) % len(msgs)
				if err := Verify(tag, msgs[i], sigs[i]); err != nil {
					t.Error(err)
				}
				if _, err := Sign(privs[g], tag, msgs[i]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	first := tag.hBase.Load()
	if first == nil || tag.hTable() != first {
		t.Fatal("no table, or more than one")
	}
}
