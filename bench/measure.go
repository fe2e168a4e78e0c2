package main

import (
	"runtime"
	"slices"
	"time"
)

// A budget bounds how long one operation is measured. The harness keeps
// taking samples until both MinTime has been spent on the operation (as
// much again goes to the reference samples beside it) and MinSamples have
// been taken, and stops at MaxSamples whatever the time.
type budget struct {
	MinTime    time.Duration
	MinSamples int
	MaxSamples int
}

var (
	fullBudget  = budget{MinTime: 1 * time.Second, MinSamples: 5, MaxSamples: 200}
	quickBudget = budget{MinTime: 600 * time.Millisecond, MinSamples: 5, MaxSamples: 100}
	tinyBudget  = budget{MinTime: 5 * time.Millisecond, MinSamples: 1, MaxSamples: 3}
)

// A timing is the result of measuring one operation.
type timing struct {
	NsPerOp float64 // median over the samples of the per-operation time
	MinNs   float64 // fastest sample, per operation
	MaxNs   float64 // slowest sample, per operation
	// Rel is the operation as a multiple of the reference it was measured
	// against: the median over the samples of the ratio of the sample's
	// time per operation to that of the reference sample taken right after
	// it. 0 if no reference was measured.
	Rel     float64
	Samples int
	Ops     int // operations timed, warm-up excluded
}

// Valid reports whether t holds a measurement.
func (t timing) Valid() bool { return t.Ops > 0 && t.NsPerOp > 0 }

// Duration returns the median time per operation.
func (t timing) Duration() time.Duration { return time.Duration(t.NsPerOp) }

// A runner performs iters operations and returns the time they took. Work a
// runner does outside the operation being measured (building a fresh index,
// say) is not part of the returned time.
type runner func(iters int) time.Duration

// loop turns a function into a runner that times every call.
func loop(op func()) runner {
	return func(iters int) time.Duration {
		start := time.Now()
		for range iters {
			op()
		}
		return time.Since(start)
	}
}

// measure times run under b against the reference ref and returns the
// median per-operation time and the median ratio to ref (none if ref is
// nil, as when the references themselves are timed).
//
// The first call is a warm-up (tables built, caches filled) and also sizes the
// samples: a sample groups enough operations to last about a tenth of
// MinTime, so that fast operations are not dominated by the clock and slow
// ones still give several samples. The budget is spent in wall-clock time,
// untimed preparation included, so a runner with costly set-up takes fewer
// samples rather than longer. The median resists the odd sample slowed down
// by the garbage collector or another process.
//
// Every sample of run is followed by a sample of ref lasting about as long,
// and the ratio is taken pair by pair. A virtual machine's speed drifts by
// tens of percent over a few minutes; a reference timed only at the start
// and end of a sweep would turn that drift into the ratios, a reference
// timed beside each sample cancels it.
func measure(b budget, run, ref runner) timing {
	runtime.GC()
	start := time.Now()
	run(1)
	warm := max(time.Since(start), 1)
	iters := max(int((b.MinTime/10)/warm), 1)
	refIters, spend := 0, b.MinTime
	if ref != nil {
		start = time.Now()
		ref(1)
		refWarm := max(time.Since(start), 1)
		refIters = max(int(float64(iters)*float64(warm)/float64(refWarm)+0.5), 1)
		spend *= 2
	}

	var samples, ratios []float64
	ops := 0
	start = time.Now()
	for len(samples) < b.MaxSamples && (time.Since(start) < spend || len(samples) < b.MinSamples) {
		d := run(iters)
		ops += iters
		perOp := float64(d.Nanoseconds()) / float64(iters)
		samples = append(samples, perOp)
		if ref != nil {
			r := ref(refIters)
			ratios = append(ratios, perOp/(float64(max(r.Nanoseconds(), 1))/float64(refIters)))
		}
	}
	slices.Sort(samples)
	t := timing{
		NsPerOp: median(samples),
		MinNs:   samples[0],
		MaxNs:   samples[len(samples)-1],
		Samples: len(samples),
		Ops:     ops,
	}
	if ref != nil {
		slices.Sort(ratios)
		t.Rel = median(ratios)
	}
	return t
}

// median returns the median of sorted, which must not be empty.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// per divides a timing of a batch of k operations into a time per
// operation.
func (t timing) per(k int) timing {
	f := float64(k)
	t.NsPerOp /= f
	t.MinNs /= f
	t.MaxNs /= f
	t.Rel /= f
	t.Ops *= k
	return t
}
