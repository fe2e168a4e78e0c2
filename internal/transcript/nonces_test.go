package transcript

import (
	"bytes"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/binary"
	"testing"
	"testing/cryptotest"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

var zeroRandom [RandomSize]byte

func take(s *Nonces, n int) []*ristretto.Scalar {
	out := make([]*ristretto.Scalar, n)
	for i := range out {
		out[i] = s.Next()
	}
	return out
}

func TestNoncesLayout(t *testing.T) {
	secret := new(ristretto.Scalar).SetUint64(42)
	var rnd [RandomSize]byte
	for i := range rnd {
		rnd[i] = byte(i)
	}
	stmt := []byte("statement")
	got := take(NewNoncesWithRandom("ringtrace-v1-test-nonce", secret, &rnd, stmt), 3)

	// seed = SHA-512(lp(dst) || encS(secret) || rnd || statement), then
	// 64-byte blocks of SHAKE256(seed), each reduced modulo q.
	var in []byte
	in = binary.BigEndian.AppendUint64(in, uint64(len("ringtrace-v1-test-nonce")))
	in = append(in, "ringtrace-v1-test-nonce"...)
	in = append(in, secret.Bytes()...)
	in = append(in, rnd[:]...)
	in = append(in, stmt...)
	seed := sha512.Sum512(in)
	stream := sha3.SumSHAKE256(seed[:], 3*64)
	for i, k := range got {
		want, _ := new(ristretto.Scalar).SetUniformBytes(stream[64*i : 64*i+64])
		if k.Equal(want) != 1 {
			t.Fatalf("nonce %d does not follow the documented derivation", i)
		}
	}
}

// TestNonceSafety: with a random source that returns only zeros, nonces
// still differ whenever the statement or the secret differs in one byte,
// and within one stream no two nonces repeat.
func TestNonceSafety(t *testing.T) {
	secret := new(ristretto.Scalar).SetUint64(7)
	stmt := bytes.Repeat([]byte{0xaa}, 100)
	seen := map[string]string{}
	record := func(name string, ks []*ristretto.Scalar) {
		for _, k := range ks {
			key := string(k.Bytes())
			if prev, ok := seen[key]; ok {
				t.Fatalf("nonce of %s repeats one of %s", name, prev)
			}
			seen[key] = name
		}
	}
	record("base", take(NewNoncesWithRandom("d", secret, &zeroRandom, stmt), 8))
	for i := range stmt {
		other := bytes.Clone(stmt)
		other[i] ^= 1
		record("flipped statement byte", take(NewNoncesWithRandom("d", secret, &zeroRandom, other), 8))
	}
	record("longer statement", take(NewNoncesWithRandom("d", secret, &zeroRandom, append(bytes.Clone(stmt), 0)), 8))
	record("other secret", take(NewNoncesWithRandom("d", new(ristretto.Scalar).SetUint64(8), &zeroRandom, stmt), 8))
	record("other dst", take(NewNoncesWithRandom("e", secret, &zeroRandom, stmt), 8))
}

// TestNoncesUseFreshRandomness: the same secret and statement give
// different nonces on every call, through crypto/rand.
func TestNoncesUseFreshRandomness(t *testing.T) {
	secret := new(ristretto.Scalar).SetUint64(7)
	a := NewNonces("d", secret, []byte("s")).Next()
	b := NewNonces("d", secret, []byte("s")).Next()
	if a.Equal(b) == 1 {
		t.Fatal("two signatures of one statement share a nonce")
	}
}

// TestNoncesWithFixedGlobalRandom drives the real entry point with
// crypto/rand replaced by a fixed stream: reseeding identically repeats the
// nonces of one statement, and never gives another statement the same ones.
func TestNoncesWithFixedGlobalRandom(t *testing.T) {
	secret := new(ristretto.Scalar).SetUint64(7)
	cryptotest.SetGlobalRandom(t, 1)
	a := NewNonces("d", secret, []byte("statement 1")).Next()
	cryptotest.SetGlobalRandom(t, 1)
	again := NewNonces("d", secret, []byte("statement 1")).Next()
	cryptotest.SetGlobalRandom(t, 1)
	b := NewNonces("d", secret, []byte("statement 2")).Next()
	if a.Equal(again) != 1 {
		t.Fatal("NewNonces does not draw its randomness from crypto/rand")
	}
	if a.Equal(b) == 1 {
		t.Fatal("distinct statements share a nonce under a fixed random source")
	}
}
