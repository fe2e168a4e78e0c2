package trs

import "errors"

var (
	// ErrMalformed is wrapped by every error a parser returns for bytes that
	// are not a canonical encoding.
	ErrMalformed = errors.New("trs: malformed encoding")

	// ErrInvalidSignature is wrapped by [Verify] (and everything that
	// verifies) when a well-formed signature does not verify under the tag
	// and message.
	ErrInvalidSignature = errors.New("trs: invalid signature")

	// ErrRingMismatch is wrapped when a signature is for a ring of another
	// size than the tag's ring.
	ErrRingMismatch = errors.New("trs: signature does not match the ring size")

	// ErrNotInRing is returned by [Sign] when the signer's public key is not
	// a member of the tag's ring.
	ErrNotInRing = errors.New("trs: signer is not a member of the ring")

	// ErrInvalidInput is wrapped when an argument is nil or was not built by
	// this package's constructors.
	ErrInvalidInput = errors.New("trs: invalid input")
)
