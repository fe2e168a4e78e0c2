package charging

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// The layout of a billing usage record (docs/spec/billing.md), as a
// dishonest charger reads it:
//
//	header[3] || u32 period || period-digest[32] || u32 len || edge
//	          || amount[12] || time[8] || nonce[16] || u32 len || detail
//	          || u32 len || ring-sig
const usageLabel = "ringtrace/billing/usage/v1"

// amountAt returns the offset of the units of a usage record's amount.
func amountAt(b []byte) int {
	edge := int(binary.BigEndian.Uint32(b[39:43]))
	return 43 + edge + 4
}

// body returns a usage record without its ring signature.
func body(b []byte, ringSize int) []byte {
	return bytes.Clone(b[:len(b)-4-arsig.SignatureSize(ringSize)])
}

// TestChargerCannotChangeAmount: a charger that inflates a session's amount
// (alone, or with the energy to match) delivers a record that fails the
// ring signature; the collector refuses it and bills the car only what it
// signed.
func TestChargerCannotChangeAmount(t *testing.T) {
	w := newWorld(t, 3)
	c := w.charger(ledger.NewMemory(), "charger-2")
	s := w.session(1, "charger-2", 10_000, tStart.Add(time.Hour))
	_, err := c.Accept(ctx, s.Bytes(), s.Time())
	must(t, err)

	inflated := c.Pending()[0]
	binary.BigEndian.PutUint64(inflated[amountAt(inflated):], uint64(s.Amount().Units()*10))
	matched := bytes.Clone(inflated) // and 100 kWh to go with it
	binary.BigEndian.PutUint64(matched[len(matched)-4-arsig.SignatureSize(3)-12-8:], 100_000)
	for _, b := range [][]byte{inflated, matched} {
		errs := w.collector.Collect(ctx, [][]byte{b})
		wantErr(t, errs[0], billing.ErrBadSignature, arsig.ErrInvalidSignature)
		other := w.charger(ledger.NewMemory(), "charger-2")
		_, err := other.Accept(ctx, b, s.Time())
		wantErr(t, err, ErrRefused, billing.ErrBadSignature)
	}
	n, err := c.Deliver(ctx, w.collector.Collect)
	must(t, err)
	invs := w.bill()
	if n != 1 || len(invs) != 1 || invs[0].Total() != s.Amount() || !invs[0].User().Equal(w.cars[1].Public()) {
		t.Fatalf("billed %v, want the %v the car signed", invs[0].Total(), s.Amount())
	}
}

// TestChargerCannotMakeUpRecord: without a ring member's key a charger
// cannot make a record that verifies. A made-up session signed by the
// charger under a ring of its own, or under a period of its own making, is
// refused by other chargers and by the collector.
func TestChargerCannotMakeUpRecord(t *testing.T) {
	w := newWorld(t, 3)
	genuine := w.session(0, "charger-2", 10_000, tStart.Add(time.Hour))
	mine, err := arsig.GenerateKey()
	must(t, err)
	ring, err := arsig.NewRing([]*arsig.PublicKey{mine.Public(), w.cars[0].Public(), w.cars[1].Public()})
	must(t, err)
	opener, err := arsig.ParseOpenerPublicKey(w.period[3+4+33 : 3+4+33+32])
	must(t, err)

	// A new session: the genuine one's fields with another nonce.
	b := body(genuine.Bytes(), 3)
	b[amountAt(b)+8+8] ^= 0xff
	id := wire.Digest(usageLabel, b)
	sig, err := arsig.Sign(mine, ring, opener, id[:])
	must(t, err)
	madeUp := binary.BigEndian.AppendUint32(b, uint32(len(sig.Bytes())))
	madeUp = append(madeUp, sig.Bytes()...)

	c := w.charger(ledger.NewMemory(), "charger-2")
	_, err = c.Accept(ctx, madeUp, genuine.Time())
	wantErr(t, err, ErrRefused, billing.ErrBadSignature)
	wantErr(t, w.collector.Collect(ctx, [][]byte{madeUp})[0], billing.ErrBadSignature)

	// A period of the charger's own: a collector of its own with its own
	// keys, under which it signs freely.
	own := newWorld(t, 2)
	fake, err := NewSession(own.cars[0], own.descriptor(), "charger-2", 10_000, rate, genuine.Time())
	must(t, err)
	_, err = c.AddPeriod(ctx, own.period)
	wantErr(t, err, ErrRefused, billing.ErrBadSignature)
	_, err = c.Accept(ctx, fake.Bytes(), genuine.Time())
	wantErr(t, err, ErrRefused, billing.ErrPeriod)
	wantErr(t, w.collector.Collect(ctx, [][]byte{fake.Bytes()})[0], billing.ErrPeriod)

	if len(c.Pending()) != 0 {
		t.Fatal("a made-up record was queued")
	}
	if invs, err := w.collector.DraftInvoices(1, tEnd, tEnd); err == nil || len(invs) != 0 {
		t.Fatal("the open period has invoices")
	}
	must(t, w.collector.ClosePeriod(ctx, tEnd))
	if invs, err := w.collector.DraftInvoices(1, tEnd.Add(time.Hour), tEnd.Add(48*time.Hour)); err != nil || len(invs) != 0 {
		t.Fatalf("%d invoices for made-up records (%v)", len(invs), err)
	}
}

