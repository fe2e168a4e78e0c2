package journal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

var errSentinel = errors.New("test: refused")

// lossyLedger stores its first append and reports an error for it.
type lossyLedger struct {
	*ledger.Memory
	lost bool
}

var errLost = errors.New("connection lost")

func (l *lossyLedger) Append(ctx context.Context, k ledger.Kind, p []byte) (ledger.Entry, error) {
	e, err := l.Memory.Append(ctx, k, p)
	if err == nil && !l.lost {
		l.lost = true
		return ledger.Entry{}, errLost
	}
	return e, err
}

func TestJournalStopsAfterUnknownOutcome(t *testing.T) {
	ctx := context.Background()
	l := &lossyLedger{Memory: ledger.NewMemory()}
	j := New(l, "test role")
	if err := j.Append(ctx, 1, []byte("a"), errSentinel); !errors.Is(err, errLost) {
		t.Fatalf("first append: %v", err)
	}
	err := j.Append(ctx, 1, []byte("b"), errSentinel)
	if !errors.Is(err, errSentinel) || !errors.Is(err, errLost) || l.Len() != 1 {
		t.Fatalf("second append: %v, %d entries", err, l.Len())
	}
	if err := New(l, "reopened").Append(ctx, 1, []byte("b"), errSentinel); err != nil || l.Len() != 2 {
		t.Fatalf("a new journal on the reopened role: %v", err)
	}
	if e, err := New(l, "reopened").AppendEntry(ctx, 2, []byte("c"), errSentinel); err != nil || e.Seq != 2 || e.Kind != 2 || string(e.Payload) != "c" {
		t.Fatalf("the entry appended: %+v, %v", e, err)
	}
	var nilCtx context.Context
	if err := j.Append(nilCtx, 1, nil, errSentinel); !errors.Is(err, errSentinel) {
		t.Fatalf("nil context: %v", err)
	}
	var none *Journal
	if err := none.Append(ctx, 1, nil, errSentinel); err == nil {
		t.Fatal("nil journal appended")
	}
}

func TestReadyBeforeAppend(t *testing.T) {
	ctx := context.Background()
	l := &lossyLedger{Memory: ledger.NewMemory()}
	j := New(l, "test role")
	if err := j.Ready(ctx, errSentinel); err != nil {
		t.Fatalf("ready before any append: %v", err)
	}
	if err := j.Append(ctx, 1, []byte("a"), errSentinel); !errors.Is(err, errLost) {
		t.Fatalf("first append: %v", err)
	}
	if err := j.Ready(ctx, errSentinel); !errors.Is(err, errSentinel) || !errors.Is(err, errLost) {
		t.Fatalf("ready after an append of unknown outcome: %v", err)
	}
	var nilCtx context.Context
	if err := New(l, "reopened").Ready(nilCtx, errSentinel); !errors.Is(err, errSentinel) {
		t.Fatalf("ready with a nil context: %v", err)
	}
	if l.Len() != 1 {
		t.Fatalf("Ready appended: %d entries", l.Len())
	}
}

// TestReplay: every entry in order; the first refusal stops the replay and
// names the role and the entry, keeping the cause.
func TestReplay(t *testing.T) {
	ctx := context.Background()
	l := ledger.NewMemory()
	for _, p := range []string{"a", "b", "c"} {
		if _, err := l.Append(ctx, 1, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	j := New(l, "test role")
	var seen string
	if err := j.Replay(ctx, func(e ledger.Entry) error { seen += string(e.Payload); return nil }); err != nil || seen != "abc" {
		t.Fatalf("replayed %q: %v", seen, err)
	}
	seen = ""
	err := j.Replay(ctx, func(e ledger.Entry) error {
		seen += string(e.Payload)
		if string(e.Payload) == "b" {
			return errSentinel
		}
		return nil
	})
	if !errors.Is(err, errSentinel) || seen != "ab" || !strings.Contains(err.Error(), "test role: ledger entry 1") {
		t.Fatalf("refused replay: %v after %q", err, seen)
	}
	if err := j.Replay(ctx, nil); err == nil {
		t.Error("nil replay function accepted")
	}
}
