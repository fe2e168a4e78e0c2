package main

import (
	"crypto/rand"

	"filippo.io/edwards25519"
)

// references holds the primitive operations of filippo.io/edwards25519 that
// every scheme figure is also expressed against, timed on their own at the
// start and end of the run for the report's table and charts.
type references struct {
	Points int    // size of the multi-scalar multiplications
	T2     timing // VarTimeDoubleScalarBaseMult: a·A + b·B
	MSM    timing // VarTimeMultiScalarMult of Points points
	CTMSM  timing // MultiScalarMult (constant time) of Points points
}

// primitives runs the reference operations: every scheme measurement
// samples one of them beside its own samples (see measure), and
// measureReferences times each on its own.
type primitives struct {
	Points int
	T2     runner
	MSM    runner
	CTMSM  runner
}

func newPrimitives(points int) primitives {
	a, c := randomScalar(), randomScalar()
	A := new(edwards25519.Point).ScalarBaseMult(randomScalar())
	scalars := make([]*edwards25519.Scalar, points)
	elements := make([]*edwards25519.Point, points)
	for i := range points {
		scalars[i] = randomScalar()
		elements[i] = new(edwards25519.Point).ScalarBaseMult(randomScalar())
	}
	var out edwards25519.Point
	return primitives{
		Points: points,
		T2:     loop(func() { out.VarTimeDoubleScalarBaseMult(a, A, c) }),
		MSM:    loop(func() { out.VarTimeMultiScalarMult(scalars, elements) }),
		CTMSM:  loop(func() { out.MultiScalarMult(scalars, elements) }),
	}
}

func measureReferences(b budget, prims primitives, when string, p *progress) references {
	r := references{Points: prims.Points}
	p.run("reference t2 = VarTimeDoubleScalarBaseMult, "+when, func() timing {
		return measure(b, prims.T2, nil)
	}, &r.T2)
	p.run("reference MSM("+itoa(prims.Points)+"), "+when, func() timing {
		return measure(b, prims.MSM, nil)
	}, &r.MSM)
	p.run("reference CTMSM("+itoa(prims.Points)+"), "+when, func() timing {
		return measure(b, prims.CTMSM, nil)
	}, &r.CTMSM)
	return r
}

// randomScalar returns a uniformly random scalar. The references only need
// inputs that look like the ones the schemes use, not secrets.
func randomScalar() *edwards25519.Scalar {
	var wide [64]byte
	rand.Read(wide[:])
	s, err := edwards25519.NewScalar().SetUniformBytes(wide[:])
	if err != nil {
		panic("bench: " + err.Error()) // unreachable: the input has the right length
	}
	return s
}

// faster keeps, for each reference, the faster of two measurements. The
// references are measured before and after the schemes; on a machine shared
// with other work the slower one is the one that was disturbed. They draw
// the reference lines of the charts; the ratios come from the samples
// taken beside each operation.
func faster(a, b references) references {
	pick := func(x, y timing) timing {
		if !y.Valid() || (x.Valid() && x.NsPerOp <= y.NsPerOp) {
			return x
		}
		return y
	}
	return references{
		Points: a.Points,
		T2:     pick(a.T2, b.T2),
		MSM:    pick(a.MSM, b.MSM),
		CTMSM:  pick(a.CTMSM, b.CTMSM),
	}
}
