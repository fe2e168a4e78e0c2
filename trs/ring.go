package trs

import (
	"crypto/sha512"
	"fmt"
	"sync"

	"github.com/ringtrace/ringtrace/internal/keyring"
)

// MaxRingSize is the largest ring this package accepts.
//
// Signing and verification cost grows linearly with the ring (1.5 to 2
// double-scalar multiplications per member, see the package documentation),
// and a signature takes 64 bytes per member; 4096 members mean a 256 KiB
// signature and about 0.2 s of verification on one core. The bound stops an
// attacker from making a verifier parse or check arbitrarily large rings and
// signatures, and keeps every count within the 4-byte field of the ring
// encoding.
const MaxRingSize = 4096

// Ring is a canonical ring of public keys: sorted by encoding
// (bytes.Compare), without duplicates, at least one and at most
// [MaxRingSize] keys. Positions in the ring are reported as 0-based slots;
// the scheme's 1-based position of slot k is k+1. A Ring is immutable and
// safe for concurrent use.
type Ring struct {
	keys []*PublicKey

	digestOnce sync.Once
	digest     [sha512.Size]byte // SHA-512 of Bytes(), the key of the Verifier's cache
}

// NewRing returns the canonical ring of keys: it sorts a copy of keys by
// encoding and rejects an empty list, more than [MaxRingSize] keys, nil
// keys and duplicates. A duplicate is an error rather than silently dropped,
// since it would let its owner sign twice without being traced and a caller
// that produced one has a bug worth knowing about.
func NewRing(keys []*PublicKey) (*Ring, error) {
	sorted, err := keyring.Canonical(keys, MaxRingSize, (*PublicKey).encoding)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	return &Ring{keys: sorted}, nil
}

// RingEncodingSize returns the length of the encoding of a ring of n keys.
func RingEncodingSize(n int) int { return keyring.EncodingSize(n) }

// ParseRing decodes a ring encoded as u32be(n) || enc(Y_1) || … || enc(Y_n).
// It accepts only the canonical form: 1 ≤ n ≤ [MaxRingSize], exact length,
// every key canonical and not the identity, keys strictly increasing by
// encoding. It never re-sorts: a ring in another order is a different
// encoding and is rejected.
func ParseRing(b []byte) (*Ring, error) {
	keys, err := keyring.Parse(b, MaxRingSize, decodePublicKey, (*PublicKey).encoding)
	if err != nil {
		return nil, fmt.Errorf("%w: ring: %w", ErrMalformed, err)
	}
	return &Ring{keys: keys}, nil
}

// Bytes returns the canonical encoding u32be(n) || enc(Y_1) || … || enc(Y_n).
func (r *Ring) Bytes() []byte {
	return keyring.Append(make([]byte, 0, RingEncodingSize(len(r.keys))), r.keys, (*PublicKey).encoding)
}

// Len returns the number of keys in the ring.
func (r *Ring) Len() int { return len(r.keys) }

// Key returns the key in 0-based slot i of the canonical ring. It panics if
// i is out of range, like a slice index.
func (r *Ring) Key(i int) *PublicKey { return r.keys[i] }

// IndexOf returns the 0-based slot of k in the ring and true, or -1 and
// false if k is not a member. It is not constant time; [Sign] does not use
// it.
func (r *Ring) IndexOf(k *PublicKey) (int, bool) {
	if k == nil {
		return -1, false
	}
	return keyring.Search(r.keys, &k.enc, (*PublicKey).encoding)
}

// encodingDigest returns SHA-512 of the canonical encoding of r, computed
// on first use: equal rings have equal digests whatever Ring value holds
// them.
func (r *Ring) encodingDigest() *[sha512.Size]byte {
	r.digestOnce.Do(func() { r.digest = sha512.Sum512(r.Bytes()) })
	return &r.digest
}
