package trs

import (
	"errors"
	"math/rand"
	"testing"
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
