//go:build ctcheck

package arsig

// Statistical constant-time check in the manner of dudect (Reparaz, Balasch,
// Verbauwhede, "Dude, is my code constant time?", DATE 2017): time an
// operation for two classes of secret inputs, interleaved at random, and
// compare the two timing distributions with Welch's t-test, on all samples
// and on the samples below several percentiles (which drops interruptions).
// |t| above 4.5 is evidence of a leak; a control that leaks on purpose
// shows that the harness can see one.
//
// Run with:
//
//	go test -tags ctcheck -run CT -v -count=1 ./arsig/
//
// It is not part of plain `go test ./...`: it takes about a minute and its
// verdict needs a quiet machine.

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

const ctThreshold = 4.5

// welch returns Welch's t statistic of a and b. If a crop leaves one class
// with fewer than two samples the classes are separated outright, which is
// reported as an infinite statistic.
func welch(a, b []float64) float64 {
	if len(a) < 2 || len(b) < 2 {
		return math.Inf(1)
	}
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	variance := func(x []float64, m float64) float64 {
		s := 0.0
		for _, v := range x {
			s += (v - m) * (v - m)
		}
		return s / float64(len(x)-1)
	}
	ma, mb := mean(a), mean(b)
	va, vb := variance(a, ma), variance(b, mb)
	return (ma - mb) / math.Sqrt(va/float64(len(a))+vb/float64(len(b)))
}

// measure runs op(class) samples times with classes chosen at random and
// returns the largest |t| over the raw samples and the samples cropped at
// the 50th, 75th and 90th percentiles of the pooled distribution.
func measure(t *testing.T, name string, samples int, op func(class int)) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rng := rand.New(rand.NewSource(1))
	// Warm up caches and the allocator.
	for i := range 20 {
		op(i & 1)
	}
	var times [2][]float64
	var all []float64
	for range samples {
		c := rng.Intn(2)
		start := time.Now()
		op(c)
		d := float64(time.Since(start).Nanoseconds())
		times[c] = append(times[c], d)
		all = append(all, d)
	}
	slices.Sort(all)
	worst := 0.0
	report := []any{name, len(times[0]), len(times[1])}
	for _, pct := range []float64{1.0, 0.9, 0.75, 0.5} {
		cut := all[min(len(all)-1, int(pct*float64(len(all))))]
		var a, b []float64
		for _, v := range times[0] {
			if v <= cut {
				a = append(a, v)
			}
		}
		for _, v := range times[1] {
			if v <= cut {
				b = append(b, v)
			}
		}
		tt := welch(a, b)
		worst = max(worst, math.Abs(tt))
		report = append(report, pct, tt)
	}
	t.Logf("%s: %d vs %d samples; t (all) %.2f, (≤p90) %.2f, (≤p75) %.2f, (≤p50) %.2f, median %.0f µs",
		report[0], report[1], report[2], report[4], report[6], report[8], report[10], all[len(all)/2]/1000)
	return worst
}

// TestCTSign: signer in the first slot against signer in the last slot of
// one ring (different private keys and positions), for a ring where n = N'
// and one that is padded.
func TestCTSign(t *testing.T) {
	for _, size := range []int{16, 70} {
		rng := rand.New(rand.NewSource(int64(size)))
		privs, ring := testRing(t, rng, size)
		opener := testOpener(rng)
		msg := []byte("constant time")
		signers := [2]*PrivateKey{privs[0], privs[size-1]}
		var rnd [transcript.RandomSize]byte
		samples := 3000
		if size > 16 {
			samples = 1500
		}
		worst := measure(t, fmt.Sprintf("Sign N=%d slot 0 vs last", size), samples, func(c int) {
			rnd[0]++
			if _, err := sign(signers[c], ring, opener.Public(), msg, &rnd, ring.params); err != nil {
				t.Fatal(err)
			}
		})
		if worst > ctThreshold {
			t.Errorf("Sign N=%d: |t| = %.2f > %.1f", size, worst, ctThreshold)
		}
	}
}

// TestCTOpen: the secret-dependent part of Open (decryption and the
// Chaum–Pedersen proof) for two opener keys on the same signature; one of
// them has a single bit set, the most different timing a leaky scalar
// multiplication would show.
func TestCTOpen(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	f := newFixture(t, 16, 3)
	keys := [2]*OpenerKey{newOpenerKey(new(ristretto.Scalar).SetUint64(1 << 40)), testOpener(rng)}
	var rnd [transcript.RandomSize]byte
	worst := measure(t, "Open dk=2^40 vs random", 20000, func(c int) {
		rnd[0]++
		keys[c].decrypt(f.sig)
		keys[c].prove(f.ring, f.msg, f.sig, 0, &rnd)
	})
	if worst > ctThreshold {
		t.Errorf("Open: |t| = %.2f > %.1f", worst, ctThreshold)
	}
}

// TestCTControl times a variable-time multiplication with a short scalar
// against a full one: the harness must flag it.
func TestCTControl(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	scalars := [2]*ristretto.Scalar{new(ristretto.Scalar).SetUint64(3), testScalar(rng)}
	p := ristretto.NewGeneratorElement()
	var v ristretto.Element
	worst := measure(t, "control: VarTimeDoubleScalarBaseMult short vs full", 5000, func(c int) {
		v.VarTimeDoubleScalarBaseMult(scalars[c], p, scalars[c])
	})
	if worst < ctThreshold {
		t.Errorf("the harness did not detect a known leak: |t| = %.2f", worst)
	}
}
