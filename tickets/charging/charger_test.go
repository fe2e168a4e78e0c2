package charging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestChargerAccept: a charger built from the descriptor's bytes accepts
// its cars' sessions, each once, and refuses everything else, each for its
// reason.
func TestChargerAccept(t *testing.T) {
	w := newWorld(t, 3)
	c := w.charger(ledger.NewMemory(), "charger-7")
	now := tStart.Add(time.Hour)
	s := w.session(1, "charger-7", 12345, now)
	got, err := c.Accept(ctx, s.Bytes(), now.Add(time.Minute))
	must(t, err)
	if got.ID() != s.ID() || got.Energy() != 12345 || got.Amount() != s.Amount() {
		t.Fatal("accepted session's fields")
	}
	if p := c.Pending(); len(p) != 1 || !bytes.Equal(p[0], s.Bytes()) {
		t.Fatal("the session is not queued")
	}

	t.Run("replayed", func(t *testing.T) {
		_, err := c.Accept(ctx, s.Bytes(), now)
		wantErr(t, err, ErrReplayed)
		if len(c.Pending()) != 1 {
			t.Fatal("a replay was queued")
		}
	})
	refuse := func(t *testing.T, b []byte, at time.Time, targets ...error) {
		t.Helper()
		before := len(c.Pending())
		got, err := c.Accept(ctx, b, at)
		if got != nil {
			t.Fatal("a session returned with an error")
		}
		wantErr(t, err, targets...)
		if len(c.Pending()) != before {
			t.Fatal("a refused session was queued")
		}
	}
	t.Run("for another charger", func(t *testing.T) {
		refuse(t, w.session(0, "charger-8", 1000, now).Bytes(), now, ErrRefused, billing.ErrPeriod)
	})
	t.Run("at another rate", func(t *testing.T) {
		o, err := NewSession(w.cars[0], w.descriptor(), "charger-7", 1000, eurs(40), now)
		must(t, err)
		refuse(t, o.Bytes(), now, ErrRefused)
	})
	t.Run("far from the charger's clock", func(t *testing.T) {
		early := w.session(0, "charger-7", 1000, now)
		refuse(t, early.Bytes(), now.Add(MaxSkew+time.Second), ErrRefused)
		refuse(t, early.Bytes(), now.Add(-MaxSkew-time.Second), ErrRefused)
		_, err := c.Accept(ctx, early.Bytes(), now.Add(MaxSkew))
		must(t, err)
	})
	t.Run("not a session", func(t *testing.T) {
		u, err := billing.NewUsage(w.cars[0], w.descriptor(), "charger-7", eurs(39), now, []byte("1000 Wh"))
		must(t, err)
		refuse(t, u.Bytes(), now, ErrMalformed)
	})
	t.Run("changed after signing", func(t *testing.T) {
		b := w.session(2, "charger-7", 1000, now).Bytes()
		b[len(b)-1] ^= 1
		refuse(t, b, now, ErrRefused, billing.ErrBadSignature)
	})
	t.Run("garbage", func(t *testing.T) {
		refuse(t, []byte{1, 0x0b, 0x06, 0}, now, ErrMalformed, billing.ErrMalformed)
		refuse(t, nil, now, ErrMalformed)
	})
	t.Run("no period for the time", func(t *testing.T) {
		refuse(t, w.session(0, "charger-7", 1000, now).Bytes(), tEnd.Add(time.Hour), ErrUnknownPeriod)
	})
}

