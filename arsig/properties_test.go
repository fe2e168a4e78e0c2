package arsig

import (
	"bytes"
	"errors"
	"math/rand"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/ringtrace/ringtrace/internal/transcript"
)

const propertySeed = 0x6172732d7631 // "ars-v1"

func properties(t *testing.T, full, short int) *gopter.Properties {
	params := gopter.DefaultTestParametersWithSeed(propertySeed)
	params.MinSuccessfulTests = full
	if testing.Short() {
		params.MinSuccessfulTests = short
	}
	return gopter.NewProperties(params)
}

// TestCompletenessEveryPosition signs, verifies, opens and judges at every
// position of every ring size from 1 to 70 with the default base (which
// makes n = N' for N' ≤ 16, and pads for most larger sizes). Under -short
// it covers every position of sizes up to 9 and the first, last and two
// random positions of a spread of sizes.
func TestCompletenessEveryPosition(t *testing.T) {
	rng := rand.New(rand.NewSource(propertySeed))
	exhaustive, sizes := 70, make([]int, 0, 70)
	for n := 1; n <= 70; n++ {
		sizes = append(sizes, n)
	}
	if testing.Short() {
		exhaustive, sizes = 9, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 25, 26, 36, 37, 70}
	}
	opener := testOpener(rng)
	for _, n := range sizes {
		privs, ring := testRing(t, rng, n)
		slots := []int{0, n - 1, rng.Intn(n), rng.Intn(n)}
		if n <= exhaustive {
			slots = slots[:0]
			for k := range n {
				slots = append(slots, k)
			}
		}
		for _, k := range slots {
			msg := randomBytes(rng, rng.Intn(64))
			sig := testSign(t, rng, privs[k], ring, opener.Public(), msg)
			if err := Verify(ring, opener.Public(), msg, sig); err != nil {
				t.Fatalf("N=%d slot %d (n=%d, m=%d): %v", n, k, sig.base, sig.digits, err)
			}
			if k == 0 || k == n-1 {
				o, err := opener.Open(ring, msg, sig)
				if err != nil || o.Index() != k || !o.Signer().Equal(privs[k].Public()) {
					t.Fatalf("N=%d slot %d: Open = %v, %v", n, k, o, err)
				}
				if err := VerifyOpening(ring, opener.Public(), msg, sig, o); err != nil {
					t.Fatalf("N=%d slot %d: VerifyOpening: %v", n, k, err)
				}
			}
		}
	}
}

// TestCompletenessBases fixes the base to 2, 3, 4 and 5 for ring sizes 1 to
// 70, so that sizes that are powers of the base, just above and just below
// them all occur, at the first, last and a random position; under -short,
// sizes 1, n^k and n^k + 1 up to 41 only.
func TestCompletenessBases(t *testing.T) {
	rng := rand.New(rand.NewSource(propertySeed + 1))
	opener := testOpener(rng)
	for _, base := range []int{2, 3, 4, 5} {
		sizes := make([]int, 70)
		for i := range sizes {
			sizes[i] = i + 1
		}
		if testing.Short() {
			// Where the digit count changes: 1, n^k and n^k + 1.
			sizes = []int{1}
			for p := base; p <= 40; p *= base {
				sizes = append(sizes, p, p+1)
			}
		}
		for _, n := range sizes {
			privs, ring := testRing(t, rng, n)
			for _, k := range []int{0, n - 1, rng.Intn(n)} {
				msg := randomBytes(rng, 16)
				sig := testSignBase(t, rng, privs[k], ring, opener.Public(), msg, base)
				if sig.base != base {
					t.Fatalf("signed in base %d, want %d", sig.base, base)
				}
				if err := Verify(ring, opener.Public(), msg, sig); err != nil {
					t.Fatalf("n=%d N=%d slot %d: %v", base, n, k, err)
				}
			}
		}
	}
}

