package ristretto

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// msmPool is a pool of random elements and edge-weighted scalars for
// msmInputs, which would otherwise spend most of the time of the tests
// below making new ones.
var msmPool = sync.OnceValue(func() (pool struct {
	elements []*Element
	scalars  []*Scalar
}) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1024 {
		pool.elements = append(pool.elements, randomElement(rng))
	}
	for range 4096 {
		pool.scalars = append(pool.scalars, randomScalar(rng))
	}
	return pool
})

// msmInputs returns n edge-weighted scalars and elements, drawn from a
// pool, with some scalars zero, some elements the identity or repeated, and
// some pairs that cancel.
func msmInputs(rng *rand.Rand, n int) ([]*Scalar, []*Element) {
	pool := msmPool()
	scalars := make([]*Scalar, n)
	elements := make([]*Element, n)
	for i := range n {
		scalars[i] = pool.scalars[rng.IntN(len(pool.scalars))]
		elements[i] = pool.elements[rng.IntN(len(pool.elements))]
		switch rng.IntN(16) {
		case 0:
			scalars[i] = NewScalar()
		case 1:
			elements[i] = NewIdentityElement()
		case 2:
			if i > 0 {
				elements[i] = elements[rng.IntN(i)]
			}
		case 3:
			if i > 0 { // cancels the term of i−1
				elements[i] = elements[i-1]
				scalars[i] = new(Scalar).Negate(scalars[i-1])
			}
		}
	}
	return scalars, elements
}

// TestPippengerAgainstStraus compares Pippenger's method with Straus'
// (filippo.io/edwards25519) for every N from 1 to 1000, cycling through
// the window widths up to 10, and for every window width at a few sizes.
func TestPippengerAgainstStraus(t *testing.T) {
	rng := newTestRand(t)
	step := 1
	if testing.Short() {
		step = 23
	}
	check := func(n, w int) {
		t.Helper()
		scalars, elements := msmInputs(rng, n)
		want := new(Element).varTimeStraus(scalars, elements)
		got := new(Element).varTimePippenger(scalars, elements, w)
		if got.Equal(want) != 1 {
			t.Fatalf("N=%d w=%d: Pippenger %x, Straus %x", n, w, got.Bytes(), want.Bytes())
		}
	}
	// Every size with the windows up to 10 in turn; windows above 10 spend
	// their time on empty buckets at these sizes and get the loop below.
	for n := 1; n <= 1000; n += step {
		check(n, minWindow+n%(10-minWindow+1))
	}
	for w := minWindow; w <= maxWindow; w++ {
		for _, n := range []int{1, 2, 3, 17, 128, 300} {
			check(n, w)
		}
	}
}

// TestPippengerEdges covers sums that are the identity: all scalars zero,
// all points the identity, every term cancelled, and a single term with
// the edge scalars of the tables.
func TestPippengerEdges(t *testing.T) {
	rng := newTestRand(t)
	for _, w := range []int{minWindow, 5, 8, 11, maxWindow} {
		n := 40
		scalars := make([]*Scalar, n)
		elements := make([]*Element, n)
		for i := range n {
			scalars[i], elements[i] = NewScalar(), randomElement(rng)
		}
		if v := new(Element).varTimePippenger(scalars, elements, w); v.IsIdentity() != 1 {
			t.Fatalf("w=%d: zero scalars give %x", w, v.Bytes())
		}
		for i := range n {
			scalars[i], elements[i] = randomScalar(rng), NewIdentityElement()
		}
		if v := new(Element).varTimePippenger(scalars, elements, w); v.IsIdentity() != 1 {
			t.Fatalf("w=%d: identity points give %x", w, v.Bytes())
		}
		for i := 0; i < n; i += 2 {
			elements[i] = randomElement(rng)
			elements[i+1] = elements[i]
			scalars[i+1] = new(Scalar).Negate(scalars[i])
		}
		if v := new(Element).varTimePippenger(scalars, elements, w); v.IsIdentity() != 1 {
			t.Fatalf("w=%d: cancelling terms give %x", w, v.Bytes())
		}
		p := randomElement(rng)
		for _, s := range tableEdgeScalars(w) {
			got := new(Element).varTimePippenger([]*Scalar{s}, []*Element{p}, w)
			if want := plainScalarMult(s, p); got.Equal(want) != 1 {
				t.Fatalf("w=%d: %x·P: got %x, want %x", w, s.Bytes(), got.Bytes(), want.Bytes())
			}
		}
	}
	if v := new(Element).VarTimeMultiScalarMult(nil, nil); v.IsIdentity() != 1 {
		t.Fatal("empty sum is not the identity")
	}
}

