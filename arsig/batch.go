package arsig

import (
	"runtime"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// BatchItem is one signature for [VerifyBatch] with what it is checked
// against.
type BatchItem struct {
	Ring      *Ring
	Opener    *OpenerPublicKey
	Message   []byte
	Signature *Signature
}

// VerifyBatch verifies every item and returns one entry per item: nil if
// the item's signature is valid, an error as [Verify] would return
// otherwise.
//
// It merges the checks of all well-formed items into one variable-time
// multi-scalar multiplication with fresh random weights. Signatures on the
// same ring (equal encodings) share one term per ring key, with coefficient
// Σ_s w_s·P_{s,k}, so k signatures on a ring of N members cost about one
// N-term multiplication plus k times the few dozen terms of each
// signature, instead of k N-term multiplications; the same holds for the
// generator, the opener keys and the commitment-key generators. If the
// merged check fails, the batch is bisected, re-checking each half with
// fresh weights, until the failing items are isolated. The per-signature
// preparation (challenges, products P_k) and the multiplications are
// spread over runtime.GOMAXPROCS(0) goroutines.
func VerifyBatch(items []BatchItem) []error {
	errs := make([]error, len(items))
	preps := make([]*prepared, len(items))
	parallel.For(len(items), func(i int) {
		it := &items[i]
		preps[i], errs[i] = prepare(it.Ring, it.Opener, it.Message, it.Signature)
	})
	workers := runtime.GOMAXPROCS(0)

	// Share the points of equal rings and equal opener keys.
	rings := make(map[[64]byte]*Ring)
	openers := make(map[[OpenerPublicKeySize]byte]*OpenerPublicKey)
	var live []*prepared
	var liveIndex []int
	for i, pp := range preps {
		if pp == nil {
			continue
		}
		if r, ok := rings[pp.ring.digest]; ok {
			pp.ring = r
		} else {
			rings[pp.ring.digest] = pp.ring
		}
		if o, ok := openers[pp.opener.enc]; ok {
			pp.opener = o
		} else {
			openers[pp.opener.enc] = pp.opener
		}
		live = append(live, pp)
		liveIndex = append(liveIndex, i)
	}
	var bisect func(lo, hi int)
	bisect = func(lo, hi int) {
		if lo == hi || batchHolds(live[lo:hi], workers) {
			return
		}
		if hi-lo == 1 {
			errs[liveIndex[lo]] = ErrInvalidSignature
			return
		}
		mid := (lo + hi) / 2
		bisect(lo, mid)
		bisect(mid, hi)
	}
	bisect(0, len(live))
	return errs
}

// batchHolds reports whether the merged check of pps holds.
func batchHolds(pps []*prepared, workers int) bool {
	type ringAcc struct {
		ring *Ring
		acc  []ristretto.Scalar
	}
	accs := make(map[*Ring]*ringAcc)
	var order []*ringAcc
	size := 0
	for _, pp := range pps {
		size += pp.termCount()
		if _, ok := accs[pp.ring]; !ok {
			ra := &ringAcc{ring: pp.ring, acc: make([]ristretto.Scalar, pp.ring.Len())}
			accs[pp.ring] = ra
			order = append(order, ra)
			size += pp.ring.Len()
		}
	}
	ts := oneofmany.NewTerms(size)
	w := newWeights()
	for _, pp := range pps {
		pp.addTerms(ts, accs[pp.ring].acc, w)
	}
	for _, ra := range order {
		addRingTerms(ts, ra.ring, ra.acc)
	}
	return ts.VarTimeIsIdentityParallel(workers)
}
