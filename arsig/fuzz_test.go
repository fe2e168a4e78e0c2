package arsig

import (
	"bytes"
	"errors"
	"math/rand"
	"testing"
)

// Every parser: no panic, nothing returned with an error, every refusal
// wraps ErrMalformed, and accepted bytes re-encode identically.

func checkParse[T any](t *testing.T, b []byte, v *T, err error, enc func(*T) []byte) {
	t.Helper()
	if err != nil {
		if v != nil {
			t.Fatal("parser returned a value with an error")
		}
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("refusal does not wrap ErrMalformed: %v", err)
		}
		return
	}
	if got := enc(v); !bytes.Equal(got, b) {
		t.Fatalf("accepted %x, re-encodes as %x", b, got)
	}
}

func FuzzParsePublicKey(f *testing.F) {
	rng := rand.New(rand.NewSource(1))
	f.Add(testKey(rng).Public().Bytes())
	f.Add(make([]byte, 32))
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePublicKey(b)
		checkParse(t, b, k, err, (*PublicKey).Bytes)
	})
}

func FuzzParsePrivateKey(f *testing.F) {
	rng := rand.New(rand.NewSource(2))
	f.Add(testKey(rng).Bytes())
	f.Add(make([]byte, 32))
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePrivateKey(b)
		checkParse(t, b, k, err, (*PrivateKey).Bytes)
	})
}

func FuzzParseOpenerPublicKey(f *testing.F) {
	rng := rand.New(rand.NewSource(3))
	f.Add(testOpener(rng).Public().Bytes())
	f.Add(make([]byte, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseOpenerPublicKey(b)
		checkParse(t, b, k, err, (*OpenerPublicKey).Bytes)
	})
}

func FuzzParseOpenerKey(f *testing.F) {
	rng := rand.New(rand.NewSource(4))
	f.Add(testOpener(rng).Bytes())
	f.Add(make([]byte, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseOpenerKey(b)
		checkParse(t, b, k, err, (*OpenerKey).Bytes)
	})
}

func FuzzParseRing(f *testing.F) {
	rng := rand.New(rand.NewSource(5))
	for _, n := range []int{1, 2, 5} {
		_, ring := testRing(f, rng, n)
		f.Add(ring.Bytes())
	}
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRing(b)
		checkParse(t, b, r, err, (*Ring).Bytes)
	})
}

func FuzzParseSignature(f *testing.F) {
	for _, n := range []int{1, 3, 17} {
		fx := newFixture(f, n, int64(n))
		f.Add(fx.sig.Bytes())
	}
	f.Add([]byte{1, 2, 1})
	f.Add([]byte{1, 16, 16})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSignature(b)
		checkParse(t, b, s, err, (*Signature).Bytes)
	})
}

func FuzzParseOpening(f *testing.F) {
	fx := newFixture(f, 4, 9)
	f.Add(fx.open(f).Bytes())
	f.Add(make([]byte, OpeningSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := ParseOpening(b)
		checkParse(t, b, o, err, (*Opening).Bytes)
	})
}

// FuzzVerify feeds arbitrary signature bytes to Verify against a fixed ring:
// never a panic, and never acceptance of anything but the real signature's
// exact bytes (the fuzzer will not find another valid signature; this
// checks that no malformed input reaches the arithmetic in a bad state).
func FuzzVerify(f *testing.F) {
	fx := newFixture(f, 7, 11)
	f.Add(fx.sig.Bytes(), fx.msg)
	f.Fuzz(func(t *testing.T, b, msg []byte) {
		s, err := ParseSignature(b)
		if err != nil {
			return
		}
		err = Verify(fx.ring, fx.opener.Public(), msg, s)
		if err == nil && (!bytes.Equal(b, fx.sig.Bytes()) || !bytes.Equal(msg, fx.msg)) {
			t.Fatalf("accepted a signature that was not made: %x", b)
		}
	})
}
