package charging

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

const propertySeed = 0x6368617267696e67 // "charging"

// The chargers of the property: two on their own, two of one station
// sharing its identifier.
var propertyChargers = []string{"charger-0", "charger-1", "station-2", "station-2"}

// delivery is a generated schedule: which chargers of a session's
// identifier receive it, and what happens to the queues until every
// charger has delivered.
type delivery struct {
	seed  uint64
	steps int
}

// TestPropertyBilledOnce: whatever the order in which chargers deliver,
// however often, restarted or not, with answers lost, and with queues also
// relayed by third parties shuffled and duplicated, the collector bills
// every accepted session exactly once, to the car that signed it.
func TestPropertyBilledOnce(t *testing.T) {
	w := newWorld(t, 4)
	sessions := make([]*Session, 12)
	for i := range sessions {
		id := propertyChargers[i%3]
		sessions[i] = w.session(i%4, id, uint64(1000+i), tStart.Add(time.Duration(i)*time.Minute))
	}
	params := gopter.DefaultTestParametersWithSeed(propertySeed)
	params.MinSuccessfulTests = 100
	if testing.Short() {
		params.MinSuccessfulTests = 15
	}
	props := gopter.NewProperties(params)
	props.Property("each accepted session billed once, to its signer", prop.ForAll(
		func(d delivery) string {
			if err := runDelivery(w, sessions, d); err != nil {
				return err.Error()
			}
			return ""
		},
		gopter.CombineGens(gen.UInt64(), gen.IntRange(0, 12)).Map(func(v []any) delivery {
			return delivery{seed: v[0].(uint64), steps: v[1].(int)}
		}),
	))
	props.TestingRun(t)
}

func runDelivery(w *world, sessions []*Session, d delivery) error {
	rng := rand.New(rand.NewPCG(d.seed, propertySeed))
	w.restart()
	ledgers := make([]ledger.Ledger, len(propertyChargers))
	chargers := make([]*Charger, len(propertyChargers))
	for k, id := range propertyChargers {
		ledgers[k] = ledger.NewMemory()
		c, err := OpenCharger(ctx, ledgers[k], id, w.signer.Public(), rate)
		if err != nil {
			return err
		}
		if _, err := c.AddPeriod(ctx, w.period); err != nil {
			return err
		}
		chargers[k] = c
	}
	// Each session reaches one or both chargers of its identifier.
	for i, s := range sessions {
		var to []int
		for k, id := range propertyChargers {
			if id == s.Charger() && (len(to) == 0 || rng.IntN(2) == 0) {
				to = append(to, k)
			}
		}
		for _, k := range to {
			if _, err := chargers[k].Accept(ctx, s.Bytes(), s.Time()); err != nil {
				return fmt.Errorf("session %d at charger %d: %w", i, k, err)
			}
		}
	}
	lost := errors.New("answer lost")
	for range d.steps {
		k := rng.IntN(len(chargers))
		c := chargers[k]
		var err error
		switch rng.IntN(5) {
		case 0: // an honest delivery
			_, err = c.Deliver(ctx, w.collector.Collect)
		case 1: // a third party relays the queue, shuffled and duplicated
			q := c.Pending()
			q = append(q, q[:rng.IntN(len(q)+1)]...)
			rng.Shuffle(len(q), func(i, j int) { q[i], q[j] = q[j], q[i] })
			err = errors.Join(w.collector.Collect(ctx, q)...)
		case 2: // the collector takes everything; the answers are lost
			_, err = c.Deliver(ctx, func(ctx context.Context, recs [][]byte) []error {
				errs := w.collector.Collect(ctx, recs)
				for i := range errs {
					errs[i] = lost
				}
				return errs
			})
			if errors.Is(err, lost) {
				err = nil
			}
		case 3: // only a prefix arrives
			_, err = c.Deliver(ctx, func(ctx context.Context, recs [][]byte) []error {
				n := rng.IntN(len(recs) + 1)
				return append(w.collector.Collect(ctx, recs[:n]), repeat(lost, len(recs)-n)...)
			})
			if errors.Is(err, lost) {
				err = nil
			}
		case 4: // a restart
			chargers[k], err = OpenCharger(ctx, ledgers[k], propertyChargers[k], w.signer.Public(), rate)
		}
		if err != nil {
			return err
		}
	}
	for _, c := range chargers {
		if _, err := c.Deliver(ctx, w.collector.Collect); err != nil {
			return err
		}
		if len(c.Pending()) != 0 {
			return errors.New("a queue is not empty after an honest delivery")
		}
	}
	return checkBilled(w, sessions)
}

// checkBilled closes the period and checks that its invoices bill every
// session once, to its signer, and nothing else.
func checkBilled(w *world, sessions []*Session) error {
	p := w.descriptor()
	if err := w.collector.ClosePeriod(ctx, p.End()); err != nil {
		return err
	}
	invs, err := w.collector.DraftInvoices(p.ID(), p.End(), p.End().Add(time.Hour))
	if err != nil {
		return err
	}
	signer := make(map[[32]byte]string)
	for i, s := range sessions {
		signer[s.ID()] = string(w.cars[i%4].Public().Bytes())
	}
	lines := 0
	billed := make(map[[32]byte]bool)
	for _, inv := range invs {
		if err := w.collector.Issue(ctx, inv); err != nil {
			return err
		}
		for _, l := range inv.Lines() {
			id := l.Usage.ID()
			switch {
			case billed[id]:
				return fmt.Errorf("record %x billed twice", id[:4])
			case signer[id] == "":
				return fmt.Errorf("record %x billed but never signed", id[:4])
			case signer[id] != string(inv.User().Bytes()):
				return fmt.Errorf("record %x billed to a car that did not sign it", id[:4])
			}
			billed[id] = true
			lines++
		}
	}
	if lines != len(sessions) {
		return fmt.Errorf("%d of %d sessions billed", lines, len(sessions))
	}
	return nil
}

func repeat(err error, n int) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}
