package arsig

import (
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

	// OpenerPublicKeySize is the length of an encoded [OpenerPublicKey].
	OpenerPublicKeySize = 32

	// OpenerKeySize is the length of an encoded [OpenerKey].
	OpenerKeySize = 32
)

// PrivateKey is a ring member's signing key sk. It is immutable and safe for
// concurrent use.
type PrivateKey struct {
	sk  ristretto.Scalar
	pub *PublicKey
}

// PublicKey is a ring member's verification key vk = sk·g, never the
// identity. It is immutable and safe for concurrent use.
type PublicKey struct {
	e   ristretto.Element
	enc [PublicKeySize]byte
}

// OpenerKey is the opener's (bill collector's) decryption key dk: it names
// the signer of any signature made for its public key. It is immutable and
// safe for concurrent use.
type OpenerKey struct {
	dk  ristretto.Scalar
	pub *OpenerPublicKey
}

// OpenerPublicKey is pk_O = dk·g, never the identity. Signers encrypt their
// key to it; verifiers need it. It is immutable and safe for concurrent use.
type OpenerPublicKey struct {
	e   ristretto.Element
	enc [OpenerPublicKeySize]byte
}

// randomNonZeroScalar draws a uniformly random non-zero scalar from
// crypto/rand.
func randomNonZeroScalar() (*ristretto.Scalar, error) {
	x, err := keyring.GenerateSecret()
	if err != nil {
		return nil, fmt.Errorf("arsig: %w", err)
	}
	return x, nil
}

// parseSecret decodes a canonical non-zero scalar.
func parseSecret(what string, b []byte) (*ristretto.Scalar, error) {
	x, err := keyring.ParseSecret(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	return x, nil
}

// parsePoint decodes a canonical element that is not the identity.
func parsePoint(what string, e *ristretto.Element, b []byte) error {
	if len(b) != ristretto.ElementSize {
		return fmt.Errorf("%w: %s is %d bytes, want %d", ErrMalformed, what, len(b), ristretto.ElementSize)
	}
	if _, err := e.SetCanonicalBytes(b); err != nil {
		return fmt.Errorf("%w: %s is not a canonical ristretto255 element", ErrMalformed, what)
	}
	if e.IsIdentity() == 1 {
		return fmt.Errorf("%w: %s is the identity", ErrMalformed, what)
	}
	return nil
}

// GenerateKey returns a new member key drawn from crypto/rand.
func GenerateKey() (*PrivateKey, error) {
	sk, err := randomNonZeroScalar()
	if err != nil {
		return nil, err
	}
	return newPrivateKey(sk), nil
}

func newPrivateKey(sk *ristretto.Scalar) *PrivateKey {
	k := &PrivateKey{pub: new(PublicKey)}
	k.sk.Set(sk)
	k.pub.e.ScalarBaseMult(sk)
	copy(k.pub.enc[:], k.pub.e.Bytes())
	return k
}

// ParsePrivateKey decodes a [PrivateKeySize]-byte member key. It rejects
// non-canonical scalars (at or above the group order) and zero.
func ParsePrivateKey(b []byte) (*PrivateKey, error) {
	sk, err := parseSecret("private key", b)
	if err != nil {
		return nil, err
	}
	return newPrivateKey(sk), nil
}

// Bytes returns the canonical encoding of the private key.
func (k *PrivateKey) Bytes() []byte { return k.sk.Bytes() }

// Public returns the public key of k.
func (k *PrivateKey) Public() *PublicKey { return k.pub }

// ParsePublicKey decodes a [PublicKeySize]-byte member key. It rejects
// non-canonical encodings and the identity.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	k, err := parsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrMalformed, err)
	}
	return k, nil
}

// parsePublicKey is ParsePublicKey with the reasons of package keyring.
func parsePublicKey(b []byte) (*PublicKey, error) {
	k := new(PublicKey)
	if err := keyring.ParseElement(&k.e, b); err != nil {
		return nil, err
	}
	copy(k.enc[:], b)
	return k, nil
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

// valid reports whether k was built by this package (the zero value is not).
func (k *PublicKey) valid() bool { return k != nil && k.enc != [PublicKeySize]byte{} }

// GenerateOpenerKey returns a new opener key drawn from crypto/rand.
func GenerateOpenerKey() (*OpenerKey, error) {
	dk, err := randomNonZeroScalar()
	if err != nil {
		return nil, err
	}
	return newOpenerKey(dk), nil
}

func newOpenerKey(dk *ristretto.Scalar) *OpenerKey {
	k := &OpenerKey{pub: new(OpenerPublicKey)}
	k.dk.Set(dk)
	k.pub.e.ScalarBaseMult(dk)
	copy(k.pub.enc[:], k.pub.e.Bytes())
	return k
}

// ParseOpenerKey decodes an [OpenerKeySize]-byte opener key. It rejects
// non-canonical scalars and zero.
func ParseOpenerKey(b []byte) (*OpenerKey, error) {
	dk, err := parseSecret("opener key", b)
	if err != nil {
		return nil, err
	}
	return newOpenerKey(dk), nil
}

// Bytes returns the canonical encoding of the opener key.
func (k *OpenerKey) Bytes() []byte { return k.dk.Bytes() }

// Public returns the opener's public key.
func (k *OpenerKey) Public() *OpenerPublicKey { return k.pub }

// ParseOpenerPublicKey decodes an [OpenerPublicKeySize]-byte opener public
// key. It rejects non-canonical encodings and the identity: with the
// identity as opener key a signature would show its signer's key in clear.
func ParseOpenerPublicKey(b []byte) (*OpenerPublicKey, error) {
	k := new(OpenerPublicKey)
	if err := parsePoint("opener public key", &k.e, b); err != nil {
		return nil, err
	}
	copy(k.enc[:], b)
	return k, nil
}

// Bytes returns the canonical encoding of the opener public key.
func (k *OpenerPublicKey) Bytes() []byte {
	out := k.enc
	return out[:]
}

// Equal reports whether k and other are the same key.
func (k *OpenerPublicKey) Equal(other *OpenerPublicKey) bool {
	if k == nil || other == nil {
		return k == other
	}
	return k.enc == other.enc
}

// check rejects a nil or zero-value key and the identity. The identity
// encodes as 32 zero bytes, so both are caught by one comparison, but the
// element is checked too in case a caller built the value some other way.
func (k *OpenerPublicKey) check() error {
	if k == nil || k.enc == [OpenerPublicKeySize]byte{} || k.e.IsIdentity() == 1 {
		return fmt.Errorf("%w: opener public key is missing or the identity", ErrInvalidInput)
	}
	return nil
}
