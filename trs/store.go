package trs

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// StoreFormat is the version of what a persistent [Store] keeps: the
// [Record] layout of [Record.Bytes] and the fingerprint formula of
// [Record.Fingerprints]. A store that persists records writes it down and
// refuses data written under another format.
const StoreFormat = 1

// RecordSize is the length of an encoded [Record].
const RecordSize = DigestSize + 2*ristretto.ElementSize

// Record is what the spent index keeps of one accepted signature: the tag
// digest and the encodings of A0 and A1. From them σ_j = A0 + j·A1 follows
// exactly at every position, which confirms a fingerprint hit, and two
// records with equal A0 and A1 are by one member on one message (Linked).
type Record struct {
	Tag    [DigestSize]byte
	A0, A1 [ristretto.ElementSize]byte
}

// Bytes returns the encoding Tag || A0 || A1 ([RecordSize] bytes), for
// persistent stores.
func (r Record) Bytes() []byte {
	out := make([]byte, 0, RecordSize)
	out = append(out, r.Tag[:]...)
	out = append(out, r.A0[:]...)
	return append(out, r.A1[:]...)
}

// ParseRecord decodes a record encoded by [Record.Bytes]. It rejects a
// wrong length, non-canonical A0 or A1, and an identity A1.
func ParseRecord(b []byte) (Record, error) {
	var r Record
	if len(b) != RecordSize {
		return Record{}, fmt.Errorf("%w: record is %d bytes, want %d", ErrMalformed, len(b), RecordSize)
	}
	copy(r.Tag[:], b)
	copy(r.A0[:], b[DigestSize:])
	copy(r.A1[:], b[DigestSize+ristretto.ElementSize:])
	if _, _, err := r.elements(); err != nil {
		return Record{}, err
	}
	return r, nil
}

func (r *Record) elements() (a0, a1 *ristretto.Element, err error) {
	a0, err = new(ristretto.Element).SetCanonicalBytes(r.A0[:])
	if err != nil {
		return nil, nil, fmt.Errorf("%w: record A0 is not a canonical ristretto255 element", ErrMalformed)
	}
	a1, err = new(ristretto.Element).SetCanonicalBytes(r.A1[:])
	if err != nil {
		return nil, nil, fmt.Errorf("%w: record A1 is not a canonical ristretto255 element", ErrMalformed)
	}
	if a1.IsIdentity() == 1 {
		return nil, nil, fmt.Errorf("%w: record A1 is the identity", ErrMalformed)
	}
	return a0, a1, nil
}

// Fingerprints recomputes the per-position fingerprints of r for a ring of
// n keys, the values [Index] passed to [Store.CheckAndAdd] when it stored
// r. A persistent store that keeps only records can rebuild its lookup
// table with it.
func (r Record) Fingerprints(n int) ([]uint64, error) {
	if n < 1 || n > MaxRingSize {
		return nil, fmt.Errorf("%w: ring size %d is outside 1..%d", ErrInvalidInput, n, MaxRingSize)
	}
	a0, a1, err := r.elements()
	if err != nil {
		return nil, err
	}
	sigma := make([]ristretto.Element, n)
	sigmaChain(sigma, a0, a1)
	return fingerprints(sigma), nil
}

// fingerprintMix is 2^64 divided by the golden ratio; multiplying the
// position by it spreads consecutive positions over the whole word.
const fingerprintMix = 0x9e3779b97f4a7c15

// fingerprints returns, for σ_j at slot j-1, the 64-bit fingerprint
//
//	fp_j = LE64(enc(2·σ_j)[0:8]) XOR (j · 0x9e3779b97f4a7c15 mod 2^64)
//
// with j the 1-based position. enc(2·σ_j) is the batch doubled encoding
// (one field inversion for all positions); mixing in j makes equal values
// at different positions, which mean nothing for tracing, distinct.
func fingerprints(sigma []ristretto.Element) []uint64 {
	enc := ristretto.AppendDoubledEncodings(make([]byte, 0, len(sigma)*ristretto.ElementSize), elementPointers(sigma))
	fps := make([]uint64, len(sigma))
	for j := range fps {
		fps[j] = binary.LittleEndian.Uint64(enc[j*ristretto.ElementSize:]) ^ uint64(j+1)*fingerprintMix
	}
	return fps
}

// Match is a stored record that shares a fingerprint with a new signature:
// the new signature's fingerprint at Slot (0-based) is one of the record's.
type Match struct {
	Record Record
	Slot   int
}

// Store is the storage behind an [Index]: it keeps the records of accepted
// signatures with their fingerprints and makes a check-and-add atomic.
//
// The cryptographic decision stays in the index: the store finds the
// candidates and the index's decide function confirms them exactly. A
// store shared by several processes (a database) must make CheckAndAdd
// atomic across all of them. Implementations are safe for concurrent use.
type Store interface {
	// CheckAndAdd finds every record stored under r.Tag that has one of
	// fps, and passes them to decide, each with the slot of fps it matched
	// (extra candidates are harmless, a missed one is not). If decide
	// returns true, it stores r under fps. Lookup, decide and the addition
	// are atomic with respect to every other CheckAndAdd on the same tag:
	// no record of that tag is added in between. If decide returns an
	// error, nothing is stored and CheckAndAdd returns that error. A store
	// that retries a conflicting transaction may call decide again; only
	// the last call counts. When CheckAndAdd returns nil after decide
	// returned true, r is durable.
	CheckAndAdd(ctx context.Context, r Record, fps []uint64, decide func([]Match) (bool, error)) error
}
