package tickets

import (
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Vehicle is a vehicle's wallet: its registered ECDSA key and the one-time
// TRS keys of the tickets it ordered. It is safe for concurrent use.
type Vehicle struct {
	id  VehicleID
	key *ecdsa.PrivateKey

	mu      sync.Mutex
	reg     *VehicleRegistration
	pending map[[trs.PublicKeySize]byte]*trs.PrivateKey // ordered, not yet in a sale
}

// NewVehicle returns a vehicle with a fresh ECDSA key, to be registered
// with the [Authority].
func NewVehicle(id VehicleID) (*Vehicle, error) {
	key, err := ecdsa.GenerateKey()
	if err != nil {
		return nil, err
	}
	return &Vehicle{id: id, key: key, pending: make(map[[trs.PublicKeySize]byte]*trs.PrivateKey)}, nil
}

// ID returns the vehicle's ID.
func (v *Vehicle) ID() VehicleID { return v.id }

// PublicKey returns the key to register.
func (v *Vehicle) PublicKey() *ecdsa.PublicKey { return v.key.Public() }

// SetRegistration stores the authority's registration after checking it
// is for this vehicle and key.
func (v *Vehicle) SetRegistration(r *VehicleRegistration, authority *ecdsa.PublicKey) error {
	if err := r.Verify(authority); err != nil {
		return fmt.Errorf("%w: %v", ErrNotRegistered, err)
	}
	if r.Vehicle != v.id || !r.Key.Equal(v.key.Public()) {
		return fmt.Errorf("%w: registration is for another vehicle or key", ErrNotRegistered)
	}
	v.mu.Lock()
	v.reg = r
	v.mu.Unlock()
	return nil
}

// Registration returns the stored registration, or nil.
func (v *Vehicle) Registration() *VehicleRegistration {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.reg
}

// OrderTicket makes a fresh one-time TRS key and a signed purchase request
// for a ticket at price. A fresh key per ticket keeps tickets unlinkable.
func (v *Vehicle) OrderTicket(price money.Amount, now time.Time) (*PurchaseRequest, error) {
	t, err := normalTime(now)
	if err != nil {
		return nil, err
	}
	if !price.Valid() || price.Sign() <= 0 {
		return nil, fmt.Errorf("tickets: ticket price %v is not positive", price)
	}
	priv, err := trs.GenerateKey()
	if err != nil {
		return nil, err
	}
	r := &PurchaseRequest{Vehicle: v.id, TicketKey: priv.Public(), Price: price, Time: t}
	if err := signRecord(v.key, contextPurchase, r.body(), &r.sig); err != nil {
		return nil, err
	}
	var k [trs.PublicKeySize]byte
	copy(k[:], priv.Public().Bytes())
	v.mu.Lock()
	v.pending[k] = priv
	v.mu.Unlock()
	return r, nil
}

// Claim checks the provider's signature on sale and returns a pass for
// each of the vehicle's ordered keys in its ring (normally one, or none if
// the sale is someone else's).
func (v *Vehicle) Claim(sale *Sale, provider *ecdsa.PublicKey) ([]*Pass, error) {
	if err := sale.Verify(provider); err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	var passes []*Pass
	for k, priv := range v.pending {
		if _, ok := sale.Ring().IndexOf(priv.Public()); ok {
			passes = append(passes, &Pass{key: priv, sale: sale})
			delete(v.pending, k)
		}
	}
	return passes, nil
}

// Pass is a bought ticket: a one-time key in a sale's ring. It can sign
// one ticket; a second ticket from the same pass reveals its key.
type Pass struct {
	key  *trs.PrivateKey
	sale *Sale
}

// Sale returns the sale the pass belongs to.
func (p *Pass) Sale() *Sale { return p.sale }

// Key returns the pass's one-time public key.
func (p *Pass) Key() *trs.PublicKey { return p.key.Public() }

// Ticket signs the ticket for trip, which must have its entry proof, at
// exit plaza exit.
func (p *Pass) Ticket(trip *Trip, exit PlazaID) (*Ticket, error) {
	if trip.proof == nil {
		return nil, fmt.Errorf("tickets: trip has no entry proof")
	}
	return p.SignTicket(trip.proof, &trip.secret, exit)
}

// SignTicket signs a ticket from the given parts. Honest vehicles use
// [Pass.Ticket]; this form exists to build tickets an exit plaza must
// refuse, such as one presenting another vehicle's entry proof.
func (p *Pass) SignTicket(entry *EntryProof, secret *[TripSecretSize]byte, exit PlazaID) (*Ticket, error) {
	return signTicket(p.key, p.sale, entry, secret, exit)
}
