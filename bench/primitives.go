package main

import (
	"crypto/rand"

	"filippo.io/edwards25519"
)

// references holds the primitive operations of filippo.io/edwards25519 that
// every scheme figure is also expressed against, measured in the same run so
// the ratios do not depend on the machine.
type references struct {
	Points int    // size of the multi-scalar multiplications
	T2     timing // VarTimeDoubleScalarBaseMult: a·A + b·B
	MSM    timing // VarTimeMultiScalarMult of Points points
	CTMSM  timing // MultiScalarMult (constant time) of Points points
}

func measureReferences(b budget, points int, when string, p *progress) references {
	r := references{Points: points}

	a, c := randomScalar(), randomScalar()
	A := new(edwards25519.Point).ScalarBaseMult(randomScalar())
	var out edwards25519.Point
	p.run("reference t2 = VarTimeDoubleScalarBaseMult, "+when, func() timing {
		return measure(b, loop(func() { out.VarTimeDoubleScalarBaseMult(a, A, c) }))
	}, &r.T2)

	scalars := make([]*edwards25519.Scalar, points)
	elements := make([]*edwards25519.Point, points)
	for i := range points {
		scalars[i] = randomScalar()
		elements[i] = new(edwards25519.Point).ScalarBaseMult(randomScalar())
	}
	p.run("reference MSM("+itoa(points)+"), "+when, func() timing {
		return measure(b, loop(func() { out.VarTimeMultiScalarMult(scalars, elements) }))
	}, &r.MSM)
	p.run("reference CTMSM("+itoa(points)+"), "+when, func() timing {
		return measure(b, loop(func() { out.MultiScalarMult(scalars, elements) }))
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
// with other work the slower one is the one that was disturbed, and a
// disturbed reference would flatter every ratio.
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
