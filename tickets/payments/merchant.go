package payments

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
)

// Merchant accepts payments: it holds the rosters it has applied, from the
// processor it trusts, checks each payment against them, and accepts each
// payment once in a used set shared by every till (process, machine) of
// the merchant. It holds no key: a payment names the merchant's public
// key, which the merchant publishes to its customers. Its rosters are in
// memory; an application that must survive a restart keeps the roster
// records it received and applies them again. It is safe for concurrent
// use.
type Merchant struct {
	key       *ecdsa.PublicKey
	processor *ecdsa.PublicKey
	used      tickets.UsedSet

	mu      sync.RWMutex
	rosters map[[32]byte]*Roster
}

// NewMerchant returns the merchant whose key is key, accepting payments
// under the rosters of processor, once each in used.
func NewMerchant(key, processor *ecdsa.PublicKey, used tickets.UsedSet) (*Merchant, error) {
	if key == nil || processor == nil || used == nil {
		return nil, fmt.Errorf("%w: merchant needs its key, the processor's and a used set", ErrMalformed)
	}
	return &Merchant{key: key, processor: processor, used: used, rosters: make(map[[32]byte]*Roster)}, nil
}

// AddRoster parses a roster record, checks that the processor signed it,
// and makes payments under it acceptable. Adding a roster again is a
// no-op.
func (m *Merchant) AddRoster(b []byte) (*Roster, error) {
	r, err := ParseRoster(b)
	if err != nil {
		return nil, err
	}
	if err := r.Verify(m.processor); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.rosters[r.id]; ok {
		return old, nil
	}
	m.rosters[r.id] = r
	return r, nil
}

// Accept checks a payment received at time now and accepts it: its roster
// is applied ([ErrUnknown]); it pays this merchant, a positive amount in
// the roster's currency up to its limit, made within the roster's validity
// and not after now, and now is within the validity too ([ErrRefused]);
// its ring signature verifies ([ErrBadSignature]); and its ID is used for
// the first time ([ErrUsed]), atomically with every other merchant sharing
// the used set. It returns the payment, which the merchant keeps to be
// paid by the processor.
func (m *Merchant) Accept(ctx context.Context, b []byte, now time.Time) (*Payment, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	p, err := ParsePayment(b)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	r, ok := m.rosters[p.roster]
	m.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: the payment's roster", ErrUnknown)
	}
	if !p.merchant.Equal(m.key) {
		return nil, fmt.Errorf("%w: a payment to another merchant", ErrRefused)
	}
	if err := r.fits(p.amount, p.time, now); err != nil {
		return nil, err
	}
	if err := p.verify(r); err != nil {
		return nil, err
	}
	first, err := m.used.Use(ctx, p.id, r.validUntil)
	if err != nil {
		return nil, fmt.Errorf("payments: used set: %w", err)
	}
	if !first {
		return nil, fmt.Errorf("%w: payment %x", ErrUsed, p.id[:4])
	}
	return p, nil
}
