package ristretto

import (
	"fmt"
	"math/big"
	"testing"
)

// tableEdgeScalars returns the scalars where signed-digit recoding and the
// table lookups break: 0, ±1, ±2, small values, 2^252 and its neighbours,
// runs of ones (2^k − 1, every digit at its largest before a borrow),
// values whose every w-bit digit is 2^(w−1) or 2^(w−1) − 1 (a carry through
// every digit), q − 1 and (q − 1)/2.
func tableEdgeScalars(w int) []*Scalar {
	var xs []*big.Int
	for _, v := range []int64{0, 1, 2, 3, 7, 8, 15, 16, 17, 127, 128, 129, 255, 256} {
		xs = append(xs, big.NewInt(v))
	}
	one := big.NewInt(1)
	for _, k := range []int{w - 1, w, w + 1, 2 * w, 64, 128, 250, 251, 252} {
		p := new(big.Int).Lsh(one, uint(k))
		xs = append(xs, p, new(big.Int).Sub(p, one), new(big.Int).Add(p, one))
	}
	for _, digit := range []int64{1<<(w-1) - 1, 1 << (w - 1), 1<<w - 1} {
		x := new(big.Int)
		for i := 0; i*w < 253; i++ {
			x.Add(x, new(big.Int).Lsh(big.NewInt(digit), uint(i*w)))
		}
		xs = append(xs, x.Mod(x, groupOrder))
	}
	qm1 := new(big.Int).Sub(groupOrder, one)
	xs = append(xs, qm1, new(big.Int).Sub(groupOrder, big.NewInt(2)), new(big.Int).Rsh(qm1, 1))
	out := make([]*Scalar, len(xs))
	for i, x := range xs {
		out[i] = scalarFromBig(x)
	}
	return out
}

// plainScalarMult is the oracle: filippo.io/edwards25519's constant-time
// scalar multiplication of the representative of p.
func plainScalarMult(s *Scalar, p *Element) *Element {
	r := new(Element)
	r.p.ScalarMult(&s.s, &p.p)
	return r
}

func TestSignedDigits(t *testing.T) {
	rng := newTestRand(t)
	for w := minWindow; w <= maxWindow; w++ {
		scalars := tableEdgeScalars(w)
		for range rounds(200) {
			scalars = append(scalars, randomScalar(rng))
		}
		var buf [maxDigits]int16
		for _, s := range scalars {
			d := signedDigits(buf[:], s, w)
			if len(d) != digitCount(w) {
				t.Fatalf("w=%d: %d digits, want %d", w, len(d), digitCount(w))
			}
			sum := new(big.Int)
			half := int64(1) << (w - 1)
			for i := len(d) - 1; i >= 0; i-- {
				if int64(d[i]) < -half || int64(d[i]) > half || (i < len(d)-1 && int64(d[i]) == half) {
					t.Fatalf("w=%d: digit %d of %x is %d", w, i, s.Bytes(), d[i])
				}
				sum.Lsh(sum, uint(w)).Add(sum, big.NewInt(int64(d[i])))
			}
			if d[len(d)-1] < 0 {
				t.Fatalf("w=%d: negative top digit for %x", w, s.Bytes())
			}
			if sum.Cmp(bigFromScalar(s)) != 0 {
				t.Fatalf("w=%d: digits of %x sum to %v", w, s.Bytes(), sum)
			}
		}
	}
}

// tableShapes lists every shape the module builds (trs: 8×1 for the tag
// base and the generator, 5×2 for ring keys, combs of 4 to 8 bits with one
// to eight groups for A0 and A1) and the extremes of the valid range.
func tableShapes() [][2]int {
	var shapes [][2]int
	for w := minWindow; w <= 8; w++ {
		for _, t := range []int{1, 2, 3, 4, 5, 6, 8, digitCount(w)} {
			shapes = append(shapes, [2]int{w, t})
		}
	}
	return shapes
}

