package billing

import (
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
)

// A Provider is the service provider. It accepts usage records from anyone
// and appends those that a registered user signed; it learns no more than
// that (and what the record states: service, amount, time). It holds no
// key.
type Provider struct {
	book *Book
}

// NewProvider returns a provider appending to book.
func NewProvider(book *Book) *Provider {
	return &Provider{book: book}
}

// Accept checks a usage record — open period, that period's ring, time
// window, currency, not seen before, a valid ring signature — and appends it.
func (p *Provider) Accept(u *Usage) error {
	return p.AcceptBatch([]*Usage{u})[0]
}

// AcceptBatch accepts many usage records at once: their ring signatures are
// checked together with arsig.VerifyBatch, which shares the work per ring.
// It returns one error per record, nil for each record appended.
func (p *Provider) AcceptBatch(us []*Usage) []error {
	errs := make([]error, len(us))
	items := make([]arsig.BatchItem, 0, len(us))
	which := make([]int, 0, len(us))
	seen := make(map[Digest]bool, len(us))

	p.book.mu.RLock()
	for i, u := range us {
		if u == nil || u.Signature == nil {
			errs[i] = fmt.Errorf("%w: usage: missing signature", ErrMalformed)
			continue
		}
		per, id, msg, err := p.book.st.usageContext(u)
		if err == nil && seen[id] {
			err = ErrDuplicateUsage
		}
		if err != nil {
			errs[i] = err
			continue
		}
		seen[id] = true
		items = append(items, arsig.BatchItem{Ring: per.ring, Opener: p.book.st.params.Opener, Message: msg, Signature: u.Signature})
		which = append(which, i)
	}
	p.book.mu.RUnlock()

	for j, err := range arsig.VerifyBatch(items) {
		i := which[j]
		if err != nil {
			errs[i] = fmt.Errorf("%w: %w", ErrInvalidUsage, err)
			continue
		}
		// The state may have moved on (the period closed, a duplicate
		// arrived); append checks everything but the signature again.
		_, errs[i] = p.book.append(us[i])
	}
	return errs
}
