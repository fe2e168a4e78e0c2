package trs

import (
	"errors"
	"fmt"
	"sync"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Accepted is a signature that has passed verification, with what the
// spent index needs from it: the tag, A0, A1, σ_1..σ_n and their
// fingerprints. Only [Accept] creates one, so an [Index] never stores a
// signature that was not verified. It is immutable and safe for concurrent
// use.
type Accepted struct {
	tag    *Tag
	record Record
	sigma  []ristretto.Element
	fps    []uint64
}

// Accept verifies sig on msg under tag like [Verify] and, if it is valid,
// returns the verified signature for [Index.CheckAndAddAccepted]. It costs a
// verification plus about 25 field multiplications per ring member.
func Accept(tag *Tag, msg []byte, sig *Signature) (*Accepted, error) {
	v, err := verify(tag, msg, sig)
	if err != nil {
		return nil, err
	}
	a := &Accepted{tag: tag, sigma: v.sigma, fps: fingerprints(v.sigma)}
	a.record.Tag = tag.digest
	copy(a.record.A0[:], v.a0.Bytes())
	a.record.A1 = sig.a1enc
	return a, nil
}

// Tag returns the tag the signature was verified under.
func (a *Accepted) Tag() *Tag { return a.tag }

// Record returns what an index stores of the signature.
func (a *Accepted) Record() Record { return a.record }

// indexShards is the number of locks an Index spreads tags over.
const indexShards = 256

// Index is a spent-signature index: it remembers accepted signatures per
// tag and tells, for a new one, whether its signer already signed under
// the tag (spec §8). A check costs n store lookups and, when fresh, one
// store addition, however many signatures are stored. It is safe for
// concurrent use.
type Index struct {
	store Store
	locks [indexShards]sync.Mutex
}

// NewIndex returns an index over s. A nil s gets a fresh
// [NewMemoryStore]. The locks that make [Index.CheckAndAdd] atomic belong
// to the Index, so give each Store to one Index only.
func NewIndex(s Store) *Index {
	if s == nil {
		s = NewMemoryStore()
	}
	return &Index{store: s}
}

// CheckAndAdd verifies sig on msg under tag and checks it against every
// signature stored under tag, atomically with respect to other calls on
// this Index: Revealed (with the slot and key of the member who signed a
// stored signature and this one on different messages), Linked (the same
// member on the same message is already stored), or Fresh, in which case
// it has stored the signature. An invalid signature is an error and is
// never stored.
func (x *Index) CheckAndAdd(tag *Tag, msg []byte, sig *Signature) (TraceResult, error) {
	a, err := Accept(tag, msg, sig)
	if err != nil {
		return TraceResult{Index: -1}, err
	}
	return x.CheckAndAddAccepted(a)
}

// CheckAndAddAccepted is [Index.CheckAndAdd] for a signature already
// verified by [Accept]; verification can then run in parallel, outside
// the index's locks.
//
// For every position j it asks the store for the records with the same
// fingerprint and confirms each exactly: equal A0 and A1 is Linked, an
// equal σ_j = A0' + j·A1' is Revealed. A fingerprint collision therefore
// costs a scalar multiplication, never a wrong answer. Revealed takes
// precedence over Linked. The store is only written when the result is
// Fresh, and only after every lookup, under the tag's lock; two calls
// for one tag never both get Fresh for signatures by one member.
func (x *Index) CheckAndAddAccepted(a *Accepted) (TraceResult, error) {
	return x.check(a, true)
}

// CheckAccepted tells how a verified signature relates to everything
// stored under its tag, like [Index.CheckAndAddAccepted], but never stores
// it: Fresh here means independent of every stored signature, and still
// not stored. Use it to refuse a signature for another reason without
// spending it, while still revealing a double signer.
func (x *Index) CheckAccepted(a *Accepted) (TraceResult, error) {
	return x.check(a, false)
}

func (x *Index) check(a *Accepted, add bool) (TraceResult, error) {
	none := TraceResult{Index: -1}
	if a == nil || a.tag == nil {
		return none, fmt.Errorf("%w: nil accepted signature", ErrInvalidInput)
	}
	if x.store == nil {
		return none, fmt.Errorf("%w: index not made by NewIndex", ErrInvalidInput)
	}
	mu := &x.locks[int(a.record.Tag[1])%indexShards]
	mu.Lock()
	defer mu.Unlock()

	linked := false
	for j, fp := range a.fps {
		recs, err := x.store.Lookup(&a.record.Tag, fp)
		if err != nil {
			return none, fmt.Errorf("trs: spent index lookup: %w", err)
		}
		for i := range recs {
			r := &recs[i]
			if r.Tag != a.record.Tag {
				continue
			}
			if r.A0 == a.record.A0 && r.A1 == a.record.A1 {
				linked = true
				continue
			}
			same, err := sameSigmaAt(r, j, &a.sigma[j])
			if err != nil {
				return none, err
			}
			if same {
				return TraceResult{Kind: Revealed, Index: j, Key: a.tag.ring.keys[j]}, nil
			}
		}
	}
	if linked {
		return TraceResult{Kind: Linked, Index: -1}, nil
	}
	if add {
		if err := x.store.Add(a.record, a.fps); err != nil {
			return none, fmt.Errorf("trs: spent index add: %w", err)
		}
	}
	return TraceResult{Kind: Fresh, Index: -1}, nil
}

var errBadStoredRecord = errors.New("trs: spent index store returned a malformed record")

// sameSigmaAt reports whether the record's σ at slot j (position j+1),
// A0' + (j+1)·A1', equals sigma.
func sameSigmaAt(r *Record, j int, sigma *ristretto.Element) (bool, error) {
	a0, a1, err := r.elements()
	if err != nil {
		return false, fmt.Errorf("%w: %w", errBadStoredRecord, err)
	}
	var pos, zero ristretto.Scalar
	pos.SetUint64(uint64(j + 1))
	var s ristretto.Element
	s.VarTimeDoubleScalarBaseMult(&pos, a1, &zero)
	s.Add(&s, a0)
	return s.Equal(sigma) == 1, nil
}
