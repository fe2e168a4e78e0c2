package trs

import (
	"crypto/sha512"
	"fmt"
	"math/rand"
	"runtime"
	"testing"

	"filippo.io/edwards25519"
)

var benchSizes = []int{5, 10, 50, 100, 1000}

// BenchmarkReferenceT2 is the unit of the targets: filippo.io/edwards25519's
// VarTimeDoubleScalarBaseMult, t2, measured in the same run.
func BenchmarkReferenceT2(b *testing.B) {
	var buf [64]byte
	rand.New(rand.NewSource(1)).Read(buf[:])
	x, _ := edwards25519.NewScalar().SetUniformBytes(buf[:])
	y, _ := edwards25519.NewScalar().SetUniformBytes(append(buf[32:], buf[:32]...))
	p := new(edwards25519.Point).ScalarBaseMult(x)
	var out edwards25519.Point
	b.ReportAllocs()
	for b.Loop() {
		out.VarTimeDoubleScalarBaseMult(x, p, y)
	}
}

func BenchmarkSign(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			privs, ring := testRing(b, rng, n)
			tag := NewTag([]byte("bench"), ring)
			priv := privs[n/2]
			msg := []byte("message")
			b.ReportAllocs()
			b.ReportMetric(float64(SignatureSize(n)), "B/sig")
			for b.Loop() {
				if _, err := Sign(priv, tag, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// verifyFixture returns a tag over a ring of n fresh keys and a signature
// on a message under it by the member in the middle.
func verifyFixture(b *testing.B, rng *rand.Rand, n int) (*Tag, []byte, *Signature) {
	privs, ring := testRing(b, rng, n)
	tag := NewTag([]byte("bench"), ring)
	msg := []byte("message")
	return tag, msg, testSign(b, rng, privs[n/2], tag, msg)
}

// benchVerify times verify at every benchmark size; setup makes the
// verification function for the fixture, untimed.
func benchVerify(b *testing.B, setup func(b *testing.B, tag *Tag, msg []byte, sig *Signature) func() error) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			tag, msg, sig := verifyFixture(b, rng, n)
			verify := setup(b, tag, msg, sig)
			b.ReportAllocs()
			b.ReportMetric(float64(SignatureSize(n)), "B/sig")
			for b.Loop() {
				if err := verify(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify verifies under a tag that has been used before, as a
// plaza's tags are: it has its table of h.
func BenchmarkVerify(b *testing.B) {
	benchVerify(b, func(_ *testing.B, tag *Tag, msg []byte, sig *Signature) func() error {
		return func() error { return Verify(tag, msg, sig) }
	})
}

// BenchmarkVerifyCachedRing is BenchmarkVerify through a Verifier that
// already holds the ring's key tables, as at a plaza that checks many
// tickets of one sale.
func BenchmarkVerifyCachedRing(b *testing.B) {
	benchVerify(b, func(b *testing.B, tag *Tag, msg []byte, sig *Signature) func() error {
		v := NewVerifier(ringEntrySize(tag.ring.Len()))
		for range verifierBuildAfter {
			if err := v.Verify(tag, msg, sig); err != nil {
				b.Fatal(err)
			}
		}
		if v.lookup(tag.ring) == nil {
			b.Fatal("ring tables not built")
		}
		return func() error { return v.Verify(tag, msg, sig) }
	})
}

// BenchmarkVerifyNewTag is BenchmarkVerify on a tag that has not been
// used before (it has no table of h yet), as for a verifier that checks one
// signature per tag. NewTag is outside the timer.
func BenchmarkVerifyNewTag(b *testing.B) {
	benchVerify(b, func(b *testing.B, tag *Tag, msg []byte, sig *Signature) func() error {
		return func() error {
			b.StopTimer()
			fresh := NewTag(tag.issue, tag.ring)
			b.StartTimer()
			return Verify(fresh, msg, sig)
		}
	})
}

func BenchmarkTrace(b *testing.B) {
	b.Run("n=50", func(b *testing.B) {
		rng := rand.New(rand.NewSource(1))
		privs, ring := testRing(b, rng, 50)
		tag := NewTag([]byte("bench"), ring)
		sig1 := testSign(b, rng, privs[7], tag, []byte("one"))
		sig2 := testSign(b, rng, privs[7], tag, []byte("two"))
		b.ReportAllocs()
		for b.Loop() {
			res, err := Trace(tag, []byte("one"), sig1, []byte("two"), sig2)
			if err != nil || res.Kind != Revealed {
				b.Fatal(res, err)
			}
		}
	})
}

func BenchmarkVerifyBatch(b *testing.B) {
	b.Run("n=50,k=100", func(b *testing.B) {
		rng := rand.New(rand.NewSource(1))
		privs, ring := testRing(b, rng, 50)
		tag := NewTag([]byte("bench"), ring)
		items := make([]BatchItem, 100)
		for i := range items {
			msg := []byte(fmt.Sprintf("message %d", i))
			items[i] = BatchItem{Tag: tag, Message: msg, Signature: testSign(b, rng, privs[i%50], tag, msg)}
		}
		b.ReportAllocs()
		for b.Loop() {
			for i, err := range VerifyBatch(items) {
				if err != nil {
					b.Fatal(i, err)
				}
			}
		}
		b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
	})
}

// fillSynthetic adds stored records to s without signing or verifying
// anything: random A0/A1 bytes and random fingerprints, n per record, spread
// over tags of n records each (a tag of n members never holds more than n
// verified fresh signatures). The index only looks at a record's points
// when a fingerprint hits, which random fingerprints do with probability
// about stored·n²/2^64.
func fillSynthetic(tb testing.TB, s Store, rng *rand.Rand, n, stored int) {
	tb.Helper()
	fps := make([]uint64, n)
	var r Record
	for i := range stored {
		if i%n == 0 {
			var seed [8]byte
			rng.Read(seed[:])
			r.Tag = sha512.Sum512(seed[:])
		}
		rng.Read(r.A0[:])
		rng.Read(r.A1[:])
		for j := range fps {
			fps[j] = rng.Uint64()
		}
		if err := s.CheckAndAdd(ctx, r, fps, addAlways); err != nil {
			tb.Fatal(err)
		}
	}
}

// addAlways is a decide function that stores whatever it is given.
func addAlways([]Match) (bool, error) { return true, nil }

// dropTag removes every record of tag from a memory store; benchmarks use
// it to reuse a small pool of real signatures.
func dropTag(s Store, tag *[DigestSize]byte) {
	m := s.(*memoryStore)
	sh := &m.shards[shardOf(tag)]
	sh.mu.Lock()
	delete(sh.tags, *tag)
	sh.mu.Unlock()
}

func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkIndex times one CheckAndAddAccepted of a verified, fresh
// signature against a memory store already holding `stored` signatures.
// The pool of real signatures is n = 50 signatures by the 50 members of
// one tag; after each round of 50 the tag is emptied outside the timer.
func BenchmarkIndex(b *testing.B) {
	const n = 50
	rng := rand.New(rand.NewSource(1))
	privs, ring := testRing(b, rng, n)
	tag := NewTag([]byte("bench-index"), ring)
	pool := make([]*Accepted, n)
	for i := range pool {
		msg := []byte(fmt.Sprintf("ticket %d", i))
		a, err := Accept(tag, msg, testSign(b, rng, privs[i], tag, msg))
		if err != nil {
			b.Fatal(err)
		}
		pool[i] = a
	}
	digest := tag.Digest()
	// 1,000,000 is the DESIGN §5 target (≤ 100 µs at n = 50); it needs about
	// 1.6 GB and a few seconds to fill.
	for _, stored := range []int{1000, 100000, 1000000} {
		b.Run(fmt.Sprintf("n=%d,stored=%d", n, stored), func(b *testing.B) {
			before := heapInUse()
			store := NewMemoryStore()
			fillSynthetic(b, store, rand.New(rand.NewSource(2)), n, stored)
			perSig := float64(heapInUse()-before) / float64(stored)
			idx := NewIndex(store)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				res, err := idx.CheckAndAddAccepted(ctx, pool[i])
				if err != nil || res.Kind != Fresh {
					b.Fatal(res, err)
				}
				if i++; i == n {
					b.StopTimer()
					dropTag(store, &digest)
					i = 0
					b.StartTimer()
				}
			}
			b.ReportMetric(perSig, "B/sig")
			runtime.KeepAlive(store)
		})
	}
}