// TestChargerPeriods: a charger offline when a period opens learns its
// descriptor from a car; around the change it accepts sessions of either
// period, and neither period's records under the other.
func TestChargerPeriods(t *testing.T) {
	w := newWorld(t, 2)
	l := ledger.NewMemory()
	c := w.charger(l, "charger-1")
	late := w.session(0, "charger-1", 1000, tEnd.Add(-time.Minute))
	stale := w.session(1, "charger-1", 1000, tEnd.Add(-time.Minute))
	w.next()
	early := w.session(1, "charger-1", 2000, tEnd.Add(time.Minute))

	_, err := c.Accept(ctx, early.Bytes(), tEnd.Add(MaxSkew+time.Minute))
	wantErr(t, err, ErrUnknownPeriod)
	// Only period 1 is held, and it has ended: the session may be of a
	// period the charger has not been given, and the car is told to hand
	// it over.
	_, err = c.Accept(ctx, early.Bytes(), tEnd.Add(time.Minute))
	wantErr(t, err, ErrUnknownPeriod, billing.ErrPeriod)
	_, errs := c.AcceptBatch(ctx, [][]byte{early.Bytes()}, tEnd.Add(time.Minute))
	wantErr(t, errs[0], ErrUnknownPeriod, billing.ErrPeriod)
	p, err := c.AddPeriod(ctx, w.period) // the car's copy
	must(t, err)
	if p.ID() != 2 {
		t.Fatal("period number")
	}
	if again, err := c.AddPeriod(ctx, w.period); err != nil || again != p {
		t.Fatal("adding a period twice")
	}
	entries := l.Len()
	ss, errs := c.AcceptBatch(ctx, [][]byte{early.Bytes(), late.Bytes()}, tEnd)
	must(t, errors.Join(errs...))
	if ss[0].ID() != early.ID() || ss[1].ID() != late.ID() {
		t.Fatal("batch across the change")
	}
	if l.Len() != entries+2 {
		t.Fatalf("a batch across the change took %d ledger entries, want one per period", l.Len()-entries)
	}
	// Once period 2 is well under way, a session of period 1 (whose
	// period may have closed at the collector) is refused.
	_, err = c.Accept(ctx, stale.Bytes(), tEnd.Add(time.Hour))
	wantErr(t, err, ErrRefused, billing.ErrPeriod)

	t.Run("a descriptor another key signed", func(t *testing.T) {
		fake, err := ecdsa.GenerateKey()
		must(t, err)
		other, err := OpenCharger(ctx, ledger.NewMemory(), "charger-1", fake.Public(), rate)
		must(t, err)
		_, err = other.AddPeriod(ctx, w.period)
		wantErr(t, err, ErrRefused, billing.ErrBadSignature)
		_, err = other.AddPeriod(ctx, []byte("period"))
		wantErr(t, err, ErrMalformed, billing.ErrMalformed)
	})
	t.Run("an identifier no edge may have", func(t *testing.T) {
		bad, err := OpenCharger(ctx, ledger.NewMemory(), "charger 1", w.signer.Public(), rate)
		must(t, err)
		_, err = bad.AddPeriod(ctx, w.period)
		wantErr(t, err, ErrMalformed)
	})
}

// TestChargerAcceptBatch: a batch gives, session by session, what Accept
// gives, and a record twice in one batch is accepted once.
func TestChargerAcceptBatch(t *testing.T) {
	w := newWorld(t, 3)
	now := tStart.Add(time.Hour)
	good := w.sessions(3, "charger-7")
	for i, s := range good {
		good[i] = w.session(i, "charger-7", s.Energy(), now)
	}
	changed := w.session(0, "charger-7", 500, now).Bytes()
	changed[len(changed)-1] ^= 1
	other, err := NewSession(w.cars[1], w.descriptor(), "charger-7", 1000, eurs(40), now)
	must(t, err)
	batch := [][]byte{
		good[0].Bytes(),
		w.session(1, "charger-8", 1000, now).Bytes(),
		good[1].Bytes(),
		changed,
		other.Bytes(),
		{1, 2, 3},
		good[0].Bytes(),
		good[2].Bytes(),
	}
	want := []error{nil, ErrRefused, nil, ErrRefused, ErrRefused, ErrMalformed, ErrReplayed, nil}
	single := w.charger(ledger.NewMemory(), "charger-7")
	l := ledger.NewMemory()
	c := w.charger(l, "charger-7")
	entries := l.Len()
	ss, errs := c.AcceptBatch(ctx, batch, now)
	if l.Len() != entries+1 {
		t.Fatalf("the batch took %d ledger entries", l.Len()-entries)
	}
	for i, b := range batch {
		s, err := single.Accept(ctx, b, now)
		if want[i] == nil {
			if errs[i] != nil || err != nil || ss[i].ID() != s.ID() {
				t.Errorf("record %d: %v, %v", i, errs[i], err)
			}
			continue
		}
		if ss[i] != nil {
			t.Errorf("record %d: a session with error %v", i, errs[i])
		}
		wantErr(t, errs[i], want[i])
		wantErr(t, err, want[i])
	}
	if got := c.Pending(); len(got) != 3 || !bytes.Equal(got[0], batch[0]) || !bytes.Equal(got[1], batch[2]) || !bytes.Equal(got[2], batch[7]) {
		t.Fatal("the queue after the batch")
	}
	_, errs = c.AcceptBatch(ctx, records(good), now)
	for _, err := range errs {
		wantErr(t, err, ErrReplayed)
	}
	_, errs = c.AcceptBatch(ctx, records(good), tEnd.Add(time.Hour))
	for _, err := range errs {
		wantErr(t, err, ErrUnknownPeriod)
	}
}

