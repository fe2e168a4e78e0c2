package toll

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// Authority is the registration authority: it certifies which ECDSA key
// speaks for which vehicle, once per vehicle ID. Its registrations are on
// its ledger. It is safe for concurrent use.
type Authority struct {
	key     *ecdsa.PrivateKey
	journal *journal.Journal // refuses every append after one of unknown outcome

	mu       sync.Mutex
	vehicles map[VehicleID]*registration
}

// OpenAuthority returns the authority that signs with key and keeps its
// registrations in l, replaying those l holds, each verified against key.
func OpenAuthority(ctx context.Context, key *ecdsa.PrivateKey, l ledger.Ledger) (*Authority, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if key == nil || l == nil {
		return nil, errors.New("toll: authority needs a key and a ledger")
	}
	a := &Authority{key: key, journal: journal.New(l, "toll: authority"), vehicles: make(map[VehicleID]*registration)}
	err := a.journal.Replay(ctx, func(e ledger.Entry) error {
		switch {
		case e.Kind == kindRegistration:
			r, err := parseRegistration(e.Payload)
			if err == nil {
				err = r.verify(key.Public())
			}
			if err != nil {
				return err
			}
			if _, ok := a.vehicles[r.vehicle]; !ok {
				a.vehicles[r.vehicle] = r
			}
		case unknownKind(e.Kind):
			return fmt.Errorf("unknown kind %#04x", uint16(e.Kind))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Register certifies that vehicle id is the holder of key, and returns the
// registration record for the vehicle. An ID is registered once: asked
// again with the same key, Register returns the recorded registration (so
// a vehicle can retry after an error); with another key it refuses.
//
// After a ledger append that failed — its outcome unknown, as when a
// database connection is lost — the authority registers nothing more;
// reopen it from its ledger, which knows whether the registration is there.
func (a *Authority) Register(ctx context.Context, id VehicleID, key *ecdsa.PublicKey, now time.Time) ([]byte, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	issued, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("toll: registration time: %w", err)
	}
	if key == nil {
		return nil, errors.New("toll: nil vehicle key")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if old, ok := a.vehicles[id]; ok {
		if !old.key.Equal(key) {
			return nil, fmt.Errorf("toll: vehicle %d is already registered with another key", id)
		}
		return old.bytes(), nil
	}
	r := &registration{vehicle: id, key: key, issued: issued}
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	if r.sig, err = signRecord(a.key, contextRegistration, body); err != nil {
		return nil, err
	}
	b := r.bytes()
	if err := a.journal.Append(ctx, kindRegistration, b, nil); err != nil {
		return nil, fmt.Errorf("toll: recording registration: %w", err)
	}
	a.vehicles[id] = r
	return b, nil
}
