package ristretto

import (
	"crypto"
	_ "crypto/sha512" // registers SHA-512 for the expander
	"errors"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
	"github.com/cloudflare/circl/expander"
)

// UniformBytesSize is the input length of [Element.SetUniformBytes] and
// [Scalar.SetUniformBytes].
const UniformBytesSize = 64

var errUniformLength = errors.New("ristretto: uniform input is not 64 bytes")

// SetUniformBytes sets v to the element derived from 64 uniformly random
// bytes by the one-way map of RFC 9496 §4.3.4, and returns v. If b is not
// 64 bytes long it returns nil and an error, and leaves v unchanged.
//
// The discrete logarithm of the result with respect to any other element is
// unknown; the map is what [HashToGroup] uses after expanding its input.
func (v *Element) SetUniformBytes(b []byte) (*Element, error) {
	if len(b) != UniformBytesSize {
		return nil, errUniformLength
	}
	// Mask the most significant bit of each 32-byte half and interpret it
	// as a field element modulo p; field.Element.SetBytes ignores that bit
	// and reduces the non-canonical values, as §4.3.4 requires.
	r0, _ := new(field.Element).SetBytes(b[:32])
	r1, _ := new(field.Element).SetBytes(b[32:])
	// P1 = MAP(r0), P2 = MAP(r1), return P1 + P2.
	var p1, p2 edwards25519.Point
	mapToPoint(&p1, r0)
	mapToPoint(&p2, r1)
	v.p.Add(&p1, &p2)
	return v, nil
}

// mapToPoint is the function MAP of RFC 9496 §4.3.4.
func mapToPoint(out *edwards25519.Point, t *field.Element) {
	var tmp field.Element
	// r = SQRT_M1 * t^2
	r := new(field.Element).Square(t)
	r.Multiply(r, sqrtM1)
	// u = (r + 1) * ONE_MINUS_D_SQ
	u := new(field.Element).Add(r, feOne)
	u.Multiply(u, oneMinusDSq)
	// v = (-1 - r*D) * (r + D)
	rPlusD := new(field.Element).Add(r, curveD)
	v := new(field.Element).Multiply(r, curveD)
	v.Negate(v).Subtract(v, feOne).Multiply(v, rPlusD)
	// (was_square, s) = SQRT_RATIO_M1(u, v)
	s, wasSquare := new(field.Element).SqrtRatio(u, v)
	// s_prime = -CT_ABS(s*t)
	sPrime := new(field.Element).Multiply(s, t)
	sPrime.Absolute(sPrime).Negate(sPrime)
	// s = CT_SELECT(s IF was_square ELSE s_prime)
	s.Select(s, sPrime, wasSquare)
	// c = CT_SELECT(-1 IF was_square ELSE r)
	c := new(field.Element).Select(tmp.Negate(feOne), r, wasSquare)
	// N = c * (r - 1) * D_MINUS_ONE_SQ - v
	n := new(field.Element).Subtract(r, feOne)
	n.Multiply(n, c).Multiply(n, dMinusOneSq).Subtract(n, v)
	// w0 = 2 * s * v
	w0 := new(field.Element).Add(s, s)
	w0.Multiply(w0, v)
	// w1 = N * SQRT_AD_MINUS_ONE
	w1 := new(field.Element).Multiply(n, sqrtADMinusOne)
	// w2 = 1 - s^2
	ss := new(field.Element).Square(s)
	w2 := new(field.Element).Subtract(feOne, ss)
	// w3 = 1 + s^2
	w3 := new(field.Element).Add(feOne, ss)
	// return (w0*w3, w2*w1, w1*w3, w0*w2)
	var x, y, z, tt field.Element
	x.Multiply(w0, w3)
	y.Multiply(w2, w1)
	z.Multiply(w1, w3)
	tt.Multiply(w0, w2)
	if _, err := out.SetExtendedCoordinates(&x, &y, &z, &tt); err != nil {
		// MAP always lands on the curve; reaching this is a bug.
		panic("ristretto: internal error: MAP produced an invalid point")
	}
}

// HashToGroup returns hash_to_ristretto255(msg) of RFC 9380 Appendix B with
// domain separation tag dst: expand_message_xmd with SHA-512 to 64 bytes,
// then the element derivation of [Element.SetUniformBytes].
//
// dst must be non-empty and at most 255 bytes long (RFC 9380 §5.3.3).
func HashToGroup(dst, msg []byte) *Element {
	u := expand(dst, msg)
	e, _ := new(Element).SetUniformBytes(u)
	return e
}

// HashToScalar returns expand_message_xmd(SHA-512, dst, msg, 64) reduced
// modulo q, as in RFC 9497's HashToScalar for ristretto255. It never reduces
// fewer than 64 bytes, so the result is statistically uniform.
//
// dst must be non-empty and at most 255 bytes long.
func HashToScalar(dst, msg []byte) *Scalar {
	u := expand(dst, msg)
	s, _ := new(Scalar).SetUniformBytes(u)
	return s
}

func expand(dst, msg []byte) []byte {
	if len(dst) == 0 || len(dst) > 255 {
		// DSTs are compile-time constants of this module.
		panic("ristretto: domain separation tag must be 1 to 255 bytes")
	}
	return expander.NewExpanderMD(crypto.SHA512, dst).Expand(msg, UniformBytesSize)
}