func TestBaseTableAgainstScalarMult(t *testing.T) {
	rng := newTestRand(t)
	torsion := torsionPoints(t)
	for _, shape := range tableShapes() {
		w, groups := shape[0], shape[1]
		t.Run(fmt.Sprintf("w=%d,t=%d", w, groups), func(t *testing.T) {
			p := randomElement(rng)
			// A representative with a torsion component: the table must
			// still give the right ristretto255 element.
			rep := withTorsion(p, torsion[rng.IntN(len(torsion))])
			for _, base := range []*Element{p, rep} {
				table := NewBaseTable(base, w, groups)
				if got, want := len(table.entries)*120, table.Size(); got != want {
					t.Fatalf("Size = %d, entries take %d", want, got)
				}
				scalars := tableEdgeScalars(w)
				for range rounds(20) {
					scalars = append(scalars, randomScalar(rng))
				}
				for _, s := range scalars {
					got := new(Element).VarTimeMultiScalarMultTables([]*Scalar{s}, []*BaseTable{table})
					if want := plainScalarMult(s, p); got.Equal(want) != 1 {
						t.Fatalf("%x·P: got %x, want %x", s.Bytes(), got.Bytes(), want.Bytes())
					}
				}
			}
		})
	}
}

func TestBaseTableOfIdentity(t *testing.T) {
	for _, shape := range [][2]int{{2, 1}, {5, 2}, {8, 1}} {
		table := NewBaseTable(NewIdentityElement(), shape[0], shape[1])
		for _, s := range tableEdgeScalars(shape[0]) {
			got := new(Element).VarTimeMultiScalarMultTables([]*Scalar{s}, []*BaseTable{table})
			if got.IsIdentity() != 1 {
				t.Fatalf("%v: %x·identity = %x", shape, s.Bytes(), got.Bytes())
			}
		}
	}
}

// TestMultiScalarMultTables mixes tables of different shapes in one
// multiplication (the doublings of the table with the most groups are
// shared by all), including more tables than fit the stack buffers and
// sums that cancel to the identity.
func TestMultiScalarMultTables(t *testing.T) {
	rng := newTestRand(t)
	shapes := tableShapes()
	for range rounds(60) {
		k := 1 + rng.IntN(6)
		scalars := make([]*Scalar, k)
		tables := make([]*BaseTable, k)
		bases := make([]*Element, k)
		want := NewIdentityElement()
		for i := range k {
			shape := shapes[rng.IntN(len(shapes))]
			bases[i] = randomElement(rng)
			if i > 0 && rng.IntN(3) == 0 {
				bases[i] = bases[rng.IntN(i)] // the same base, another table
			}
			tables[i] = NewBaseTable(bases[i], shape[0], shape[1])
			scalars[i] = randomScalar(rng)
			want.Add(want, plainScalarMult(scalars[i], bases[i]))
		}
		got := new(Element).VarTimeMultiScalarMultTables(scalars, tables)
		if got.Equal(want) != 1 {
			t.Fatalf("%d tables: got %x, want %x", k, got.Bytes(), want.Bytes())
		}
		// s·P + (−s)·P through two different shapes is the identity.
		neg := new(Scalar).Negate(scalars[0])
		other := NewBaseTable(bases[0], 2+rng.IntN(7), 1+rng.IntN(3))
		zero := new(Element).VarTimeMultiScalarMultTables([]*Scalar{scalars[0], neg}, []*BaseTable{tables[0], other})
		if zero.IsIdentity() != 1 {
			t.Fatalf("s·P − s·P = %x", zero.Bytes())
		}
	}
	empty := new(Element).VarTimeMultiScalarMultTables(nil, nil)
	if empty.IsIdentity() != 1 {
		t.Fatal("empty sum is not the identity")
	}
}

func TestBaseTableInvalidShapes(t *testing.T) {
	p := NewGeneratorElement()
	for _, shape := range [][2]int{{1, 1}, {9, 1}, {0, 1}, {4, 0}, {4, digitCount(4) + 1}, {-1, -1}} {
		if BaseTableSize(shape[0], shape[1]) != 0 {
			t.Errorf("BaseTableSize%v != 0", shape)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewBaseTable%v did not panic", shape)
				}
			}()
			NewBaseTable(p, shape[0], shape[1])
		}()
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("mismatched lengths did not panic")
			}
		}()
		new(Element).VarTimeMultiScalarMultTables([]*Scalar{NewScalar()}, nil)
	}()
}

