package arsig

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// unusableSignature returns a signature that names base n and m digits,
// with zero-value points, which panic on any group operation: a verifier
// that touches it before checking (n, m) against the ring panics.
func unusableSignature(n, m int) *Signature {
	s := newSignature(n, m)
	s.enc = []byte{signatureVersion, byte(n), byte(m)}
	return s
}

// TestShapeMismatchIsFree is the denial-of-service bound of the package
// documentation: Verify, VerifyBatch, Open and VerifyOpening refuse a
// signature whose n and m do not fit the ring with ErrRingMismatch before
// any group operation (the signature's points panic if used) and with a
// few allocations (those of the error), whatever the header claims.
func TestShapeMismatchIsFree(t *testing.T) {
	f := newFixture(t, 5, 40)
	o := f.open(t)
	pub := f.opener.Public()
	verifiers := map[string]func(*Signature) error{
		"Verify":      func(s *Signature) error { return Verify(f.ring, pub, f.msg, s) },
		"VerifyBatch": func(s *Signature) error { return VerifyBatch([]BatchItem{{f.ring, pub, f.msg, s}})[0] },
		"Open": func(s *Signature) error {
			_, err := f.opener.Open(f.ring, f.msg, s)
			return err
		},
		"VerifyOpening": func(s *Signature) error { return VerifyOpening(f.ring, pub, f.msg, s, o) },
	}
	// A ring of 5 takes m = 3 in base 2, m = 1 in base 5 and above.
	shapes := [][2]int{{2, 1}, {2, 2}, {2, 4}, {2, 14}, {5, 2}, {16, 16}, {3, 1}}
	for name, verify := range verifiers {
		for _, nm := range shapes {
			s := unusableSignature(nm[0], nm[1])
			what := fmt.Sprintf("%s, n=%d m=%d", name, nm[0], nm[1])
			if err := verify(s); !errors.Is(err, ErrRingMismatch) {
				t.Fatalf("%s: err = %v, want ErrRingMismatch", what, err)
			}
			// AllocsPerRun counts the whole process's allocations and
			// rounds the mean down: over 100 runs a stray allocation of
			// the runtime does not tip the count.
			if allocs := testing.AllocsPerRun(100, func() { verify(s) }); allocs > 8 {
				t.Errorf("%s: refusing it costs %v allocations", what, allocs)
			}
		}
	}
}

// TestParseLengthIsChecked: a header whose n and m do not match the length
// is refused before any point is decoded, whatever it claims.
func TestParseLengthIsChecked(t *testing.T) {
	for _, b := range [][]byte{
		{signatureVersion, 16, 16},
		append([]byte{signatureVersion, 16, 16}, make([]byte, 9000)...),
		append([]byte{signatureVersion, 2, 1}, make([]byte, 9120)...),
	} {
		if _, err := ParseSignature(b); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%d bytes, n=%d m=%d: err = %v", len(b), b[1], b[2], err)
		}
		if allocs := testing.AllocsPerRun(100, func() { ParseSignature(b) }); allocs > 8 {
			t.Errorf("%d bytes: refusing costs %v allocations", len(b), allocs)
		}
	}
	if got := signatureLen(oneofmany.Params{Base: 16, Digits: 16}); got != maxSignatureLen {
		t.Errorf("the longest signature is %d bytes, the documentation says %d", got, maxSignatureLen)
	}
}

// maxSignatureLen is the length of a signature with n = m = 16, the largest
// header ParseSignature accepts: 40 points and 245 scalars.
const maxSignatureLen = 3 + 40*32 + 245*32

// TestWorstCaseHeader checks the bounds the package documentation states
// for a signature that picks its base to make verification expensive: for
// every ring size and every base a verifier accepts, at most N' + 83
// multi-scalar multiplication terms, fewer than 18·N' scalar
// multiplications for the products P_k and 16·N' additions for the
// padding, and at most 88 commitment-key shapes overall.
func TestWorstCaseHeader(t *testing.T) {
	step := 1
	if testing.Short() {
		step = 37
	}
	shapes := make(map[[2]int]bool)
	for size := 1; size <= MaxRingSize; size += step {
		for n := oneofmany.MinBase; n <= oneofmany.MaxBase; n++ {
			p, err := oneofmany.NewParams(n, size)
			if err != nil {
				t.Fatal(err)
			}
			shapes[[2]int{n, p.Digits}] = true
			pp := prepared{p: p, f: make([]ristretto.Scalar, n*p.Digits)}
			if terms := size + pp.termCount(); terms > size+83 {
				t.Fatalf("N'=%d, n=%d: %d terms", size, n, terms)
			}
			// Products multiplies n^{j+1} entries for each digit j.
			products := 0
			for j, w := 0, n; j < p.Digits; j, w = j+1, w*n {
				products += w
			}
			if products >= 18*size || p.Size()-size >= 16*size {
				t.Fatalf("N'=%d, n=%d: %d products, %d padded", size, n, products, p.Size()-size)
			}
		}
	}
	if !testing.Short() && len(shapes) != 88 {
		t.Errorf("%d shapes", len(shapes))
	}
}
