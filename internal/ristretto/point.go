package ristretto

import "filippo.io/edwards25519/field"

// The curve arithmetic behind the precomputed tables and the Pippenger
// multi-scalar multiplication: edwards25519 (a = −1) in the coordinate
// systems of Hisil, Wong, Carter and Dawson, "Twisted Edwards Curves
// Revisited" (ASIACRYPT 2008, ePrint 2008/522), which filippo.io/edwards25519
// uses internally but does not export. These types hold Edwards points, that
// is representatives of ristretto255 elements; they enter and leave through
// [extendedPoint.fromElement] and [extendedPoint.toElement], and only
// Element compares them.
//
// Costs below count field multiplications (M) and squarings (S); additions
// and subtractions of field elements are not counted.

// extendedPoint is (X:Y:Z:T) with x = X/Z, y = Y/Z and xy = T/Z.
type extendedPoint struct{ X, Y, Z, T field.Element }

// projectivePoint is (X:Y:Z) with x = X/Z and y = Y/Z: what doubling needs.
type projectivePoint struct{ X, Y, Z field.Element }

// completedPoint is ((X:Z), (Y:T)) with x = X/Z and y = Y/T: the result of
// an addition or a doubling, before it is converted for the next operation.
type completedPoint struct{ X, Y, Z, T field.Element }

// projectiveNiels is an extended point prepared as an addend:
// (Y+X, Y−X, Z, 2d·T).
type projectiveNiels struct{ YplusX, YminusX, Z, T2d field.Element }

// affineNiels is a point with Z = 1 prepared as an addend: (y+x, y−x,
// 2d·x·y). Additions of one cost 7M against 8M for a projectiveNiels.
type affineNiels struct{ YplusX, YminusX, XY2d field.Element }

var (
	curveD2   = new(field.Element).Add(curveD, curveD)
	curveDInv = new(field.Element).Invert(curveD)
)

func (v *extendedPoint) identity() *extendedPoint {
	v.X.Zero()
	v.Y.One()
	v.Z.One()
	v.T.Zero()
	return v
}

// fromElement sets v to the representative of e.
func (v *extendedPoint) fromElement(e *Element) *extendedPoint {
	X, Y, Z, T := e.p.ExtendedCoordinates()
	v.X.Set(X)
	v.Y.Set(Y)
	v.Z.Set(Z)
	v.T.Set(T)
	return v
}

// toElement sets e to the element v represents, and returns e.
func (v *extendedPoint) toElement(e *Element) *Element {
	if _, err := e.p.SetExtendedCoordinates(&v.X, &v.Y, &v.Z, &v.T); err != nil {
		// Every point here comes from curve points by the complete
		// formulas below; anything else is a bug in this file.
		panic("ristretto: internal point is not on the curve")
	}
	return e
}

// fromCompleted sets v = p, in 4M.
func (v *extendedPoint) fromCompleted(p *completedPoint) *extendedPoint {
	v.X.Multiply(&p.X, &p.T)
	v.Y.Multiply(&p.Y, &p.Z)
	v.Z.Multiply(&p.Z, &p.T)
	v.T.Multiply(&p.X, &p.Y)
	return v
}

// fromAffineNiels sets v = q, in 1M: with Z = 2, X = (y+x) − (y−x) = 2x,
// Y = 2y and T = 2xy = 2d·xy / d.
func (v *extendedPoint) fromAffineNiels(q *affineNiels) *extendedPoint {
	v.X.Subtract(&q.YplusX, &q.YminusX)
	v.Y.Add(&q.YplusX, &q.YminusX)
	v.Z.Add(feOne, feOne)
	v.T.Multiply(&q.XY2d, curveDInv)
	return v
}

// fromCompleted sets v = p, in 3M.
func (v *projectivePoint) fromCompleted(p *completedPoint) *projectivePoint {
	v.X.Multiply(&p.X, &p.T)
	v.Y.Multiply(&p.Y, &p.Z)
	v.Z.Multiply(&p.Z, &p.T)
	return v
}

func (v *projectivePoint) fromExtended(p *extendedPoint) *projectivePoint {
	v.X.Set(&p.X)
	v.Y.Set(&p.Y)
	v.Z.Set(&p.Z)
	return v
}

// fromExtended sets v = p, in 1M.
func (v *projectiveNiels) fromExtended(p *extendedPoint) *projectiveNiels {
	v.YplusX.Add(&p.Y, &p.X)
	v.YminusX.Subtract(&p.Y, &p.X)
	v.Z.Set(&p.Z)
	v.T2d.Multiply(&p.T, curveD2)
	return v
}

// fromAffineNiels sets v to the completed form of q, or of −q if negate,
// with no multiplication: X = ±2x, Z = 2, Y = 2y, T = 2.
func (v *completedPoint) fromAffineNiels(q *affineNiels, negate bool) *completedPoint {
	if negate {
		v.X.Subtract(&q.YminusX, &q.YplusX)
	} else {
		v.X.Subtract(&q.YplusX, &q.YminusX)
	}
	v.Y.Add(&q.YplusX, &q.YminusX)
	v.Z.Add(feOne, feOne)
	v.T.Set(&v.Z)
	return v
}

// double sets v = 2p, in 4S ("dbl-2008-hwcd").
func (v *completedPoint) double(p *projectivePoint) *completedPoint {
	var xx, yy, zz2, xPlusYSq field.Element
	xx.Square(&p.X)
	yy.Square(&p.Y)
	zz2.Square(&p.Z)
	zz2.Add(&zz2, &zz2)
	xPlusYSq.Add(&p.X, &p.Y)
	xPlusYSq.Square(&xPlusYSq)

	v.Y.Add(&yy, &xx)
	v.Z.Subtract(&yy, &xx)
	v.X.Subtract(&xPlusYSq, &v.Y)
	v.T.Subtract(&zz2, &v.Z)
	return v
}

