package tickets

import (
	"crypto/sha256"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
)

// Plaza is a toll plaza: it signs entry proofs and checks tickets at exit
// against the provider's registry and shared spent index. It is safe for
// concurrent use.
type Plaza struct {
	id       PlazaID
	key      *ecdsa.PrivateKey
	provider *Provider
}

// NewPlaza returns plaza id, signing with key and checking exits against
// provider. The plaza must be registered with the provider under key for
// its proofs and requests to be accepted.
func NewPlaza(id PlazaID, key *ecdsa.PrivateKey, provider *Provider) *Plaza {
	return &Plaza{id: id, key: key, provider: provider}
}

// ID returns the plaza's ID.
func (pl *Plaza) ID() PlazaID { return pl.id }

// PublicKey returns the plaza's key.
func (pl *Plaza) PublicKey() *ecdsa.PublicKey { return pl.key.Public() }

// Enter signs an entry proof for a vehicle showing commitment at time now.
// The plaza learns nothing about the vehicle's ticket.
func (pl *Plaza) Enter(commitment [sha256.Size]byte, now time.Time) (*EntryProof, error) {
	t, err := normalTime(now)
	if err != nil {
		return nil, err
	}
	p := &EntryProof{Plaza: pl.id, Time: t, Commitment: commitment}
	if err := signRecord(pl.key, contextEntry, p.body(), &p.sig); err != nil {
		return nil, err
	}
	return p, nil
}

// Exit checks a ticket presented at this plaza at time now and, if it is
// accepted, spends it in the shared index and returns the signed usage
// request to file for settlement. See [Provider.CheckExit] for the checks
// and the errors.
func (pl *Plaza) Exit(t *Ticket, now time.Time) (*UsageRequest, error) {
	exitTime, err := normalTime(now)
	if err != nil {
		return nil, err
	}
	if err := pl.provider.CheckExit(t, pl.id, exitTime); err != nil {
		return nil, err
	}
	r := &UsageRequest{Plaza: pl.id, ExitTime: exitTime, Ticket: t}
	if err := signRecord(pl.key, contextUsage, r.body(), &r.sig); err != nil {
		return nil, err
	}
	return r, nil
}
