package ristretto

import "slices"

// Pippenger's bucket method for large variable-time multi-scalar
// multiplications (N. Pippenger, "On the evaluation of powers and
// monomials", SIAM J. Comput. 9(2), 1980; in the form of D. J. Bernstein,
// J. Doumen, T. Lange and J.-J. Oosterwijk, "Faster batch forgery
// identification", INDOCRYPT 2012, §4). Scalars are recoded into signed
// digits of w bits, so each window needs 2^(w−1) buckets; points are
// normalised to affine-Niels form once, so every bucket addition is a
// mixed addition.

// Costs of the cost model, in field multiplications: a mixed addition into
// a bucket with its conversion back to extended coordinates (3M + 4M), and
// the two additions per bucket of the running-sum reduction (2 × 9M on
// paper, weighted down to 14 because they run on buckets already in the
// cache, which BenchmarkPippenger bears out: window 8 at 1,024 terms, 10
// at 4,096).
const (
	pippengerBucketAddCost = 7
	pippengerBucketSumCost = 14
)

// pippengerWindow returns the window width that minimises the cost model
// for n terms: digitCount(w) windows, each adding every term to a bucket
// and summing 2^(w−1) buckets.
func pippengerWindow(n int) int {
	best, bestCost := minWindow, -1
	for w := minWindow; w <= maxWindow; w++ {
		cost := digitCount(w) * (n*pippengerBucketAddCost + (1<<(w-1))*pippengerBucketSumCost)
		if bestCost < 0 || cost < bestCost {
			best, bestCost = w, cost
		}
	}
	return best
}

// varTimePippenger sets v = Σ scalars[i]·elements[i] with window width w
// (minWindow to maxWindow), and returns v. The slices must have equal
// lengths.
//
// Execution time depends on the inputs.
func (v *Element) varTimePippenger(scalars []*Scalar, elements []*Element, w int) *Element {
	return v.varTimePippengerAffine(scalars, appendAffineNiels(nil, elements), w)
}

// appendAffineNiels appends the affine-Niels forms of elements to dst, with
// one field inversion for all of them.
func appendAffineNiels(dst []affineNiels, elements []*Element) []affineNiels {
	ext := make([]extendedPoint, len(elements))
	for i, e := range elements {
		ext[i].fromElement(e)
	}
	dst = slices.Grow(dst, len(elements))
	toAffineNiels(dst[len(dst):len(dst)+len(elements)], ext)
	return dst[:len(dst)+len(elements)]
}

// varTimePippengerAffine is varTimePippenger on normalised points.
func (v *Element) varTimePippengerAffine(scalars []*Scalar, points []affineNiels, w int) *Element {
	windows := digitCount(w)
	digits := make([]int16, windows*len(points))
	var one [maxDigits]int16
	for i, s := range scalars {
		for win, d := range signedDigits(one[:], s, w) {
			digits[win*len(points)+i] = d
		}
	}
	return varTimeBuckets(points, digits, windows, w).toElement(v)
}

// varTimeBuckets returns Σ_i Σ_win digits[win·n + i]·2^(w·win)·points[i],
// n = len(points), by the bucket method: for each window from the top,
// double the sum w times, add every point to the bucket of its digit, and
// add Σ_k k·bucket_k. Every digit must be within ±2^(w−1).
func varTimeBuckets(points []affineNiels, digits []int16, windows, w int) *extendedPoint {
	n := len(points)
	half := 1 << (w - 1)
	buckets := make([]extendedPoint, half)
	filled := make([]bool, half)
	var acc, running, sum accumulator
	var c completedPoint
	for win := windows - 1; win >= 0; win-- {
		acc.double(w)
		clear(filled)
		for i, d := range digits[win*n : (win+1)*n] {
			if d == 0 {
				continue
			}
			negate := d < 0
			if negate {
				d = -d
			}
			b := &buckets[d-1]
			if !filled[d-1] {
				filled[d-1] = true
				b.fromAffineNiels(&points[i])
				if negate {
					b.X.Negate(&b.X)
					b.T.Negate(&b.T)
				}
				continue
			}
			c.addAffine(b, &points[i], negate)
			b.fromCompleted(&c)
		}
		// Σ_k k·bucket_k as a sum of running sums from the top bucket.
		running.reset()
		sum.reset()
		for k := half - 1; k >= 0; k-- {
			if filled[k] {
				running.addExtended(&buckets[k])
			}
			if running.state != accEmpty {
				sum.addExtended(running.extended())
			}
		}
		if sum.state != accEmpty {
			acc.addExtended(sum.extended())
		}
	}
	return acc.extended()
}
