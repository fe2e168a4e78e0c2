package ristretto

import "filippo.io/edwards25519"

// ScalarMult sets v = x · p, and returns v. It is constant time in x and p.
func (v *Element) ScalarMult(x *Scalar, p *Element) *Element {
	v.p.ScalarMult(&x.s, &p.p)
	return v
}

// ScalarBaseMult sets v = x · g, where g is the generator, and returns v.
// It is constant time in x.
func (v *Element) ScalarBaseMult(x *Scalar) *Element {
	v.p.ScalarBaseMult(&x.s)
	return v
}

// MultiScalarMult sets v = Σ scalars[i] · elements[i], and returns v.
// Execution time depends only on the lengths of the slices, which must be
// equal; it is constant time in the scalars and the elements.
func (v *Element) MultiScalarMult(scalars []*Scalar, elements []*Element) *Element {
	ss, ps := unwrap(scalars, elements)
	v.p.MultiScalarMult(ss, ps)
	return v
}

// pippengerThreshold is the number of terms from which
// VarTimeMultiScalarMult uses Pippenger's method rather than Straus'.
const pippengerThreshold = 128

// VarTimeMultiScalarMult sets v = Σ scalars[i] · elements[i], and returns v.
// The slices must have equal lengths. Below 128 terms it uses Straus'
// method (filippo.io/edwards25519); from 128 on, Pippenger's bucket method
// with signed digits and a window from a cost model (about 8 bits at 1,000
// terms, 10 at 4,000), which is faster there.
//
// Execution time depends on the inputs.
func (v *Element) VarTimeMultiScalarMult(scalars []*Scalar, elements []*Element) *Element {
	if len(scalars) != len(elements) {
		panic("ristretto: multi-scalar multiplication with different size inputs")
	}
	if len(scalars) >= pippengerThreshold {
		return v.varTimePippenger(scalars, elements, pippengerWindow(len(scalars)))
	}
	return v.varTimeStraus(scalars, elements)
}

// varTimeStraus is VarTimeMultiScalarMult by Straus' method.
func (v *Element) varTimeStraus(scalars []*Scalar, elements []*Element) *Element {
	ss, ps := unwrap(scalars, elements)
	v.p.VarTimeMultiScalarMult(ss, ps)
	return v
}

// VarTimeDoubleScalarBaseMult sets v = a · A + b · g, where g is the
// generator, and returns v.
//
// Execution time depends on the inputs.
func (v *Element) VarTimeDoubleScalarBaseMult(a *Scalar, A *Element, b *Scalar) *Element {
	v.p.VarTimeDoubleScalarBaseMult(&a.s, &A.p, &b.s)
	return v
}

func unwrap(scalars []*Scalar, elements []*Element) ([]*edwards25519.Scalar, []*edwards25519.Point) {
	if len(scalars) != len(elements) {
		panic("ristretto: multi-scalar multiplication with different size inputs")
	}
	ss := make([]*edwards25519.Scalar, len(scalars))
	ps := make([]*edwards25519.Point, len(elements))
	for i := range scalars {
		ss[i] = &scalars[i].s
		ps[i] = &elements[i].p
	}
	return ss, ps
}
