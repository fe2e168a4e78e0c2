package trs

import (
	"bytes"
	"errors"
	"math/rand"
	"testing"
	"testing/cryptotest"
)

func TestSignVerifySmoke(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{1, 2, 3, 7} {
		privs, ring := testRing(t, rng, n)
		tag := NewTag([]byte("issue"), ring)
		for k, p := range privs {
			sig, err := Sign(p, tag, []byte("msg"))
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(tag, []byte("msg"), sig); err != nil {
				t.Fatalf("n=%d slot %d: %v", n, k, err)
			}
			if err := Verify(tag, []byte("msh"), sig); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("wrong message: %v", err)
			}
		}
	}
}

// TestSignIsHedged: Sign mixes fresh crypto/rand bytes into its nonces (two
// signatures of one statement differ) and nothing else random (the same
// random stream gives the same signature).
func TestSignIsHedged(t *testing.T) {
	f := newFixture(t, 4, 22)
	sign := func() []byte {
		sig, err := Sign(f.privs[f.slot], f.tag, f.msg)
		if err != nil {
			t.Fatal(err)
		}
		return sig.Bytes()
	}
	if bytes.Equal(sign(), sign()) {
		t.Fatal("two signatures of one statement are identical")
	}
	cryptotest.SetGlobalRandom(t, 7)
	first := sign()
	cryptotest.SetGlobalRandom(t, 7)
	if !bytes.Equal(first, sign()) {
		t.Fatal("Sign draws randomness from somewhere other than crypto/rand")
	}
}
