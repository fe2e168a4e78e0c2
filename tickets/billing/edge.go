package billing

import (
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
)

// An Edge is where the provider meets its users: a service front end, a
// charger, a meter. It accepts usage records for its own identifier from the
// period's public descriptor alone, holding no key and no state, so it can
// work offline; it queues what it accepts and delivers the bytes to the
// collector ([Collector.Collect]) whenever it can. An Edge is safe for
// concurrent use.
//
// An edge learns what a record states — edge, amount, time, detail — and
// that some member of the period's ring signed it; not who, nor whether two
// records share a signer. Accept does not remember records: an edge that
// must refuse a replayed record (because the record, not the bill, is what
// it serves against) keeps a set of [Usage.ID]s, such as a tickets.UsedSet
// used until the period's end. The collector bills each ID once in any case.
type Edge struct {
	period *Period
	id     string
}

// NewEdge returns the edge named id accepting usage of period p.
func NewEdge(p *Period, id string) (*Edge, error) {
	if p == nil || p.enc == nil {
		return nil, malformed("edge", "missing period")
	}
	if err := checkEdge(id); err != nil {
		return nil, fmt.Errorf("%w: edge: %w", ErrMalformed, err)
	}
	return &Edge{period: p, id: id}, nil
}

// Accept parses a usage record and checks it against the period: this
// edge's identifier, the period and its descriptor, the currency, the
// window, and the ring signature. It returns the record, or an error
// wrapping [ErrMalformed], [ErrPeriod] or [ErrBadSignature] (and arsig's
// error for a signature).
func (e *Edge) Accept(b []byte) (*Usage, error) {
	if e == nil || e.period == nil {
		return nil, errNoEdge
	}
	u, err := e.fits(b)
	if err != nil {
		return nil, err
	}
	if err := e.period.verifyUsage(u); err != nil {
		return nil, err
	}
	return u, nil
}

// errNoEdge is returned by the methods of an Edge not made by NewEdge.
var errNoEdge = malformed("edge", "not made by NewEdge")

// fits parses a usage record and checks everything but its ring signature.
func (e *Edge) fits(b []byte) (*Usage, error) {
	u, err := parseUsage(b)
	if err != nil {
		return nil, err
	}
	if u.edge != e.id {
		return nil, fmt.Errorf("%w: usage for edge %q at edge %q", ErrPeriod, u.edge, e.id)
	}
	if err := e.period.fits(u); err != nil {
		return nil, err
	}
	return u, nil
}

// AcceptBatch is [Edge.Accept] for many records at once, say a queue an
// edge kept while it could not check signatures, or the records of many
// users arriving together. The ring signatures that pass the other checks
// are verified together with arsig.VerifyBatch, which shares the work per
// ring: k records of the period cost about one verification and k times a
// few dozen point operations instead of k verifications. It returns one
// record and one error per input, in order: the record for a nil error, nil
// and the error Accept would return otherwise.
func (e *Edge) AcceptBatch(bs [][]byte) ([]*Usage, []error) {
	us, errs := make([]*Usage, len(bs)), make([]error, len(bs))
	if e == nil || e.period == nil {
		for i := range errs {
			errs[i] = errNoEdge
		}
		return us, errs
	}
	items := make([]arsig.BatchItem, 0, len(bs))
	which := make([]int, 0, len(bs))
	for i, b := range bs {
		u, err := e.fits(b)
		if err != nil {
			errs[i] = err
			continue
		}
		items = append(items, arsig.BatchItem{Ring: e.period.ring, Opener: e.period.opener, Message: u.id[:], Signature: u.sig})
		which = append(which, i)
		us[i] = u
	}
	for j, err := range arsig.VerifyBatch(items) {
		if i := which[j]; err != nil {
			us[i], errs[i] = nil, fmt.Errorf("%w: usage: %w", ErrBadSignature, err)
		}
	}
	return us, errs
}
