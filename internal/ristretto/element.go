package ristretto

import (
	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// incomparable makes a struct uncomparable with ==, which would compare
// internal representatives instead of group elements.
type incomparable [0]func()

// Element is an element of the ristretto255 group.
//
// The zero value is not valid: use [NewIdentityElement],
// [NewGeneratorElement] or a decoder before passing an Element to a method.
type Element struct {
	_ incomparable
	p edwards25519.Point
}

// NewIdentityElement returns a new Element set to the identity.
func NewIdentityElement() *Element {
	e := new(Element)
	e.p.Set(edwards25519.NewIdentityPoint())
	return e
}

// NewGeneratorElement returns a new Element set to the canonical generator
// (the Ed25519 base point, RFC 9496 §4.4).
func NewGeneratorElement() *Element {
	e := new(Element)
	e.p.Set(edwards25519.NewGeneratorPoint())
	return e
}

// Set sets v = x, and returns v.
func (v *Element) Set(x *Element) *Element {
	v.p.Set(&x.p)
	return v
}

// Add sets v = p + q, and returns v.
func (v *Element) Add(p, q *Element) *Element {
	v.p.Add(&p.p, &q.p)
	return v
}

// Subtract sets v = p − q, and returns v.
func (v *Element) Subtract(p, q *Element) *Element {
	v.p.Subtract(&p.p, &q.p)
	return v
}

// Negate sets v = −p, and returns v.
func (v *Element) Negate(p *Element) *Element {
	v.p.Negate(&p.p)
	return v
}

// Select sets v to a if cond == 1 and to b if cond == 0, and returns v.
// cond must be 0 or 1.
func (v *Element) Select(a, b *Element, cond int) *Element {
	v.p.Select(&a.p, &b.p, cond)
	return v
}

// Equal returns 1 if v and u are the same group element, and 0 otherwise
// (RFC 9496 §4.5).
func (v *Element) Equal(u *Element) int {
	x1, y1, _, _ := v.p.ExtendedCoordinates()
	x2, y2, _, _ := u.p.ExtendedCoordinates()

	var f0, f1 field.Element
	// X1 * Y2 == Y1 * X2
	out := f0.Multiply(x1, y2).Equal(f1.Multiply(y1, x2))
	// Y1 * Y2 == X1 * X2
	out |= f0.Multiply(y1, y2).Equal(f1.Multiply(x1, x2))
	return out
}

// IsIdentity returns 1 if v is the identity element, and 0 otherwise.
func (v *Element) IsIdentity() int {
	// Equal(v, identity) with identity = (0, 1): X == 0 or Y == 0.
	x, y, _, _ := v.p.ExtendedCoordinates()
	return x.Equal(feZero) | y.Equal(feZero)
}