// TestAcceptBatchEntries: a batch takes one ledger entry per 4096
// sessions, and a charger opened again from them has every session queued,
// in order.
func TestAcceptBatchEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("signs 4097 sessions")
	}
	w := newWorld(t, 2)
	l := ledger.NewMemory()
	c := w.charger(l, "charger-1")
	p := w.descriptor()
	now := tStart.Add(time.Hour)
	ss := make([]*Session, maxEntryRecords+1)
	for i := range ss {
		var err error
		ss[i], err = NewSession(w.cars[i%2], p, "charger-1", uint64(1000+i), rate, now)
		must(t, err)
	}
	entries := l.Len()
	_, errs := c.AcceptBatch(ctx, records(ss), now)
	must(t, errors.Join(errs...))
	if l.Len() != entries+2 {
		t.Fatalf("%d sessions took %d ledger entries, want 2", len(ss), l.Len()-entries)
	}
	again, err := OpenCharger(ctx, l, "charger-1", w.signer.Public(), rate)
	must(t, err)
	got := again.Pending()
	if len(got) != len(ss) {
		t.Fatalf("%d of %d sessions queued after reopening", len(got), len(ss))
	}
	for i := range ss {
		if !bytes.Equal(got[i], ss[i].Bytes()) {
			t.Fatalf("session %d queued out of order", i)
		}
	}
}

// TestChargerRestart: the queue is on the charger's file ledger; a charger
// reopened after a crash has the same queue, still refuses what it
// accepted, and remembers what it delivered.
func TestChargerRestart(t *testing.T) {
	w := newWorld(t, 3)
	path := filepath.Join(t.TempDir(), "charger.ledger")
	f, err := ledger.OpenFile(path)
	must(t, err)
	c := w.charger(f, "charger-3")
	ss := w.sessions(6, "charger-3")
	for _, s := range ss[:4] {
		_, err := c.Accept(ctx, s.Bytes(), s.Time())
		must(t, err)
	}
	// A crash: the process dies with the file open; the next one opens it.
	reopen := func() *Charger {
		t.Helper()
		must(t, f.Close())
		f, err = ledger.OpenFile(path)
		must(t, err)
		c, err := OpenCharger(ctx, f, "charger-3", w.signer.Public(), rate)
		must(t, err)
		return c
	}
	c = reopen()
	if got := c.Pending(); len(got) != 4 || !bytes.Equal(got[3], ss[3].Bytes()) {
		t.Fatalf("%d records queued after the restart, want 4", len(got))
	}
	_, err = c.Accept(ctx, ss[1].Bytes(), ss[1].Time())
	wantErr(t, err, ErrReplayed)

	n, err := c.Deliver(ctx, w.collector.Collect)
	must(t, err)
	if n != 4 || len(c.Pending()) != 0 {
		t.Fatalf("delivered %d, %d left", n, len(c.Pending()))
	}
	_, errs := c.AcceptBatch(ctx, records(ss[4:]), ss[4].Time())
	must(t, errors.Join(errs...))
	c = reopen()
	if got := c.Pending(); len(got) != 2 || !bytes.Equal(got[0], ss[4].Bytes()) {
		t.Fatalf("%d records queued after the second restart, want 2", len(got))
	}
	_, err = c.Accept(ctx, ss[0].Bytes(), ss[0].Time())
	wantErr(t, err, ErrReplayed) // delivered, and still refused
	n, err = c.Deliver(ctx, w.collector.Collect)
	must(t, err)
	if n != 2 {
		t.Fatalf("delivered %d, want 2", n)
	}
	billed := billedTo(t, w.bill())
	if len(billed) != 6 {
		t.Fatalf("%d records billed, want 6", len(billed))
	}
	must(t, f.Close())

	t.Run("another charger's ledger", func(t *testing.T) {
		f, err := ledger.OpenFile(path)
		must(t, err)
		defer f.Close()
		_, err = OpenCharger(ctx, f, "charger-4", w.signer.Public(), rate)
		wantErr(t, err, ErrMalformed, billing.ErrPeriod)
	})
}

