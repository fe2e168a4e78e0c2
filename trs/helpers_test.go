package trs

import (
	"context"
	"math/rand"
	"testing"

	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// ctx is the context of every index call in the tests.
var ctx = context.Background()

// testKey derives a private key from a deterministic source.
func testKey(rng *rand.Rand) *PrivateKey {
	var b [64]byte
	rng.Read(b[:])
	x, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
	return newPrivateKey(x)
}

// testRing returns n deterministic keys and their canonical ring; privs[k]
// is the key in slot k of the ring.
func testRing(tb testing.TB, rng *rand.Rand, n int) ([]*PrivateKey, *Ring) {
	tb.Helper()
	privs := make([]*PrivateKey, n)
	pubs := make([]*PublicKey, n)
	for i := range privs {
		privs[i] = testKey(rng)
		pubs[i] = privs[i].Public()
	}
	ring, err := NewRing(pubs)
	if err != nil {
		tb.Fatal(err)
	}
	bySlot := make([]*PrivateKey, n)
	for _, p := range privs {
		k, ok := ring.IndexOf(p.Public())
		if !ok {
			tb.Fatal("key missing from ring")
		}
		bySlot[k] = p
	}
	return bySlot, ring
}

// testSign signs with nonce randomness drawn from rng.
func testSign(tb testing.TB, rng *rand.Rand, priv *PrivateKey, tag *Tag, msg []byte) *Signature {
	tb.Helper()
	var rnd [transcript.RandomSize]byte
	rng.Read(rnd[:])
	sig, err := sign(priv, tag, msg, &rnd)
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}
