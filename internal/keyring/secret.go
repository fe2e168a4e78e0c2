package keyring

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// The reasons a secret scalar is refused.
var (
	ErrSecretNotCanonical = errors.New("secret is not a canonical scalar")
	ErrSecretZero         = errors.New("secret is zero")
)

// GenerateSecret returns a uniformly random non-zero scalar from
// crypto/rand.
func GenerateSecret() (*ristretto.Scalar, error) {
	var b [ristretto.UniformBytesSize]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("reading randomness: %w", err)
		}
		x, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
		// Zero has probability 2^-252; loop rather than reason about it.
		if x.IsZero() == 0 {
			return x, nil
		}
	}
}

// ParseSecret decodes a canonical, non-zero little-endian scalar.
func ParseSecret(b []byte) (*ristretto.Scalar, error) {
	if len(b) != ristretto.ScalarSize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrLength, len(b), ristretto.ScalarSize)
	}
	x, err := new(ristretto.Scalar).SetCanonicalBytes(b)
	if err != nil {
		return nil, ErrSecretNotCanonical
	}
	if x.IsZero() == 1 {
		return nil, ErrSecretZero
	}
	return x, nil
}
