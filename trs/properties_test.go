package trs

import (
	"bytes"
	"errors"
	"math/rand"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

const propertySeed = 0x7472732d7631 // "trs-v1"

func properties(t *testing.T, full, short int) *gopter.Properties {
	params := gopter.DefaultTestParametersWithSeed(propertySeed)
	params.MinSuccessfulTests = full
	if testing.Short() {
		params.MinSuccessfulTests = short
	}
	return gopter.NewProperties(params)
}

// fixture is one signed message under a deterministic ring.
type fixture struct {
	rng   *rand.Rand
	privs []*PrivateKey
	ring  *Ring
	issue []byte
	tag   *Tag
	slot  int
	msg   []byte
	sig   *Signature
}

func newFixture(t testing.TB, n int, seed int64) *fixture {
	f := &fixture{rng: rand.New(rand.NewSource(seed))}
	f.privs, f.ring = testRing(t, f.rng, n)
	f.issue = randomBytes(f.rng, 1+f.rng.Intn(24))
	f.tag = NewTag(f.issue, f.ring)
	f.slot = f.rng.Intn(n)
	f.msg = randomBytes(f.rng, f.rng.Intn(40))
	f.sig = testSign(t, f.rng, f.privs[f.slot], f.tag, f.msg)
	return f
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	rng.Read(b)
	return b
}

// TestCompletenessEveryPosition signs and verifies at every position of
// every ring size up to 16 (8 under -short), and at the first, last and
// two random positions of every size up to 64 (a spread of sizes under
// -short).
func TestCompletenessEveryPosition(t *testing.T) {
	rng := rand.New(rand.NewSource(propertySeed))
	exhaustive, sizes := 16, make([]int, 0, 64)
	for n := 1; n <= 64; n++ {
		sizes = append(sizes, n)
	}
	if testing.Short() {
		exhaustive, sizes = 8, []int{1, 2, 3, 5, 8, 13, 21, 34, 55, 64}
	}
	for _, n := range sizes {
		privs, ring := testRing(t, rng, n)
		tag := NewTag(randomBytes(rng, 8), ring)
		slots := []int{0, n - 1, rng.Intn(n), rng.Intn(n)}
		if n <= exhaustive {
			slots = slots[:0]
			for k := range n {
				slots = append(slots, k)
			}
		}
		for _, k := range slots {
			msg := randomBytes(rng, rng.Intn(64))
			sig, err := Sign(privs[k], tag, msg)
			if err != nil {
				t.Fatalf("n=%d slot %d: Sign: %v", n, k, err)
			}
			if got := len(sig.Bytes()); got != SignatureSize(n) {
				t.Fatalf("n=%d: signature is %d bytes, want %d", n, got, SignatureSize(n))
			}
			if err := Verify(tag, msg, sig); err != nil {
				t.Fatalf("n=%d slot %d: Verify: %v", n, k, err)
			}
		}
	}
}

func TestPropertyCompleteness(t *testing.T) {
	p := properties(t, 60, 10)
	p.Property("a member's signature verifies and round-trips", prop.ForAll(
		func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			if Verify(f.tag, f.msg, f.sig) != nil {
				return false
			}
			parsed, err := ParseSignature(f.sig.Bytes())
			return err == nil && bytes.Equal(parsed.Bytes(), f.sig.Bytes()) &&
				parsed.RingSize() == n && Verify(f.tag, f.msg, parsed) == nil
		},
		gen.IntRange(1, 64), gen.Int64()))
	p.TestingRun(t)
}

