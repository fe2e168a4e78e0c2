package ristretto

import (
	"encoding/binary"
	"errors"

	"filippo.io/edwards25519"
)

// ScalarSize is the length of an encoded Scalar.
const ScalarSize = 32

var errNonCanonicalScalar = errors.New("ristretto: scalar encoding is not canonical")

// Scalar is an integer modulo the group order q. The zero value is 0.
type Scalar struct {
	_ incomparable
	s edwards25519.Scalar
}

// NewScalar returns a new Scalar set to 0.
func NewScalar() *Scalar { return new(Scalar) }

// Set sets s = x, and returns s.
func (s *Scalar) Set(x *Scalar) *Scalar {
	s.s.Set(&x.s)
	return s
}

// SetUint64 sets s = x mod q, and returns s.
func (s *Scalar) SetUint64(x uint64) *Scalar {
	var b [ScalarSize]byte
	binary.LittleEndian.PutUint64(b[:], x)
	// Any 64-bit value is below q, so this cannot fail.
	s.s.SetCanonicalBytes(b[:])
	return s
}

// Add sets s = x + y mod q, and returns s.
func (s *Scalar) Add(x, y *Scalar) *Scalar {
	s.s.Add(&x.s, &y.s)
	return s
}

// Subtract sets s = x − y mod q, and returns s.
func (s *Scalar) Subtract(x, y *Scalar) *Scalar {
	s.s.Subtract(&x.s, &y.s)
	return s
}

// Negate sets s = −x mod q, and returns s.
func (s *Scalar) Negate(x *Scalar) *Scalar {
	s.s.Negate(&x.s)
	return s
}

// Multiply sets s = x · y mod q, and returns s.
func (s *Scalar) Multiply(x, y *Scalar) *Scalar {
	s.s.Multiply(&x.s, &y.s)
	return s
}

// MultiplyAdd sets s = x · y + z mod q, and returns s.
func (s *Scalar) MultiplyAdd(x, y, z *Scalar) *Scalar {
	s.s.MultiplyAdd(&x.s, &y.s, &z.s)
	return s
}

// Invert sets s = 1/x mod q, and returns s. If x is 0, the result is 0.
func (s *Scalar) Invert(x *Scalar) *Scalar {
	s.s.Invert(&x.s)
	return s
}

// Select sets s to a if cond == 1 and to b if cond == 0, and returns s.
// cond must be 0 or 1.
func (s *Scalar) Select(a, b *Scalar, cond int) *Scalar {
	// s = b + cond·(a − b), with cond as a scalar: constant-time field
	// arithmetic instead of a branch or a memory index. cond becomes a
	// scalar through the wide reduction, which has no validity branch
	// (SetCanonicalBytes has one, so memcheck would flag it on a secret).
	var wide [64]byte
	wide[0] = byte(cond & 1)
	var c, d Scalar
	c.s.SetUniformBytes(wide[:])
	d.Subtract(a, b)
	s.MultiplyAdd(&c, &d, b)
	return s
}

// Equal returns 1 if s and t are equal, and 0 otherwise.
func (s *Scalar) Equal(t *Scalar) int {
	return s.s.Equal(&t.s)
}

// IsZero returns 1 if s is 0, and 0 otherwise.
func (s *Scalar) IsZero() int {
	var zero edwards25519.Scalar
	return s.s.Equal(&zero)
}

// SetCanonicalBytes sets s to the little-endian scalar in b and returns s.
// If b is not 32 bytes long or encodes a value at or above q, it returns
// nil and an error, and leaves s unchanged.
func (s *Scalar) SetCanonicalBytes(b []byte) (*Scalar, error) {
	if _, err := s.s.SetCanonicalBytes(b); err != nil {
		return nil, errNonCanonicalScalar
	}
	return s, nil
}

// SetUniformBytes sets s to the 64-byte little-endian integer b reduced
// modulo q, and returns s. If b is not 64 bytes long it returns nil and an
// error, and leaves s unchanged.
func (s *Scalar) SetUniformBytes(b []byte) (*Scalar, error) {
	if _, err := s.s.SetUniformBytes(b); err != nil {
		return nil, errUniformLength
	}
	return s, nil
}

// Bytes returns the 32-byte canonical little-endian encoding of s.
func (s *Scalar) Bytes() []byte {
	return s.s.Bytes()
}

// AppendBytes appends the canonical encoding of s to b and returns the
// extended slice.
func (s *Scalar) AppendBytes(b []byte) []byte {
	return append(b, s.s.Bytes()...)
}
