package arsig

import "errors"

var (
	// ErrMalformed is wrapped by every error a parser returns for bytes that
	// are not a canonical encoding.
	ErrMalformed = errors.New("arsig: malformed encoding")

	// ErrInvalidSignature is wrapped by [Verify] (and everything that
	// verifies) when a well-formed signature does not verify under the
	// ring, opener key and message.
	ErrInvalidSignature = errors.New("arsig: invalid signature")

	// ErrRingMismatch is wrapped when a signature's shape (ring size, base
	// n and digit count m) does not fit the ring it is checked against.
	ErrRingMismatch = errors.New("arsig: signature does not match the ring")

	// ErrInvalidOpening is wrapped by [VerifyOpening] when an opening does
	// not prove that its signer made the signature.
	ErrInvalidOpening = errors.New("arsig: invalid opening")

	// ErrNotInRing is returned by [Sign] when the signer's public key is not
	// a member of the ring, and by [OpenerKey.Open] when a signature's
	// ciphertext decrypts to no member (which a valid signature cannot do).
	ErrNotInRing = errors.New("arsig: signer is not a member of the ring")

	// ErrInvalidInput is wrapped when an argument is nil or was not built by
	// this package's constructors, or when Sign is given the identity as
	// the opener key.
	ErrInvalidInput = errors.New("arsig: invalid input")
)
