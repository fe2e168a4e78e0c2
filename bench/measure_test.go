package main

import (
	"math"
	"math/rand"
	"testing"
	"time"
)

// TestMeasureRatioIgnoresDrift: the machine's speed changes between samples
// by up to a factor of three, but an operation that always costs twice its
// reference, measured at the same speed right beside it, comes out at
// exactly twice; a ratio of separately timed medians would not.
func TestMeasureRatioIgnoresDrift(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	speed := 1.0 // nanoseconds per unit of work; changes after every pair
	op := func(iters int) time.Duration {
		return time.Duration(float64(iters) * 2e6 * speed)
	}
	ref := func(iters int) time.Duration {
		d := time.Duration(float64(iters) * 1e6 * speed)
		speed = 0.5 + 1.5*rng.Float64()
		return d
	}
	b := budget{MinSamples: 9, MaxSamples: 9}
	got := measure(b, op, ref)
	if got.Samples != 9 {
		t.Fatalf("took %d samples, want 9", got.Samples)
	}
	if math.Abs(got.Rel-2) > 1e-6 {
		t.Errorf("ratio = %v, want 2", got.Rel)
	}
	// The drift is real: the samples spread, and the reference timed on
	// its own, as the start and end of a sweep time it, gives another
	// ratio.
	if lo, hi := got.MinNs, got.MaxNs; hi < 1.5*lo {
		t.Fatalf("samples from %v to %v ns: the test did not drift", lo, hi)
	}
	refAlone := measure(b, ref, nil)
	if apart := got.NsPerOp / refAlone.NsPerOp; math.Abs(apart-2) < 0.1 {
		t.Fatalf("separately timed ratio %v is close to 2: the test did not drift", apart)
	}
	if per := got.per(4); math.Abs(per.Rel-0.5) > 1e-6 {
		t.Errorf("ratio per operation of a batch of 4 = %v, want 0.5", per.Rel)
	}

	if alone := measure(b, op, nil); alone.Rel != 0 {
		t.Errorf("without a reference the ratio is %v, want 0", alone.Rel)
	}
}
