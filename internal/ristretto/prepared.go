package ristretto

// PreparedElements is a fixed list of elements prepared once for
// [Element.VarTimeMultiScalarMultPrepared]: worth keeping for a list that is
// multiplied by many sets of scalars, such as the keys of a ring that is
// verified often. It is immutable and safe for concurrent use.
//
// With one split, the elements are only normalised (one field inversion for
// all of them, 120 bytes per element), which the multiplication then skips.
// With s splits, every element P also gets the copies 2^(w·q·i)·P for
// i < s, where w is the window of the multiplication and w·q about 253/s
// bits: a multiplication then runs Pippenger's method over s times as many
// points but with s times fewer windows, so s times fewer doublings and
// bucket reductions. With four splits that makes multiplications of 1,000
// to 4,000 elements about 15% faster, for 480 bytes per element and about
// 190 doublings per element to build.
type PreparedElements struct {
	_        incomparable
	elements []*Element
	points   []affineNiels // element k's copy i at k·splits + i
	splits   int
	window   int // w, when splits > 1
	perSplit int // q: the windows of each copy, when splits > 1
}

// NewPreparedElements returns elements prepared with the given number of
// splits (at least 1; see [PreparedElements]). It keeps the slice of
// pointers (not a copy of the elements, which must not change). It is
// constant time in the elements.
func NewPreparedElements(elements []*Element, splits int) *PreparedElements {
	if splits < 1 || splits > digitCount(maxWindow) {
		panic("ristretto: invalid number of splits")
	}
	p := &PreparedElements{elements: elements, splits: splits}
	if splits == 1 {
		p.points = appendAffineNiels(nil, elements)
		return p
	}
	p.window, p.perSplit = splitShape(len(elements), splits)
	shift := p.window * p.perSplit
	ext := make([]extendedPoint, len(elements)*splits)
	var c completedPoint
	var pp projectivePoint
	for k, e := range elements {
		copies := ext[k*splits : (k+1)*splits]
		copies[0].fromElement(e)
		for i := 1; i < splits; i++ {
			pp.fromExtended(&copies[i-1])
			for range shift - 1 {
				c.double(&pp)
				pp.fromCompleted(&c)
			}
			c.double(&pp)
			copies[i].fromCompleted(&c)
		}
	}
	p.points = make([]affineNiels, len(ext))
	toAffineNiels(p.points, ext)
	return p
}

// splitShape returns the window w and windows per copy q that minimise the
// cost model of Pippenger's method over n·splits points and q windows,
// with splits·q ≥ digitCount(w).
func splitShape(n, splits int) (w, q int) {
	best := -1
	for cw := minWindow; cw <= maxWindow; cw++ {
		cq := (digitCount(cw) + splits - 1) / splits
		cost := cq * (n*splits*pippengerBucketAddCost + (1<<(cw-1))*pippengerBucketSumCost)
		if best < 0 || cost < best {
			best, w, q = cost, cw, cq
		}
	}
	return w, q
}

// Len returns the number of prepared elements.
func (p *PreparedElements) Len() int { return len(p.elements) }

// VarTimeMultiScalarMultPrepared sets v = Σ preparedScalars[i]·P_i +
// Σ scalars[j]·elements[j], where P_i are the prepared elements, and
// returns v: [Element.VarTimeMultiScalarMult] of all the terms, with the
// prepared ones as [PreparedElements] describes. len(preparedScalars) must
// be prepared.Len(), and scalars and elements must have equal lengths.
//
// Execution time depends on the inputs.
func (v *Element) VarTimeMultiScalarMultPrepared(preparedScalars []*Scalar, prepared *PreparedElements, scalars []*Scalar, elements []*Element) *Element {
	if len(preparedScalars) != prepared.Len() || len(scalars) != len(elements) {
		panic("ristretto: multi-scalar multiplication with different size inputs")
	}
	if prepared.splits > 1 {
		return v.varTimeMultiScalarMultSplit(preparedScalars, prepared, scalars, elements)
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

// varTimeMultiScalarMultSplit is VarTimeMultiScalarMultPrepared with
// split copies: digit l of scalar k goes to copy l/q of element k, in its
// window l mod q. The other terms are a separate multiplication.
func (v *Element) varTimeMultiScalarMultSplit(preparedScalars []*Scalar, p *PreparedElements, scalars []*Scalar, elements []*Element) *Element {
	w, q, n := p.window, p.perSplit, len(p.points)
	digits := make([]int16, q*n)
	var one [maxDigits]int16
	for k, s := range preparedScalars {
		for l, d := range signedDigits(one[:], s, w) {
			digits[(l%q)*n+k*p.splits+l/q] = d
		}
	}
	var acc accumulator
	acc.addExtended(varTimeBuckets(p.points, digits, q, w))
	if len(scalars) > 0 {
		var rest extendedPoint
		rest.fromElement(new(Element).VarTimeMultiScalarMult(scalars, elements))
		acc.addExtended(&rest)
	}
	return acc.extended().toElement(v)
}
