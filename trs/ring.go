package trs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
)

// MaxRingSize is the largest ring this package accepts.
//
// Signing and verification cost grows linearly with the ring (about 2.2
// double-scalar multiplications per member), and a signature takes 64 bytes
// per member; 4096 members mean a 256 KiB signature and about 0.3 s of
// verification on one core. The bound stops an attacker from making a
// verifier parse or check arbitrarily large rings and signatures, and keeps
// every count within the 4-byte field of the ring encoding.
const MaxRingSize = 4096

// Ring is a canonical ring of public keys: sorted by encoding
// (bytes.Compare), without duplicates, at least one and at most
// [MaxRingSize] keys. Positions in the ring are reported as 0-based slots;
// the scheme's 1-based position of slot k is k+1. A Ring is immutable and
// safe for concurrent use.
type Ring struct {
	keys []*PublicKey
}

// NewRing returns the canonical ring of keys: it sorts a copy of keys by
// encoding and rejects an empty list, more than [MaxRingSize] keys, nil
// keys and duplicates. A duplicate is an error rather than silently dropped,
// since it would let its owner sign twice without being traced and a caller
// that produced one has a bug worth knowing about.
func NewRing(keys []*PublicKey) (*Ring, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: ring is empty", ErrInvalidInput)
	}
	if len(keys) > MaxRingSize {
		return nil, fmt.Errorf("%w: ring has %d keys, at most %d allowed", ErrInvalidInput, len(keys), MaxRingSize)
	}
	sorted := slices.Clone(keys)
	for _, k := range sorted {
		if k == nil || k.enc == ([PublicKeySize]byte{}) {
			// The all-zero encoding is the identity, which no parsed or
			// generated key has: this is a nil or zero-value PublicKey.
			return nil, fmt.Errorf("%w: ring has a nil or uninitialised key", ErrInvalidInput)
		}
	}
	slices.SortFunc(sorted, func(a, b *PublicKey) int { return bytes.Compare(a.enc[:], b.enc[:]) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].enc == sorted[i-1].enc {
			return nil, fmt.Errorf("%w: ring has a duplicate key", ErrInvalidInput)
		}
	}
	return &Ring{keys: sorted}, nil
}

// RingEncodingSize returns the length of the encoding of a ring of n keys.
func RingEncodingSize(n int) int { return 4 + n*PublicKeySize }

// ParseRing decodes a ring encoded as u32be(n) || enc(Y_1) || … || enc(Y_n).
// It accepts only the canonical form: 1 ≤ n ≤ [MaxRingSize], exact length,
// every key canonical and not the identity, keys strictly increasing by
// encoding. It never re-sorts: a ring in another order is a different
// encoding and is rejected.
func ParseRing(b []byte) (*Ring, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("%w: ring encoding is %d bytes, too short for its count", ErrMalformed, len(b))
	}
	n := binary.BigEndian.Uint32(b)
	if n == 0 || n > MaxRingSize {
		return nil, fmt.Errorf("%w: ring count %d is outside 1..%d", ErrMalformed, n, MaxRingSize)
	}
	if len(b) != RingEncodingSize(int(n)) {
		return nil, fmt.Errorf("%w: ring of %d keys is %d bytes, want %d", ErrMalformed, n, len(b), RingEncodingSize(int(n)))
	}
	keys := make([]*PublicKey, n)
	for i := range keys {
		kb := b[4+i*PublicKeySize : 4+(i+1)*PublicKeySize]
		k, err := ParsePublicKey(kb)
		if err != nil {
			return nil, fmt.Errorf("trs: ring key %d: %w", i, err)
		}
		if i > 0 && bytes.Compare(keys[i-1].enc[:], k.enc[:]) >= 0 {
			return nil, fmt.Errorf("%w: ring keys are not sorted and distinct at slot %d", ErrMalformed, i)
		}
		keys[i] = k
	}
	return &Ring{keys: keys}, nil
}

// Bytes returns the canonical encoding u32be(n) || enc(Y_1) || … || enc(Y_n).
func (r *Ring) Bytes() []byte {
	out := make([]byte, 4, RingEncodingSize(len(r.keys)))
	binary.BigEndian.PutUint32(out, uint32(len(r.keys)))
	for _, k := range r.keys {
		out = append(out, k.enc[:]...)
	}
	return out
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
	i := sort.Search(len(r.keys), func(i int) bool { return bytes.Compare(r.keys[i].enc[:], k.enc[:]) >= 0 })
	if i < len(r.keys) && r.keys[i].enc == k.enc {
		return i, true
	}
	return -1, false
}