func TestPropertyOpen(t *testing.T) {
	props := properties(t, 40, 8)
	props.Property("Open names the signer and VerifyOpening accepts; no other member is accepted",
		prop.ForAll(func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			o := f.open(t)
			if o.Index() != f.slot || !o.Signer().Equal(f.privs[f.slot].Public()) {
				return false
			}
			if VerifyOpening(f.ring, f.opener.Public(), f.msg, f.sig, o) != nil {
				return false
			}
			parsed, err := ParseOpening(o.Bytes())
			if err != nil || VerifyOpening(f.ring, f.opener.Public(), f.msg, f.sig, parsed) != nil {
				return false
			}
			// Not even the opener, running its own prover, can name another
			// member, nor can the signer's proof be reused for one.
			var rnd [transcript.RandomSize]byte
			for k := range n {
				if k == f.slot {
					continue
				}
				f.rng.Read(rnd[:])
				framed := f.opener.prove(f.ring, f.msg, f.sig, k, &rnd)
				reused := &Opening{signer: f.ring.Key(k), index: k, e: o.e, s: o.s}
				for _, other := range []*Opening{framed, reused} {
					if !errors.Is(VerifyOpening(f.ring, f.opener.Public(), f.msg, f.sig, other), ErrInvalidOpening) {
						return false
					}
				}
			}
			return true
		}, gen.IntRange(1, 24), gen.Int64()))

	props.Property("an opening does not move to another message, ring or signature",
		prop.ForAll(func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			o := f.open(t)
			// Another message, signed by the same member: the signature is
			// valid, the opening is not for it.
			msg2 := append(bytes.Clone(f.msg), 'x')
			sig2 := testSign(t, f.rng, f.privs[f.slot], f.ring, f.opener.Public(), msg2)
			if !errors.Is(VerifyOpening(f.ring, f.opener.Public(), msg2, sig2, o), ErrInvalidOpening) {
				return false
			}
			// Another signature on the same message by the same member.
			sig3 := testSign(t, f.rng, f.privs[f.slot], f.ring, f.opener.Public(), f.msg)
			if !errors.Is(VerifyOpening(f.ring, f.opener.Public(), f.msg, sig3, o), ErrInvalidOpening) {
				return false
			}
			// Another ring of the same size that still holds the signer.
			pubs := make([]*PublicKey, 0, n)
			for k := range n {
				if k != f.slot && k == (f.slot+1)%n {
					pubs = append(pubs, testKey(f.rng).Public())
					continue
				}
				pubs = append(pubs, f.ring.Key(k))
			}
			ring2, err := NewRing(pubs)
			if err != nil {
				return false
			}
			sig4 := testSign(t, f.rng, f.privs[f.slot], ring2, f.opener.Public(), f.msg)
			if n > 1 && !errors.Is(VerifyOpening(ring2, f.opener.Public(), f.msg, sig4, o), ErrInvalidOpening) {
				return false
			}
			return true
		}, gen.IntRange(1, 12), gen.Int64()))
	props.TestingRun(t)
}

func TestPropertyTamper(t *testing.T) {
	props := properties(t, 30, 6)
	props.Property("any changed byte makes the signature unparsable or invalid",
		prop.ForAll(func(n int, seed int64, pos, bit int) bool {
			f := newFixture(t, n, seed)
			b := f.sig.Bytes()
			pos %= len(b)
			b[pos] ^= 1 << (bit % 8)
			sig, err := ParseSignature(b)
			if err != nil {
				return errors.Is(err, ErrMalformed)
			}
			err = Verify(f.ring, f.opener.Public(), f.msg, sig)
			return errors.Is(err, ErrInvalidSignature) || errors.Is(err, ErrRingMismatch)
		}, gen.IntRange(1, 20), gen.Int64(), gen.IntRange(0, 1<<20), gen.IntRange(0, 7)))

	props.Property("a changed message, ring key or opener key makes Verify fail",
		prop.ForAll(func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			if Verify(f.ring, f.opener.Public(), f.msg, f.sig) != nil {
				return false
			}
			msg := append(bytes.Clone(f.msg), 0)
			if !errors.Is(Verify(f.ring, f.opener.Public(), msg, f.sig), ErrInvalidSignature) {
				return false
			}
			if len(f.msg) > 0 {
				msg = bytes.Clone(f.msg)
				msg[f.rng.Intn(len(msg))] ^= 0x80
				if !errors.Is(Verify(f.ring, f.opener.Public(), msg, f.sig), ErrInvalidSignature) {
					return false
				}
			}
			other := testOpener(f.rng)
			if !errors.Is(Verify(f.ring, other.Public(), f.msg, f.sig), ErrInvalidSignature) {
				return false
			}
			// Replace each member in turn (the signer included).
			for k := range n {
				pubs := make([]*PublicKey, n)
				for i := range n {
					pubs[i] = f.ring.Key(i)
				}
				pubs[k] = testKey(f.rng).Public()
				ring, err := NewRing(pubs)
				if err != nil || !errors.Is(Verify(ring, f.opener.Public(), f.msg, f.sig), ErrInvalidSignature) {
					return false
				}
			}
			return true
		}, gen.IntRange(1, 12), gen.Int64()))

	props.Property("encodings round-trip",
		prop.ForAll(func(n int, seed int64) bool {
			f := newFixture(t, n, seed)
			sig, err := ParseSignature(f.sig.Bytes())
			if err != nil || !bytes.Equal(sig.Bytes(), f.sig.Bytes()) || Verify(f.ring, f.opener.Public(), f.msg, sig) != nil {
				return false
			}
			ring, err := ParseRing(f.ring.Bytes())
			if err != nil || !bytes.Equal(ring.Bytes(), f.ring.Bytes()) || Verify(ring, f.opener.Public(), f.msg, sig) != nil {
				return false
			}
			priv, err := ParsePrivateKey(f.privs[f.slot].Bytes())
			if err != nil || !priv.Public().Equal(f.privs[f.slot].Public()) {
				return false
			}
			ok, err := ParseOpenerKey(f.opener.Bytes())
			if err != nil || !ok.Public().Equal(f.opener.Public()) {
				return false
			}
			opub, err := ParseOpenerPublicKey(f.opener.Public().Bytes())
			if err != nil || !opub.Equal(f.opener.Public()) {
				return false
			}
			return len(f.sig.Bytes()) == SignatureSize(n)
		}, gen.IntRange(1, 40), gen.Int64()))
	props.TestingRun(t)
}
