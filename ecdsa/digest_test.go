package ecdsa

import (
	"encoding/hex"
	"testing"
)

// TestDigestKnownAnswers pins the signed string. The expected values were
// computed independently with Python's hashlib from the encoding in the
// package documentation:
//
//	sha256(lp(b"ringtrace-v1-ECDSA") + lp(context) + lp(msg)), lp(x) = struct.pack(">Q", len(x)) + x
func TestDigestKnownAnswers(t *testing.T) {
	for _, tc := range []struct {
		context, msg, want string
	}{
		{"ringtrace/toll/entry-proof/v1", "plaza=7;time=1763740800;commitment=00",
			"fe77149a908f609a42921b6d727fa10157dd1f849a6b7a0173926da63c95d5a4"},
		{"a", "", "889b675f5077f49b82b1d4cc3e22a83df186767d3ef3e15f5d712c7a4270157a"},
		{"a", "bc", "7db4edbe09f9542f55679f3e4da58e69c00a07c699fe1d196b3cb2809a2a887a"},
		{"ab", "c", "4928b04e85262d7373df381909b90346bb6c98400a489f5ab3ed0c9b7867399f"},
	} {
		d := digest(tc.context, []byte(tc.msg))
		if got := hex.EncodeToString(d[:]); got != tc.want {
			t.Errorf("digest(%q, %q) = %s, want %s", tc.context, tc.msg, got, tc.want)
		}
	}
}

// TestDigestInjective checks pairs whose plain concatenations collide.
func TestDigestInjective(t *testing.T) {
	pairs := [][2]struct{ context, msg string }{
		{{"a", "bc"}, {"ab", "c"}},
		{{"ringtrace/toll/v1", "x"}, {"ringtrace/toll/v1x", ""}},
		{{"\x00", ""}, {"", "\x00"}},
		{{"c", "\x00\x00\x00\x00\x00\x00\x00\x01m"}, {"c\x00\x00\x00\x00\x00\x00\x00\x01", "m"}},
	}
	for _, p := range pairs {
		a, b := digest(p[0].context, []byte(p[0].msg)), digest(p[1].context, []byte(p[1].msg))
		if a == b {
			t.Errorf("digest(%q, %q) == digest(%q, %q)", p[0].context, p[0].msg, p[1].context, p[1].msg)
		}
	}
}

// TestKnownAnswer pins the whole wire format with a signature made by this
// package with the key SHA-256("ringtrace ecdsa test key"). The public key
// and the signature were checked independently with Python's hashlib and
// pyca/cryptography (ec.derive_private_key, then verify with
// utils.Prehashed(SHA256) over the documented digest).
func TestKnownAnswer(t *testing.T) {
	pub := testKey(t).Public()
	if got := hex.EncodeToString(pub.Bytes()); got != knownPublicKeyHex {
		t.Fatalf("public key %s, want %s", got, knownPublicKeyHex)
	}
	err := Verify(pub, receiptContext, []byte(knownMessage), decodeHex(t, knownSignatureHex))
	if err != nil {
		t.Fatal(err)
	}
}

const (
	knownPublicKeyHex = "027b463c6dc8b5a18c8a834395461ac411ec3d681cb146a0990a454f0080c48089"
	knownMessage      = "invoice=2026-11/17;paid=4200EUR"
	knownSignatureHex = "784865b69b0d1f85617449660ce5fbd5ca0154751be17fb58e6c64571b513d49" +
		"6bdf27595f928c32f2a838ac8b77a1fd1ccaabb41e784e97ca36f532bf9237c4"
)
