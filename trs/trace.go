package trs

import (
	"fmt"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Kind is the relation between two signatures under one tag ([Trace]), or
// between a new signature and the stored ones ([Index.CheckAndAdd]).
type Kind int

const (
	// Indep: the signatures are by different members (or, for the index,
	// by no member whose signature is stored).
	Indep Kind = iota + 1
	// Linked: the same member signed the same message twice. [Trace]
	// reports it only for rings of two or more (in a ring of one it is
	// Revealed); the index reports every replay as Linked.
	Linked
	// Revealed: the same member signed two different messages; the
	// result carries the member's slot and key.
	Revealed
	// Fresh: returned only by the index: no stored signature is by the
	// same member; CheckAndAdd has stored the new one, CheckAccepted has
	// not.
	Fresh
)

// String returns the lower-case name of the kind.
func (k Kind) String() string {
	switch k {
	case Indep:
		return "indep"
	case Linked:
		return "linked"
	case Revealed:
		return "revealed"
	case Fresh:
		return "fresh"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// TraceResult is the outcome of [Trace] or of a spent-index check.
type TraceResult struct {
	Kind Kind
	// Index is the 0-based slot of the revealed member in the tag's
	// canonical ring (its scheme position is Index+1), or -1 unless Kind is
	// Revealed.
	Index int
	// Key is the revealed member's public key, or nil unless Kind is
	// Revealed.
	Key *PublicKey
}

// Trace verifies both signatures under tag and tells how they relate
// (spec §6): Revealed with the signer's slot and key if one member signed
// two different messages, Linked if one member signed the same message
// twice, Indep otherwise. In a ring of one, any two signatures are by the
// only member and Trace returns Revealed, even on one message (spec §6).
// It returns an error, and no result, if either signature does not verify
// under tag.
//
// Past verification, Trace costs n point additions: σ_j − σ'_j =
// Δ0 + j·Δ1 is the identity for at most one j unless Δ1 is.
func Trace(tag *Tag, msg1 []byte, sig1 *Signature, msg2 []byte, sig2 *Signature) (TraceResult, error) {
	none := TraceResult{Index: -1}
	// Both sizes before any group operation, so that a mismatched second
	// signature does not cost a verification of the first.
	if err := checkShape(tag, sig1); err != nil {
		return none, fmt.Errorf("trs: first signature: %w", err)
	}
	if err := checkShape(tag, sig2); err != nil {
		return none, fmt.Errorf("trs: second signature: %w", err)
	}
	v1, err := verify(tag, msg1, sig1)
	if err != nil {
		return none, fmt.Errorf("trs: first signature: %w", err)
	}
	v2, err := verify(tag, msg2, sig2)
	if err != nil {
		return none, fmt.Errorf("trs: second signature: %w", err)
	}
	// σ_j − σ'_j = Δ0 + j·Δ1 for j = 1..n; count the identities. The
	// count is 0, 1 or n (n only when Δ0 = Δ1 = 0).
	var d1, d ristretto.Element
	d.Subtract(&v1.a0, &v2.a0)
	d1.Subtract(&sig1.a1, &sig2.a1)
	n := len(tag.ring.keys)
	hit, count := -1, 0
	for j := range n {
		d.Add(&d, &d1)
		if d.IsIdentity() == 1 {
			hit = j
			count++
		}
	}
	// In the order of spec §6: with n = 1 the one shared σ is both
	// "exactly one entry" and "all of R", and it is Revealed.
	switch count {
	case 1:
		return TraceResult{Kind: Revealed, Index: hit, Key: tag.ring.keys[hit]}, nil
	case n:
		return TraceResult{Kind: Linked, Index: -1}, nil
	}
	return TraceResult{Kind: Indep, Index: -1}, nil
}
