package charging

import (
	"context"
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/billing"
)

// maxDelivery is the most records one call of a send function carries.
const maxDelivery = 1024

// Pending returns the encodings of the sessions accepted and not yet
// delivered, oldest first: the charger's queue.
func (c *Charger) Pending() [][]byte {
	if !c.ready() {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([][]byte, len(c.queue))
	for i, s := range c.queue {
		out[i] = s.Bytes()
	}
	return out
}

// Deliver sends the queue to the collector with send, oldest first, at
// most 1024 records a call, and keeps the answers on the ledger. send is the
// charger's transport to [billing.Collector.Collect], whose signature it
// has: one error per record, nil for a record now on the collector's book.
// It may be called again with the same records, or with records another
// charger delivered too: the collector bills each record once.
//
// A record answered nil leaves the queue. So does one refused for good,
// with an error wrapping billing's ErrMalformed, ErrBadSignature or
// ErrPeriod (a period closed before the record arrived, say), which Deliver
// returns wrapped in [ErrRefused]. Any other answer (a transport failure, a
// context ended, billing's ErrRefused from a book that appends nothing
// until it is reopened) leaves the record queued for the next Deliver, and
// is returned too. Deliver returns the number of records that left the
// queue as billed.
//
// A crash after the collector took records and before the answers reached
// the ledger leaves them queued; the next delivery sends them again, and
// the collector bills them once.
func (c *Charger) Deliver(ctx context.Context, send func(context.Context, [][]byte) []error) (int, error) {
	if ctx == nil {
		return 0, errNilContext
	}
	if !c.ready() {
		return 0, errNoCharger
	}
	if send == nil {
		return 0, malformed("deliver", "no send function")
	}
	c.mu.Lock()
	queue := append([]*Session(nil), c.queue...)
	c.mu.Unlock()
	billed := 0
	var errs []error
	for lo := 0; lo < len(queue); lo += maxDelivery {
		run := queue[lo:min(lo+maxDelivery, len(queue))]
		recs := make([][]byte, len(run))
		for i, s := range run {
			recs[i] = s.Bytes()
		}
		answers := send(ctx, recs)
		if len(answers) != len(run) {
			errs = append(errs, fmt.Errorf("charging: delivery: %d answers for %d records", len(answers), len(run)))
			continue
		}
		e := &deliveredEntry{}
		for i, err := range answers {
			id := run[i].ID()
			switch {
			case err == nil:
				e.ids, e.outcomes = append(e.ids, id), append(e.outcomes, outcomeBilled)
			case final(err):
				e.ids, e.outcomes = append(e.ids, id), append(e.outcomes, outcomeRefused)
				errs = append(errs, fmt.Errorf("%w: record %x: by the collector: %w", ErrRefused, id[:4], err))
			default:
				errs = append(errs, fmt.Errorf("charging: record %x not delivered: %w", id[:4], err))
			}
		}
		n, err := c.delivered(ctx, e)
		billed += n
		if err != nil {
			return billed, errors.Join(append(errs, err)...)
		}
	}
	return billed, errors.Join(errs...)
}

// final reports whether the collector refused a record for good: as
// malformed, for its ring signature, or because it does not fit its period,
// rather than failing to reach the collector or to append. Billing's
// ErrRefused is not final: for a usage record it means the book cannot
// append now (it stopped after an append of unknown outcome, until it is
// reopened, or has no parameters yet), and the record must stay queued.
func final(err error) bool {
	for _, s := range []error{billing.ErrMalformed, billing.ErrBadSignature, billing.ErrPeriod} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// delivered records the collector's answers for records still queued (a
// concurrent Deliver may have recorded some) and takes them off the queue.
// It returns how many of them were billed.
func (c *Charger) delivered(ctx context.Context, e *deliveredEntry) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	queued := make(map[[32]byte]bool, len(c.queue))
	for _, s := range c.queue {
		queued[s.ID()] = true
	}
	still := &deliveredEntry{}
	billed := 0
	for i, id := range e.ids {
		if queued[id] {
			still.ids, still.outcomes = append(still.ids, id), append(still.outcomes, e.outcomes[i])
			delete(queued, id)
			if e.outcomes[i] == outcomeBilled {
				billed++
			}
		}
	}
	if len(still.ids) == 0 {
		return 0, nil
	}
	enc, err := still.bytes()
	if err != nil {
		return 0, err
	}
	if err := c.record(ctx, kindDelivered, enc); err != nil {
		return 0, err
	}
	left := c.queue[:0]
	for _, s := range c.queue {
		if queued[s.ID()] {
			left = append(left, s)
		}
	}
	clear(c.queue[len(left):])
	c.queue = left
	return billed, nil
}
