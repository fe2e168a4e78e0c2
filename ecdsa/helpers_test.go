package ecdsa

import (
	stdecdsa "crypto/ecdsa"
	"crypto/elliptic"
	"encoding/hex"
	"math/big"
	"testing"
)

// testKeyHex is a fixed private key, SHA-256("ringtrace ecdsa test key"),
// for tests whose output must not depend on the random source.
const testKeyHex = "36646041c573ec9874efdef85d1aea90d40cf4ba1956d2f361ee9bcf4e83aeb8"

// generatorHex is the compressed encoding of the P-256 base point G
// (SEC 2, Section 2.4.2; y is odd).
const generatorHex = "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"

func decodeHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func testKey(t testing.TB) *PrivateKey {
	t.Helper()
	priv, err := ParsePrivateKey(decodeHex(t, testKeyHex))
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func newKey(t testing.TB) *PrivateKey {
	t.Helper()
	priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func mustSign(t testing.TB, priv *PrivateKey, context string, msg []byte) []byte {
	t.Helper()
	sig, err := Sign(priv, context, msg)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// scalarBytes returns x as a fixed-length 32-byte big-endian string; x must
// be non-negative and less than 2²⁵⁶.
func scalarBytes(x *big.Int) []byte {
	return x.FillBytes(make([]byte, scalarSize))
}

// joinSignature returns r || s with each half as 32 bytes.
func joinSignature(r, s *big.Int) []byte {
	return append(scalarBytes(r), scalarBytes(s)...)
}

// highSTwin returns (r, n−s) for a signature (r, s): the other encoding that
// satisfies the ECDSA verification equation.
func highSTwin(sig []byte) []byte {
	s := new(big.Int).SetBytes(sig[scalarSize:])
	twin := append([]byte(nil), sig[:scalarSize]...)
	return append(twin, scalarBytes(new(big.Int).Sub(order, s))...)
}

// publicKeyFromUncompressed converts a SEC 1 uncompressed point, the form
// Wycheproof uses, to a PublicKey by compressing it and going through
// ParsePublicKey, the only parser the package exports.
func publicKeyFromUncompressed(t testing.TB, u []byte) *PublicKey {
	t.Helper()
	if len(u) != uncompressedSize || u[0] != 0x04 {
		t.Fatalf("not an uncompressed point: %x", u)
	}
	c := make([]byte, PublicKeySize)
	c[0] = 0x02 | u[len(u)-1]&1
	copy(c[1:], u[1:33])
	pub, err := ParsePublicKey(c)
	if err != nil {
		t.Fatalf("ParsePublicKey(compress(%x)): %v", u, err)
	}
	// The conversion must land on the same point.
	want, err := stdecdsa.ParseUncompressedPublicKey(elliptic.P256(), u)
	if err != nil {
		t.Fatal(err)
	}
	if !want.Equal(pub.key) {
		t.Fatalf("compressing %x gave a different point", u)
	}
	return pub
}

// signatureWithS builds, for the key priv and the chosen nonce k and value s,
// a digest and a signature (r, s) that is valid for it: r = x(kG) mod n and
// e = s·k − r·d mod n, which is what the verification equation
// x((e·s⁻¹)G + (r·s⁻¹)Q) = r needs. It lets tests place s anywhere, such as
// exactly on the low-S boundary.
func signatureWithS(t testing.TB, priv *PrivateKey, k, s *big.Int) (digest, sig []byte) {
	t.Helper()
	nonce, err := ParsePrivateKey(scalarBytes(k))
	if err != nil {
		t.Fatal(err)
	}
	R, err := nonce.Public().key.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	r := new(big.Int).SetBytes(R[1:33])
	r.Mod(r, order)
	d := new(big.Int).SetBytes(priv.Bytes())
	e := new(big.Int).Mul(s, k)
	e.Sub(e, new(big.Int).Mul(r, d))
	e.Mod(e, order)
	return scalarBytes(e), joinSignature(r, s)
}
