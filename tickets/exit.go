package tickets

import (
	"context"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// checkTicket runs the cheap checks on a ticket presented at plaza at
// exitTime — everything but the ring signature and the spent index — and
// returns its sale and fare.
func (p *Provider) checkTicket(t *Ticket, plaza PlazaID, exitTime time.Time) (*Sale, money.Amount, error) {
	var none money.Amount
	if t.ExitPlaza != plaza {
		return nil, none, fmt.Errorf("%w: ticket for plaza %d presented at %d", ErrWrongPlaza, t.ExitPlaza, plaza)
	}
	p.mu.RLock()
	_, exitKnown := p.plazas[plaza]
	entryReg, entryKnown := p.plazas[t.Entry.Plaza]
	sale, saleKnown := p.sales[t.Sale]
	fares := p.faresAt(t.Entry.Time)
	p.mu.RUnlock()

	switch {
	case !exitKnown:
		return nil, none, fmt.Errorf("%w: exit plaza %d", ErrUnknownPlaza, plaza)
	case !entryKnown:
		return nil, none, fmt.Errorf("%w: entry plaza %d", ErrUnknownPlaza, t.Entry.Plaza)
	case !saleKnown:
		return nil, none, fmt.Errorf("%w: sale %d", ErrUnknownSale, t.Sale)
	}
	if err := t.Entry.Verify(entryReg.Key); err != nil {
		return nil, none, err
	}
	if !t.Entry.Opens(&t.TripSecret) {
		return nil, none, fmt.Errorf("%w: trip secret does not open the entry commitment", ErrBadEntryProof)
	}
	entryTime := t.Entry.Time
	switch {
	case entryTime.Before(sale.ValidFrom) || entryTime.After(sale.ValidUntil):
		return nil, none, fmt.Errorf("%w: entry at %v outside the sale's validity", ErrExpired, entryTime)
	case exitTime.Before(entryTime):
		return nil, none, fmt.Errorf("%w: exit before entry", ErrExpired)
	case exitTime.After(sale.ValidUntil):
		return nil, none, fmt.Errorf("%w: ticket expired at %v", ErrExpired, sale.ValidUntil)
	case exitTime.Sub(entryTime) > p.cfg.MaxTrip:
		return nil, none, fmt.Errorf("%w: trip of %v exceeds %v", ErrExpired, exitTime.Sub(entryTime), p.cfg.MaxTrip)
	}
	if fares == nil {
		return nil, none, fmt.Errorf("%w: no fare table in force at entry", ErrNoFare)
	}
	fare, ok := fares.Fare(t.Entry.Plaza, plaza)
	if !ok {
		return nil, none, fmt.Errorf("%w: %d→%d", ErrNoFare, t.Entry.Plaza, plaza)
	}
	if c, err := fare.Cmp(sale.Price); err != nil || c > 0 {
		return nil, none, fmt.Errorf("%w: fare %v, ticket %v", ErrFareExceedsPrice, fare, sale.Price)
	}
	return sale, fare, nil
}

// CheckExit decides whether ticket t, presented at plaza at exitTime, is
// accepted, and if so spends it. It is what [Plaza.Exit] runs; it is safe
// to call from many plazas at once.
//
// The checks run cheapest first, so a forged or misrouted ticket costs no
// ring-signature work: the plazas are registered (ErrUnknownPlaza), the
// ticket names this plaza (ErrWrongPlaza) and a published sale
// (ErrUnknownSale), the entry plaza signed the entry proof and the trip
// secret opens its commitment (ErrBadEntryProof), the times fit
// (ErrExpired), and the route has a fare in the table in force at entry
// (ErrNoFare) no higher than the ticket's price (ErrFareExceedsPrice).
// Then the ring signature is verified, once (ErrInvalidSignature), and the
// spent index decides: a key that already signed a different ticket of the
// sale is revealed, an identical ticket is linked (both *ReuseError,
// wrapping ErrReused).
//
// Entry proofs are single-use. Once a valid ticket carrying a proof has
// been presented, its trip secret is public, and the commitment no longer
// ties the proof to one vehicle; a later ticket presenting the same proof
// is refused with ErrEntryReused. It is checked against the spent index
// (so a double user is still revealed) but not spent, so a vehicle whose
// ticket was raced to an exit keeps its pass. Presentations of one proof are
// serialised, and the commitment is recorded as used before the ticket is
// spent: a crash in between leaves the proof used and the ticket unspent,
// never the reverse.
func (p *Provider) CheckExit(t *Ticket, plaza PlazaID, exitTime time.Time) error {
	sale, _, err := p.checkTicket(t, plaza, exitTime)
	if err != nil {
		return err
	}
	acc, err := trs.Accept(sale.Tag(), t.Message(), t.sig)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidSignature, err)
	}
	return p.spendAtExit(acc, t, sale, plaza)
}

func (p *Provider) spendAtExit(acc *trs.Accepted, t *Ticket, sale *Sale, plaza PlazaID) error {
	c := t.Entry.Commitment
	lock := &p.entryLocks[int(c[0])%len(p.entryLocks)]
	lock.Lock()
	defer lock.Unlock()

	p.entryMu.Lock()
	_, used := p.consumed[c]
	p.entryMu.Unlock()
	if !used {
		if _, err := p.l.Append(context.Background(), KindEntryConsumed, entryConsumedBytes(&c)); err != nil {
			return err
		}
		p.entryMu.Lock()
		p.consumed[c] = struct{}{}
		p.entryMu.Unlock()
	}

	// A ticket presenting a used entry proof is refused, but only checked
	// against the index, not spent: whoever raced it to an exit with the
	// overheard secret must not use up, or later reveal, the honest pass.
	check := p.exitIndex.CheckAndAddAccepted
	if used {
		check = p.exitIndex.CheckAccepted
	}
	res, err := check(context.Background(), acc)
	if err != nil {
		return err
	}
	switch res.Kind {
	case trs.Fresh:
		if used {
			return fmt.Errorf("%w: commitment %x", ErrEntryReused, c[:8])
		}
		return nil
	case trs.Revealed:
		r, err := p.recordReveal(sale, res, AtExit, plaza)
		if err != nil {
			return err
		}
		return reuseError(r, res)
	default:
		return &ReuseError{Sale: sale.ID, Kind: res.Kind, Slot: -1}
	}
}

// newReveal builds the reveal of res, naming the buyer from the private
// purchase records.
func (p *Provider) newReveal(sale *Sale, res trs.TraceResult, stage Stage, plaza PlazaID) *Reveal {
	buyer, known := p.Buyer(res.Key)
	return &Reveal{Sale: sale.ID, Slot: res.Index, Key: res.Key, Stage: stage, Plaza: plaza, Buyer: buyer, BuyerKnown: known}
}

func (p *Provider) recordReveal(sale *Sale, res trs.TraceResult, stage Stage, plaza PlazaID) (*Reveal, error) {
	r := p.newReveal(sale, res, stage, plaza)
	p.revealMu.Lock()
	defer p.revealMu.Unlock()
	if _, err := p.l.Append(context.Background(), KindReveal, r.Bytes()); err != nil {
		return nil, err
	}
	p.reveals = append(p.reveals, r)
	return r, nil
}

func reuseError(r *Reveal, res trs.TraceResult) *ReuseError {
	return &ReuseError{Sale: r.Sale, Kind: res.Kind, Slot: r.Slot, Key: r.Key, Buyer: r.Buyer, BuyerKnown: r.BuyerKnown}
}
