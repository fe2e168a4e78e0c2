package ristretto

import (
	"fmt"
	"testing"

	"filippo.io/edwards25519"
)

// Benchmarks of every operation, with the raw filippo.io/edwards25519
// functions the group operations wrap as references in the same run.

var benchSinkElement *Element

func benchInputs(b *testing.B, n int) ([]*Scalar, []*Element) {
	rng := newTestRand(b)
	scalars := make([]*Scalar, n)
	elements := make([]*Element, n)
	for i := range n {
		scalars[i] = scalarFromBig(bigFromLE(randomBytes(rng, 64)))
		e, _ := new(Element).SetUniformBytes(randomBytes(rng, UniformBytesSize))
		elements[i] = e
	}
	return scalars, elements
}

func BenchmarkElementDecode(b *testing.B) {
	_, elements := benchInputs(b, 1)
	enc := elements[0].Bytes()
	var v Element
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.SetCanonicalBytes(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkElementEncode(b *testing.B) {
	_, elements := benchInputs(b, 1)
	b.Run("Bytes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			testAllocationsSink ^= elements[0].Bytes()[0]
		}
	})
	b.Run("AppendBytes", func(b *testing.B) {
		buf := make([]byte, 0, ElementSize)
		b.ReportAllocs()
		for b.Loop() {
			buf = elements[0].AppendBytes(buf[:0])
		}
	})
}

func BenchmarkAppendDoubledEncodings(b *testing.B) {
	for _, n := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			_, elements := benchInputs(b, n)
			buf := make([]byte, 0, n*ElementSize)
			b.ReportAllocs()
			for b.Loop() {
				buf = AppendDoubledEncodings(buf[:0], elements)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/elem")
		})
	}
}

func BenchmarkElementSetUniformBytes(b *testing.B) {
	in := randomBytes(newTestRand(b), UniformBytesSize)
	var v Element
	b.ReportAllocs()
	for b.Loop() {
		v.SetUniformBytes(in)
	}
}

func BenchmarkHashToGroup(b *testing.B) {
	dst := []byte("HashToGroup-OPRFV1-\x00-ristretto255-SHA512")
	msg := randomBytes(newTestRand(b), 64)
	b.ReportAllocs()
	for b.Loop() {
		benchSinkElement = HashToGroup(dst, msg)
	}
}

func BenchmarkHashToScalar(b *testing.B) {
	dst := []byte("HashToScalar-OPRFV1-\x00-ristretto255-SHA512")
	msg := randomBytes(newTestRand(b), 64)
	b.ReportAllocs()
	for b.Loop() {
		HashToScalar(dst, msg)
	}
}

func BenchmarkElementAdd(b *testing.B) {
	_, elements := benchInputs(b, 2)
	var v Element
	b.ReportAllocs()
	for b.Loop() {
		v.Add(elements[0], elements[1])
	}
}

func BenchmarkScalarMult(b *testing.B) {
	scalars, elements := benchInputs(b, 1)
	var v Element
	b.ReportAllocs()
	for b.Loop() {
		v.ScalarMult(scalars[0], elements[0])
	}
}

func BenchmarkScalarBaseMult(b *testing.B) {
	scalars, _ := benchInputs(b, 1)
	var v Element
	b.ReportAllocs()
	for b.Loop() {
		v.ScalarBaseMult(scalars[0])
	}
}

func BenchmarkVarTimeDoubleScalarBaseMult(b *testing.B) {
	scalars, elements := benchInputs(b, 2)
	var v Element
	b.ReportAllocs()
	for b.Loop() {
		v.VarTimeDoubleScalarBaseMult(scalars[0], elements[0], scalars[1])
	}
}

func BenchmarkMultiScalarMult(b *testing.B) {
	for _, n := range []int{16, 256, 1024} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			scalars, elements := benchInputs(b, n)
			var v Element
			b.ReportAllocs()
			for b.Loop() {
				v.MultiScalarMult(scalars, elements)
			}
		})
	}
}

func BenchmarkVarTimeMultiScalarMult(b *testing.B) {
	for _, n := range []int{16, 256, 1024} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			scalars, elements := benchInputs(b, n)
			var v Element
			b.ReportAllocs()
			for b.Loop() {
				v.VarTimeMultiScalarMult(scalars, elements)
			}
		})
	}
}

// Reference: the edwards25519 functions underneath, without the wrappers.

func edwardsInputs(b *testing.B, n int) ([]*edwards25519.Scalar, []*edwards25519.Point) {
	scalars, elements := benchInputs(b, n)
	return unwrap(scalars, elements)
}

func BenchmarkEdwards25519VarTimeDoubleScalarBaseMult(b *testing.B) {
	scalars, points := edwardsInputs(b, 2)
	var v edwards25519.Point
	b.ReportAllocs()
	for b.Loop() {
		v.VarTimeDoubleScalarBaseMult(scalars[0], points[0], scalars[1])
	}
}

func BenchmarkEdwards25519MultiScalarMult(b *testing.B) {
	scalars, points := edwardsInputs(b, 1024)
	b.Run("n=1024", func(b *testing.B) {
		var v edwards25519.Point
		b.ReportAllocs()
		for b.Loop() {
			v.MultiScalarMult(scalars, points)
		}
	})
}

func BenchmarkEdwards25519VarTimeMultiScalarMult(b *testing.B) {
	scalars, points := edwardsInputs(b, 1024)
	b.Run("n=1024", func(b *testing.B) {
		var v edwards25519.Point
		b.ReportAllocs()
		for b.Loop() {
			v.VarTimeMultiScalarMult(scalars, points)
		}
	})
}

// BenchmarkBaseTable builds and uses the table shapes the module uses: the
// numbers behind BaseTableShape's cost model and the build costs the trs
// documentation quotes (a ring key's table is 5×2, a tag's 6×1).
func BenchmarkBaseTable(b *testing.B) {
	scalars, elements := benchInputs(b, 3)
	for _, shape := range [][2]int{{5, 2}, {6, 1}, {8, 1}, {5, 4}, {8, 2}} {
		name := fmt.Sprintf("w=%d,t=%d", shape[0], shape[1])
		b.Run("New/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewBaseTable(elements[0], shape[0], shape[1])
			}
			b.ReportMetric(float64(BaseTableSize(shape[0], shape[1])), "B/table")
		})
		tables := []*BaseTable{NewBaseTable(elements[0], shape[0], shape[1])}
		b.Run("Mult/"+name, func(b *testing.B) {
			var v Element
			b.ReportAllocs()
			for b.Loop() {
				v.VarTimeMultiScalarMultTables(scalars[:1], tables)
			}
		})
	}
	// b_j of trs at n = 50: the tag's table of h and two 5×4 combs.
	tables := []*BaseTable{NewBaseTable(elements[0], 6, 1), NewBaseTable(elements[1], 5, 4), NewBaseTable(elements[2], 5, 4)}
	b.Run("Mult/h6x1+2x5x4", func(b *testing.B) {
		var v Element
		b.ReportAllocs()
		for b.Loop() {
			v.VarTimeMultiScalarMultTables(scalars, tables)
		}
	})
}
