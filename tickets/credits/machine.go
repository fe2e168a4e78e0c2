package credits

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/trs"
)

// MaxSkew is how far the time of a spend may be from the machine's clock.
const MaxSkew = 5 * time.Minute

// A Machine takes credits of one class: a vending machine, a parking
// meter, a charger. It holds the sales it was given, from the issuers it
// trusts, in its own [tickets.Redeemer], and spends credits in a spent
// store shared with every other participating machine. It holds no key.
// A Machine is safe for concurrent use.
type Machine struct {
	id     string
	credit tickets.Class
	r      *tickets.Redeemer

	mu sync.Mutex
	// inDoubt holds the IDs of tickets whose spend ended in a store error:
	// the store may have spent them. Bounded by maxInDoubt.
	inDoubt map[[32]byte]bool
}

// maxInDoubt bounds how many spends of unknown outcome a machine keeps
// for a retry. Past it a new one is not kept: its holder's retry is
// refused as Linked if the spend was recorded, as at a machine made anew.
const maxInDoubt = 4096

// NewMachine returns the machine named id (1 to 64 bytes of UTF-8) that
// takes credits of class credit sold by issuers, spending them in spent.
func NewMachine(id string, credit tickets.Class, spent trs.Store, issuers ...*ecdsa.PublicKey) (*Machine, error) {
	if err := checkMachine(id); err != nil {
		return nil, fmt.Errorf("%w: machine: %w", ErrMalformed, err)
	}
	if credit.Label == "" || !credit.Price.Valid() || credit.Price.Sign() <= 0 {
		return nil, malformed("machine", "credit class without a label or a positive value")
	}
	r, err := tickets.NewRedeemer(spent, issuers...)
	if err != nil {
		return nil, fmt.Errorf("%w: machine: %w", ErrMalformed, err)
	}
	return &Machine{id: id, credit: credit, r: r, inDoubt: make(map[[32]byte]bool)}, nil
}

// AddSale makes the credits of a sale redeemable: its issuer must be
// trusted and have signed it, and it must sell the machine's class.
// Adding a sale again is a no-op.
func (m *Machine) AddSale(b []byte) (*tickets.Sale, error) {
	if m == nil || m.r == nil {
		return nil, errNoMachine
	}
	s, err := tickets.ParseSale(b)
	if err != nil {
		return nil, fmt.Errorf("%w: sale: %w", ErrMalformed, err)
	}
	if s.Class() != m.credit {
		return nil, fmt.Errorf("%w: a sale of %q at %v, the machine takes %q at %v", ErrRefused, s.Class().Label, s.Class().Price, m.credit.Label, m.credit.Price)
	}
	if s, err = m.r.AddSale(b); err != nil {
		return nil, fmt.Errorf("%w: sale: %w", ErrRefused, err)
	}
	return s, nil
}

var errNoMachine = malformed("machine", "not made by NewMachine")

// Redeem takes a credit spent at this machine at time now (the machine's
// clock): the ticket must carry a [Spend] naming this machine within
// [MaxSkew] of now, and be redeemable — a sale the machine was given, used
// within its validity, a ring signature that verifies — which costs one
// TRS verification; then it is spent in the shared store, atomically with
// every other machine. A credit spent before is refused with a
// *[tickets.ReuseError]: Revealed, with the key the issuer maps to its
// buyer, for another spend of the credit; Linked for a copy of a spend
// already taken. It returns the accepted ticket, whose ID the issuer pays
// the machine for once.
//
// If the store fails (an error that is neither ErrRefused nor
// ErrMalformed), the spend may have been recorded all the same, as when a
// database connection is lost after the write; the machine remembers the
// ticket, and when the holder presents it again (the same bytes) and the
// store finds exactly that ticket spent, Redeem takes it: the credit was
// spent here and not yet served. Whoever presents those bytes first is
// served, once; a machine made anew has forgotten, and refuses the retry as
// Linked.
func (m *Machine) Redeem(ctx context.Context, ticket []byte, now time.Time) (*tickets.Accepted, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if m == nil || m.r == nil {
		return nil, errNoMachine
	}
	t, err := tickets.ParseTicket(ticket)
	if err != nil {
		return nil, fmt.Errorf("%w: ticket: %w", ErrMalformed, err)
	}
	s, err := ParseSpend(t.Message())
	if err != nil {
		return nil, err
	}
	if s.machine != m.id {
		return nil, fmt.Errorf("%w: spent at %q, this is %q", ErrRefused, s.machine, m.id)
	}
	if d := s.time.Sub(now); d > MaxSkew || d < -MaxSkew {
		return nil, fmt.Errorf("%w: spent at %v, %v from the machine's clock", ErrRefused, s.time, d)
	}
	a, err := m.r.Accept(t, now)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	err = m.r.Spend(ctx, a)
	var reuse *tickets.ReuseError
	switch {
	case err == nil:
		m.resolve(a.ID())
	case errors.As(err, &reuse):
		if reuse.Kind == trs.Linked && m.resolve(a.ID()) {
			return a, nil // the spend of unknown outcome was recorded
		}
		return nil, fmt.Errorf("%w: credit spent before: %w", ErrRefused, err)
	default:
		m.mu.Lock()
		if len(m.inDoubt) < maxInDoubt {
			m.inDoubt[a.ID()] = true
		}
		m.mu.Unlock()
		return nil, fmt.Errorf("credits: %w", err)
	}
	return a, nil
}

// resolve forgets a ticket whose spend had an unknown outcome and reports
// whether it was one.
func (m *Machine) resolve(id [32]byte) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	was := m.inDoubt[id]
	delete(m.inDoubt, id)
	return was
}
