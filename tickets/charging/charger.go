package charging

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// MaxSkew is how far the end of a session, as the car signs it, may be
// from the charger's clock when the charger accepts it.
const MaxSkew = 5 * time.Minute

// A Charger accepts charging sessions offline and delivers them to the
// collector later. It holds no key: it checks each session from the public
// descriptor of its period alone ([billing.Edge]) — the charger, the period,
// the window, the ring signature — and, itself, the rate and the time; it
// refuses a session it has already accepted; and it queues what it accepts
// on its ledger before saying so, so that the queue survives a crash.
// [Charger.Deliver] sends the queue to the collector whenever the charger is
// online.
//
// Everything a charger knows is on its ledger, which it alone writes; a
// Charger is rebuilt from it by [OpenCharger], every descriptor and ring
// signature verified again. It keeps in memory the ID of every session it
// accepted (32 bytes each) and its queue. After a ledger append whose
// outcome is unknown it refuses everything that appends until it is opened
// again. It is safe for concurrent use.
type Charger struct {
	l         ledger.Ledger
	id        string
	collector *ecdsa.PublicKey
	rate      money.Amount

	mu      sync.Mutex
	periods []*period         // in the order the charger got them
	seen    map[[32]byte]bool // every record it accepted
	queue   []*Session        // accepted and not yet delivered, oldest first
	// journal appends to l; after an append of unknown outcome it refuses
	// the rest, since a retried session would go on the ledger twice.
	journal *journal.Journal
}

// record appends an entry to the charger's ledger; c.mu is held.
func (c *Charger) record(ctx context.Context, kind ledger.Kind, enc []byte) error {
	return c.journal.Append(ctx, kind, enc, ErrRefused)
}

// period is a descriptor the charger holds and its edge.
type period struct {
	desc *billing.Period
	edge *billing.Edge
}

