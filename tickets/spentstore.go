package tickets

import (
	"context"
	"fmt"
	"sync"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// spentTable is the in-memory lookup structure of a spent store: per tag,
// the stored records and, per fingerprint, which of them have it.
type spentTable struct {
	mu   sync.RWMutex
	tags map[[trs.DigestSize]byte]*tagRecords
	n    int
}

type tagRecords struct {
	records []trs.Record
	byFP    map[uint64][]uint32
}

func (t *spentTable) matches(tag *[trs.DigestSize]byte, fps []uint64) []trs.Match {
	t.mu.RLock()
	defer t.mu.RUnlock()
	tr := t.tags[*tag]
	if tr == nil {
		return nil
	}
	var out []trs.Match
	for slot, fp := range fps {
		for _, j := range tr.byFP[fp] {
			out = append(out, trs.Match{Record: tr.records[j], Slot: slot})
		}
	}
	return out
}

func (t *spentTable) insert(r trs.Record, fps []uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tags == nil {
		t.tags = make(map[[trs.DigestSize]byte]*tagRecords)
	}
	tr := t.tags[r.Tag]
	if tr == nil {
		tr = &tagRecords{byFP: make(map[uint64][]uint32, len(fps))}
		t.tags[r.Tag] = tr
	}
	i := uint32(len(tr.records))
	tr.records = append(tr.records, r)
	for _, fp := range fps {
		// A record lists a fingerprint at most once, even if two of its
		// positions share it.
		if l := tr.byFP[fp]; len(l) == 0 || l[len(l)-1] != i {
			tr.byFP[fp] = append(l, i)
		}
	}
	t.n++
}

// removeLast undoes the latest insert of r with fps; used to roll back a
// settlement batch that could not be recorded.
func (t *spentTable) removeLast(r trs.Record, fps []uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tr := t.tags[r.Tag]
	i := uint32(len(tr.records) - 1)
	tr.records = tr.records[:i]
	for _, fp := range fps {
		if l := tr.byFP[fp]; len(l) > 0 && l[len(l)-1] == i {
			if len(l) == 1 {
				delete(tr.byFP, fp)
			} else {
				tr.byFP[fp] = l[:len(l)-1]
			}
		}
	}
	if len(tr.records) == 0 {
		delete(t.tags, r.Tag)
	}
	t.n--
}

func (t *spentTable) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.n
}

// SpentStore is a [trs.Store] kept on a ledger: every record the index adds
// is appended (and, on a file ledger, synced) as an entry of one kind
// before Add returns, and opening the store replays those entries. Lookups
// are served from memory. It is safe for concurrent use; [trs.Index]
// serialises the check-and-add of one tag, so two exits presenting
// signatures by one key cannot both be Fresh.
type SpentStore struct {
	mu    sync.Mutex // serialises check-and-add
	l     ledger.Ledger
	kind  ledger.Kind
	table spentTable
}

var _ trs.Store = (*SpentStore)(nil)

// OpenSpentStore returns the spent store kept in l under kind, with every
// entry of that kind already in l replayed. Entries of other kinds are
// skipped, so several stores and other records can share one ledger.
func OpenSpentStore(l ledger.Ledger, kind ledger.Kind) (*SpentStore, error) {
	s := &SpentStore{l: l, kind: kind}
	err := l.Scan(context.Background(), 0, func(e ledger.Entry) error {
		if e.Kind != kind {
			return nil
		}
		return s.replay(e)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *SpentStore) replay(e ledger.Entry) error {
	se, err := parseSpentEntry(e.Payload)
	if err != nil {
		return fmt.Errorf("tickets: ledger entry %d: %w", e.Seq, err)
	}
	s.table.insert(se.record, se.fps)
	return nil
}

// CheckAndAdd implements [trs.Store]: when decide says so, it appends r and
// its fingerprints to the ledger and then makes them visible to later
// checks. When it returns nil the record is durable.
func (s *SpentStore) CheckAndAdd(ctx context.Context, r trs.Record, fingerprints []uint64, decide func([]trs.Match) (bool, error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(fingerprints) == 0 || len(fingerprints) > trs.MaxRingSize {
		return fmt.Errorf("tickets: spent store: %d fingerprints", len(fingerprints))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	add, err := decide(s.table.matches(&r.Tag, fingerprints))
	if err != nil || !add {
		return err
	}
	e := spentEntry{record: r, fps: fingerprints}
	if _, err := s.l.Append(context.Background(), s.kind, e.bytes()); err != nil {
		return fmt.Errorf("tickets: spent store: %w", err)
	}
	s.table.insert(r, fingerprints)
	return nil
}

// Len returns the number of stored records.
func (s *SpentStore) Len() int { return s.table.len() }

// batchStore is the settlement's spent store: additions are held as
// pending until the batch record that carries them is on the ledger, so a
// batch is recorded whole or not at all. Only one settlement runs at a
// time (the provider's settle lock).
type batchStore struct {
	table   spentTable
	pending []spentEntry
}

func (s *batchStore) CheckAndAdd(_ context.Context, r trs.Record, fingerprints []uint64, decide func([]trs.Match) (bool, error)) error {
	add, err := decide(s.table.matches(&r.Tag, fingerprints))
	if err != nil || !add {
		return err
	}
	s.table.insert(r, fingerprints)
	s.pending = append(s.pending, spentEntry{record: r, fps: fingerprints})
	return nil
}

func (s *batchStore) take() []spentEntry {
	p := s.pending
	s.pending = nil
	return p
}

func (s *batchStore) rollback(p []spentEntry) {
	for i := len(p) - 1; i >= 0; i-- {
		s.table.removeLast(p[i].record, p[i].fps)
	}
}
