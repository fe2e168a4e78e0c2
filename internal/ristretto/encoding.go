package ristretto

import (
	"crypto/subtle"
	"errors"

	"filippo.io/edwards25519/field"
)

// ElementSize is the length of an encoded Element.
const ElementSize = 32

var (
	errElementLength  = errors.New("ristretto: element encoding is not 32 bytes")
	errNonCanonicalFE = errors.New("ristretto: element encoding is not a canonical field element")
	errNegativeS      = errors.New("ristretto: element encoding has a negative s")
	errNotElement     = errors.New("ristretto: bytes do not encode a group element")
)

// SetCanonicalBytes sets v to the element encoded by in (RFC 9496 §4.3.1)
// and returns v. If in is not the canonical encoding of an element it
// returns nil and an error, and leaves v unchanged.
func (v *Element) SetCanonicalBytes(in []byte) (*Element, error) {
	if len(in) != ElementSize {
		return nil, errElementLength
	}

	// First, interpret the string as an integer s in little-endian
	// representation. If the length of the string is not 32 bytes or if the
	// resulting value is >= p, decoding fails. field.Element.SetBytes accepts
	// values up to 2^255 − 1, so re-encode and compare to catch the rest.
	s, _ := new(field.Element).SetBytes(in)
	if subtle.ConstantTimeCompare(s.Bytes(), in) != 1 {
		return nil, errNonCanonicalFE
	}
	// If IS_NEGATIVE(s) returns TRUE, decoding fails.
	if s.IsNegative() == 1 {
		return nil, errNegativeS
	}

	// ss = s^2
	ss := new(field.Element).Square(s)
	// u1 = 1 - ss
	u1 := new(field.Element).Subtract(feOne, ss)
	// u2 = 1 + ss
	u2 := new(field.Element).Add(feOne, ss)
	// u2_sqr = u2^2
	u2Sqr := new(field.Element).Square(u2)
	// v = -(D * u1^2) - u2_sqr
	vv := new(field.Element).Square(u1)
	vv.Multiply(vv, curveD).Negate(vv).Subtract(vv, u2Sqr)
	// (was_square, invsqrt) = SQRT_RATIO_M1(1, v * u2_sqr)
	invSqrt, wasSquare := new(field.Element).SqrtRatio(feOne, new(field.Element).Multiply(vv, u2Sqr))
	// den_x = invsqrt * u2
	denX := new(field.Element).Multiply(invSqrt, u2)
	// den_y = invsqrt * den_x * v
	denY := new(field.Element).Multiply(invSqrt, denX)
	denY.Multiply(denY, vv)
	// x = CT_ABS(2 * s * den_x)
	x := new(field.Element).Add(s, s)
	x.Multiply(x, denX).Absolute(x)
	// y = u1 * den_y
	y := new(field.Element).Multiply(u1, denY)
	// t = x * y
	t := new(field.Element).Multiply(x, y)

	// If was_square is FALSE, or IS_NEGATIVE(t) returns TRUE, or y = 0,
	// decoding fails.
	if wasSquare == 0 || t.IsNegative() == 1 || y.Equal(feZero) == 1 {
		return nil, errNotElement
	}
	// Otherwise, return the internal representation in extended
	// coordinates (x, y, 1, t).
	if _, err := v.p.SetExtendedCoordinates(x, y, feOne, t); err != nil {
		return nil, errNotElement
	}
	return v, nil
}

// Bytes returns the 32-byte canonical encoding of v (RFC 9496 §4.3.2).
func (v *Element) Bytes() []byte {
	var out [ElementSize]byte
	return v.encode(&out)
}

// AppendBytes appends the canonical encoding of v to b and returns the
// extended slice.
func (v *Element) AppendBytes(b []byte) []byte {
	var out [ElementSize]byte
	return append(b, v.encode(&out)...)
}

func (v *Element) encode(out *[ElementSize]byte) []byte {
	x0, y0, z0, t0 := v.p.ExtendedCoordinates()

	var tmp, tmp2 field.Element
	// u1 = (z0 + y0) * (z0 - y0)
	u1 := new(field.Element).Add(z0, y0)
	u1.Multiply(u1, tmp.Subtract(z0, y0))
	// u2 = x0 * y0
	u2 := new(field.Element).Multiply(x0, y0)
	// Ignore was_square since this is always square.
	// (_, invsqrt) = SQRT_RATIO_M1(1, u1 * u2^2)
	invSqrt, _ := new(field.Element).SqrtRatio(feOne, tmp.Multiply(u1, tmp2.Square(u2)))
	// den1 = invsqrt * u1
	den1 := new(field.Element).Multiply(invSqrt, u1)
	// den2 = invsqrt * u2
	den2 := new(field.Element).Multiply(invSqrt, u2)
	// z_inv = den1 * den2 * t0
	zInv := new(field.Element).Multiply(den1, den2)
	zInv.Multiply(zInv, t0)
	// ix0 = x0 * SQRT_M1
	ix0 := new(field.Element).Multiply(x0, sqrtM1)
	// iy0 = y0 * SQRT_M1
	iy0 := new(field.Element).Multiply(y0, sqrtM1)
	// enchanted_denominator = den1 * INVSQRT_A_MINUS_D
	enchanted := new(field.Element).Multiply(den1, invSqrtAMinusD)
	// rotate = IS_NEGATIVE(t0 * z_inv)
	rotate := tmp.Multiply(t0, zInv).IsNegative()
	// x = CT_SELECT(iy0 IF rotate ELSE x0)
	x := new(field.Element).Select(iy0, x0, rotate)
	// y = CT_SELECT(ix0 IF rotate ELSE y0)
	y := new(field.Element).Select(ix0, y0, rotate)
	// z = z0
	// den_inv = CT_SELECT(enchanted_denominator IF rotate ELSE den2)
	denInv := new(field.Element).Select(enchanted, den2, rotate)
	// y = CT_NEG(y, IS_NEGATIVE(x * z_inv))
	y.Select(tmp2.Negate(y), y, tmp.Multiply(x, zInv).IsNegative())
	// s = CT_ABS(den_inv * (z - y))
	s := tmp.Subtract(z0, y)
	s.Multiply(denInv, s).Absolute(s)
	// Return the 32-byte little-endian encoding of s.
	copy(out[:], s.Bytes())
	return out[:]
}