// OpenCharger returns the charger named id (its edge identifier in usage
// records: 1 to 64 bytes of printable ASCII without space, which
// [Charger.AddPeriod] checks) that keeps its
// state on l, accepts usage under period descriptors signed by collector,
// and sells energy at rate per kWh. On a ledger with a charger's entries it
// rebuilds the charger: its descriptors, each verified against collector,
// and its records, their ring signatures verified in one batch per period
// ([billing.Edge.AcceptBatch]); a ledger the charger did not write this
// way, or of another charger, is refused with [ErrMalformed]. Entries of
// other packages are skipped.
func OpenCharger(ctx context.Context, l ledger.Ledger, id string, collector *ecdsa.PublicKey, rate money.Amount) (*Charger, error) {
	switch {
	case ctx == nil:
		return nil, errNilContext
	case l == nil || collector == nil:
		return nil, malformed("charger", "missing ledger or collector key")
	case id == "":
		return nil, malformed("charger", "missing identifier")
	case !rate.Valid() || rate.Sign() <= 0:
		return nil, fmt.Errorf("%w: charger: rate %v is not positive", ErrMalformed, rate)
	}
	c := &Charger{l: l, id: id, collector: collector, rate: rate, seen: make(map[[32]byte]bool), journal: journal.New(l, "charging: charger")}
	if err := c.replay(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

var errNoCharger = malformed("charger", "not made by OpenCharger")

func (c *Charger) ready() bool { return c != nil && c.l != nil && c.seen != nil }

// newPeriod parses a descriptor signed by the collector and makes its edge.
// It returns billing's error, which the caller wraps: a descriptor given to
// AddPeriod is refused, one on the ledger makes the ledger malformed.
func (c *Charger) newPeriod(descriptor []byte) (*period, error) {
	d, err := billing.ParsePeriod(descriptor, c.collector)
	if err != nil {
		return nil, err
	}
	e, err := billing.NewEdge(d, c.id)
	if err != nil {
		return nil, err
	}
	return &period{desc: d, edge: e}, nil
}

// known returns the period with the given number, or nil. The caller holds
// c.mu.
func (c *Charger) known(id uint32) *period {
	for _, p := range c.periods {
		if p.desc.ID() == id {
			return p
		}
	}
	return nil
}

// AddPeriod gives the charger a period's descriptor, checked against the
// collector's key and kept on the ledger. A charger accepts sessions of
// the periods it holds; one that was offline when a period opened gets the
// descriptor from the first car that signed under it. Adding a period the
// charger holds returns the descriptor it holds.
func (c *Charger) AddPeriod(ctx context.Context, descriptor []byte) (*billing.Period, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if !c.ready() {
		return nil, errNoCharger
	}
	p, err := c.newPeriod(descriptor)
	if err != nil {
		return nil, fromBilling("period", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.known(p.desc.ID()); old != nil {
		return old.desc, nil
	}
	enc, err := (&periodEntry{descriptor: p.desc.Bytes()}).bytes()
	if err != nil {
		return nil, err
	}
	if err := c.record(ctx, kindPeriod, enc); err != nil {
		return nil, err
	}
	c.periods = append(c.periods, p)
	return p.desc, nil
}

// candidates returns the periods a session ending within MaxSkew of now can
// belong to: at most two, around a change of period.
func (c *Charger) candidates(now time.Time) []*period {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*period
	for _, p := range c.periods {
		if !now.Before(p.desc.Start().Add(-MaxSkew)) && !now.After(p.desc.End().Add(MaxSkew)) {
			out = append(out, p)
		}
	}
	return out
}

// Accept checks a session a car hands over at time now (the charger's
// clock) and queues it: the usage record must be for this charger, under
// a period it holds ([ErrUnknownPeriod] otherwise: it holds none around
// now, or none open at now that the record fits), fit that period's
// descriptor and window, carry a ring signature by a member of its ring,
// state a session's detail at the charger's rate, and end within
// [MaxSkew] of now ([ErrRefused], wrapping billing's error where billing
// refused it, or [ErrMalformed]); and the charger must not have accepted
// it before ([ErrReplayed]). It costs one arsig verification and one
// ledger append; a nil error means the session is on the ledger.
func (c *Charger) Accept(ctx context.Context, b []byte, now time.Time) (*Session, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if !c.ready() {
		return nil, errNoCharger
	}
	cands := c.candidates(now)
	if len(cands) == 0 {
		return nil, fmt.Errorf("%w: none at %v", ErrUnknownPeriod, now.UTC())
	}
	var err error
	for _, p := range cands {
		var u *billing.Usage
		if u, err = p.edge.Accept(b); err == nil {
			s, err := c.session(u, now)
			if err != nil {
				return nil, err
			}
			if err := c.queueUp(ctx, p, []*Session{s}, []error{nil})[0]; err != nil {
				return nil, err
			}
			return s, nil
		}
		if !errors.Is(err, billing.ErrPeriod) {
			break
		}
	}
	return nil, refusal(cands, now, err)
}

// refusal wraps billing's error for a record that fits none of cands, the
// periods the charger holds around now. If now is in none of their windows
// — a period has just ended, or is about to start — the record may be of
// the next period, whose descriptor the charger has not been given:
// ErrUnknownPeriod, so that the car hands it over.
func refusal(cands []*period, now time.Time, err error) error {
	if !errors.Is(err, billing.ErrPeriod) {
		return fromBilling("usage", err)
	}
	for _, p := range cands {
		if !now.Before(p.desc.Start()) && now.Before(p.desc.End()) {
			return fromBilling("usage", err)
		}
	}
	return fmt.Errorf("%w: none open at %v: %w", ErrUnknownPeriod, now.UTC(), err)
}

// AcceptBatch is [Charger.Accept] for many sessions at once — those of a
// charging hub's many connectors, or records that reached the charger
// together — with their ring signatures verified together
// ([billing.Edge.AcceptBatch]): about one arsig verification for the whole
// batch, and one ledger append per period and 4096 sessions. It returns
// one session and one error per input, in order; a record given twice is
// accepted once and then [ErrReplayed].
func (c *Charger) AcceptBatch(ctx context.Context, bs [][]byte, now time.Time) ([]*Session, []error) {
	ss, errs := make([]*Session, len(bs)), make([]error, len(bs))
	fail := func(err error) ([]*Session, []error) {
		for i := range errs {
			errs[i] = err
		}
		return ss, errs
	}
	if ctx == nil {
		return fail(errNilContext)
	}
	if !c.ready() {
		return fail(errNoCharger)
	}
	cands := c.candidates(now)
	if len(cands) == 0 {
		return fail(fmt.Errorf("%w: none at %v", ErrUnknownPeriod, now.UTC()))
	}
	// Each record goes to the first candidate period it fits; a record
	// that names another period costs no verification there.
	under := make([]*period, len(bs))
	todo := make([]int, len(bs))
	for i := range todo {
		todo[i] = i
	}
	for k, p := range cands {
		sub := make([][]byte, len(todo))
		for j, i := range todo {
			sub[j] = bs[i]
		}
		us, es := p.edge.AcceptBatch(sub)
		var next []int
		for j, i := range todo {
			switch {
			case es[j] == nil:
				if ss[i], errs[i] = c.session(us[j], now); errs[i] == nil {
					under[i] = p
				}
			case errors.Is(es[j], billing.ErrPeriod) && k < len(cands)-1:
				next = append(next, i)
			default:
				errs[i] = refusal(cands, now, es[j])
			}
		}
		todo = next
	}
	for _, p := range cands {
		var group []*Session
		var at []int
		for i, q := range under {
			if q == p {
				group, at = append(group, ss[i]), append(at, i)
			}
		}
		for j, err := range c.queueUp(ctx, p, group, make([]error, len(group))) {
			if err != nil {
				ss[at[j]], errs[at[j]] = nil, err
			}
		}
	}
	return ss, errs
}

// session reads an accepted usage record as a session and checks the rate
// and the time.
func (c *Charger) session(u *billing.Usage, now time.Time) (*Session, error) {
	s, err := SessionOf(u)
	if err != nil {
		return nil, err
	}
	if s.rate != c.rate {
		return nil, fmt.Errorf("%w: session at %v per kWh, the charger's rate is %v", ErrRefused, s.rate, c.rate)
	}
	if d := s.Time().Sub(now); d > MaxSkew || d < -MaxSkew {
		return nil, fmt.Errorf("%w: session ending at %v, %v from the charger's clock", ErrRefused, s.Time(), d)
	}
	return s, nil
}

// queueUp appends the sessions of period p that the charger has not
// accepted before to its ledger, in one entry per 4096, and queues them.
// errs has one entry per session, nil on entry; queueUp sets ErrReplayed
// or the ledger's error and returns it.
func (c *Charger) queueUp(ctx context.Context, p *period, ss []*Session, errs []error) []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var fresh []*Session
	var at []int
	inBatch := make(map[[32]byte]bool)
	for i, s := range ss {
		if id := s.ID(); c.seen[id] || inBatch[id] {
			errs[i] = fmt.Errorf("%w: %x", ErrReplayed, id[:4])
		} else {
			inBatch[id] = true
			fresh, at = append(fresh, s), append(at, i)
		}
	}
	for lo := 0; lo < len(fresh); lo += maxEntryRecords {
		run := fresh[lo:min(lo+maxEntryRecords, len(fresh))]
		err := c.appendAccepted(ctx, p, run)
		for j, s := range run {
			if err != nil {
				errs[at[lo+j]] = err
				continue
			}
			c.seen[s.ID()] = true
			c.queue = append(c.queue, s)
		}
	}
	return errs
}

func (c *Charger) appendAccepted(ctx context.Context, p *period, ss []*Session) error {
	e := &acceptedEntry{period: p.desc.ID()}
	for _, s := range ss {
		e.records = append(e.records, s.Bytes())
	}
	enc, err := e.bytes()
	if err != nil {
		return err
	}
	return c.record(ctx, kindAccepted, enc)
}