// TestTwoChargersOneRecord: chargers of one station share its identifier;
// a car that hands its session to both (a retry on the next connector) is
// billed once, however often both deliver, and so is a queue a third party
// relays.
func TestTwoChargersOneRecord(t *testing.T) {
	w := newWorld(t, 2)
	a := w.charger(ledger.NewMemory(), "station-5")
	b := w.charger(ledger.NewMemory(), "station-5")
	ss := w.sessions(3, "station-5")
	for _, s := range ss {
		for _, c := range []*Charger{a, b} {
			_, err := c.Accept(ctx, s.Bytes(), s.Time())
			must(t, err)
		}
	}
	// A relay carries a's queue to the collector first.
	for _, err := range w.collector.Collect(ctx, a.Pending()) {
		must(t, err)
	}
	for range 2 {
		for _, c := range []*Charger{b, a} {
			_, err := c.Deliver(ctx, w.collector.Collect)
			must(t, err)
		}
	}
	billed := billedTo(t, w.bill())
	if len(billed) != 3 {
		t.Fatalf("%d records billed, want 3", len(billed))
	}
	for i, s := range ss {
		if billed[s.ID()] != string(w.cars[i%2].Public().Bytes()) {
			t.Fatalf("session %d billed to another car", i)
		}
	}
}

// TestReplayRefusesForeignLedger: a charger opens only a ledger it wrote:
// an entry changed, unknown, out of order or inconsistent is refused,
// naming the entry; other packages' entries are skipped.
func TestReplayRefusesForeignLedger(t *testing.T) {
	w := newWorld(t, 2)
	l := ledger.NewMemory()
	c := w.charger(l, "charger-1")
	ss := w.sessions(3, "charger-1")
	for _, s := range ss[:2] {
		_, err := c.Accept(ctx, s.Bytes(), s.Time())
		must(t, err)
	}
	_, err := c.Deliver(ctx, w.collector.Collect)
	must(t, err)
	_, err = c.Accept(ctx, ss[2].Bytes(), ss[2].Time())
	must(t, err)
	var entries []ledger.Entry
	must(t, l.Scan(ctx, 0, func(e ledger.Entry) error { entries = append(entries, e); return nil }))
	// entries: period, accepted, accepted, delivered, accepted

	rebuild := func(es []ledger.Entry) error {
		m := ledger.NewMemory()
		for _, e := range es {
			if _, err := m.Append(ctx, e.Kind, e.Payload); err != nil {
				return err
			}
		}
		got, err := OpenCharger(ctx, m, "charger-1", w.signer.Public(), rate)
		if err == nil && len(got.Pending()) != 1 {
			t.Fatalf("%d records pending after replay, want 1", len(got.Pending()))
		}
		return err
	}
	with := func(i int, e ledger.Entry) []ledger.Entry {
		es := append([]ledger.Entry(nil), entries...)
		es[i] = e
		return es
	}
	foreign := ledger.Entry{Kind: 0x0105, Payload: []byte("a used set's entry")}
	must(t, rebuild(append([]ledger.Entry{foreign}, entries...)))

	changed := bytes.Clone(entries[1].Payload)
	changed[len(changed)-1] ^= 1 // the ring signature
	accepted2, err := (&acceptedEntry{period: 2, records: [][]byte{ss[0].Bytes()}}).bytes()
	must(t, err)
	again, err := (&acceptedEntry{period: 1, records: [][]byte{ss[0].Bytes()}}).bytes()
	must(t, err)
	for name, es := range map[string][]ledger.Entry{
		"a record changed":          with(1, ledger.Entry{Kind: kindAccepted, Payload: changed}),
		"records before the period": append([]ledger.Entry(nil), entries[1:]...),
		"records of an unknown period": append(append([]ledger.Entry(nil), entries...),
			ledger.Entry{Kind: kindAccepted, Payload: accepted2}),
		"a record accepted twice": append(append([]ledger.Entry(nil), entries...),
			ledger.Entry{Kind: kindAccepted, Payload: again}),
		"a delivery before the records": {entries[0], entries[3], entries[1], entries[2], entries[4]},
		"a delivery twice":              append(append([]ledger.Entry(nil), entries...), entries[3]),
		"a period twice":                append([]ledger.Entry{entries[0]}, entries...),
		"an unknown kind":               append(append([]ledger.Entry(nil), entries...), ledger.Entry{Kind: 0x0d7f, Payload: []byte{1}}),
		"a session detail as an entry":  append(append([]ledger.Entry(nil), entries...), ledger.Entry{Kind: kindSession, Payload: []byte{1}}),
		"a malformed entry":             with(3, ledger.Entry{Kind: kindDelivered, Payload: entries[3].Payload[:10]}),
	} {
		err := rebuild(es)
		if err == nil {
			t.Errorf("%s: opened", name)
			continue
		}
		wantErr(t, err, ErrMalformed)
	}
	// At another rate the same ledger opens: the rate is checked when a
	// session is accepted, not again.
	m := ledger.NewMemory()
	for _, e := range entries {
		_, err := m.Append(ctx, e.Kind, e.Payload)
		must(t, err)
	}
	_, err = OpenCharger(ctx, m, "charger-1", w.signer.Public(), money.MustNew(45, eur))
	must(t, err)
	// A period entry whose descriptor the collector did not sign (here: the
	// ledger opened with another collector's key) is not the charger's
	// writing either, and is refused as malformed.
	stranger, err := ecdsa.GenerateKey()
	must(t, err)
	_, err = OpenCharger(ctx, m, "charger-1", stranger.Public(), rate)
	wantErr(t, err, ErrMalformed, billing.ErrBadSignature)
}

