package ecdsa

import (
	"bytes"
	"math/big"
	"testing"
)

func TestKeyRoundTrip(t *testing.T) {
	for range 20 {
		priv := newKey(t)
		pub := priv.Public()

		privBytes := priv.Bytes()
		if len(privBytes) != PrivateKeySize {
			t.Fatalf("private key is %d bytes, want %d", len(privBytes), PrivateKeySize)
		}
		priv2, err := ParsePrivateKey(privBytes)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(priv2.Bytes(), privBytes) {
			t.Fatal("private key did not round-trip")
		}
		if !priv2.Public().Equal(pub) {
			t.Fatal("parsed private key has a different public key")
		}

		pubBytes := pub.Bytes()
		if len(pubBytes) != PublicKeySize || (pubBytes[0] != 0x02 && pubBytes[0] != 0x03) {
			t.Fatalf("public key encoding %x is not SEC 1 compressed", pubBytes)
		}
		pub2, err := ParsePublicKey(pubBytes)
		if err != nil {
			t.Fatal(err)
		}
		if !pub2.Equal(pub) || !bytes.Equal(pub2.Bytes(), pubBytes) {
			t.Fatal("public key did not round-trip")
		}

		// The parsed keys are as good as the originals.
		sig := mustSign(t, priv2, "ringtrace/test/v1", []byte("round trip"))
		if err := Verify(pub2, "ringtrace/test/v1", []byte("round trip"), sig); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPrivateKeyEdges checks the smallest and largest scalars against the
// base point G and its negation −G, which shares x and has even y.
func TestPrivateKeyEdges(t *testing.T) {
	g := decodeHex(t, generatorHex)
	minusG := append([]byte{0x02}, g[1:]...)

	one := scalarBytes(big.NewInt(1))
	nMinusOne := scalarBytes(new(big.Int).Sub(order, big.NewInt(1)))
	for _, tc := range []struct {
		name string
		d    []byte
		want []byte
	}{
		{"d=1", one, g},
		{"d=n-1", nMinusOne, minusG},
	} {
		priv, err := ParsePrivateKey(tc.d)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := priv.Public().Bytes(); !bytes.Equal(got, tc.want) {
			t.Errorf("%s: public key %x, want %x", tc.name, got, tc.want)
		}
		if !bytes.Equal(priv.Bytes(), tc.d) {
			t.Errorf("%s: Bytes() = %x", tc.name, priv.Bytes())
		}
		sig := mustSign(t, priv, "ringtrace/test/v1", nil)
		if err := Verify(priv.Public(), "ringtrace/test/v1", nil, sig); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestParsePrivateKeyRejects(t *testing.T) {
	valid := decodeHex(t, testKeyHex)
	allOnes := bytes.Repeat([]byte{0xff}, PrivateKeySize)
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"zero", make([]byte, PrivateKeySize)},
		{"n", scalarBytes(order)},
		{"n+1", scalarBytes(new(big.Int).Add(order, big.NewInt(1)))},
		{"2^256-1", allOnes},
		{"valid with leading zero (33 bytes)", append([]byte{0}, valid...)},
		{"valid with trailing zero (33 bytes)", append(append([]byte(nil), valid...), 0)},
		{"valid truncated (31 bytes)", valid[:PrivateKeySize-1]},
		{"valid without first byte (31 bytes)", valid[1:]},
		{"1 as one byte", []byte{1}},
	} {
		if priv, err := ParsePrivateKey(tc.b); err == nil || priv != nil {
			t.Errorf("%s: ParsePrivateKey(%x) = %v, %v; want nil, error", tc.name, tc.b, priv, err)
		}
	}
}

// fieldP is the P-256 field prime p = 2²⁵⁶ − 2²²⁴ + 2¹⁹² + 2⁹⁶ − 1.
var fieldP = func() *big.Int {
	p := new(big.Int).Lsh(big.NewInt(1), 256)
	p.Sub(p, new(big.Int).Lsh(big.NewInt(1), 224))
	p.Add(p, new(big.Int).Lsh(big.NewInt(1), 192))
	p.Add(p, new(big.Int).Lsh(big.NewInt(1), 96))
	return p.Sub(p, big.NewInt(1))
}()

// x = 0 and x = 5 have points above them; x = 1 does not, since
// x³ − 3x + b is not a square mod p there (checked independently with
// Euler's criterion, and by TestParsePublicKeyAcceptsEdges and the table in
// TestParsePublicKeyRejects).
var (
	zeroX       = big.NewInt(0)
	fiveX       = big.NewInt(5)
	notOnCurveX = big.NewInt(1)
)

func compressedWithX(prefix byte, x *big.Int) []byte {
	return append([]byte{prefix}, scalarBytes(x)...)
}

func TestParsePublicKeyAcceptsEdges(t *testing.T) {
	// x = 0 and x = 5 are on the curve, with both parities of y.
	for _, b := range [][]byte{
		compressedWithX(0x02, zeroX), compressedWithX(0x03, zeroX),
		compressedWithX(0x02, fiveX), compressedWithX(0x03, fiveX),
	} {
		pub, err := ParsePublicKey(b)
		if err != nil {
			t.Fatalf("ParsePublicKey(%x): %v", b, err)
		}
		if !bytes.Equal(pub.Bytes(), b) {
			t.Fatalf("%x did not round-trip", b)
		}
	}
	if _, err := ParsePublicKey(decodeHex(t, generatorHex)); err != nil {
		t.Fatalf("G: %v", err)
	}
}

func TestParsePublicKeyRejects(t *testing.T) {
	pub := testKey(t).Public()
	valid := pub.Bytes()
	uncompressed, err := pub.key.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	hybrid := append([]byte{0x06 | uncompressed[64]&1}, uncompressed[1:]...)
	wrongHybrid := append([]byte{0x07 ^ uncompressed[64]&1}, uncompressed[1:]...)

	cases := []struct {
		name string
		b    []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"infinity (single zero byte)", []byte{0}},
		{"33 zero bytes", make([]byte, PublicKeySize)},
		{"prefix 0x00", append([]byte{0x00}, valid[1:]...)},
		{"prefix 0x01", append([]byte{0x01}, valid[1:]...)},
		{"prefix 0x04 on 33 bytes", append([]byte{0x04}, valid[1:]...)},
		{"prefix 0x05", append([]byte{0x05}, valid[1:]...)},
		{"prefix 0x06", append([]byte{0x06}, valid[1:]...)},
		{"prefix 0x07", append([]byte{0x07}, valid[1:]...)},
		{"prefix 0x12 (flipped bit)", append([]byte{valid[0] ^ 0x10}, valid[1:]...)},
		{"prefix 0xff", append([]byte{0xff}, valid[1:]...)},
		{"uncompressed (65 bytes)", uncompressed},
		{"hybrid (65 bytes)", hybrid},
		{"hybrid with wrong parity (65 bytes)", wrongHybrid},
		{"x = p (non-canonical x = 0)", compressedWithX(0x02, fieldP)},
		{"x = p + 5 (non-canonical x = 5)", compressedWithX(0x03, new(big.Int).Add(fieldP, fiveX))},
		{"x = 2^256 - 1", append([]byte{0x02}, bytes.Repeat([]byte{0xff}, 32)...)},
		{"x not on curve, even", compressedWithX(0x02, notOnCurveX)},
		{"x not on curve, odd", compressedWithX(0x03, notOnCurveX)},
		{"valid with trailing byte", append(append([]byte(nil), valid...), 0)},
		{"valid with leading zero byte", append([]byte{0}, valid...)},
		{"valid truncated", valid[:PublicKeySize-1]},
	}
	for _, tc := range cases {
		if pub, err := ParsePublicKey(tc.b); err == nil || pub != nil {
			t.Errorf("%s: ParsePublicKey(%x) = %v, %v; want nil, error", tc.name, tc.b, pub, err)
		}
	}

}

func TestPublicKeyEqual(t *testing.T) {
	a, b := newKey(t).Public(), newKey(t).Public()
	a2, err := ParsePublicKey(a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(a) || !a.Equal(a2) || !a2.Equal(a) {
		t.Error("a key is not equal to itself")
	}
	if a.Equal(b) || b.Equal(a) {
		t.Error("different keys are equal")
	}
	var nilKey *PublicKey
	if a.Equal(nil) || nilKey.Equal(a) || nilKey.Equal(nil) || a.Equal(&PublicKey{}) || (&PublicKey{}).Equal(&PublicKey{}) {
		t.Error("nil or zero-value keys compare equal")
	}
}

// TestBytesReturnsCopies checks that callers cannot modify a key through the
// slices its Bytes methods return. It is the regression test for
// PrivateKey.Bytes handing out crypto/ecdsa's result unchanged: in Go 1.26
// that slice is the storage of the cached internal key, so two calls returned
// the same memory.
func TestBytesReturnsCopies(t *testing.T) {
	priv := testKey(t)
	pub := priv.Public()
	want := pub.Bytes()
	pub.Bytes()[1] ^= 0xff
	if !bytes.Equal(pub.Bytes(), want) {
		t.Error("PublicKey.Bytes exposes the key's storage")
	}
	wantPriv := priv.Bytes()
	priv.Bytes()[1] ^= 0xff
	if !bytes.Equal(priv.Bytes(), wantPriv) {
		t.Error("PrivateKey.Bytes exposes the key's storage")
	}
}
