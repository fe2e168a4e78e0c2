package credits

import (
	"context"
	"errors"
	"fmt"
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
}

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
	return &Machine{id: id, credit: credit, r: r}, nil
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
	if err := m.r.Spend(ctx, a); err != nil {
		var reuse *tickets.ReuseError
		if errors.As(err, &reuse) {
			return nil, fmt.Errorf("%w: credit spent before: %w", ErrRefused, err)
		}
		return nil, fmt.Errorf("credits: %w", err)
	}
	return a, nil
}
