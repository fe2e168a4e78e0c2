package tickets

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// OpenSpentStore returns a [trs.Store] kept on l: every record the store
// adds is appended to l (and, on a file ledger, synced) before
// CheckAndAdd returns, and opening the store replays the records already
// in l. Lookups are served from memory ([trs.NewMemoryStore]). Entries of
// other kinds are skipped, so the store may share l with other records;
// it must be the only spent store on l, and the only writer of its kind.
// If an append fails, l may hold the record anyway (a lost database
// connection), so every later CheckAndAdd fails until the store is
// reopened.
//
// A store shared by several processes needs a database store instead:
// this one is atomic within its process.
func OpenSpentStore(ctx context.Context, l ledger.Ledger) (trs.Store, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if l == nil {
		return nil, errors.New("tickets: spent store needs a ledger")
	}
	s := &spentStore{l: l, mem: trs.NewMemoryStore()}
	err := l.Scan(ctx, 0, func(e ledger.Entry) error {
		if e.Kind != kindSpent {
			return nil
		}
		r, fps, err := parseSpent(e.Payload)
		if err != nil {
			return fmt.Errorf("tickets: spent store: ledger entry %d: %w", e.Seq, err)
		}
		return s.mem.CheckAndAdd(ctx, r, fps, func([]trs.Match) (bool, error) { return true, nil })
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

type spentStore struct {
	l      ledger.Ledger
	mem    trs.Store
	failed atomic.Pointer[error] // an append failed: l may hold more than mem
}

func (s *spentStore) err() error {
	if e := s.failed.Load(); e != nil {
		return *e
	}
	return nil
}

// CheckAndAdd implements [trs.Store]. The memory store holds the tag's
// lock across lookup, decide, the ledger append and the addition, so the
// record is durable before any other check of its tag can see it.
func (s *spentStore) CheckAndAdd(ctx context.Context, r trs.Record, fps []uint64, decide func([]trs.Match) (bool, error)) error {
	if ctx == nil {
		return errNilContext
	}
	if len(fps) == 0 || len(fps) > trs.MaxRingSize {
		return fmt.Errorf("tickets: spent store: %d fingerprints", len(fps))
	}
	if err := s.err(); err != nil {
		return err
	}
	return s.mem.CheckAndAdd(ctx, r, fps, func(m []trs.Match) (bool, error) {
		if err := s.err(); err != nil {
			return false, err
		}
		add, err := decide(m)
		if err != nil || !add {
			return false, err
		}
		if _, err := s.l.Append(ctx, kindSpent, spentBytes(r, fps)); err != nil {
			failed := fmt.Errorf("tickets: spent store: an earlier record may or may not be on the ledger; reopen the store: %w", err)
			s.failed.CompareAndSwap(nil, &failed)
			return false, fmt.Errorf("tickets: spent store: %w", err)
		}
		return true, nil
	})
}

// spentBytes encodes a stored record with its fingerprints, so replay
// needs no point arithmetic.
func spentBytes(r trs.Record, fps []uint64) []byte {
	w := wire.NewWriter(kindSpent)
	w.Fixed(r.Bytes())
	w.Count(len(fps))
	for _, fp := range fps {
		w.U64(fp)
	}
	b, _ := w.Finish() // a count of at most MaxRingSize cannot fail
	return b
}

func parseSpent(b []byte) (trs.Record, []uint64, error) {
	r := wire.NewReader(b, kindSpent, "spent record", ErrMalformed)
	rec := wire.FixedValue(r, "record", trs.RecordSize, trs.ParseRecord)
	n := r.Count("fingerprints", 8)
	if r.Err() == nil && (n < 1 || n > trs.MaxRingSize) {
		r.Fail("fingerprints", fmt.Sprintf("%d fingerprints, want 1..%d", n, trs.MaxRingSize))
	}
	var fps []uint64
	if r.Err() == nil {
		fps = make([]uint64, n)
		for i := range fps {
			fps[i] = r.U64("fingerprint")
		}
	}
	if err := r.Done(); err != nil {
		return trs.Record{}, nil, err
	}
	return rec, fps, nil
}
