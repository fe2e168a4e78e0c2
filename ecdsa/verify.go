package ecdsa

import (
	"bytes"
	stdecdsa "crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
	"math/big"
)

// SignatureSize is the size of a signature: r and s as 32-byte big-endian
// integers, r || s.
const SignatureSize = 64

const scalarSize = SignatureSize / 2

// ErrInvalidSignature is wrapped by every error [Verify] returns for a
// signature that is not accepted, whatever the reason.
var ErrInvalidSignature = errors.New("ecdsa: invalid signature")

// The reasons a signature is refused. Tests branch on them; callers need
// only ErrInvalidSignature.
var (
	errSignatureLength = fmt.Errorf("%w: length is not %d bytes", ErrInvalidSignature, SignatureSize)
	errZeroR           = fmt.Errorf("%w: r is zero", ErrInvalidSignature)
	errZeroS           = fmt.Errorf("%w: s is zero", ErrInvalidSignature)
	errLargeR          = fmt.Errorf("%w: r is not less than the group order", ErrInvalidSignature)
	errLargeS          = fmt.Errorf("%w: s is not less than the group order", ErrInvalidSignature)
	errHighS           = fmt.Errorf("%w: s is greater than n/2 (high-S)", ErrInvalidSignature)
	errMismatch        = fmt.Errorf("%w: verification equation does not hold", ErrInvalidSignature)
)

var (
	// order is n, the order of the P-256 group; halfOrder is ⌊n/2⌋. Both are
	// copies, so nothing here can modify crypto/elliptic's parameters.
	order     = new(big.Int).Set(elliptic.P256().Params().N)
	halfOrder = new(big.Int).Rsh(order, 1)

	// Fixed-length big-endian forms, so that range checks on fixed-length
	// signature halves are byte comparisons.
	orderBytes     = order.FillBytes(make([]byte, scalarSize))
	halfOrderBytes = halfOrder.FillBytes(make([]byte, scalarSize))
	zeroScalar     = make([]byte, scalarSize)
)

// Verify reports whether sig is a signature by pub of msg under context. It
// returns nil if so, and otherwise an error wrapping [ErrInvalidSignature]
// that says why, or an error for a nil key or an empty context.
//
// Verify accepts only canonical signatures: exactly [SignatureSize] bytes,
// 0 < r < n and 0 < s ≤ n/2. The high-S twin (r, n−s) of a valid signature
// is refused, so a signature cannot be altered into another one that is
// accepted for the same key, context and message.
//
// Its inputs are public; Verify is not constant time.
func Verify(pub *PublicKey, context string, msg, sig []byte) error {
	if pub == nil || pub.key == nil {
		return errors.New("ecdsa: nil public key")
	}
	if context == "" {
		return errEmptyContext
	}
	d := digest(context, msg)
	return verifyDigest(pub.key, d[:], sig, true)
}

// verifyDigest checks sig over a precomputed digest. It is the whole of
// Verify after hashing, so the Wycheproof vectors, which sign plain SHA-256
// digests, exercise the same parsing and range checks. lowS = false turns off
// only the high-S rejection; tests use it to show that policy is the sole
// reason a mathematically valid signature is refused.
func verifyDigest(pub *stdecdsa.PublicKey, digest, sig []byte, lowS bool) error {
	if len(sig) != SignatureSize {
		return fmt.Errorf("%w (got %d)", errSignatureLength, len(sig))
	}
	r, s := sig[:scalarSize], sig[scalarSize:]
	switch {
	case bytes.Equal(r, zeroScalar):
		return errZeroR
	case bytes.Equal(s, zeroScalar):
		return errZeroS
	case bytes.Compare(r, orderBytes) >= 0:
		return errLargeR
	case bytes.Compare(s, orderBytes) >= 0:
		return errLargeS
	case lowS && bytes.Compare(s, halfOrderBytes) > 0:
		return errHighS
	}
	if !stdecdsa.Verify(pub, digest, new(big.Int).SetBytes(r), new(big.Int).SetBytes(s)) {
		return errMismatch
	}
	return nil
}
