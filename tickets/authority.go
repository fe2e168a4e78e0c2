package tickets

import (
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
)

// Authority is the registration authority: it certifies which ECDSA key
// speaks for which vehicle. It is safe for concurrent use.
type Authority struct {
	key      *ecdsa.PrivateKey
	mu       sync.Mutex
	vehicles map[VehicleID]*VehicleRegistration
}

// NewAuthority returns an authority that signs with key.
func NewAuthority(key *ecdsa.PrivateKey) *Authority {
	return &Authority{key: key, vehicles: make(map[VehicleID]*VehicleRegistration)}
}

// PublicKey returns the key registrations verify under.
func (a *Authority) PublicKey() *ecdsa.PublicKey { return a.key.Public() }

// Register certifies that vehicle id is the holder of key. An ID is
// registered once.
func (a *Authority) Register(id VehicleID, key *ecdsa.PublicKey, now time.Time) (*VehicleRegistration, error) {
	issued, err := normalTime(now)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, dup := a.vehicles[id]; dup {
		return nil, fmt.Errorf("tickets: vehicle %d is already registered", id)
	}
	r := &VehicleRegistration{Vehicle: id, Key: key, Issued: issued}
	if err := signRecord(a.key, contextVehicle, r.body(), &r.sig); err != nil {
		return nil, err
	}
	a.vehicles[id] = r
	return r, nil
}

// Registration returns the registration of vehicle id.
func (a *Authority) Registration(id VehicleID) (*VehicleRegistration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.vehicles[id]
	return r, ok
}

// normalTime returns t as the whole-second UTC time its encoding stands
// for, or an error for a time before 1970.
func normalTime(t time.Time) (time.Time, error) {
	u, err := unixTime(t)
	if err != nil {
		return time.Time{}, err
	}
	return timeOf(u), nil
}
