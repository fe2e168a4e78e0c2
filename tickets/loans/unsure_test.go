package loans

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

var errLost = errors.New("connection lost")

// lateLedger reports an error for the append it is armed for, and that
// record lands later: just before the next append, as a database commit
// whose reply was lost can land while the next append waits for it.
type lateLedger struct {
	*ledger.Memory
	armed bool
	held  *ledger.Entry // kind and payload of the record still landing
}

func (l *lateLedger) Append(ctx context.Context, k ledger.Kind, p []byte) (ledger.Entry, error) {
	if l.armed {
		l.armed, l.held = false, &ledger.Entry{Kind: k, Payload: slices.Clone(p)}
		return ledger.Entry{}, errLost
	}
	l.land(ctx)
	return l.Memory.Append(ctx, k, p)
}

// land stores the held record, if any.
func (l *lateLedger) land(ctx context.Context) {
	if h := l.held; h != nil {
		l.held = nil
		if _, err := l.Memory.Append(ctx, h.Kind, h.Payload); err != nil {
			panic(err)
		}
	}
}

// TestSubmitStopsAfterUnknownOutcome: after an append whose outcome is
// unknown the pool submits nothing more until it is opened again. It went
// on checking records against a state without the one that failed, which
// could still land: a pledge that funded a loan failed, another pledge to
// the loan was accepted, both landed, and the ledger no longer replayed.
func TestSubmitStopsAfterUnknownOutcome(t *testing.T) {
	h := newHarness(t, 2, 1)
	id := h.request(0, 100, 100, 1, 1)
	late := &lateLedger{Memory: h.ledger}
	pool, err := Open(h.ctx, late, h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	funding, other := h.pledge(0, id, 100), h.pledge(1, id, 50)
	late.armed = true
	if err := pool.Submit(h.ctx, funding); !errors.Is(err, errLost) {
		t.Fatalf("the append that failed: %v", err)
	}
	n := late.Len()
	if err := pool.Submit(h.ctx, other); err == nil {
		t.Error("a record submitted after an append of unknown outcome")
	}
	if late.land(h.ctx); late.Len() != n+1 {
		t.Fatalf("the ledger has %d entries, want %d", late.Len(), n+1)
	}
	reopened, err := Open(h.ctx, late, h.key.Public())
	if err != nil {
		t.Fatalf("the ledger no longer replays: %v", err)
	}
	if l := reopened.Loans()[0]; l.Status != Funded || len(l.Pledges) != 1 {
		t.Fatalf("reopened: loan %v with %d pledges", l.Status, len(l.Pledges))
	}
	// The reopened pool takes the retry as a duplicate, and goes on.
	if err := reopened.Submit(h.ctx, funding); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("the retry: %v", err)
	}
	if err := reopened.Submit(h.ctx, h.must(h.platform.Close(reopened))); err != nil {
		t.Fatal(err)
	}
}
