package trs

import (
	"context"
	"errors"
	"fmt"

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
	return accept(tag, msg, sig, nil)
}

// accept is Accept with the ring's key tables, as for verifyWith.
func accept(tag *Tag, msg []byte, sig *Signature, keys *ringTables) (*Accepted, error) {
	v, err := verifyWith(tag, msg, sig, keys)
	if err != nil {
		return nil, err
	}
	sigma := make([]ristretto.Element, len(sig.c))
	sigmaChain(sigma, &v.a0, &sig.a1)
	a := &Accepted{tag: tag, sigma: sigma, fps: fingerprints(sigma)}
	a.record.Tag = tag.digest
	copy(a.record.A0[:], v.a0.Bytes())
	a.record.A1 = sig.a1enc
	return a, nil
}

// Tag returns the tag the signature was verified under.
func (a *Accepted) Tag() *Tag { return a.tag }

// Record returns what an index stores of the signature.
func (a *Accepted) Record() Record { return a.record }

// Index is a spent-signature index: it remembers accepted signatures per
// tag and tells, for a new one, whether its signer already signed under
// the tag (spec §8). A check is one [Store.CheckAndAdd] call, whatever the
// ring size and however many signatures are stored. It is safe for
// concurrent use, and as atomic as its store: several processes sharing
// one store (a database) never both get Fresh for signatures by one member.
type Index struct {
	store Store
}

// NewIndex returns an index over s. A nil s gets a fresh
// [NewMemoryStore].
func NewIndex(s Store) *Index {
	if s == nil {
		s = NewMemoryStore()
	}
	return &Index{store: s}
}

// CheckAndAdd verifies sig on msg under tag and checks it against every
// signature stored under tag, atomically with respect to other checks on
// the same store: Revealed (with the slot and key of the member who signed
// a stored signature and this one on different messages), Linked (the same
// member on the same message is already stored), or Fresh, in which case
// it has stored the signature. An invalid signature is an error and is
// never stored.
func (x *Index) CheckAndAdd(ctx context.Context, tag *Tag, msg []byte, sig *Signature) (TraceResult, error) {
	a, err := Accept(tag, msg, sig)
	if err != nil {
		return TraceResult{Index: -1}, err
	}
	return x.CheckAndAddAccepted(ctx, a)
}

// CheckAndAddAccepted is [Index.CheckAndAdd] for a signature already
// verified by [Accept]; verification can then run in parallel, outside
// the store's critical section.
//
// Every candidate the store returns is confirmed exactly: equal A0 and A1
// is Linked, an equal σ_j = A0' + j·A1' at the matched slot is Revealed. A
// fingerprint collision therefore costs a scalar multiplication, never a
// wrong answer. Revealed takes precedence over Linked. The store is only
// written when the result is Fresh.
func (x *Index) CheckAndAddAccepted(ctx context.Context, a *Accepted) (TraceResult, error) {
	return x.check(ctx, a, true)
}

// CheckAccepted tells how a verified signature relates to everything
// stored under its tag, like [Index.CheckAndAddAccepted], but never stores
// it: Fresh here means independent of every stored signature, and still
// not stored. Use it to refuse a signature for another reason without
// spending it, while still revealing a double signer, or to ask whether
// exactly this signature was stored (Linked).
func (x *Index) CheckAccepted(ctx context.Context, a *Accepted) (TraceResult, error) {
	return x.check(ctx, a, false)
}

func (x *Index) check(ctx context.Context, a *Accepted, add bool) (TraceResult, error) {
	none := TraceResult{Index: -1}
	if a == nil || a.tag == nil {
		return none, fmt.Errorf("%w: nil accepted signature", ErrInvalidInput)
	}
	if x == nil || x.store == nil {
		return none, fmt.Errorf("%w: index not made by NewIndex", ErrInvalidInput)
	}
	if ctx == nil {
		return none, fmt.Errorf("%w: nil context", ErrInvalidInput)
	}
	var res TraceResult
	decide := func(matches []Match) (bool, error) {
		var err error
		res, err = a.classify(matches)
		return add && err == nil && res.Kind == Fresh, err
	}
	if err := x.store.CheckAndAdd(ctx, a.record, a.fps, decide); err != nil {
		if errors.Is(err, errBadStoredRecord) {
			return none, err
		}
		return none, fmt.Errorf("trs: spent index store: %w", err)
	}
	return res, nil
}

// classify confirms the store's candidates against a.
func (a *Accepted) classify(matches []Match) (TraceResult, error) {
	linked := false
	for i := range matches {
		m := &matches[i]
		if m.Record.Tag != a.record.Tag || m.Slot < 0 || m.Slot >= len(a.sigma) {
			continue
		}
		if m.Record.A0 == a.record.A0 && m.Record.A1 == a.record.A1 {
			linked = true
			continue
		}
		same, err := sameSigmaAt(&m.Record, m.Slot, &a.sigma[m.Slot])
		if err != nil {
			return TraceResult{Index: -1}, fmt.Errorf("%w: %w", errBadStoredRecord, err)
		}
		if same {
			return TraceResult{Kind: Revealed, Index: m.Slot, Key: a.tag.ring.keys[m.Slot]}, nil
		}
	}
	if linked {
		return TraceResult{Kind: Linked, Index: -1}, nil
	}
	return TraceResult{Kind: Fresh, Index: -1}, nil
}

var errBadStoredRecord = errors.New("trs: spent index store returned a malformed record")

// sameSigmaAt reports whether the record's σ at slot j (position j+1),
// A0' + (j+1)·A1', equals sigma.
func sameSigmaAt(r *Record, j int, sigma *ristretto.Element) (bool, error) {
	a0, a1, err := r.elements()
	if err != nil {
		return false, err
	}
	var pos, zero ristretto.Scalar
	pos.SetUint64(uint64(j + 1))
	var s ristretto.Element
	s.VarTimeDoubleScalarBaseMult(&pos, a1, &zero)
	s.Add(&s, a0)
	return s.Equal(sigma) == 1, nil
}
