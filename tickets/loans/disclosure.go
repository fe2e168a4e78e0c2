package loans

import (
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

var disclosureContext = contextOf("disclosure")

// maxReason bounds a disclosure's reason, in bytes.
const maxReason = 1024

// disclosure is the platform naming the lender who made a pledge, for a
// stated reason, with the arsig opening that proves it.
type disclosure struct {
	pool    ID
	pledge  ID
	opening *arsig.Opening
	reason  string
	enc     []byte
}

func (r *disclosure) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindDisclosure))
	w.Fixed(r.pool[:])
	w.Fixed(r.pledge[:])
	if r.opening == nil {
		w.Fail(fmt.Errorf("disclosure without an opening"))
		return w.Finish()
	}
	w.Fixed(r.opening.Bytes())
	w.Bytes([]byte(r.reason))
	if len(r.reason) > maxReason {
		w.Fail(fmt.Errorf("reason of %d bytes exceeds %d", len(r.reason), maxReason))
	}
	return w.Finish()
}

func parseDisclosure(b []byte) (*disclosure, error) {
	body, err := bodyOf(b, "disclosure")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindDisclosure), "disclosure", ErrMalformed)
	r := &disclosure{
		pool:    readID(rd, "pool"),
		pledge:  readID(rd, "pledge"),
		opening: wire.FixedValue(rd, "opening", arsig.OpeningSize, arsig.ParseOpening),
		reason:  string(rd.Bytes("reason")),
		enc:     slices.Clone(b),
	}
	if rd.Err() == nil && len(r.reason) > maxReason {
		rd.Fail("reason", "too long")
	}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *disclosure) encoded() []byte { return r.enc }

func (r *disclosure) check(p *Pool) error {
	if err := p.checkPlatformRecord(r.pool, disclosureContext, r.enc, "disclosure"); err != nil {
		return err
	}
	pl := p.pledges[r.pledge]
	switch {
	case pl == nil:
		return fmt.Errorf("%w: disclosure of an unknown pledge", ErrUnregistered)
	case p.disclosed[r.pledge]:
		return fmt.Errorf("%w: pledge disclosed already", ErrDuplicate)
	}
	if err := arsig.VerifyOpening(p.ring(pl.ring), p.params.opener, pl.msg, pl.sig, r.opening); err != nil {
		return fmt.Errorf("%w: disclosure: %w", ErrBadSignature, err)
	}
	return nil
}

func (r *disclosure) apply(p *Pool) {
	p.disclosed[r.pledge] = true
	p.disclosures = append(p.disclosures, Disclosure{Pledge: r.pledge, Lender: r.opening.Signer(), Reason: r.reason})
}
