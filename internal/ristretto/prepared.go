package ristretto

// PreparedElements is a fixed list of elements normalised once, with one
// field inversion for all of them, for
// [Element.VarTimeMultiScalarMultPrepared], which then skips that step of
// Pippenger's method: worth keeping for a list that is multiplied by many
// sets of scalars, such as the keys of a ring that is verified often. It
// takes 120 bytes per element besides the elements, is immutable and safe
// for concurrent use.
type PreparedElements struct {
	_        incomparable
	elements []*Element
	points   []affineNiels
}

// NewPreparedElements returns elements prepared for
// [Element.VarTimeMultiScalarMultPrepared]. It keeps the slice of pointers
// (not a copy of the elements, which must not change). It is constant time
// in the elements.
func NewPreparedElements(elements []*Element) *PreparedElements {
	return &PreparedElements{elements: elements, points: appendAffineNiels(nil, elements)}
}

// Len returns the number of prepared elements.
func (p *PreparedElements) Len() int { return len(p.elements) }

// VarTimeMultiScalarMultPrepared sets v = Σ preparedScalars[i]·P_i +
// Σ scalars[j]·elements[j], where P_i are the prepared elements, and
// returns v. It is [Element.VarTimeMultiScalarMult] of all the terms
// without normalising the prepared ones again. len(preparedScalars) must
// be prepared.Len(), and scalars and elements must have equal lengths.
//
// Execution time depends on the inputs.
func (v *Element) VarTimeMultiScalarMultPrepared(preparedScalars []*Scalar, prepared *PreparedElements, scalars []*Scalar, elements []*Element) *Element {
	if len(preparedScalars) != prepared.Len() || len(scalars) != len(elements) {
		panic("ristretto: multi-scalar multiplication with different size inputs")
	}
	n := prepared.Len() + len(scalars)
	allScalars := make([]*Scalar, 0, n)
	allScalars = append(append(allScalars, preparedScalars...), scalars...)
	if n < pippengerThreshold {
		return v.varTimeStraus(allScalars, append(append(make([]*Element, 0, n), prepared.elements...), elements...))
	}
	points := appendAffineNiels(prepared.points[:prepared.Len():prepared.Len()], elements)
	return v.varTimePippengerAffine(allScalars, points, pippengerWindow(n))
}
