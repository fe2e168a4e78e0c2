package reviews

import (
	"bytes"
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// Disclosure is the moderator's naming of a review's author: the review's
// ID and an arsig opening of its author signature, which shows with public
// data which customer of the review's roster signed it. Only the holder of
// the roster's opener key can make one, and not even the moderator can make
// one that names anyone but the author; it is about its review only, and
// says nothing about the author's other reviews. Layout:
// docs/spec/reviews.md. A Disclosure is immutable and safe for concurrent
// use.
type Disclosure struct {
	review  [32]byte
	opening *arsig.Opening
	enc     []byte
}

// NewDisclosure opens review r, signed under roster, with the moderator's
// opener key. It verifies the author signature first.
func NewDisclosure(moderator *arsig.OpenerKey, r *Review, roster *Roster) (*Disclosure, error) {
	if moderator == nil || r == nil || roster == nil || r.ticket == nil {
		return nil, fmt.Errorf("%w: disclosure needs the opener key, a review and its roster", ErrMalformed)
	}
	if roster.id != r.roster {
		return nil, fmt.Errorf("%w: the review names another roster", ErrUnknown)
	}
	o, err := moderator.Open(roster.ring, r.authorMessage(), r.author)
	if err != nil {
		return nil, fmt.Errorf("%w: opening the review: %w", ErrBadSignature, err)
	}
	d := &Disclosure{review: r.id, opening: o}
	if d.enc, err = d.encode(); err != nil {
		return nil, err
	}
	return d, nil
}

// encode encodes the disclosure from its fields.
func (d *Disclosure) encode() ([]byte, error) {
	w := wire.NewWriter(uint16(kindDisclosure))
	w.Fixed(d.review[:])
	w.Fixed(d.opening.Bytes())
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: disclosure: %w", ErrMalformed, err)
	}
	return b, nil
}

// ParseDisclosure decodes a disclosure encoded by [Disclosure.Bytes]. It
// does not check the opening: [Disclosure.Check] does, with the review.
func ParseDisclosure(b []byte) (*Disclosure, error) {
	rd := wire.NewReader(b, uint16(kindDisclosure), "disclosure", ErrMalformed)
	d := &Disclosure{}
	copy(d.review[:], rd.Fixed("review", len(d.review)))
	d.opening = wire.FixedValue(rd, "opening", arsig.OpeningSize, arsig.ParseOpening)
	if err := rd.Done(); err != nil {
		return nil, err
	}
	d.enc = bytes.Clone(b)
	return d, nil
}

// Check verifies that the disclosure names the author of review r, whose
// roster is roster: that it is about r, and that its opening proves, for
// the roster's ring and opener key, that its customer made r's author
// signature. It checks the author signature too. It does not check the
// roster's signature ([Roster.Verify]).
func (d *Disclosure) Check(r *Review, roster *Roster) error {
	if r == nil || roster == nil || r.ticket == nil {
		return fmt.Errorf("%w: checking a disclosure needs its review and roster", ErrMalformed)
	}
	if d.review != r.id {
		return fmt.Errorf("%w: the disclosure is about another review", ErrUnknown)
	}
	if roster.id != r.roster {
		return fmt.Errorf("%w: the review names another roster", ErrUnknown)
	}
	if err := arsig.VerifyOpening(roster.ring, roster.opener, r.authorMessage(), r.author, d.opening); err != nil {
		return fmt.Errorf("%w: disclosure: %w", ErrBadSignature, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (d *Disclosure) Bytes() []byte { return bytes.Clone(d.enc) }

// Review returns the ID of the disclosed review.
func (d *Disclosure) Review() [32]byte { return d.review }

// Customer returns the long-term key of the customer the disclosure names,
// which the shop knows from the customer's orders.
func (d *Disclosure) Customer() *arsig.PublicKey {
	if d.opening == nil {
		return nil
	}
	return d.opening.Signer()
}