// TestToAffineNiels checks the batch normalisation against
// edwards25519's own conversions, identity included, through the
// completed form that accumulators start from.
func TestToAffineNiels(t *testing.T) {
	rng := newTestRand(t)
	elements := []*Element{NewIdentityElement(), NewGeneratorElement()}
	for range 30 {
		elements = append(elements, randomElement(rng))
	}
	ext := make([]extendedPoint, len(elements))
	for i, e := range elements {
		ext[i].fromElement(e)
	}
	aff := make([]affineNiels, len(ext))
	toAffineNiels(aff, ext)
	for i := range aff {
		for _, negate := range []bool{false, true} {
			var c completedPoint
			var e extendedPoint
			got := e.fromCompleted(c.fromAffineNiels(&aff[i], negate)).toElement(new(Element))
			want := new(Element).Set(elements[i])
			if negate {
				want.Negate(want)
			}
			if got.Equal(want) != 1 {
				t.Fatalf("point %d negate=%v: got %x, want %x", i, negate, got.Bytes(), want.Bytes())
			}
			if !negate {
				if e.fromAffineNiels(&aff[i]).toElement(new(Element)).Equal(want) != 1 {
					t.Fatalf("point %d: extended from affine Niels differs", i)
				}
			}
		}
	}
}

func TestBaseTableAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	rng := newTestRand(t)
	tables := []*BaseTable{
		NewBaseTable(randomElement(rng), 8, 1),
		NewBaseTable(randomElement(rng), 5, 4),
		NewBaseTable(randomElement(rng), 5, 4),
		NewBaseTable(randomElement(rng), 5, 2),
	}
	scalars := []*Scalar{randomScalar(rng), randomScalar(rng), randomScalar(rng), randomScalar(rng)}
	var v Element
	if allocs := testing.AllocsPerRun(20, func() { v.VarTimeMultiScalarMultTables(scalars, tables) }); allocs != 0 {
		t.Errorf("VarTimeMultiScalarMultTables(4): %v allocations, want 0", allocs)
	}
}

func TestGeneratorTable(t *testing.T) {
	rng := newTestRand(t)
	g := GeneratorTable()
	if g != GeneratorTable() {
		t.Fatal("GeneratorTable is not shared")
	}
	if g.Size() != 491520 {
		t.Fatalf("GeneratorTable is %d bytes", g.Size())
	}
	for _, s := range append(tableEdgeScalars(8), randomScalar(rng), randomScalar(rng)) {
		got := new(Element).VarTimeMultiScalarMultTables([]*Scalar{s}, []*BaseTable{g})
		if want := new(Element).ScalarBaseMult(s); got.Equal(want) != 1 {
			t.Fatalf("%x·g: got %x, want %x", s.Bytes(), got.Bytes(), want.Bytes())
		}
	}
}

func TestBaseTableShape(t *testing.T) {
	prevEntries := 0
	for _, uses := range []int{1, 5, 50, 1000, 100000} {
		for _, tables := range []int{1, 2, 3} {
			w, g, _ := BaseTableShape(uses, tables, tables)
			if BaseTableSize(w, g) == 0 {
				t.Fatalf("BaseTableShape(%d, %d) = invalid (%d, %d)", uses, tables, w, g)
			}
		}
		// More uses never pick a smaller table.
		w, g, _ := BaseTableShape(uses, 2, 2)
		if e := baseTableEntries(w, g); e < prevEntries {
			t.Fatalf("%d uses: %d entries, fewer than for fewer uses (%d)", uses, e, prevEntries)
		} else {
			prevEntries = e
		}
	}
	if w, g, ok := BaseTableShape(100000, 2, 2); w != 8 || g != 1 || !ok {
		t.Fatalf("many uses give (%d, %d, %v), want the largest table (8, 1)", w, g, ok)
	}
	// One use of three bases: three tables cost three sets of doublings,
	// Straus' method one.
	if _, _, ok := BaseTableShape(1, 3, 2); ok {
		t.Fatal("tables chosen for a single use")
	}
}

func TestNewBaseTables(t *testing.T) {
	rng := newTestRand(t)
	elements := make([]*Element, 7)
	for i := range elements {
		elements[i] = randomElement(rng)
	}
	tables := NewBaseTables(elements, 5, 2)
	if len(tables) != len(elements) {
		t.Fatalf("%d tables for %d elements", len(tables), len(elements))
	}
	for i, table := range tables {
		s := randomScalar(rng)
		got := new(Element).VarTimeMultiScalarMultTables([]*Scalar{s}, []*BaseTable{table})
		if want := plainScalarMult(s, elements[i]); got.Equal(want) != 1 {
			t.Fatalf("table %d: wrong product", i)
		}
	}
	if len(NewBaseTables(nil, 5, 2)) != 0 {
		t.Fatal("tables for no elements")
	}
}
