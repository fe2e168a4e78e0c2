package arsig

import (
	"crypto/rand"
	"fmt"
	"testing"

	"filippo.io/edwards25519"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

var benchSizes = []int{16, 64, 256, 1024, 4096}

// benchFixture is a ring of size members with the signer in the middle.
type benchFixture struct {
	ring   *Ring
	signer *PrivateKey
	opener *OpenerKey
	msg    []byte
	sig    *Signature
}

func newBenchFixture(b *testing.B, size int) *benchFixture {
	b.Helper()
	keys := make([]*PrivateKey, size)
	pubs := make([]*PublicKey, size)
	for i := range keys {
		keys[i], _ = GenerateKey()
		pubs[i] = keys[i].Public()
	}
	ring, err := NewRing(pubs)
	if err != nil {
		b.Fatal(err)
	}
	f := &benchFixture{ring: ring, signer: keys[size/2], msg: []byte("usage record: 1 call, 12 units")}
	f.opener, _ = GenerateOpenerKey()
	f.sig, err = Sign(f.signer, ring, f.opener.Public(), f.msg)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

func BenchmarkSign(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			f := newBenchFixture(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Sign(f.signer, f.ring, f.opener.Public(), f.msg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(f.sig.Bytes())), "B/sig")
		})
	}
}

// BenchmarkVerify verifies on a ring that has been verified before, as a
// provider's rings are: it has its prepared keys (see Ring).
func BenchmarkVerify(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			f := newBenchFixture(b, n)
			for range ringSplitAfter {
				if err := Verify(f.ring, f.opener.Public(), f.msg, f.sig); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := Verify(f.ring, f.opener.Public(), f.msg, f.sig); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			f := newBenchFixture(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.opener.Open(f.ring, f.msg, f.sig); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerifyOpening(b *testing.B) {
	f := newBenchFixture(b, 1024)
	o, _ := f.opener.Open(f.ring, f.msg, f.sig)
	b.Run("N=1024", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := VerifyOpening(f.ring, f.opener.Public(), f.msg, f.sig, o); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyBatch verifies 100 signatures by different members on one
// ring of 1024; one operation is the whole batch.
func BenchmarkVerifyBatch(b *testing.B) {
	const n, k = 1024, 100
	b.Run(fmt.Sprintf("N=%d,k=%d", n, k), func(b *testing.B) {
		keys := make([]*PrivateKey, n)
		pubs := make([]*PublicKey, n)
		for i := range keys {
			keys[i], _ = GenerateKey()
			pubs[i] = keys[i].Public()
		}
		ring, _ := NewRing(pubs)
		opener, _ := GenerateOpenerKey()
		items := make([]BatchItem, k)
		for i := range items {
			msg := fmt.Appendf(nil, "usage record %d", i)
			sig, err := Sign(keys[i*7%n], ring, opener.Public(), msg)
			if err != nil {
				b.Fatal(err)
			}
			items[i] = BatchItem{Ring: ring, Opener: opener.Public(), Message: msg, Signature: sig}
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, err := range VerifyBatch(items) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkBase measures signing and verification at N = 1024 for each
// candidate base: the numbers behind paramsFor.
func BenchmarkBase(b *testing.B) {
	sizes := []int{1024}
	if !testing.Short() {
		sizes = []int{64, 1024, 4096}
	}
	for _, size := range sizes {
		f := newBenchFixture(b, size)
		for _, base := range []int{2, 3, 4, 5, 6, 7, 8, 16} {
			p, _ := oneofmany.NewParams(base, size)
			var rnd [transcript.RandomSize]byte
			rand.Read(rnd[:])
			sig, err := sign(f.signer, f.ring, f.opener.Public(), f.msg, &rnd, p)
			if err != nil {
				b.Fatal(err)
			}
			name := fmt.Sprintf("N=%d,n=%d,m=%d", size, base, p.Digits)
			b.Run("Sign/"+name, func(b *testing.B) {
				for b.Loop() {
					sign(f.signer, f.ring, f.opener.Public(), f.msg, &rnd, p)
				}
				b.ReportMetric(float64(len(sig.enc)), "B/sig")
			})
			b.Run("Verify/"+name, func(b *testing.B) {
				for b.Loop() {
					if err := Verify(f.ring, f.opener.Public(), f.msg, sig); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// referenceInputs returns n random scalars and points of edwards25519.
func referenceInputs(n int) ([]*edwards25519.Scalar, []*edwards25519.Point) {
	scalars := make([]*edwards25519.Scalar, n)
	points := make([]*edwards25519.Point, n)
	var buf [64]byte
	for i := range n {
		rand.Read(buf[:])
		scalars[i], _ = edwards25519.NewScalar().SetUniformBytes(buf[:])
		rand.Read(buf[:])
		s, _ := edwards25519.NewScalar().SetUniformBytes(buf[:])
		points[i] = new(edwards25519.Point).ScalarBaseMult(s)
	}
	return scalars, points
}

// BenchmarkReferenceMSM is MSM(1024) of the targets: edwards25519's
// variable-time multi-scalar multiplication of 1024 points.
func BenchmarkReferenceMSM(b *testing.B) {
	scalars, points := referenceInputs(1024)
	b.Run("N=1024", func(b *testing.B) {
		b.ReportAllocs()
		var v edwards25519.Point
		for b.Loop() {
			v.VarTimeMultiScalarMult(scalars, points)
		}
	})
}

// BenchmarkReferenceCTMSM is CTMSM(1024) of the targets: edwards25519's
// constant-time multi-scalar multiplication of 1024 points.
func BenchmarkReferenceCTMSM(b *testing.B) {
	scalars, points := referenceInputs(1024)
	b.Run("N=1024", func(b *testing.B) {
		b.ReportAllocs()
		var v edwards25519.Point
		for b.Loop() {
			v.MultiScalarMult(scalars, points)
		}
	})
}
