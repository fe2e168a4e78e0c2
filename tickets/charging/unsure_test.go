package charging

import (
	"errors"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestChargerAfterUnsureAppend: a ledger that stores an entry and still
// reports an error (a database connection lost after the insert) left the
// charger without the session it had stored. The car's retry was accepted
// again and went on the ledger twice, and the charger could no longer be
// opened ("accepted twice"). Now the charger refuses every later append,
// and a charger opened again from the ledger has the session queued once.
func TestChargerAfterUnsureAppend(t *testing.T) {
	w := newWorld(t, 3)
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	c := w.charger(l, "charger-3")
	ss := w.sessions(2, "charger-3")
	l.Fail = kindAccepted
	if _, err := c.Accept(ctx, ss[0].Bytes(), ss[0].Time()); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("first attempt: %v", err)
	}
	if _, err := c.Accept(ctx, ss[0].Bytes(), ss[0].Time()); err == nil {
		t.Fatal("the charger appended on after an append of unknown outcome")
	}
	again, err := OpenCharger(ctx, l, "charger-3", w.signer.Public(), rate)
	if err != nil {
		t.Fatalf("reopening the ledger: %v", err)
	}
	if got := again.Pending(); len(got) != 1 {
		t.Fatalf("%d sessions queued after reopening, want 1", len(got))
	}
	_, err = again.Accept(ctx, ss[0].Bytes(), ss[0].Time())
	wantErr(t, err, ErrReplayed)
	if _, err := again.Accept(ctx, ss[1].Bytes(), ss[1].Time()); err != nil {
		t.Fatal(err)
	}
}
