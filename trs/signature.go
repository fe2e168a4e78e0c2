package trs

import (
	"fmt"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// SignatureSize returns the length of a signature for a ring of n keys:
// 32 + 64n bytes.
func SignatureSize(n int) int { return ristretto.ElementSize + 2*n*ristretto.ScalarSize }

// Signature is a traceable ring signature (A1, c_1..c_n, z_1..z_n), encoded
// as enc(A1) || encS(c_1) || … || encS(c_n) || encS(z_1) || … || encS(z_n)
// with no header: the ring size follows from the length. A Signature is
// immutable and safe for concurrent use.
type Signature struct {
	a1    ristretto.Element
	a1enc [ristretto.ElementSize]byte
	c, z  []ristretto.Scalar
}

// ParseSignature decodes a signature. It infers the ring size n from the
// length, which must be exactly 32 + 64n with 1 ≤ n ≤ [MaxRingSize], and
// rejects a non-canonical or identity A1 and any non-canonical scalar.
// Whether n matches a tag's ring is checked by [Verify].
func ParseSignature(b []byte) (*Signature, error) {
	body := len(b) - ristretto.ElementSize
	if body < 2*ristretto.ScalarSize || body%(2*ristretto.ScalarSize) != 0 {
		return nil, fmt.Errorf("%w: signature length %d is not 32 + 64n with n ≥ 1", ErrMalformed, len(b))
	}
	n := body / (2 * ristretto.ScalarSize)
	if n > MaxRingSize {
		return nil, fmt.Errorf("%w: signature is for %d keys, at most %d allowed", ErrMalformed, n, MaxRingSize)
	}
	s := &Signature{c: make([]ristretto.Scalar, n), z: make([]ristretto.Scalar, n)}
	if _, err := s.a1.SetCanonicalBytes(b[:ristretto.ElementSize]); err != nil {
		return nil, fmt.Errorf("%w: A1 is not a canonical ristretto255 element", ErrMalformed)
	}
	if s.a1.IsIdentity() == 1 {
		return nil, fmt.Errorf("%w: A1 is the identity", ErrMalformed)
	}
	copy(s.a1enc[:], b)
	off := ristretto.ElementSize
	for j := range s.c {
		if _, err := s.c[j].SetCanonicalBytes(b[off : off+ristretto.ScalarSize]); err != nil {
			return nil, fmt.Errorf("%w: c_%d is not a canonical scalar", ErrMalformed, j+1)
		}
		off += ristretto.ScalarSize
	}
	for j := range s.z {
		if _, err := s.z[j].SetCanonicalBytes(b[off : off+ristretto.ScalarSize]); err != nil {
			return nil, fmt.Errorf("%w: z_%d is not a canonical scalar", ErrMalformed, j+1)
		}
		off += ristretto.ScalarSize
	}
	return s, nil
}

// Bytes returns the canonical encoding of the signature.
func (s *Signature) Bytes() []byte {
	out := make([]byte, 0, SignatureSize(len(s.c)))
	out = append(out, s.a1enc[:]...)
	for j := range s.c {
		out = s.c[j].AppendBytes(out)
	}
	for j := range s.z {
		out = s.z[j].AppendBytes(out)
	}
	return out
}

// RingSize returns the number of ring members the signature is for.
func (s *Signature) RingSize() int { return len(s.c) }

// checkShape returns an error unless tag has a ring and sig is a parsed
// signature for a ring of its size: spec §5 step 1, exactly n challenges and n
// responses. ParseSignature already guarantees len(c) == len(z), canonical
// scalars and a canonical, non-identity A1. Every verifier calls it first:
// it is constant time and touches no group element, so a signature for
// another ring size, however large, costs nothing more.
func checkShape(tag *Tag, sig *Signature) error {
	if !tag.valid() {
		return fmt.Errorf("%w: tag has no ring", ErrInvalidInput)
	}
	if sig == nil || sig.c == nil {
		return fmt.Errorf("%w: nil signature", ErrInvalidInput)
	}
	if n := len(tag.ring.keys); len(sig.c) != n || len(sig.z) != n {
		return fmt.Errorf("%w: signature is for %d keys, the tag's ring has %d", ErrRingMismatch, len(sig.c), n)
	}
	return nil
}