func TestPropertyTampering(t *testing.T) {
	p := properties(t, 200, 40)
	p.Property("any changed signature byte fails", prop.ForAll(
		func(n int, seed int64, pos int, bit uint8) bool {
			f := newFixture(t, n, seed)
			b := f.sig.Bytes()
			b[pos%len(b)] ^= 1 << (bit % 8)
			sig, err := ParseSignature(b)
			return err != nil || Verify(f.tag, f.msg, sig) != nil
		},
		gen.IntRange(1, 6), gen.Int64(), gen.IntRange(0, 1<<20), gen.UInt8()))
	p.Property("any changed, added or dropped message byte fails", prop.ForAll(
		func(n int, seed int64, pos int, op int) bool {
			f := newFixture(t, n, seed)
			m := bytes.Clone(f.msg)
			switch {
			case op == 0 || len(m) == 0:
				m = append(m, byte(pos))
			case op == 1:
				m = slices.Delete(m, pos%len(m), pos%len(m)+1)
			default:
				m[pos%len(m)] ^= byte(1 + pos%255)
			}
			return errors.Is(Verify(f.tag, m, f.sig), ErrInvalidSignature)
		},
		gen.IntRange(1, 6), gen.Int64(), gen.IntRange(0, 1<<20), gen.IntRange(0, 2)))
	p.Property("any changed issue byte fails", prop.ForAll(
		func(n int, seed int64, pos int) bool {
			f := newFixture(t, n, seed)
			issue := bytes.Clone(f.issue)
			issue[pos%len(issue)] ^= byte(1 + pos%255)
			return errors.Is(Verify(NewTag(issue, f.ring), f.msg, f.sig), ErrInvalidSignature) &&
				errors.Is(Verify(NewTag(append(bytes.Clone(f.issue), 0), f.ring), f.msg, f.sig), ErrInvalidSignature)
		},
		gen.IntRange(1, 6), gen.Int64(), gen.IntRange(0, 1<<20)))
	p.Property("any changed ring byte or replaced ring key fails", prop.ForAll(
		func(n int, seed int64, pos int, bit uint8) bool {
			f := newFixture(t, n, seed)
			rb := f.ring.Bytes()
			at := 4 + pos%(len(rb)-4)
			rb[at] ^= 1 << (bit % 8)
			if r, err := ParseRing(rb); err == nil && Verify(NewTag(f.issue, r), f.msg, f.sig) == nil {
				return false
			}
			// Replace the key in one slot by a fresh one (the ring stays
			// canonical after sorting).
			keys := make([]*PublicKey, n)
			for k := range keys {
				keys[k] = f.ring.Key(k)
			}
			keys[pos%n] = testKey(f.rng).Public()
			r, err := NewRing(keys)
			return err == nil && errors.Is(Verify(NewTag(f.issue, r), f.msg, f.sig), ErrInvalidSignature)
		},
		gen.IntRange(1, 6), gen.Int64(), gen.IntRange(0, 1<<20), gen.UInt8()))
	p.Property("appended or dropped (c, z) pairs fail", prop.ForAll(
		func(n int, seed int64, zeroC bool) bool {
			f := newFixture(t, n, seed)
			b := f.sig.Bytes()
			cs, zs := b[32:32+32*n], b[32+32*n:]
			extraC := randomScalarBytes(f.rng)
			if zeroC {
				extraC = make([]byte, 32)
			}
			longer := slices.Concat(b[:32], cs, extraC, zs, randomScalarBytes(f.rng))
			sig, err := ParseSignature(longer)
			if err != nil || !errors.Is(Verify(f.tag, f.msg, sig), ErrRingMismatch) {
				return false
			}
			if n == 1 {
				return true
			}
			shorter := slices.Concat(b[:32], cs[:32*(n-1)], zs[:32*(n-1)])
			sig, err = ParseSignature(shorter)
			return err == nil && errors.Is(Verify(f.tag, f.msg, sig), ErrRingMismatch)
		},
		gen.IntRange(1, 6), gen.Int64(), gen.Bool()))
	p.TestingRun(t)
}

func randomScalarBytes(rng *rand.Rand) []byte {
	var b [64]byte
	rng.Read(b[:])
	s, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
	return s.Bytes()
}

