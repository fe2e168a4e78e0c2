package trs

import (
	"context"
	"errors"
	"math/rand"
	"testing"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// unusableSignature returns a signature for n keys whose A1 is the zero
// Element, which panics on any group operation, and whose scalars are zero:
// a verifier that touches it before checking its size panics.
func unusableSignature(n int) *Signature {
	return &Signature{c: make([]ristretto.Scalar, n), z: make([]ristretto.Scalar, n)}
}

// TestSizeMismatchIsFree is the denial-of-service bound of the package
// documentation: every verifier refuses a signature for another ring size
// than the tag's with ErrRingMismatch before any group operation (the
// signature's A1 panics if used) and with a cost that does not grow with
// the size the signature claims (a few allocations, those of the error,
// for 2 keys as for MaxRingSize).
func TestSizeMismatchIsFree(t *testing.T) {
	rng := rand.New(rand.NewSource(40))
	privs, ring := testRing(t, rng, 3)
	tag := NewTag([]byte("cost"), ring)
	msg := []byte("m")
	good := testSign(t, rng, privs[0], tag, msg)
	idx := NewIndex(nil)
	ctx := context.Background()
	verifier := NewVerifier(1 << 20)

	verifiers := map[string]func(sig *Signature) error{
		"Verify": func(sig *Signature) error { return Verify(tag, msg, sig) },
		"Accept": func(sig *Signature) error { _, err := Accept(tag, msg, sig); return err },
		"Trace first": func(sig *Signature) error {
			_, err := Trace(tag, msg, sig, msg, good)
			return err
		},
		"Trace second": func(sig *Signature) error {
			_, err := Trace(tag, msg, good, msg, sig)
			return err
		},
		"VerifyBatch":     func(sig *Signature) error { return VerifyBatch([]BatchItem{{tag, msg, sig}})[0] },
		"Verifier.Verify": func(sig *Signature) error { return verifier.Verify(tag, msg, sig) },
		"Verifier.Accept": func(sig *Signature) error { _, err := verifier.Accept(tag, msg, sig); return err },
		"Index.CheckAndAdd": func(sig *Signature) error {
			_, err := idx.CheckAndAdd(ctx, tag, msg, sig)
			return err
		},
	}
	for name, verify := range verifiers {
		for _, n := range []int{2, 4, MaxRingSize} {
			sig := unusableSignature(n)
			if err := verify(sig); !errors.Is(err, ErrRingMismatch) {
				t.Fatalf("%s, signature for %d keys: err = %v, want ErrRingMismatch", name, n, err)
			}
			// AllocsPerRun counts the whole process's allocations and
			// rounds the mean down: over 100 runs a stray allocation of
			// the runtime does not tip the count.
			if allocs := testing.AllocsPerRun(100, func() { verify(sig) }); allocs > 8 {
				t.Errorf("%s, signature for %d keys: refusing it costs %v allocations", name, n, allocs)
			}
		}
	}
}

// TestParseSizeIsChecked: a length that is not 32 + 64n for
// 1 ≤ n ≤ MaxRingSize is refused before anything is decoded or allocated
// for it.
func TestParseSizeIsChecked(t *testing.T) {
	for _, n := range []int{SignatureSize(MaxRingSize + 1), SignatureSize(MaxRingSize) + 1, 31, 0} {
		b := make([]byte, n)
		if _, err := ParseSignature(b); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%d bytes: err = %v", n, err)
		}
		if allocs := testing.AllocsPerRun(100, func() { ParseSignature(b) }); allocs > 8 {
			t.Errorf("%d bytes: refusing costs %v allocations", n, allocs)
		}
	}
}
