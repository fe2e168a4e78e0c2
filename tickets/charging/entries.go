package charging

import (
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// The entries of a charger's ledger (docs/spec/charging.md). Each holds
// what the charger must know again after a restart: the descriptors it
// accepts usage under, the records it accepted, and what the collector
// answered to their delivery.

// maxEntryRecords bounds the records of one accepted or delivered entry,
// and so the records a charger delivers in one call of its send function.
const maxEntryRecords = 4096

// Outcomes of a delivered record, as a delivered entry states them.
const (
	outcomeBilled  = 1 // on the collector's book
	outcomeRefused = 2 // refused by the collector for good
)

// periodEntry is a period descriptor, as the collector signed it.
type periodEntry struct{ descriptor []byte }

func (e *periodEntry) bytes() ([]byte, error) {
	w := wire.NewWriter(uint16(kindPeriod))
	w.Bytes(e.descriptor)
	return finish(w, "period entry")
}

func parsePeriodEntry(b []byte) (*periodEntry, error) {
	r := wire.NewReader(b, uint16(kindPeriod), "period entry", ErrMalformed)
	e := &periodEntry{descriptor: r.Bytes("descriptor")}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return e, nil
}

// acceptedEntry is a run of usage records the charger accepted under one
// period, in the order it accepted them.
type acceptedEntry struct {
	period  uint32
	records [][]byte
}

func (e *acceptedEntry) bytes() ([]byte, error) {
	w := wire.NewWriter(uint16(kindAccepted))
	w.U32(e.period)
	if n := len(e.records); n == 0 || n > maxEntryRecords {
		w.Fail(fmt.Errorf("%d records, want 1 to %d", n, maxEntryRecords))
	}
	w.Count(len(e.records))
	for _, rec := range e.records {
		w.Bytes(rec)
	}
	return finish(w, "accepted entry")
}

func parseAcceptedEntry(b []byte) (*acceptedEntry, error) {
	r := wire.NewReader(b, uint16(kindAccepted), "accepted entry", ErrMalformed)
	e := &acceptedEntry{period: r.U32("period")}
	n := r.Count("records", 4)
	if r.Err() == nil && (n == 0 || n > maxEntryRecords) {
		r.Fail("records", fmt.Sprintf("%d, want 1 to %d", n, maxEntryRecords))
	}
	for i := 0; i < n && r.Err() == nil; i++ {
		e.records = append(e.records, r.Bytes("record"))
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return e, nil
}

// deliveredEntry is the collector's final answer for records the charger
// delivered: billed or refused.
type deliveredEntry struct {
	ids      [][32]byte
	outcomes []byte
}

func (e *deliveredEntry) bytes() ([]byte, error) {
	w := wire.NewWriter(uint16(kindDelivered))
	if n := len(e.ids); n == 0 || n > maxEntryRecords || len(e.outcomes) != n {
		return nil, fmt.Errorf("%w: delivered entry: %d records with %d outcomes, want 1 to %d", ErrMalformed, n, len(e.outcomes), maxEntryRecords)
	}
	w.Count(len(e.ids))
	for i, id := range e.ids {
		w.Fixed(id[:])
		if o := e.outcomes[i]; o != outcomeBilled && o != outcomeRefused {
			w.Fail(fmt.Errorf("outcome %d", o))
		}
		w.U8(e.outcomes[i])
	}
	return finish(w, "delivered entry")
}

func parseDeliveredEntry(b []byte) (*deliveredEntry, error) {
	r := wire.NewReader(b, uint16(kindDelivered), "delivered entry", ErrMalformed)
	n := r.Count("records", 33)
	if r.Err() == nil && (n == 0 || n > maxEntryRecords) {
		r.Fail("records", fmt.Sprintf("%d, want 1 to %d", n, maxEntryRecords))
	}
	e := &deliveredEntry{}
	for i := 0; i < n && r.Err() == nil; i++ {
		var id [32]byte
		copy(id[:], r.Fixed("id", 32))
		e.ids = append(e.ids, id)
		o := r.U8("outcome")
		if r.Err() == nil && o != outcomeBilled && o != outcomeRefused {
			r.Fail("outcome", fmt.Sprintf("%d", o))
		}
		e.outcomes = append(e.outcomes, o)
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return e, nil
}

// finish returns the writer's encoding, its error wrapping ErrMalformed.
func finish(w *wire.Writer, what string) ([]byte, error) {
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	return b, nil
}
