package oneofmany

import (
	"sync"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Terms collects scalar–point pairs whose sum a verifier checks to be the
// identity, merging the scalars of pairs that share the same *Element (the
// generators of a cached commitment key, a ring key used by many
// signatures), so that one variable-time multi-scalar multiplication
// checks everything at once.
type Terms struct {
	scalars []*ristretto.Scalar
	points  []*ristretto.Element
	index   map[*ristretto.Element]int
}

// NewTerms returns an empty collection with room for capacity pairs.
func NewTerms(capacity int) *Terms {
	return &Terms{
		scalars: make([]*ristretto.Scalar, 0, capacity),
		points:  make([]*ristretto.Element, 0, capacity),
		index:   make(map[*ristretto.Element]int, capacity),
	}
}

// Add adds the term s·P. The collection keeps s and may modify it later;
// callers pass a scalar they no longer use.
func (ts *Terms) Add(s *ristretto.Scalar, P *ristretto.Element) {
	if i, ok := ts.index[P]; ok {
		ts.scalars[i].Add(ts.scalars[i], s)
		return
	}
	ts.index[P] = len(ts.points)
	ts.scalars = append(ts.scalars, s)
	ts.points = append(ts.points, P)
}

// Len returns the number of distinct points.
func (ts *Terms) Len() int { return len(ts.points) }

// VarTimeIsIdentity reports whether the sum of the terms is the identity.
//
// Execution time depends on the inputs.
func (ts *Terms) VarTimeIsIdentity() bool {
	var sum ristretto.Element
	sum.VarTimeMultiScalarMult(ts.scalars, ts.points)
	return sum.IsIdentity() == 1
}

// VarTimeIsIdentityWith reports whether the sum of the terms plus
// Σ scalars[i]·P_i, where P_i are the prepared elements, is the identity.
// The prepared terms are not merged with the collected ones, which is
// harmless if some points are in both.
//
// Execution time depends on the inputs.
func (ts *Terms) VarTimeIsIdentityWith(scalars []*ristretto.Scalar, prepared *ristretto.PreparedElements) bool {
	var sum ristretto.Element
	sum.VarTimeMultiScalarMultPrepared(scalars, prepared, ts.scalars, ts.points)
	return sum.IsIdentity() == 1
}

// VarTimeIsIdentityParallel is [Terms.VarTimeIsIdentity] with the
// multi-scalar multiplication split into up to workers chunks computed
// concurrently. Chunks of fewer than 256 terms are not worth a goroutine.
//
// Execution time depends on the inputs.
func (ts *Terms) VarTimeIsIdentityParallel(workers int) bool {
	workers = min(workers, len(ts.points)/256)
	if workers <= 1 {
		return ts.VarTimeIsIdentity()
	}
	partial := make([]ristretto.Element, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(ts.points)/workers, (w+1)*len(ts.points)/workers
		wg.Go(func() {
			partial[w].VarTimeMultiScalarMult(ts.scalars[lo:hi], ts.points[lo:hi])
		})
	}
	wg.Wait()
	sum := ristretto.NewIdentityElement()
	for w := range partial {
		sum.Add(sum, &partial[w])
	}
	return sum.IsIdentity() == 1
}

// CommitmentChecks adds to ts checks 1 and 2 of the verifier, weighted by
// w1 and w2:
//
//	w1·(x·B + A − Com(f; z_A)) + w2·(x·C + D − Com(f∘(x − f); z_C))
//
// where f is the full response matrix of [Response.Full]. The weights must
// be fresh, unpredictable and non-zero.
func CommitmentChecks(ts *Terms, ck *CommitKey, x *ristretto.Scalar, f []ristretto.Scalar,
	com *Commitments, zA, zC, w1, w2 *ristretto.Scalar) {
	ts.Add(new(ristretto.Scalar).Set(w1), com.A)
	ts.Add(new(ristretto.Scalar).Multiply(w1, x), com.B)
	ts.Add(new(ristretto.Scalar).Multiply(w2, x), com.C)
	ts.Add(new(ristretto.Scalar).Set(w2), com.D)
	h := new(ristretto.Scalar).Multiply(w1, zA)
	h.MultiplyAdd(w2, zC, h)
	ts.Add(h.Negate(h), ck.H)
	// g_{j,i}: −w1·f − w2·f·(x − f) = −f·(w1 + w2·(x − f)).
	var tmp ristretto.Scalar
	for i := range f {
		tmp.Subtract(x, &f[i])
		tmp.MultiplyAdd(w2, &tmp, w1)
		s := new(ristretto.Scalar).Multiply(&f[i], &tmp)
		ts.Add(s.Negate(s), ck.G[i])
	}
}
