package charging

import (
	"context"
	"errors"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/billing"
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

// TestDeliverToStoppedBook: after an append of unknown outcome (here its
// request's context ended) the collector's book appends nothing more until
// it is reopened, and answers every later record with billing's ErrRefused.
// The charger took that answer for a refusal for good and dropped those
// records from its queue: they were never billed. Now they stay queued, and
// once the collector is reopened the next delivery bills each once.
func TestDeliverToStoppedBook(t *testing.T) {
	w := newWorld(t, 2)
	c := w.charger(ledger.NewMemory(), "charger-1")
	ss := w.sessions(3, "charger-1")
	for _, s := range ss {
		_, err := c.Accept(ctx, s.Bytes(), s.Time())
		must(t, err)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	n, err := c.Deliver(ctx, func(_ context.Context, recs [][]byte) []error {
		return w.collector.Collect(ended, recs) // the collector's request has ended
	})
	wantErr(t, err, context.Canceled, billing.ErrRefused)
	if got := len(c.Pending()); n != 0 || got != len(ss) {
		t.Fatalf("%d billed and %d of %d records queued after a delivery the book could not take", n, got, len(ss))
	}
	again, err := OpenCharger(ctx, c.l, "charger-1", w.signer.Public(), rate)
	must(t, err)
	if got := len(again.Pending()); got != len(ss) {
		t.Fatalf("%d of %d records queued on the charger's ledger", got, len(ss))
	}

	w.reopenCollector()
	n, err = again.Deliver(ctx, w.collector.Collect)
	must(t, err)
	if billed := billedTo(t, w.bill()); n != len(ss) || len(billed) != len(ss) {
		t.Fatalf("delivered %d and billed %d of %d records", n, len(billed), len(ss))
	}
}
