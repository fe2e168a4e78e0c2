package toll

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Vehicle is a vehicle's wallet (its on-board unit): its registered ECDSA
// key and the one-time TRS keys of the tickets it ordered. The one-time
// keys are its tickets; they are kept in memory and never leave it. It is
// safe for concurrent use.
type Vehicle struct {
	key       *ecdsa.PrivateKey
	authority *ecdsa.PublicKey

	mu      sync.Mutex
	reg     *registration
	pending map[[trs.PublicKeySize]byte]order // ordered, not yet in a sale
}

type order struct {
	key      *trs.PrivateKey
	operator *ecdsa.PublicKey
	price    money.Amount
}

// NewVehicle returns the wallet of the vehicle whose key is key,
// accepting registrations by the authority.
func NewVehicle(key *ecdsa.PrivateKey, authority *ecdsa.PublicKey) (*Vehicle, error) {
	if key == nil || authority == nil {
		return nil, errors.New("toll: vehicle needs its key and the authority's")
	}
	return &Vehicle{key: key, authority: authority, pending: make(map[[trs.PublicKeySize]byte]order)}, nil
}

// SetRegistration verifies the authority's registration of this vehicle
// ([ErrNotRegistered] if it is for another key or not the authority's) and
// keeps it for its orders.
func (v *Vehicle) SetRegistration(record []byte) error {
	r, err := parseRegistration(record)
	if err != nil {
		return err
	}
	if err := r.verify(v.authority); err != nil {
		return fmt.Errorf("%w: %w", ErrNotRegistered, err)
	}
	if !r.key.Equal(v.key.Public()) {
		return fmt.Errorf("%w: registration is for another key", ErrNotRegistered)
	}
	v.mu.Lock()
	v.reg = r
	v.mu.Unlock()
	return nil
}

// Order makes a fresh one-time key and the signed purchase request, to
// the operator whose key is operator, for a ticket at price. A fresh key
// per ticket keeps tickets unlinkable.
func (v *Vehicle) Order(operator *ecdsa.PublicKey, price money.Amount, now time.Time) ([]byte, error) {
	at, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("toll: order time: %w", err)
	}
	if operator == nil {
		return nil, errors.New("toll: nil operator key")
	}
	v.mu.Lock()
	reg := v.reg
	v.mu.Unlock()
	if reg == nil {
		return nil, fmt.Errorf("%w: the vehicle has no registration", ErrNotRegistered)
	}
	priv, err := trs.GenerateKey()
	if err != nil {
		return nil, err
	}
	r := &purchaseRequest{reg: reg, operator: operator, ticketKey: priv.Public(), price: price, time: at}
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	if r.sig, err = signRecord(v.key, contextPurchase, body); err != nil {
		return nil, err
	}
	v.mu.Lock()
	v.pending[[trs.PublicKeySize]byte(priv.Public().Bytes())] = order{priv, operator, price}
	v.mu.Unlock()
	return r.bytes(), nil
}

// Claim checks a published sale's signature by the operator it names and
// returns a pass for each key in its ring that the vehicle ordered from
// that operator (normally one, or none if the sale is someone else's). A
// sale that is not of toll tickets at the order's price is not the
// order's, even with its key in the ring (an operator's key may sell other
// classes of ticket, to anyone who names a key): the order keeps waiting.
func (v *Vehicle) Claim(sale []byte) ([]*Pass, error) {
	s, err := tickets.ParseSale(sale)
	if err != nil {
		return nil, err
	}
	if err := s.Verify(s.Issuer()); err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	var passes []*Pass
	for k, o := range v.pending {
		if _, in := s.Ring().IndexOf(o.key.Public()); !in || !o.operator.Equal(s.Issuer()) || s.Class() != (tickets.Class{Label: classLabel, Price: o.price}) {
			continue
		}
		passes = append(passes, &Pass{key: o.key, sale: s})
		delete(v.pending, k)
	}
	return passes, nil
}

// Pass is a bought ticket: a one-time key in a sale's ring. It signs one
// ticket; a second ticket of the same pass reveals its key.
type Pass struct {
	key  *trs.PrivateKey
	sale *tickets.Sale
}

// Sale returns the pass's sale.
func (p *Pass) Sale() *tickets.Sale { return p.sale }

// Ticket signs the ticket for trip, which must have its entry proof, at
// the exit plaza exit of the operator whose key is operator, and returns
// it to present there.
func (p *Pass) Ticket(trip *Trip, operator *ecdsa.PublicKey, exit PlazaID) ([]byte, error) {
	if trip == nil || trip.proof == nil {
		return nil, errNoEntry
	}
	return p.sign(trip.proof, &trip.secret, operator, exit)
}

// Sign signs a ticket from the given parts: an entry proof's record, a
// trip secret and the exit plaza. Honest vehicles use [Pass.Ticket]; this
// form exists to build tickets that an exit must refuse, such as one
// presenting another vehicle's overheard entry proof.
func (p *Pass) Sign(entry []byte, secret [TripSecretSize]byte, operator *ecdsa.PublicKey, exit PlazaID) ([]byte, error) {
	e, err := parseEntryProof(entry)
	if err != nil {
		return nil, err
	}
	return p.sign(e, &secret, operator, exit)
}

func (p *Pass) sign(e *entryProof, secret *[TripSecretSize]byte, operator *ecdsa.PublicKey, exit PlazaID) ([]byte, error) {
	if operator == nil {
		return nil, errors.New("toll: nil exit operator")
	}
	msg, err := ticketMessage(e, secret, operator, exit)
	if err != nil {
		return nil, err
	}
	t, err := tickets.NewTicket(p.key, p.sale, msg)
	if err != nil {
		return nil, err
	}
	return t.Bytes(), nil
}