// TestDeliver: what the collector answers decides what leaves the queue.
func TestDeliver(t *testing.T) {
	w := newWorld(t, 2)
	c := w.charger(ledger.NewMemory(), "charger-1")
	ss := w.sessions(4, "charger-1")
	for _, s := range ss {
		_, err := c.Accept(ctx, s.Bytes(), s.Time())
		must(t, err)
	}
	offline := errors.New("no network")
	n, err := c.Deliver(ctx, func(_ context.Context, recs [][]byte) []error {
		errs := make([]error, len(recs))
		for i := range errs {
			errs[i] = offline
		}
		return errs
	})
	if n != 0 || !errors.Is(err, offline) || len(c.Pending()) != 4 {
		t.Fatalf("an offline delivery: %d, %v, %d left", n, err, len(c.Pending()))
	}
	n, err = c.Deliver(ctx, func(context.Context, [][]byte) []error { return nil })
	if n != 0 || err == nil || len(c.Pending()) != 4 {
		t.Fatal("a transport that answers nothing emptied the queue")
	}
	// The collector takes two, the third is lost in transit, and the
	// fourth is refused for good (the transport answers with billing's
	// ErrPeriod, as for a record that arrives after its period closed).
	n, err = c.Deliver(ctx, func(ctx context.Context, recs [][]byte) []error {
		errs := w.collector.Collect(ctx, recs[:2])
		return append(errs, offline, fmt.Errorf("collector: %w", billing.ErrPeriod))
	})
	wantErr(t, err, offline)
	wantErr(t, err, ErrRefused, billing.ErrPeriod)
	if got := c.Pending(); n != 2 || len(got) != 1 || !bytes.Equal(got[0], ss[2].Bytes()) {
		t.Fatalf("billed %d, %d left", n, len(got))
	}
	// A delivery that reached the collector but whose answer was lost: the
	// queue is sent again and billed once.
	_ = w.collector.Collect(ctx, c.Pending())
	n, err = c.Deliver(ctx, w.collector.Collect)
	must(t, err)
	if n != 1 || len(c.Pending()) != 0 {
		t.Fatal("the last record")
	}
	if n, err := c.Deliver(ctx, w.collector.Collect); n != 0 || err != nil {
		t.Fatal("an empty queue")
	}
	if len(billedTo(t, w.bill())) != 3 {
		t.Fatal("want the 3 records the collector took billed, once each")
	}
}

// TestDeliverInRuns: a long queue goes to the collector at most 1024
// records a call, oldest first.
func TestDeliverInRuns(t *testing.T) {
	w := newWorld(t, 2)
	c := w.charger(ledger.NewMemory(), "charger-1")
	now := tStart.Add(time.Hour)
	ss := make([]*Session, maxDelivery+6)
	for i := range ss {
		ss[i] = w.session(i%2, "charger-1", uint64(1000+i), now)
	}
	_, errs := c.AcceptBatch(ctx, records(ss), now)
	must(t, errors.Join(errs...))
	var calls []int
	var sent [][]byte
	n, err := c.Deliver(ctx, func(ctx context.Context, recs [][]byte) []error {
		calls = append(calls, len(recs))
		sent = append(sent, recs...)
		return w.collector.Collect(ctx, recs)
	})
	must(t, err)
	if n != len(ss) || len(calls) != 2 || calls[0] != maxDelivery || calls[1] != 6 {
		t.Fatalf("delivered %d in calls of %v", n, calls)
	}
	for i := range ss {
		if !bytes.Equal(sent[i], ss[i].Bytes()) {
			t.Fatalf("record %d sent out of order", i)
		}
	}
}
