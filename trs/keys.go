package trs

import (
	"crypto/subtle"
	"fmt"

	"github.com/ringtrace/ringtrace/internal/keyring"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

const (
	// PublicKeySize is the length of an encoded [PublicKey]: a canonical
	// ristretto255 element.
	PublicKeySize = 32

	// PrivateKeySize is the length of an encoded [PrivateKey]: a canonical
	// little-endian scalar modulo the group order.
	PrivateKeySize = 32
)

// PrivateKey is a ring member's secret scalar x. It is immutable and safe
// for concurrent use.
type PrivateKey struct {
	x   ristretto.Scalar
	pub *PublicKey
}

// PublicKey is a ring member's public element Y = x·g, never the identity.
// It is immutable and safe for concurrent use.
type PublicKey struct {
	e   ristretto.Element
	enc [PublicKeySize]byte
}

// GenerateKey returns a new private key drawn from crypto/rand.
func GenerateKey() (*PrivateKey, error) {
	x, err := keyring.GenerateSecret()
	if err != nil {
		return nil, fmt.Errorf("trs: %w", err)
	}
	return newPrivateKey(x), nil
}

func newPrivateKey(x *ristretto.Scalar) *PrivateKey {
	k := &PrivateKey{pub: new(PublicKey)}
	k.x.Set(x)
	k.pub.e.ScalarBaseMult(x)
	copy(k.pub.enc[:], k.pub.e.Bytes())
	return k
}

// ParsePrivateKey decodes a [PrivateKeySize]-byte private key. It rejects
// non-canonical scalars (at or above the group order) and zero.
func ParsePrivateKey(b []byte) (*PrivateKey, error) {
	x, err := keyring.ParseSecret(b)
	if err != nil {
		return nil, fmt.Errorf("%w: private key: %w", ErrMalformed, err)
	}
	return newPrivateKey(x), nil
}

// Bytes returns the canonical encoding of the private key.
func (k *PrivateKey) Bytes() []byte { return k.x.Bytes() }

// Public returns the public key of k.
func (k *PrivateKey) Public() *PublicKey { return k.pub }

// ParsePublicKey decodes a [PublicKeySize]-byte public key. It rejects
// non-canonical encodings and the identity.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	k, err := decodePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrMalformed, err)
	}
	return k, nil
}

func decodePublicKey(b []byte) (*PublicKey, error) {
	k := new(PublicKey)
	if err := keyring.ParseElement(&k.e, b); err != nil {
		return nil, err
	}
	copy(k.enc[:], b)
	return k, nil
}

// encoding returns the encoding of k, or nil for a nil key.
func (k *PublicKey) encoding() *keyring.Encoding {
	if k == nil {
		return nil
	}
	return &k.enc
}

// Bytes returns the canonical encoding of the public key.
func (k *PublicKey) Bytes() []byte {
	out := k.enc
	return out[:]
}

// Equal reports whether k and other are the same key. It is not constant
// time: public keys are public.
func (k *PublicKey) Equal(other *PublicKey) bool {
	if k == nil || other == nil {
		return k == other
	}
	return k.enc == other.enc
}

// ctEqual returns 1 if the encodings of k and other are equal, in time
// independent of their contents.
func (k *PublicKey) ctEqual(enc *[PublicKeySize]byte) int {
	return subtle.ConstantTimeCompare(k.enc[:], enc[:])
}