// addProjective sets v = p + q, or p − q if negate, in 4M
// ("add-2008-hwcd-3"). Subtracting swaps Y+X with Y−X and negates 2d·T.
func (v *completedPoint) addProjective(p *extendedPoint, q *projectiveNiels, negate bool) *completedPoint {
	qPlus, qMinus := &q.YplusX, &q.YminusX
	if negate {
		qPlus, qMinus = qMinus, qPlus
	}
	var yPlusX, yMinusX, pp, mm, tt2d, zz2 field.Element
	yPlusX.Add(&p.Y, &p.X)
	yMinusX.Subtract(&p.Y, &p.X)
	pp.Multiply(&yPlusX, qPlus)
	mm.Multiply(&yMinusX, qMinus)
	tt2d.Multiply(&p.T, &q.T2d)
	zz2.Multiply(&p.Z, &q.Z)
	zz2.Add(&zz2, &zz2)

	v.X.Subtract(&pp, &mm)
	v.Y.Add(&pp, &mm)
	if negate {
		v.Z.Subtract(&zz2, &tt2d)
		v.T.Add(&zz2, &tt2d)
	} else {
		v.Z.Add(&zz2, &tt2d)
		v.T.Subtract(&zz2, &tt2d)
	}
	return v
}

// addAffine sets v = p + q, or p − q if negate, in 3M ("madd-2008-hwcd-3").
// It is addProjective with Z2 = 1, written out rather than shared because
// it is the inner loop of the bucket method.
func (v *completedPoint) addAffine(p *extendedPoint, q *affineNiels, negate bool) *completedPoint {
	qPlus, qMinus := &q.YplusX, &q.YminusX
	if negate {
		qPlus, qMinus = qMinus, qPlus
	}
	var yPlusX, yMinusX, pp, mm, tt2d, z2 field.Element
	yPlusX.Add(&p.Y, &p.X)
	yMinusX.Subtract(&p.Y, &p.X)
	pp.Multiply(&yPlusX, qPlus)
	mm.Multiply(&yMinusX, qMinus)
	tt2d.Multiply(&p.T, &q.XY2d)
	z2.Add(&p.Z, &p.Z)

	v.X.Subtract(&pp, &mm)
	v.Y.Add(&pp, &mm)
	if negate {
		v.Z.Subtract(&z2, &tt2d)
		v.T.Add(&z2, &tt2d)
	} else {
		v.Z.Add(&z2, &tt2d)
		v.T.Subtract(&z2, &tt2d)
	}
	return v
}

// toAffineNiels sets dst[i] to the affine-Niels form of src[i] for every i,
// with one field inversion for all of them and 7M per point. dst and src
// must have the same length.
func toAffineNiels(dst []affineNiels, src []extendedPoint) {
	zInv := make([]field.Element, len(src))
	for i := range src {
		zInv[i].Set(&src[i].Z) // never zero: complete formulas on the curve
	}
	batchInvert(zInv)
	var x, y field.Element
	for i := range src {
		x.Multiply(&src[i].X, &zInv[i])
		y.Multiply(&src[i].Y, &zInv[i])
		d := &dst[i]
		d.YplusX.Add(&y, &x)
		d.YminusX.Subtract(&y, &x)
		d.XY2d.Multiply(&x, &y)
		d.XY2d.Multiply(&d.XY2d, curveD2)
	}
}

// accumulator is a running sum for variable-time scalar multiplications.
// It keeps the last result in completed form and converts it only to what
// the next operation needs: extended (4M) before an addition, projective
// (3M) before a doubling. It starts empty, meaning the identity, and
// skips doublings while empty.
type accumulator struct {
	c     completedPoint
	e     extendedPoint
	p     projectivePoint
	state accumulatorState
}

type accumulatorState uint8

const (
	accEmpty     accumulatorState = iota // the identity, nothing added yet
	accCompleted                         // the value is in c
	accExtended                          // the value is in e (c may be stale)
)

func (a *accumulator) reset() { a.state = accEmpty }

// addAffine adds q, or subtracts it if negate.
func (a *accumulator) addAffine(q *affineNiels, negate bool) {
	switch a.state {
	case accEmpty:
		a.c.fromAffineNiels(q, negate)
		a.state = accCompleted
		return
	case accCompleted:
		a.e.fromCompleted(&a.c)
	}
	a.c.addAffine(&a.e, q, negate)
	a.state = accCompleted
}

// addExtended adds q.
func (a *accumulator) addExtended(q *extendedPoint) {
	if a.state == accEmpty {
		a.e = *q
		a.state = accExtended
		return
	}
	if a.state == accCompleted {
		a.e.fromCompleted(&a.c)
	}
	var n projectiveNiels
	n.fromExtended(q)
	a.c.addProjective(&a.e, &n, false)
	a.state = accCompleted
}

// double doubles the sum k times.
func (a *accumulator) double(k int) {
	if a.state == accEmpty || k == 0 {
		return
	}
	if a.state == accExtended {
		a.p.fromExtended(&a.e)
	} else {
		a.p.fromCompleted(&a.c)
	}
	a.c.double(&a.p)
	for range k - 1 {
		a.p.fromCompleted(&a.c)
		a.c.double(&a.p)
	}
	a.state = accCompleted
}

// extended returns the sum in extended coordinates. The pointer is valid
// until the next operation on a.
func (a *accumulator) extended() *extendedPoint {
	switch a.state {
	case accEmpty:
		a.e.identity()
		a.state = accExtended
	case accCompleted:
		a.e.fromCompleted(&a.c)
		a.state = accExtended
	}
	return &a.e
}
