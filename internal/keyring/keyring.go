// Package keyring holds what the ring signature packages share about public
// keys and rings: decoding a key (canonical and not the identity), putting
// keys into the canonical order, and the strict ring encoding
// u32be(n) || enc(Y_1) || … || enc(Y_n).
//
// A canonical ring is sorted by key encoding (bytes.Compare) and has no
// duplicates. Traceability depends on it: a duplicate key lets its owner
// sign twice, once per slot, without being traced, and two orderings of one
// ring would be two tags.
//
// The functions are generic over the caller's key type and see a key only
// through its 32-byte encoding, so each scheme keeps its own public types.
package keyring

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// KeySize is the length of an encoded key.
const KeySize = ristretto.ElementSize

// Encoding is the canonical encoding of a key.
type Encoding = [KeySize]byte

// The reasons a key or ring is refused; callers wrap them in their own
// sentinel errors.
var (
	ErrKeyNotCanonical = errors.New("key is not a canonical ristretto255 element")
	ErrKeyIdentity     = errors.New("key is the identity")
	ErrEmpty           = errors.New("ring is empty")
	ErrTooLarge        = errors.New("ring is larger than allowed")
	ErrUninitialised   = errors.New("ring has a nil or uninitialised key")
	ErrDuplicate       = errors.New("ring has a duplicate key")
	ErrNotSorted       = errors.New("ring keys are not sorted and distinct")
	ErrLength          = errors.New("encoding has the wrong length")
)

// ParseElement sets e to the element encoded by b, which must be the
// canonical encoding of an element other than the identity. On error e is
// unchanged or, for the identity, set to it.
func ParseElement(e *ristretto.Element, b []byte) error {
	if len(b) != KeySize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrLength, len(b), KeySize)
	}
	if _, err := e.SetCanonicalBytes(b); err != nil {
		return ErrKeyNotCanonical
	}
	if e.IsIdentity() == 1 {
		return ErrKeyIdentity
	}
	return nil
}

// Canonical returns a copy of keys sorted by encoding. It refuses an empty
// list, more than max keys, a key whose encoding is all zeros (the identity,
// which only a nil or zero-value key has) and duplicates. enc returns the
// encoding of a key, or nil for a nil key.
func Canonical[K any](keys []K, max int, enc func(K) *Encoding) ([]K, error) {
	if len(keys) == 0 {
		return nil, ErrEmpty
	}
	if len(keys) > max {
		return nil, fmt.Errorf("%w: %d keys, at most %d", ErrTooLarge, len(keys), max)
	}
	for _, k := range keys {
		if e := enc(k); e == nil || *e == (Encoding{}) {
			return nil, ErrUninitialised
		}
	}
	sorted := slices.Clone(keys)
	slices.SortFunc(sorted, func(a, b K) int { return bytes.Compare(enc(a)[:], enc(b)[:]) })
	for i := 1; i < len(sorted); i++ {
		if *enc(sorted[i]) == *enc(sorted[i-1]) {
			return nil, ErrDuplicate
		}
	}
	return sorted, nil
}

// EncodingSize returns the length of the encoding of a ring of n keys.
func EncodingSize(n int) int { return 4 + n*KeySize }

// Parse decodes a ring encoding, accepting only the canonical form:
// 1 ≤ n ≤ max, exact length, every key accepted by parse, keys strictly
// increasing by encoding. It never re-sorts.
func Parse[K any](b []byte, max int, parse func([]byte) (K, error), enc func(K) *Encoding) ([]K, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("%w: %d bytes, too short for the count", ErrLength, len(b))
	}
	n := binary.BigEndian.Uint32(b)
	if n == 0 {
		return nil, ErrEmpty
	}
	if n > uint32(max) {
		return nil, fmt.Errorf("%w: %d keys, at most %d", ErrTooLarge, n, max)
	}
	if len(b) != EncodingSize(int(n)) {
		return nil, fmt.Errorf("%w: a ring of %d keys takes %d bytes, got %d", ErrLength, n, EncodingSize(int(n)), len(b))
	}
	keys := make([]K, n)
	for i := range keys {
		k, err := parse(b[4+i*KeySize : 4+(i+1)*KeySize])
		if err != nil {
			return nil, fmt.Errorf("ring key %d: %w", i, err)
		}
		if i > 0 && bytes.Compare(enc(keys[i-1])[:], enc(k)[:]) >= 0 {
			return nil, fmt.Errorf("%w at slot %d", ErrNotSorted, i)
		}
		keys[i] = k
	}
	return keys, nil
}

// Append appends the encoding of the canonical ring keys to dst.
func Append[K any](dst []byte, keys []K, enc func(K) *Encoding) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(keys)))
	for _, k := range keys {
		dst = append(dst, enc(k)[:]...)
	}
	return dst
}

// Search returns the slot of the key with encoding target in the canonical
// ring keys and true, or -1 and false. It is not constant time.
func Search[K any](keys []K, target *Encoding, enc func(K) *Encoding) (int, bool) {
	i := sort.Search(len(keys), func(i int) bool { return bytes.Compare(enc(keys[i])[:], target[:]) >= 0 })
	if i < len(keys) && *enc(keys[i]) == *target {
		return i, true
	}
	return -1, false
}
