package arsig

import (
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ringtrace/ringtrace/internal/keyring"
	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// MaxRingSize is the largest ring this package accepts.
//
// Verification costs one variable-time multi-scalar multiplication with a
// term per member (about 5 ms at 1,024 members and 60 ms at 2^14 on a 2020s
// server core), signing one constant-time multiplication over the ring per
// digit (60 ms at 1,024, about 2 s at 2^14). The bound stops an attacker from
// making a verifier parse or check arbitrarily large rings, and keeps the
// padded list n^m small.
const MaxRingSize = 1 << 14

// Ring is a canonical ring of member keys: sorted by encoding
// (bytes.Compare), without duplicates, at least one and at most
// [MaxRingSize] keys. Positions are reported as 0-based slots of the
// canonical order. A Ring is immutable and safe for concurrent use.
//
// A Ring keeps what makes its verifications faster: its first verification
// keeps the keys in the normalised form Pippenger's method uses (120 bytes
// per key), and on its 32nd verification a ring of 512 keys or more also
// keeps shifted copies of every key (480 bytes per key, about six
// verifications' worth of work to build), which make every later
// verification about 15% faster.
type Ring struct {
	keys   []*PublicKey
	points []*ristretto.Element // &keys[k].e, for multi-scalar multiplications
	enc    []byte               // u32be(N') || enc(vk_1) || … || enc(vk_N')
	digest [sha512.Size]byte    // SHA-512(lp(ringDST) || enc)
	params oneofmany.Params     // the base and digit count signatures use

	prepareOnce sync.Once
	prep        *ristretto.PreparedElements // points normalised for verification
	uses        atomic.Int64                // verifications, until split is built
	split       atomic.Pointer[ristretto.PreparedElements]
}

const ringDST = "ringtrace-v1-ARS-ring"

// NewRing returns the canonical ring of keys: it sorts a copy of keys by
// encoding and rejects an empty list, more than [MaxRingSize] keys, nil or
// zero-value keys and duplicates. A duplicate is an error rather than
// silently dropped: a caller that produced one has a bug worth knowing
// about.
func NewRing(keys []*PublicKey) (*Ring, error) {
	sorted, err := keyring.Canonical(keys, MaxRingSize, encodingOf)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	return newRing(sorted), nil
}

// encodingOf returns the encoding of k, or nil for a nil key.
func encodingOf(k *PublicKey) *keyring.Encoding {
	if k == nil {
		return nil
	}
	return &k.enc
}

func newRing(sorted []*PublicKey) *Ring {
	r := &Ring{keys: sorted, points: make([]*ristretto.Element, len(sorted))}
	for i, k := range sorted {
		r.points[i] = &k.e
	}
	r.enc = keyring.Append(make([]byte, 0, RingEncodingSize(len(sorted))), sorted, encodingOf)
	h := sha512.New()
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(ringDST))))
	h.Write([]byte(ringDST))
	h.Write(r.enc)
	h.Sum(r.digest[:0])
	r.params = paramsFor(len(sorted))
	return r
}

// RingEncodingSize returns the length of the encoding of a ring of n keys.
func RingEncodingSize(n int) int { return keyring.EncodingSize(n) }

// ParseRing decodes a ring encoded as u32be(N') || enc(vk_1) || … ||
// enc(vk_N'). It accepts only the canonical form: 1 ≤ N' ≤ [MaxRingSize],
// exact length, every key canonical and not the identity, keys strictly
// increasing by encoding. It never re-sorts.
func ParseRing(b []byte) (*Ring, error) {
	keys, err := keyring.Parse(b, MaxRingSize, parsePublicKey, encodingOf)
	if err != nil {
		return nil, fmt.Errorf("%w: ring: %w", ErrMalformed, err)
	}
	return newRing(keys), nil
}

// Bytes returns the canonical encoding u32be(N') || enc(vk_1) || … ||
// enc(vk_N').
func (r *Ring) Bytes() []byte { return slices.Clone(r.enc) }

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
	return r.indexOfEncoding(&k.enc)
}

func (r *Ring) indexOfEncoding(enc *keyring.Encoding) (int, bool) {
	return keyring.Search(r.keys, enc, encodingOf)
}

func (r *Ring) check() error {
	if r == nil || len(r.keys) == 0 {
		return fmt.Errorf("%w: ring is nil or was not built by NewRing or ParseRing", ErrInvalidInput)
	}
	return nil
}

// Preparation of the ring's points for verification: shifted copies pay
// for themselves after 25 to 35 verifications at 1,000 to 4,000 keys, and
// building them on the 32nd keeps the work of a ring verified only a few
// times unchanged.
const (
	ringSplits     = 4
	ringSplitAfter = 32
	ringSplitMin   = 512
)

// prepared returns the ring's points prepared for verification: normalised
// on first use, with shifted copies from the ringSplitAfter-th use on
// (see [Ring]).
func (r *Ring) prepared() *ristretto.PreparedElements {
	if p := r.split.Load(); p != nil {
		return p
	}
	if len(r.points) >= ringSplitMin && r.uses.Add(1) == ringSplitAfter {
		p := ristretto.NewPreparedElements(r.points, ringSplits)
		r.split.Store(p)
		return p
	}
	r.prepareOnce.Do(func() { r.prep = ristretto.NewPreparedElements(r.points, 1) })
	return r.prep
}
