package ecdsa

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

// TestVerifyRangeChecks replaces r or s of a valid signature with values
// outside 0 < r < n, 0 < s ≤ n/2 and checks the reason Verify gives.
func TestVerifyRangeChecks(t *testing.T) {
	priv := newKey(t)
	pub := priv.Public()
	msg := []byte("receipt 42")
	sig := mustSign(t, priv, receiptContext, msg)
	r, s := new(big.Int).SetBytes(sig[:scalarSize]), new(big.Int).SetBytes(sig[scalarSize:])

	one := big.NewInt(1)
	zero := new(big.Int)
	max := new(big.Int).Sub(new(big.Int).Lsh(one, 256), one) // 2²⁵⁶ − 1, every bit set
	mod256 := func(x *big.Int) *big.Int { return new(big.Int).And(x, max) }
	add := func(x, y *big.Int) *big.Int { return new(big.Int).Add(x, y) }

	for _, tc := range []struct {
		name string
		r, s *big.Int
		want error
	}{
		{"r = 0", zero, s, errZeroR},
		{"s = 0", r, zero, errZeroS},
		{"r = s = 0", zero, zero, errZeroR},
		{"r = n", order, s, errLargeR},
		{"s = n", r, order, errLargeS},
		{"r = n + 1", add(order, one), s, errLargeR},
		{"s = n + 1", r, add(order, one), errLargeS},
		// r + n and s + n need 257 bits, except with probability 2^-32; the
		// 256-bit wrap-around is just another value, and must not verify.
		{"r + n mod 2^256", mod256(add(r, order)), s, nil},
		{"s + n mod 2^256", r, mod256(add(s, order)), nil},
		{"r = 2^256 - 1", max, s, errLargeR},
		{"s = 2^256 - 1", r, max, errLargeS},
		{"s = n - s (high-S twin)", r, new(big.Int).Sub(order, s), errHighS},
		{"s = n - 1", r, new(big.Int).Sub(order, one), errHighS},
		{"s = (n+1)/2, the smallest high s", r, add(halfOrder, one), errHighS},
		{"r = 1", one, s, errMismatch},
		{"s = 1", r, one, errMismatch},
		{"r = n - 1", new(big.Int).Sub(order, one), s, errMismatch},
		{"s = (n-1)/2, the largest low s", r, halfOrder, errMismatch},
		{"r, s swapped", s, r, nil}, // nil: any refusal; r may be high as an s
	} {
		err := Verify(pub, receiptContext, msg, joinSignature(tc.r, tc.s))
		if !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: Verify = %v, want ErrInvalidSignature", tc.name, err)
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify = %v, want %v", tc.name, err, tc.want)
		}
	}

	// r + n and s + n written out in full: 33-byte halves if they do not fit
	// in 256 bits, which is nearly always; out of range if they do.
	for i, x := range []*big.Int{add(r, order), add(s, order)} {
		var forged []byte
		want := errLargeR
		if i == 1 {
			want = errLargeS
		}
		if x.BitLen() > 256 {
			want = errSignatureLength
			wide := x.FillBytes(make([]byte, scalarSize+1))
			if i == 0 {
				forged = append(wide, sig[scalarSize:]...)
			} else {
				forged = append(bytes.Clone(sig[:scalarSize]), wide...)
			}
		} else if i == 0 {
			forged = joinSignature(x, s)
		} else {
			forged = joinSignature(r, x)
		}
		if err := Verify(pub, receiptContext, msg, forged); !errors.Is(err, want) {
			t.Errorf("%d-byte signature with half %d increased by n: Verify = %v, want %v", len(forged), i, err, want)
		}
	}
}

// TestLowSBoundary places s exactly on either side of n/2 with signatures that
// satisfy the ECDSA equation: s = ⌊n/2⌋ is accepted and its twin
// n − ⌊n/2⌋ = ⌊n/2⌋ + 1 is refused, by the low-S policy alone.
func TestLowSBoundary(t *testing.T) {
	priv := testKey(t)
	k := big.NewInt(0x1234567)

	digest, sig := signatureWithS(t, priv, k, halfOrder)
	if err := verifyDigest(priv.Public().key, digest, sig, true); err != nil {
		t.Fatalf("s = ⌊n/2⌋ refused: %v", err)
	}
	twin := highSTwin(sig)
	if s := new(big.Int).SetBytes(twin[scalarSize:]); s.Cmp(new(big.Int).Add(halfOrder, big.NewInt(1))) != 0 {
		t.Fatalf("twin of ⌊n/2⌋ is %v", s)
	}
	if err := verifyDigest(priv.Public().key, digest, twin, true); !errors.Is(err, errHighS) {
		t.Fatalf("s = ⌊n/2⌋ + 1: verifyDigest = %v, want %v", err, errHighS)
	}
	if err := verifyDigest(priv.Public().key, digest, twin, false); err != nil {
		t.Fatalf("s = ⌊n/2⌋ + 1 with low-S off: %v", err)
	}
}