// TestVarTimeMultiScalarMultDispatch checks both sides of the threshold
// through the public entry point.
func TestVarTimeMultiScalarMultDispatch(t *testing.T) {
	rng := newTestRand(t)
	for _, n := range []int{pippengerThreshold - 1, pippengerThreshold, 2 * pippengerThreshold} {
		scalars, elements := msmInputs(rng, n)
		want := NewIdentityElement()
		for i := range n {
			want.Add(want, plainScalarMult(scalars[i], elements[i]))
		}
		if got := new(Element).VarTimeMultiScalarMult(scalars, elements); got.Equal(want) != 1 {
			t.Fatalf("N=%d: got %x, want %x", n, got.Bytes(), want.Bytes())
		}
	}
}

func TestPippengerWindow(t *testing.T) {
	prev := minWindow
	for _, n := range []int{1, 10, 128, 1000, 4000, 16000, 64000, 1 << 20} {
		w := pippengerWindow(n)
		if w < prev || w < minWindow || w > maxWindow {
			t.Fatalf("window %d for %d terms (previous %d)", w, n, prev)
		}
		prev = w
	}
	// The figures the package documentation gives.
	for _, c := range []struct{ n, w int }{{1000, 8}, {4000, 10}, {64000, 13}} {
		if w := pippengerWindow(c.n); w != c.w {
			t.Errorf("window %d for %d terms, want %d", w, c.n, c.w)
		}
	}
}

// BenchmarkPippenger times Pippenger's method at every useful window and
// Straus' method around the threshold and at the sizes arsig uses: the
// numbers behind pippengerThreshold and the cost model.
func BenchmarkPippenger(b *testing.B) {
	for _, n := range []int{64, 128, 256, 1024, 4096} {
		scalars, elements := benchInputs(b, n)
		var v Element
		if n <= 1024 {
			b.Run(fmt.Sprintf("N=%d/Straus", n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					v.varTimeStraus(scalars, elements)
				}
			})
		}
		best := pippengerWindow(n)
		for w := max(minWindow, best-2); w <= min(maxWindow, best+2); w++ {
			b.Run(fmt.Sprintf("N=%d/w=%d", n, w), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					v.varTimePippenger(scalars, elements, w)
				}
			})
		}
	}
}

// TestVarTimeMultiScalarMultPrepared checks the prepared entry point
// against Straus' method on both sides of the threshold, with one split and
// with several, with and without extra terms, and that it leaves the
// prepared list intact.
func TestVarTimeMultiScalarMultPrepared(t *testing.T) {
	rng := newTestRand(t)
	for _, c := range []struct{ prepared, extra, splits int }{
		{0, 0, 1}, {1, 0, 1}, {0, 3, 1}, {5, 7, 1}, {pippengerThreshold - 10, 9, 1}, {pippengerThreshold, 0, 1}, {300, 40, 1},
		{0, 0, 4}, {1, 0, 4}, {0, 5, 4}, {7, 3, 2}, {100, 20, 4}, {300, 0, 3}, {400, 30, 4}, {50, 10, digitCount(maxWindow)},
	} {
		splits := c.splits
		pScalars, pElements := msmInputs(rng, c.prepared)
		eScalars, eElements := msmInputs(rng, c.extra)
		prepared := NewPreparedElements(pElements, splits)
		if len(prepared.points) != splits*c.prepared { // 120 bytes each
			t.Fatalf("%d points for %d elements and %d splits", len(prepared.points), c.prepared, splits)
		}
		want := new(Element).varTimeStraus(append(append([]*Scalar{}, pScalars...), eScalars...),
			append(append([]*Element{}, pElements...), eElements...))
		for round := range 2 { // the second round reuses the prepared list
			got := new(Element).VarTimeMultiScalarMultPrepared(pScalars, prepared, eScalars, eElements)
			if got.Equal(want) != 1 {
				t.Fatalf("%d prepared (%d splits) + %d terms, round %d: got %x, want %x", c.prepared, splits, c.extra, round, got.Bytes(), want.Bytes())
			}
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("mismatched lengths did not panic")
			}
		}()
		new(Element).VarTimeMultiScalarMultPrepared(nil, NewPreparedElements([]*Element{NewGeneratorElement()}, 1), nil, nil)
	}()
}
