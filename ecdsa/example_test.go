package ecdsa_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/ecdsa"
)

func Example() {
	plaza, err := ecdsa.GenerateKey()
	if err != nil {
		panic(err)
	}
	proof := []byte("plaza=7;time=1763740800;commitment=9f8e")

	sig, err := ecdsa.Sign(plaza, "ringtrace/toll/entry-proof/v1", proof)
	if err != nil {
		panic(err)
	}
	fmt.Println("signature bytes:", len(sig))

	// The exit plaza knows the entry plaza's public key.
	pub, err := ecdsa.ParsePublicKey(plaza.Public().Bytes())
	if err != nil {
		panic(err)
	}
	fmt.Println("entry proof:", ecdsa.Verify(pub, "ringtrace/toll/entry-proof/v1", proof, sig))

	// The same bytes are no receipt.
	err = ecdsa.Verify(pub, "ringtrace/billing/receipt/v1", proof, sig)
	fmt.Println("as a receipt:", errors.Is(err, ecdsa.ErrInvalidSignature))

	// Output:
	// signature bytes: 64
	// entry proof: <nil>
	// as a receipt: true
}

func ExampleVerify() {
	pubBytes, _ := hex.DecodeString("027b463c6dc8b5a18c8a834395461ac411ec3d681cb146a0990a454f0080c48089")
	sig, _ := hex.DecodeString("784865b69b0d1f85617449660ce5fbd5ca0154751be17fb58e6c64571b513d49" +
		"6bdf27595f928c32f2a838ac8b77a1fd1ccaabb41e784e97ca36f532bf9237c4")

	collector, err := ecdsa.ParsePublicKey(pubBytes)
	if err != nil {
		panic(err)
	}
	receipt := []byte("invoice=2026-11/17;paid=4200EUR")
	fmt.Println(ecdsa.Verify(collector, "ringtrace/billing/receipt/v1", receipt, sig))
	fmt.Println(ecdsa.Verify(collector, "ringtrace/billing/receipt/v1", []byte("invoice=2026-11/17;paid=42EUR"), sig))
	fmt.Println(ecdsa.Verify(collector, "ringtrace/billing/receipt/v1", receipt, sig[:63]))

	// Output:
	// <nil>
	// ecdsa: invalid signature: verification equation does not hold
	// ecdsa: invalid signature: length is not 64 bytes (got 63)
}

func ExampleParsePublicKey() {
	// The base point G of P-256, SEC 1 compressed.
	g, _ := hex.DecodeString("036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")
	pub, err := ecdsa.ParsePublicKey(g)
	fmt.Println(err, hex.EncodeToString(pub.Bytes()) == hex.EncodeToString(g))

	// The uncompressed form of the same point is refused.
	u, _ := hex.DecodeString("046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" +
		"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")
	_, err = ecdsa.ParsePublicKey(u)
	fmt.Println(err)

	// Output:
	// <nil> true
	// ecdsa: invalid public key length 65, want 33
}
