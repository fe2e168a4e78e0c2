package tickets

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// A UsedSet remembers 32-byte identifiers that may be used once: entry
// commitments, payment ids, delivered record digests.
type UsedSet interface {
	// Use records id as used and reports whether this call was its first
	// use, atomically against every other Use of the same set (across
	// processes for a database set). The set may forget id after until
	// (pruning); until must be after every time at which a second use
	// could still be accepted by the application's other checks.
	Use(ctx context.Context, id [32]byte, until time.Time) (first bool, err error)
}

// NewMemoryUsedSet returns a [UsedSet] in memory, safe for concurrent use.
// It never forgets an identifier.
func NewMemoryUsedSet() UsedSet { return &usedSet{ids: make(map[[32]byte]struct{})} }

// OpenUsedSet returns a [UsedSet] kept on l: a first use is appended to l
// (and, on a file ledger, synced) before Use returns, and opening the set
// replays the identifiers already in l. Entries of other kinds are
// skipped; it must be the only used set on l. It never forgets an
// identifier, and it is atomic within its process. If an append fails, l
// may hold the identifier anyway (a lost database connection), so every
// later Use fails until the set is reopened.
func OpenUsedSet(ctx context.Context, l ledger.Ledger) (UsedSet, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if l == nil {
		return nil, errors.New("tickets: used set needs a ledger")
	}
	s := &usedSet{l: l, journal: journal.New(l, "tickets: used set"), ids: make(map[[32]byte]struct{})}
	err := s.journal.Replay(ctx, func(e ledger.Entry) error {
		if e.Kind != kindUsed {
			return nil
		}
		id, _, err := parseUsed(e.Payload)
		if err != nil {
			return err
		}
		s.ids[id] = struct{}{}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

type usedSet struct {
	l       ledger.Ledger // nil in memory
	mu      sync.Mutex
	journal *journal.Journal // nil in memory; refuses every append after one of unknown outcome
	ids     map[[32]byte]struct{}
}

func (s *usedSet) Use(ctx context.Context, id [32]byte, until time.Time) (bool, error) {
	if ctx == nil {
		return false, errNilContext
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, used := s.ids[id]; used {
		return false, nil
	}
	if s.l != nil {
		rec, err := usedBytes(id, until)
		if err != nil {
			return false, err
		}
		if err := s.journal.Append(ctx, kindUsed, rec, nil); err != nil {
			return false, err
		}
	}
	s.ids[id] = struct{}{}
	return true, nil
}

func usedBytes(id [32]byte, until time.Time) ([]byte, error) {
	u, err := wire.Seconds(until)
	if err != nil {
		return nil, fmt.Errorf("tickets: used set: %w", err)
	}
	w := wire.NewWriter(kindUsed)
	w.Fixed(id[:])
	w.Time(u)
	return w.Finish()
}

func parseUsed(b []byte) ([32]byte, time.Time, error) {
	var id [32]byte
	r := wire.NewReader(b, kindUsed, "used identifier", ErrMalformed)
	copy(id[:], r.Fixed("id", len(id)))
	until := r.Time("until")
	if err := r.Done(); err != nil {
		return [32]byte{}, time.Time{}, err
	}
	return id, until, nil
}
