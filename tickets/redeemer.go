package tickets

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/trs"
)

// Redeemer accepts tickets: it holds the sales it has applied, from the
// issuers it trusts, and checks tickets against them and against a spent
// store shared with every other redeemer that must accept a ticket once.
// Its sales are in memory; an application that must survive a restart
// keeps the sale records it received and applies them again. It is safe
// for concurrent use.
type Redeemer struct {
	index    *trs.Index
	verifier *trs.Verifier
	issuers  map[[ecdsa.PublicKeySize]byte]bool

	mu    sync.RWMutex
	sales map[SaleID]*Sale
}

// ringCacheBytes bounds the key tables a redeemer keeps for the rings it
// verifies most (trs.Verifier): 64 MiB holds the tables of about 25 rings
// of 50, and makes each later ticket of those sales about 40% cheaper to
// verify.
const ringCacheBytes = 64 << 20

// NewRedeemer returns a redeemer that accepts sales signed by issuers and
// spends tickets in store.
func NewRedeemer(store trs.Store, issuers ...*ecdsa.PublicKey) (*Redeemer, error) {
	if store == nil {
		return nil, errors.New("tickets: redeemer needs a spent store")
	}
	if len(issuers) == 0 {
		return nil, errors.New("tickets: redeemer trusts no issuer")
	}
	r := &Redeemer{index: trs.NewIndex(store), verifier: trs.NewVerifier(ringCacheBytes), issuers: make(map[[ecdsa.PublicKeySize]byte]bool), sales: make(map[SaleID]*Sale)}
	for _, k := range issuers {
		if !k.Equal(k) { // nil or the zero value, which equals no key
			return nil, errors.New("tickets: nil or zero-value issuer key")
		}
		r.issuers[ecdsaKey(k)] = true
	}
	return r, nil
}

func ecdsaKey(k *ecdsa.PublicKey) [ecdsa.PublicKeySize]byte {
	var b [ecdsa.PublicKeySize]byte
	copy(b[:], k.Bytes())
	return b
}

// AddSale parses a sale record, checks that its issuer is trusted and that
// the issuer signed it, and makes its tickets redeemable. Adding a sale
// again is a no-op.
func (r *Redeemer) AddSale(b []byte) (*Sale, error) {
	s, err := ParseSale(b)
	if err != nil {
		return nil, err
	}
	if !r.issuers[ecdsaKey(s.issuer)] {
		return nil, fmt.Errorf("%w: sale %d is from an issuer this redeemer does not trust", ErrUnknownSale, s.number)
	}
	if err := s.Verify(s.issuer); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.sales[s.id]; ok {
		return old, nil
	}
	r.sales[s.id] = s
	return s, nil
}

// Sale returns an applied sale.
func (r *Redeemer) Sale(id SaleID) (*Sale, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.sales[id]
	return s, ok
}

// Accepted is a ticket that passed [Redeemer.Accept]: its sale is known,
// it was used within the validity window, and its ring signature
// verifies. It is immutable and safe for concurrent use.
type Accepted struct {
	sale *Sale
	acc  *trs.Accepted
}

// Sale returns the ticket's sale.
func (a *Accepted) Sale() *Sale { return a.sale }

// ID names what the ticket spends: a digest of the spent store's record of
// it, equal for every ticket by one one-time key on one message of one
// sale. Two encodings of one ticket have one ID; an application that pays
// for redeemed tickets pays once per ID.
func (a *Accepted) ID() [32]byte {
	return wire.Digest(labelTicketID, a.acc.Record().Bytes())
}

// Accept checks that ticket t, used at time at, is redeemable: its sale
// has been applied ([ErrUnknownSale]), at lies in the sale's validity
// window ([ErrExpired]) and its ring signature verifies under the sale's
// tag ([ErrInvalidSignature], wrapping the trs error). It does not look at
// the spent store. Verification costs one TRS verification, about 40% less
// once the redeemer keeps the ring's key tables (from the fifth ticket of a
// sale on). Accept is safe to run in parallel.
func (r *Redeemer) Accept(t *Ticket, at time.Time) (*Accepted, error) {
	if t == nil || t.sig == nil {
		return nil, errors.New("tickets: nil ticket")
	}
	s, ok := r.Sale(t.sale)
	if !ok {
		return nil, fmt.Errorf("%w: %x", ErrUnknownSale, t.sale.prefix())
	}
	if at.Before(s.validFrom) || at.After(s.validUntil) {
		return nil, fmt.Errorf("%w: used at %v, sale %d valid %v to %v", ErrExpired, at.UTC(), s.number, s.validFrom, s.validUntil)
	}
	acc, err := r.verifier.Accept(s.tag, t.msg, t.sig)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	}
	return &Accepted{sale: s, acc: acc}, nil
}

// Spend spends an accepted ticket in the spent store, atomically with
// every other Spend on the store: nil if it is the first ticket of its
// one-time key, otherwise a [*ReuseError] (Linked for an identical ticket,
// Revealed with the key's slot and key for a different one), and nothing
// is stored.
func (r *Redeemer) Spend(ctx context.Context, a *Accepted) error {
	if a == nil {
		return errors.New("tickets: nil accepted ticket")
	}
	res, err := r.index.CheckAndAddAccepted(ctx, a.acc)
	if err != nil {
		return fmt.Errorf("tickets: spent store: %w", err)
	}
	if res.Kind != trs.Fresh {
		return &ReuseError{Sale: a.sale, TraceResult: res}
	}
	return nil
}

// Check tells how an accepted ticket relates to the spent ones, without
// spending it: Fresh (its key has spent nothing; it is not spent),
// Linked (exactly this ticket is spent) or Revealed (its key spent another
// ticket: slot and key). Use it to refuse a ticket for a reason of the
// application's without using up the holder's key, and to ask whether a
// ticket was really spent.
func (r *Redeemer) Check(ctx context.Context, a *Accepted) (trs.TraceResult, error) {
	if a == nil {
		return trs.TraceResult{Index: -1}, errors.New("tickets: nil accepted ticket")
	}
	res, err := r.index.CheckAccepted(ctx, a.acc)
	if err != nil {
		return res, fmt.Errorf("tickets: spent store: %w", err)
	}
	return res, nil
}

// Redeem is [Redeemer.Accept] followed by [Redeemer.Spend]: nil if the
// ticket is accepted and now spent.
func (r *Redeemer) Redeem(ctx context.Context, t *Ticket, at time.Time) error {
	a, err := r.Accept(t, at)
	if err != nil {
		return err
	}
	return r.Spend(ctx, a)
}
