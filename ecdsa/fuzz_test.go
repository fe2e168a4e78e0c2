package ecdsa

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

// FuzzParsePublicKey checks that the parser never panics, never returns a key
// with an error, and that every accepted input is the key's only encoding.
func FuzzParsePublicKey(f *testing.F) {
	f.Add(decodeHex(f, generatorHex))
	f.Add(decodeHex(f, knownPublicKeyHex))
	f.Add(compressedWithX(0x02, zeroX))
	f.Add(compressedWithX(0x02, fieldP))
	f.Add(compressedWithX(0x03, notOnCurveX))
	f.Add(append([]byte{0x04}, make([]byte, 64)...))
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		pub, err := ParsePublicKey(b)
		if err != nil {
			if pub != nil {
				t.Fatal("key returned with an error")
			}
			return
		}
		if !bytes.Equal(pub.Bytes(), b) {
			t.Fatalf("accepted %x, re-encodes as %x", b, pub.Bytes())
		}
		again, err := ParsePublicKey(pub.Bytes())
		if err != nil || !again.Equal(pub) {
			t.Fatalf("re-parsing %x: %v", b, err)
		}
	})
}

// FuzzParsePrivateKey checks the same for private keys, and that the public
// key of an accepted private key parses.
func FuzzParsePrivateKey(f *testing.F) {
	f.Add(decodeHex(f, testKeyHex))
	f.Add(scalarBytes(big.NewInt(1)))
	f.Add(scalarBytes(new(big.Int).Sub(order, big.NewInt(1))))
	f.Add(scalarBytes(order))
	f.Add(make([]byte, PrivateKeySize))
	f.Add(bytes.Repeat([]byte{0xff}, PrivateKeySize))
	f.Fuzz(func(t *testing.T, b []byte) {
		priv, err := ParsePrivateKey(b)
		if err != nil {
			if priv != nil {
				t.Fatal("key returned with an error")
			}
			return
		}
		if !bytes.Equal(priv.Bytes(), b) {
			t.Fatalf("accepted %x, re-encodes as %x", b, priv.Bytes())
		}
		if new(big.Int).SetBytes(b).Cmp(order) >= 0 {
			t.Fatalf("accepted scalar %x ≥ n", b)
		}
		if _, err := ParsePublicKey(priv.Public().Bytes()); err != nil {
			t.Fatalf("public key of %x does not parse: %v", b, err)
		}
	})
}

// FuzzVerify feeds arbitrary signatures, contexts and messages to Verify for
// a fixed key. It must never panic, must explain every refusal of a
// non-empty context with ErrInvalidSignature, and may accept only canonical
// signatures, whose high-S twin it then refuses.
func FuzzVerify(f *testing.F) {
	pub := testKey(f).Public()
	known := decodeHex(f, knownSignatureHex)
	f.Add(known, receiptContext, []byte(knownMessage))
	f.Add(highSTwin(known), receiptContext, []byte(knownMessage))
	f.Add(known, entryContext, []byte(knownMessage))
	f.Add(make([]byte, SignatureSize), receiptContext, []byte{})
	f.Add(bytes.Repeat([]byte{0xff}, SignatureSize), "x", []byte{0})
	f.Add(known[:SignatureSize-1], receiptContext, []byte(knownMessage))
	f.Add(known, "", []byte(knownMessage))
	f.Fuzz(func(t *testing.T, sig []byte, context string, msg []byte) {
		err := Verify(pub, context, msg, sig)
		if context == "" {
			if !errors.Is(err, errEmptyContext) {
				t.Fatalf("empty context: %v", err)
			}
			return
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("refusal without ErrInvalidSignature: %v", err)
			}
			return
		}
		s := new(big.Int).SetBytes(sig[scalarSize:])
		if len(sig) != SignatureSize || s.Sign() == 0 || s.Cmp(halfOrder) > 0 {
			t.Fatalf("accepted non-canonical signature %x", sig)
		}
		if err := Verify(pub, context, msg, highSTwin(sig)); !errors.Is(err, errHighS) {
			t.Fatalf("accepted %x and its high-S twin: %v", sig, err)
		}
	})
}
