package ecdsa

import (
	stdecdsa "crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"testing"
)

var benchMessage = []byte("plaza=7;time=1763740800;commitment=9f8e0123456789abcdef")

// BenchmarkSign measures Sign and, for comparison, crypto/ecdsa.SignASN1 on
// a precomputed SHA-256 digest.
func BenchmarkSign(b *testing.B) {
	priv := newKey(b)
	b.Run("ringtrace", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Sign(priv, entryContext, benchMessage); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdlib-SignASN1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d := sha256.Sum256(benchMessage)
			if _, err := stdecdsa.SignASN1(rand.Reader, priv.key, d[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerify measures Verify and, for comparison, crypto/ecdsa.VerifyASN1.
func BenchmarkVerify(b *testing.B) {
	priv := newKey(b)
	pub := priv.Public()
	sig := mustSign(b, priv, entryContext, benchMessage)
	d := sha256.Sum256(benchMessage)
	asn1Sig, err := stdecdsa.SignASN1(rand.Reader, priv.key, d[:])
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ringtrace", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := Verify(pub, entryContext, benchMessage, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdlib-VerifyASN1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d := sha256.Sum256(benchMessage)
			if !stdecdsa.VerifyASN1(pub.key, d[:], asn1Sig) {
				b.Fatal("VerifyASN1 failed")
			}
		}
	})
}

// BenchmarkParsePublicKey measures decompression (a square root mod p).
func BenchmarkParsePublicKey(b *testing.B) {
	enc := newKey(b).Public().Bytes()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePublicKey(enc); err != nil {
			b.Fatal(err)
		}
	}
}
