package ristretto

import (
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// Every method promises that arguments may alias the receiver. These tests
// compute each result once into a fresh receiver, then again with the
// receiver aliasing each argument in turn (and several at once), and check
// that the results match and the arguments that are not the receiver are
// left alone.

func sameScalar(a, b *Scalar) bool { return a.s.Equal(&b.s) == 1 }

// sameElement compares internal Edwards points, which is stricter than
// ristretto equality: the aliased computation must not even change the
// representative.
func sameElement(a, b *Element) bool { return a.p.Equal(&b.p) == 1 }

func copyScalar(x *Scalar) *Scalar    { return new(Scalar).Set(x) }
func copyElement(x *Element) *Element { return new(Element).Set(x) }

func checkScalarAliasingOneArg(f func(v, x *Scalar) *Scalar, x *Scalar) bool {
	x0 := copyScalar(x)
	want := f(new(Scalar), x)
	v := copyScalar(x)
	return f(v, v) == v && sameScalar(v, want) && sameScalar(x, x0)
}

func checkScalarAliasingTwoArgs(f func(v, x, y *Scalar) *Scalar, x, y *Scalar) bool {
	x0, y0 := copyScalar(x), copyScalar(y)
	want := f(new(Scalar), x, y)
	v := copyScalar(x)
	if f(v, v, y) != v || !sameScalar(v, want) {
		return false
	}
	v = copyScalar(y)
	if f(v, x, v) != v || !sameScalar(v, want) {
		return false
	}
	wantXX := f(new(Scalar), x, x)
	for _, call := range []func(v *Scalar) *Scalar{
		func(v *Scalar) *Scalar { return f(v, v, x) },
		func(v *Scalar) *Scalar { return f(v, x, v) },
		func(v *Scalar) *Scalar { return f(v, v, v) },
	} {
		v = copyScalar(x)
		if call(v) != v || !sameScalar(v, wantXX) {
			return false
		}
	}
	return sameScalar(x, x0) && sameScalar(y, y0)
}

func TestScalarAliasing(t *testing.T) {
	properties := gopter.NewProperties(propertyParameters())
	for _, op := range []struct {
		name string
		f    func(v, x *Scalar) *Scalar
	}{
		{"Negate", (*Scalar).Negate},
		{"Invert", (*Scalar).Invert},
		{"Set", (*Scalar).Set},
	} {
		name, f := op.name, op.f
		properties.Property(name, prop.ForAll(func(x *Scalar) bool {
			return checkScalarAliasingOneArg(f, x)
		}, genScalar()))
	}
	for _, op := range []struct {
		name string
		f    func(v, x, y *Scalar) *Scalar
	}{
		{"Add", (*Scalar).Add},
		{"Subtract", (*Scalar).Subtract},
		{"Multiply", (*Scalar).Multiply},
		{"Select0", func(v, x, y *Scalar) *Scalar { return v.Select(x, y, 0) }},
		{"Select1", func(v, x, y *Scalar) *Scalar { return v.Select(x, y, 1) }},
	} {
		name, f := op.name, op.f
		properties.Property(name, prop.ForAll(func(x, y *Scalar) bool {
			return checkScalarAliasingTwoArgs(f, x, y)
		}, genScalar(), genScalar()))
	}
	// MultiplyAdd takes three arguments: hold each one fixed in turn and
	// alias the other two, as filippo.io/edwards25519 does.
	properties.Property("MultiplyAdd", prop.ForAll(func(x, y, fixed *Scalar) bool {
		return checkScalarAliasingTwoArgs(func(v, x, y *Scalar) *Scalar { return v.MultiplyAdd(fixed, x, y) }, x, y) &&
			checkScalarAliasingTwoArgs(func(v, x, y *Scalar) *Scalar { return v.MultiplyAdd(x, fixed, y) }, x, y) &&
			checkScalarAliasingTwoArgs(func(v, x, y *Scalar) *Scalar { return v.MultiplyAdd(x, y, fixed) }, x, y)
	}, genScalar(), genScalar(), genScalar()))
	properties.Property("MultiplyAdd all aliased", prop.ForAll(func(x *Scalar) bool {
		want := new(Scalar).MultiplyAdd(x, x, x)
		v := copyScalar(x)
		return v.MultiplyAdd(v, v, v) == v && sameScalar(v, want)
	}, genScalar()))
	properties.TestingRun(t)
}

// genElement draws k·g for an edge-weighted k, or a derived element.
func genElement() gopter.Gen {
	return gen.SliceOfN(66, gen.UInt8()).Map(func(b []byte) *Element {
		if b[0]&1 == 0 {
			return new(Element).ScalarBaseMult(edgeScalar(b[1], b[2:]))
		}
		e, _ := new(Element).SetUniformBytes(b[2:])
		return e
	})
}

func checkElementAliasingOneArg(f func(v, x *Element) *Element, x *Element) bool {
	x0 := copyElement(x)
	want := f(new(Element), x)
	v := copyElement(x)
	return f(v, v) == v && sameElement(v, want) && sameElement(x, x0)
}

func checkElementAliasingTwoArgs(f func(v, x, y *Element) *Element, x, y *Element) bool {
	x0, y0 := copyElement(x), copyElement(y)
	want := f(new(Element), x, y)
	v := copyElement(x)
	if f(v, v, y) != v || !sameElement(v, want) {
		return false
	}
	v = copyElement(y)
	if f(v, x, v) != v || !sameElement(v, want) {
		return false
	}
	wantXX := f(new(Element), x, x)
	for _, call := range []func(v *Element) *Element{
		func(v *Element) *Element { return f(v, v, x) },
		func(v *Element) *Element { return f(v, x, v) },
		func(v *Element) *Element { return f(v, v, v) },
	} {
		v = copyElement(x)
		if call(v) != v || !sameElement(v, wantXX) {
			return false
		}
	}
	return sameElement(x, x0) && sameElement(y, y0)
}

func TestElementAliasing(t *testing.T) {
	params := propertyParameters()
	params.MinSuccessfulTests = rounds(200)
	properties := gopter.NewProperties(params)
	for _, op := range []struct {
		name string
		f    func(v, x *Element) *Element
	}{
		{"Negate", (*Element).Negate},
		{"Set", (*Element).Set},
	} {
		name, f := op.name, op.f
		properties.Property(name, prop.ForAll(func(x *Element) bool {
			return checkElementAliasingOneArg(f, x)
		}, genElement()))
	}
	for _, op := range []struct {
		name string
		f    func(v, x, y *Element) *Element
	}{
		{"Add", (*Element).Add},
		{"Subtract", (*Element).Subtract},
		{"Select0", func(v, x, y *Element) *Element { return v.Select(x, y, 0) }},
		{"Select1", func(v, x, y *Element) *Element { return v.Select(x, y, 1) }},
	} {
		name, f := op.name, op.f
		properties.Property(name, prop.ForAll(func(x, y *Element) bool {
			return checkElementAliasingTwoArgs(f, x, y)
		}, genElement(), genElement()))
	}
	properties.Property("ScalarMult", prop.ForAll(func(k *Scalar, x *Element) bool {
		k0 := copyScalar(k)
		return checkElementAliasingOneArg(func(v, x *Element) *Element { return v.ScalarMult(k, x) }, x) &&
			sameScalar(k, k0)
	}, genScalar(), genElement()))
	properties.Property("VarTimeDoubleScalarBaseMult", prop.ForAll(func(a, b *Scalar, x *Element) bool {
		a0, b0 := copyScalar(a), copyScalar(b)
		return checkElementAliasingOneArg(func(v, x *Element) *Element {
			return v.VarTimeDoubleScalarBaseMult(a, x, b)
		}, x) && sameScalar(a, a0) && sameScalar(b, b0)
	}, genScalar(), genScalar(), genElement()))

	for name, msm := range map[string]func(v *Element, s []*Scalar, e []*Element) *Element{
		"MultiScalarMult":        (*Element).MultiScalarMult,
		"VarTimeMultiScalarMult": (*Element).VarTimeMultiScalarMult,
	} {
		properties.Property(name, prop.ForAll(func(s0, s1, s2 *Scalar, e0, e1 *Element) bool {
			scalars := []*Scalar{s0, s1, s2}
			elements := []*Element{e0, e1, e0} // e0 twice
			saved := []*Element{copyElement(e0), copyElement(e1)}
			want := msm(new(Element), scalars, elements)
			// The receiver aliases each element in turn; it is reset to
			// the original value before every call.
			for i := range elements {
				v := copyElement(elements[i])
				aliased := append([]*Element(nil), elements...)
				for j := range aliased {
					if sameElement(elements[j], elements[i]) {
						aliased[j] = v
					}
				}
				if msm(v, scalars, aliased) != v || !sameElement(v, want) {
					return false
				}
			}
			return sameElement(e0, saved[0]) && sameElement(e1, saved[1])
		}, genScalar(), genScalar(), genScalar(), genElement(), genElement()))
	}
	properties.TestingRun(t)
}
