package credits

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/trs"
)

var errLost = errors.New("test: connection lost")

// lossyStore is a spent store whose next CheckAndAdd fails with errLost,
// after doing its work if store is set (the reply was lost) or without it
// (the request was).
type lossyStore struct {
	trs.Store
	fail, store bool
}

func (s *lossyStore) CheckAndAdd(ctx context.Context, rec trs.Record, fps []uint64, decide func([]trs.Match) (bool, error)) error {
	if !s.fail {
		return s.Store.CheckAndAdd(ctx, rec, fps, decide)
	}
	s.fail = false
	if s.store {
		if err := s.Store.CheckAndAdd(ctx, rec, fps, decide); err != nil {
			return err
		}
	}
	return errLost
}

// TestRedeemAfterStoreError: a spend whose store call failed may have been
// recorded. The holder presents the same credit again: the machine takes
// it once, whether the first spend was recorded (the store finds the
// ticket spent) or not (it is fresh); a third presentation is a replay. A
// machine made anew knows nothing of the failure and refuses the retry as
// Linked, as it refuses any copy.
func TestRedeemAfterStoreError(t *testing.T) {
	s := newShop(t, 4)
	now := t0.Add(time.Hour)
	for i, recorded := range []bool{true, false} {
		store := &lossyStore{Store: trs.NewMemoryStore()}
		m := s.machine(t, "vending-1", store)
		credit := s.spend(t, i, "vending-1", now)
		store.fail, store.store = true, recorded
		if _, err := m.Redeem(ctx, credit, now); !errors.Is(err, errLost) || errors.Is(err, ErrRefused) {
			t.Fatalf("recorded=%v: spend with a lost reply: %v", recorded, err)
		}
		if _, err := m.Redeem(ctx, credit, now); err != nil {
			t.Fatalf("recorded=%v: the holder's retry was refused: %v", recorded, err)
		}
		_, err := m.Redeem(ctx, credit, now)
		var reuse *tickets.ReuseError
		if !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
			t.Fatalf("recorded=%v: a third presentation: %v, want refused as Linked", recorded, err)
		}
	}

	store := &lossyStore{Store: trs.NewMemoryStore()}
	credit := s.spend(t, 2, "vending-1", now)
	store.fail, store.store = true, true
	if _, err := s.machine(t, "vending-1", store).Redeem(ctx, credit, now); !errors.Is(err, errLost) {
		t.Fatalf("spend with a lost reply: %v", err)
	}
	_, err := s.machine(t, "vending-1", store).Redeem(ctx, credit, now)
	var reuse *tickets.ReuseError
	if !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
		t.Fatalf("a new machine took a copy of a recorded spend: %v", err)
	}

	// A machine keeps at most maxInDoubt such spends.
	full := s.machine(t, "vending-1", store)
	for i := range maxInDoubt {
		full.inDoubt[[32]byte{byte(i), byte(i >> 8), 1}] = true
	}
	credit = s.spend(t, 3, "vending-1", now)
	store.fail, store.store = true, true
	if _, err := full.Redeem(ctx, credit, now); !errors.Is(err, errLost) {
		t.Fatalf("spend with a lost reply: %v", err)
	}
	if len(full.inDoubt) != maxInDoubt {
		t.Errorf("machine keeps %d spends of unknown outcome, want at most %d", len(full.inDoubt), maxInDoubt)
	}
	if _, err := full.Redeem(ctx, credit, now); !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
		t.Errorf("a full machine took the retry: %v", err)
	}
}