// TestChargerBadInputs: nil and zero-value arguments are errors, never
// panics.
func TestChargerBadInputs(t *testing.T) {
	w := newWorld(t, 2)
	key := w.signer.Public()
	l := ledger.NewMemory()
	var nilCtx context.Context
	for name, f := range map[string]func() error{
		"nil context":  func() error { _, err := OpenCharger(nilCtx, l, "c", key, rate); return err },
		"nil ledger":   func() error { _, err := OpenCharger(ctx, nil, "c", key, rate); return err },
		"nil key":      func() error { _, err := OpenCharger(ctx, l, "c", nil, rate); return err },
		"no id":        func() error { _, err := OpenCharger(ctx, l, "", key, rate); return err },
		"zero rate":    func() error { _, err := OpenCharger(ctx, l, "c", key, money.Amount{}); return err },
		"zero charger": func() error { _, err := (&Charger{}).Accept(ctx, nil, tStart); return err },
		"nil charger":  func() error { _, err := (*Charger)(nil).AddPeriod(ctx, w.period); return err },
		"zero deliver": func() error { _, err := (&Charger{}).Deliver(ctx, w.collector.Collect); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			wantErr(t, err, ErrMalformed)
		}
	}
	c := w.charger(l, "c")
	for name, f := range map[string]func() error{
		"accept, nil context":  func() error { _, err := c.Accept(nilCtx, nil, tStart); return err },
		"add, nil context":     func() error { _, err := c.AddPeriod(nilCtx, w.period); return err },
		"deliver, nil context": func() error { _, err := c.Deliver(nilCtx, w.collector.Collect); return err },
		"deliver, nil send":    func() error { _, err := c.Deliver(ctx, nil); return err },
		"batch, nil context":   func() error { _, errs := c.AcceptBatch(nilCtx, [][]byte{nil}, tStart); return errs[0] },
		"batch, zero charger":  func() error { _, errs := (&Charger{}).AcceptBatch(ctx, [][]byte{nil}, tStart); return errs[0] },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			wantErr(t, err, ErrMalformed)
		}
	}
	if (*Charger)(nil).Pending() != nil || (&Charger{}).Pending() != nil {
		t.Error("Pending of a charger not opened")
	}
	if _, errs := c.AcceptBatch(ctx, nil, tStart); len(errs) != 0 {
		t.Error("an empty batch")
	}
}
