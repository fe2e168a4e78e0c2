package ecdsa

import (
	stdecdsa "crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
)

// Sign signs msg under context with priv and returns a [SignatureSize]-byte
// signature r || s with s ≤ n/2.
//
// The context names what is being attested, such as
// "ringtrace/toll/entry-proof/v1"; it must not be empty, and the signature
// verifies only under the same context. The key and nonce are handled by
// crypto/ecdsa, in constant time.
func Sign(priv *PrivateKey, context string, msg []byte) ([]byte, error) {
	if priv == nil || priv.key == nil {
		return nil, errors.New("ecdsa: nil private key")
	}
	if context == "" {
		return nil, errEmptyContext
	}
	d := digest(context, msg)

	// crypto/ecdsa derives the nonce from the key, the digest and 32 random
	// bytes (hedged signing), so a failing random source does not repeat
	// nonces across messages. Since Go 1.26 the reader argument is ignored
	// unless GODEBUG=cryptocustomrand=1 is set.
	r, s, err := stdecdsa.Sign(rand.Reader, priv.key, d[:])
	if err != nil {
		return nil, fmt.Errorf("ecdsa: signing: %w", err)
	}

	// Low-S: (r, s) and (r, n−s) both satisfy the verification equation;
	// publish the smaller one. s is public output, so this branch reveals
	// nothing: given the published signature, the other half of the pair is
	// equally likely to have come out of the signer.
	if s.Cmp(halfOrder) > 0 {
		s.Sub(order, s)
	}
	sig := make([]byte, SignatureSize)
	r.FillBytes(sig[:scalarSize])
	s.FillBytes(sig[scalarSize:])
	return sig, nil
}
