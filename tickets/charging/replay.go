package charging

import (
	"context"
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// replay rebuilds the charger from its ledger. Descriptors are checked as
// they come; the accepted records of each period are verified in one batch
// once the whole ledger is read, and then the entries are applied in order.
func (c *Charger) replay(ctx context.Context) error {
	type step struct {
		seq       uint64
		period    *period         // for accepted records
		first     int             // index of the entry's first record in its period's batch
		n         int             // records in the entry
		delivered *deliveredEntry // or the collector's answers
	}
	var steps []step
	batches := make(map[*period][][]byte)
	apply := func(e ledger.Entry) error {
		switch e.Kind {
		case kindPeriod:
			pe, err := parsePeriodEntry(e.Payload)
			if err != nil {
				return err
			}
			p, err := c.newPeriod(pe.descriptor)
			if err != nil {
				return fmt.Errorf("%w: period entry: %w", ErrMalformed, err)
			}
			if c.known(p.desc.ID()) != nil {
				return malformed("period entry", fmt.Sprintf("period %d held twice", p.desc.ID()))
			}
			c.periods = append(c.periods, p)
		case kindAccepted:
			ae, err := parseAcceptedEntry(e.Payload)
			if err != nil {
				return err
			}
			p := c.known(ae.period)
			if p == nil {
				return malformed("accepted entry", fmt.Sprintf("records of period %d, which the charger does not hold", ae.period))
			}
			steps = append(steps, step{seq: e.Seq, period: p, first: len(batches[p]), n: len(ae.records)})
			batches[p] = append(batches[p], ae.records...)
		case kindDelivered:
			de, err := parseDeliveredEntry(e.Payload)
			if err != nil {
				return err
			}
			steps = append(steps, step{seq: e.Seq, delivered: de})
		default:
			return fmt.Errorf("%w: unknown entry kind %#04x", ErrMalformed, uint16(e.Kind))
		}
		return nil
	}
	err := c.journal.Replay(ctx, func(e ledger.Entry) error {
		if e.Kind < kindFirst || e.Kind > kindLast {
			return nil
		}
		return apply(e)
	})
	if err != nil {
		return err
	}
	// seqOf names the entry holding record i of period p's batch.
	seqOf := func(p *period, i int) uint64 {
		for _, st := range steps {
			if st.period == p && st.first <= i && i < st.first+st.n {
				return st.seq
			}
		}
		return 0
	}

	sessions := make(map[*period][]*Session)
	for p, recs := range batches {
		us, errs := p.edge.AcceptBatch(recs)
		for i, err := range errs {
			if err != nil {
				return fmt.Errorf("%w: ledger entry %d: %w", ErrMalformed, seqOf(p, i), err)
			}
			s, err := SessionOf(us[i])
			if err != nil {
				return fmt.Errorf("charging: ledger entry %d: %w", seqOf(p, i), err)
			}
			sessions[p] = append(sessions[p], s)
		}
	}

	pending := make(map[[32]byte]bool)
	var order []*Session
	for _, st := range steps {
		if st.delivered == nil {
			for _, s := range sessions[st.period][st.first : st.first+st.n] {
				if c.seen[s.ID()] {
					return fmt.Errorf("%w: ledger entry %d: record %x accepted twice", ErrMalformed, st.seq, s.ID())
				}
				c.seen[s.ID()] = true
				pending[s.ID()] = true
				order = append(order, s)
			}
			continue
		}
		for _, id := range st.delivered.ids {
			if !pending[id] {
				return fmt.Errorf("%w: ledger entry %d: delivered record %x is not pending", ErrMalformed, st.seq, id)
			}
			delete(pending, id)
		}
	}
	for _, s := range order {
		if pending[s.ID()] {
			c.queue = append(c.queue, s)
		}
	}
	return nil
}