func TestPropertyTrace(t *testing.T) {
	p := properties(t, 60, 12)
	p.Property("same key, two messages: Revealed with slot and key", prop.ForAll(
		func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			m2 := append(bytes.Clone(f.msg), 'x')
			sig2 := testSign(t, f.rng, f.privs[f.slot], f.tag, m2)
			res, err := Trace(f.tag, f.msg, f.sig, m2, sig2)
			return err == nil && res.Kind == Revealed && res.Index == f.slot &&
				res.Key.Equal(f.privs[f.slot].Public())
		},
		gen.IntRange(1, 8), gen.Int64()))
	p.Property("same key, same message: Linked (n ≥ 2)", prop.ForAll(
		func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			sig2 := testSign(t, f.rng, f.privs[f.slot], f.tag, f.msg)
			res, err := Trace(f.tag, f.msg, f.sig, f.msg, sig2)
			return err == nil && res.Kind == Linked && res.Index == -1 && res.Key == nil
		},
		gen.IntRange(2, 8), gen.Int64()))
	p.Property("different keys: Indep, on any messages", prop.ForAll(
		func(n int, seed int64, sameMsg bool) bool {
			f := newFixture(t, n, seed)
			other := (f.slot + 1 + f.rng.Intn(n-1)) % n
			m2 := f.msg
			if !sameMsg {
				m2 = append(bytes.Clone(f.msg), 'y')
			}
			sig2 := testSign(t, f.rng, f.privs[other], f.tag, m2)
			res, err := Trace(f.tag, f.msg, f.sig, m2, sig2)
			return err == nil && res.Kind == Indep && res.Index == -1
		},
		gen.IntRange(2, 8), gen.Int64(), gen.Bool()))
	p.Property("the same key under two tags is not traced (invalid under the other tag)", prop.ForAll(
		func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			tag2 := NewTag(append(bytes.Clone(f.issue), 1), f.ring)
			sig2 := testSign(t, f.rng, f.privs[f.slot], tag2, f.msg)
			_, err := Trace(f.tag, f.msg, f.sig, f.msg, sig2)
			return errors.Is(err, ErrInvalidSignature)
		},
		gen.IntRange(1, 4), gen.Int64()))
	p.TestingRun(t)
}

// TestTraceRingOfOne: spec §6, two signatures by the only member of a ring
// of one are Revealed, on two messages and on one.
func TestTraceRingOfOne(t *testing.T) {
	f := newFixture(t, 1, 5)
	for _, m2 := range [][]byte{[]byte("other"), f.msg} {
		sig2 := testSign(t, f.rng, f.privs[0], f.tag, m2)
		res, err := Trace(f.tag, f.msg, f.sig, m2, sig2)
		if err != nil || res.Kind != Revealed || res.Index != 0 || !res.Key.Equal(f.privs[0].Public()) {
			t.Fatalf("n = 1, second message %q: got %+v, %v; want Revealed at slot 0", m2, res, err)
		}
	}
}

func TestPropertyCanonicalRing(t *testing.T) {
	p := properties(t, 200, 50)
	p.Property("any permutation of the keys gives the same canonical ring", prop.ForAll(
		func(n int, seed int64) bool {
			rng := rand.New(rand.NewSource(seed))
			keys := make([]*PublicKey, n)
			for k := range keys {
				keys[k] = testKey(rng).Public()
			}
			r1, err1 := NewRing(keys)
			rng.Shuffle(n, func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
			r2, err2 := NewRing(keys)
			if err1 != nil || err2 != nil || !bytes.Equal(r1.Bytes(), r2.Bytes()) {
				return false
			}
			for k := 1; k < n; k++ {
				if bytes.Compare(r1.Key(k-1).Bytes(), r1.Key(k).Bytes()) >= 0 {
					return false
				}
			}
			parsed, err := ParseRing(r1.Bytes())
			return err == nil && bytes.Equal(parsed.Bytes(), r1.Bytes()) &&
				NewTag([]byte("i"), r1).Digest() == NewTag([]byte("i"), r2).Digest()
		},
		gen.IntRange(1, 40), gen.Int64()))
	p.Property("a duplicate key is rejected", prop.ForAll(
		func(n int, seed int64) bool {
			rng := rand.New(rand.NewSource(seed))
			keys := make([]*PublicKey, n)
			for k := range keys {
				keys[k] = testKey(rng).Public()
			}
			dup, _ := ParsePublicKey(keys[rng.Intn(n)].Bytes())
			_, err := NewRing(append(keys, dup))
			return errors.Is(err, ErrInvalidInput)
		},
		gen.IntRange(1, 20), gen.Int64()))
	p.Property("keys round-trip", prop.ForAll(
		func(seed int64) bool {
			k := testKey(rand.New(rand.NewSource(seed)))
			k2, err := ParsePrivateKey(k.Bytes())
			if err != nil || !k2.Public().Equal(k.Public()) {
				return false
			}
			p, err := ParsePublicKey(k.Public().Bytes())
			return err == nil && p.Equal(k.Public())
		},
		gen.Int64()))
	p.TestingRun(t)
}
