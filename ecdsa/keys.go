package ecdsa

import (
	"bytes"
	stdecdsa "crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
)

const (
	// PrivateKeySize is the size of an encoded private key: the secret
	// scalar d as a 32-byte big-endian integer, 0 < d < n.
	PrivateKeySize = 32

	// PublicKeySize is the size of an encoded public key: a SEC 1 compressed
	// point, 0x02 or 0x03 followed by the 32-byte big-endian x-coordinate.
	PublicKeySize = 33

	// uncompressedSize is the size of a SEC 1 uncompressed point, the form
	// crypto/ecdsa speaks.
	uncompressedSize = 65
)

// PrivateKey is a P-256 signing key.
//
// It is immutable and safe for concurrent use. The zero value is not a valid
// key; keys come from [GenerateKey] or [ParsePrivateKey].
type PrivateKey struct {
	key *stdecdsa.PrivateKey
	pub *PublicKey
}

// PublicKey is a P-256 verification key.
//
// It is immutable and safe for concurrent use. The zero value is not a valid
// key; keys come from [PrivateKey.Public] or [ParsePublicKey].
type PublicKey struct {
	key        *stdecdsa.PublicKey
	compressed [PublicKeySize]byte
}

// GenerateKey returns a new private key drawn from crypto/rand.
func GenerateKey() (*PrivateKey, error) {
	// Since Go 1.26 the reader is ignored (unless GODEBUG=cryptocustomrand=1)
	// and the standard library's own generator is used.
	key, err := stdecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("ecdsa: generating key: %w", err)
	}
	return newPrivateKey(key)
}

// ParsePrivateKey decodes a private key encoded by [PrivateKey.Bytes]. It
// rejects any input that is not exactly [PrivateKeySize] bytes, the zero
// scalar and scalars not less than the group order n.
func ParsePrivateKey(b []byte) (*PrivateKey, error) {
	if len(b) != PrivateKeySize {
		return nil, fmt.Errorf("ecdsa: invalid private key length %d, want %d", len(b), PrivateKeySize)
	}
	var zero [PrivateKeySize]byte
	if subtle.ConstantTimeCompare(b, zero[:]) == 1 {
		return nil, errors.New("ecdsa: invalid private key: scalar is zero")
	}
	// crypto/ecdsa compares the scalar with n in constant time.
	key, err := stdecdsa.ParseRawPrivateKey(elliptic.P256(), b)
	if err != nil {
		return nil, errors.New("ecdsa: invalid private key: scalar is not less than the group order")
	}
	return newPrivateKey(key)
}

func newPrivateKey(key *stdecdsa.PrivateKey) (*PrivateKey, error) {
	pub, err := newPublicKey(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	return &PrivateKey{key: key, pub: pub}, nil
}

// Bytes returns the [PrivateKeySize]-byte encoding of the key. It is secret.
func (priv *PrivateKey) Bytes() []byte {
	b, err := priv.key.Bytes()
	if err != nil {
		// Every PrivateKey is built from a validated crypto/ecdsa key.
		panic("ecdsa: internal error: encoding a valid private key failed: " + err.Error())
	}
	// crypto/ecdsa (Go 1.26) returns the storage of its cached internal key,
	// shared by every call; hand out a copy.
	return bytes.Clone(b)
}

// Public returns the public key of priv.
func (priv *PrivateKey) Public() *PublicKey {
	return priv.pub
}

// ParsePublicKey decodes a SEC 1 compressed point, as produced by
// [PublicKey.Bytes]. It accepts exactly [PublicKeySize] bytes with prefix 0x02
// or 0x03 and an x-coordinate that is less than p and belongs to a point of
// the curve. Uncompressed (0x04) and hybrid (0x06, 0x07) encodings and the
// point at infinity are rejected, so every public key has one encoding.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	if len(b) != PublicKeySize {
		return nil, fmt.Errorf("ecdsa: invalid public key length %d, want %d", len(b), PublicKeySize)
	}
	if b[0] != 0x02 && b[0] != 0x03 {
		return nil, fmt.Errorf("ecdsa: invalid public key prefix 0x%02x, want 0x02 or 0x03", b[0])
	}
	// UnmarshalCompressed rejects x ≥ p and an x with no square root of
	// x³ − 3x + b, the two ways a compressed point can fail to be on the curve.
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), b)
	if x == nil {
		return nil, errors.New("ecdsa: invalid public key: not a point on P-256")
	}
	var u [uncompressedSize]byte
	u[0] = 0x04
	x.FillBytes(u[1:33])
	y.FillBytes(u[33:])
	key, err := stdecdsa.ParseUncompressedPublicKey(elliptic.P256(), u[:])
	if err != nil {
		return nil, errors.New("ecdsa: invalid public key: not a point on P-256")
	}
	return newPublicKey(key)
}

func newPublicKey(key *stdecdsa.PublicKey) (*PublicKey, error) {
	u, err := key.Bytes()
	if err != nil || len(u) != uncompressedSize || u[0] != 0x04 {
		return nil, errors.New("ecdsa: invalid public key")
	}
	pub := &PublicKey{key: key}
	pub.compressed[0] = 0x02 | u[len(u)-1]&1
	copy(pub.compressed[1:], u[1:33])
	return pub, nil
}

// Bytes returns the [PublicKeySize]-byte SEC 1 compressed encoding of pub.
func (pub *PublicKey) Bytes() []byte {
	b := pub.compressed
	return b[:]
}

// Equal reports whether pub and other are the same key. A nil key equals
// nothing, not even another nil key.
func (pub *PublicKey) Equal(other *PublicKey) bool {
	if pub == nil || other == nil || pub.key == nil || other.key == nil {
		return false
	}
	return pub.compressed == other.compressed
}