// TestTopBitSet checks that r and s are unsigned: a leading 1 bit makes a
// large number, not a negative one. A valid r with its top bit set verifies;
// s with its top bit set is always above n/2, so it is refused as high-S, yet
// it satisfies the ECDSA equation.
func TestTopBitSet(t *testing.T) {
	priv := newKey(t)
	pub := priv.Public()
	found := false
	for i := 0; i < 200 && !found; i++ {
		msg := []byte{byte(i)}
		sig := mustSign(t, priv, saleContext, msg)
		if sig[0]&0x80 == 0 {
			continue
		}
		found = true
		if err := Verify(pub, saleContext, msg, sig); err != nil {
			t.Errorf("r with top bit set: %v", err)
		}
		twin := highSTwin(sig)
		if twin[scalarSize]&0x80 == 0 {
			continue // n − s < 2²⁵⁵ happens with probability 2^-32
		}
		if err := Verify(pub, saleContext, msg, twin); !errors.Is(err, errHighS) {
			t.Errorf("s with top bit set: Verify = %v, want %v", err, errHighS)
		}
		d := digest(saleContext, msg)
		if err := verifyDigest(pub.key, d[:], twin, false); err != nil {
			t.Errorf("s with top bit set, low-S off: %v", err)
		}
	}
	if !found {
		t.Fatal("no signature with the top bit of r set in 200 tries")
	}
	if halfOrder.Cmp(new(big.Int).Lsh(big.NewInt(1), 255)) >= 0 {
		t.Fatal("n/2 ≥ 2²⁵⁵: a low s could have its top bit set")
	}
}

// TestBadLengths grows and shrinks a valid signature, and checks every other
// length up to twice the real one.
func TestBadLengths(t *testing.T) {
	priv := newKey(t)
	pub := priv.Public()
	msg := []byte("m")
	sig := mustSign(t, priv, entryContext, msg)

	variants := map[string][]byte{
		"trailing zero":   append(bytes.Clone(sig), 0),
		"leading zero":    append([]byte{0}, sig...),
		"last byte cut":   sig[:SignatureSize-1],
		"first byte cut":  sig[1:],
		"r with 33 bytes": append(append([]byte{0}, sig[:scalarSize]...), sig[scalarSize:]...),
		"s with 33 bytes": append(append(bytes.Clone(sig[:scalarSize]), 0), sig[scalarSize:]...),
		"r only":          sig[:scalarSize],
		"signature twice": append(bytes.Clone(sig), sig...),
		"nil":             nil,
		"empty":           {},
	}
	for name, v := range variants {
		if err := Verify(pub, entryContext, msg, v); !errors.Is(err, errSignatureLength) {
			t.Errorf("%s (%d bytes): Verify = %v, want %v", name, len(v), err, errSignatureLength)
		}
	}
	long := append(bytes.Clone(sig), sig...)
	for n := range len(long) + 1 {
		if n == SignatureSize {
			continue
		}
		if err := Verify(pub, entryContext, msg, long[:n]); !errors.Is(err, errSignatureLength) {
			t.Errorf("%d bytes: Verify = %v", n, err)
		}
	}
	if err := Verify(pub, entryContext, msg, long[:SignatureSize]); err != nil {
		t.Errorf("the signature itself: %v", err)
	}

	pubBytes, privBytes := pub.Bytes(), priv.Bytes()
	for n := range 2*PublicKeySize + 1 {
		b := append(bytes.Clone(pubBytes), pubBytes...)[:n]
		if _, err := ParsePublicKey(b); (err == nil) != (n == PublicKeySize) {
			t.Errorf("ParsePublicKey of %d bytes: %v", n, err)
		}
	}
	for n := range 2*PrivateKeySize + 1 {
		b := append(bytes.Clone(privBytes), privBytes...)[:n]
		if _, err := ParsePrivateKey(b); (err == nil) != (n == PrivateKeySize) {
			t.Errorf("ParsePrivateKey of %d bytes: %v", n, err)
		}
	}
}
