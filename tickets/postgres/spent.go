package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ringtrace/ringtrace/trs"
)

// ErrUnregisteredTag is wrapped by the error [SpentStore.CheckAndAdd]
// returns for a tag that was never registered with [SpentStore.Register],
// or whose records have been pruned (registering it again does not undo
// that). Nothing is stored.
var ErrUnregisteredTag = errors.New("postgres: tag not registered with the spent store")

// SpentStore is a [trs.Store] in PostgreSQL, shared by every process that
// must accept a signature under a tag once: one row per tag, locked by each
// check-and-add on it, and one row per stored signature (the tag's row
// number, A0, A1 and the fingerprints). [trs.Index.CheckAndAdd] over it is
// atomic across processes and machines.
//
// A tag must be registered, with the time after which its records may be
// pruned, before signatures under it are checked; see [SpentStore.Register].
type SpentStore struct {
	pool       *pgxpool.Pool
	isolation  pgx.TxIsoLevel
	pruneBatch int
	// hook, if set, is called at the points of a check-and-add that the
	// tests interrupt, with the transaction's backend process id.
	hook func(point hookPoint, backendPID uint32)
}

type hookPoint int

const (
	hookLocked   hookPoint = iota // the tag's row is locked and its records read
	hookInserted                  // the record is inserted, the commit not yet sent
)

var _ trs.Store = (*SpentStore)(nil)

func newSpentStore(pool *pgxpool.Pool) *SpentStore {
	return &SpentStore{pool: pool, isolation: pgx.ReadCommitted, pruneBatch: 100}
}

// Register makes tag known to the store, with until the time after which
// its records may be pruned: the end of the sale's validity plus the
// settlement grace, after which no application check accepts a signature
// under tag. Registering a tag again is harmless; the later until wins.
// Each process that checks signatures registers the tags it learns of (a
// sale it applies) before it checks any under them. Registering a tag that
// [SpentStore.Prune] has pruned changes nothing: it stays refused, so a
// process replaying old sales at startup may register them all.
func (s *SpentStore) Register(ctx context.Context, tag *trs.Tag, until time.Time) error {
	if ctx == nil || tag == nil || tag.Ring() == nil || until.IsZero() {
		return errors.New("postgres: spent store: nil context, nil tag or zero time")
	}
	digest := tag.Digest()
	_, err := s.pool.Exec(ctx, `
INSERT INTO ringtrace_spent_tags (digest, until) VALUES ($1, $2)
ON CONFLICT (digest) DO UPDATE SET until = excluded.until
	WHERE NOT ringtrace_spent_tags.pruned AND ringtrace_spent_tags.until < excluded.until`, digest[:], until)
	if err != nil {
		return fmt.Errorf("postgres: spent store: registering a tag: %w", err)
	}
	return nil
}

// CheckAndAdd implements [trs.Store]. In one READ COMMITTED transaction it
// locks the tag's row (SELECT … FOR UPDATE), then, in a later statement
// and so with a snapshot taken after the lock was granted, reads every
// record of the tag; it passes those that share a fingerprint with fps to
// decide and, if decide says so, inserts r and commits. A concurrent
// check-and-add on the same tag waits for the lock and then sees this
// one's record. Under REPEATABLE READ the second statement would see the
// snapshot taken before the lock was granted, and both would be Fresh.
//
// An error means nothing was stored, with one exception no client can
// avoid: if the connection is lost after the commit was sent, the record
// may be stored although CheckAndAdd reports an error (a retry of the same
// signature then reports Linked). A lost connection is never reported as
// success. An unregistered or pruned tag is an error wrapping
// [ErrUnregisteredTag].
func (s *SpentStore) CheckAndAdd(ctx context.Context, r trs.Record, fps []uint64, decide func([]trs.Match) (bool, error)) error {
	if ctx == nil || decide == nil {
		return errors.New("postgres: spent store: nil context or decide function")
	}
	if len(fps) < 1 || len(fps) > trs.MaxRingSize {
		return fmt.Errorf("postgres: spent store: %d fingerprints, want 1..%d", len(fps), trs.MaxRingSize)
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: s.isolation})
	if err != nil {
		return fmt.Errorf("postgres: spent store: %w", err)
	}
	defer rollback(ctx, tx)

	tagID, matches, err := lockAndRead(ctx, tx, &r.Tag, fps)
	if err != nil {
		return err
	}
	s.interrupt(hookLocked, tx)
	add, err := decide(matches)
	if err != nil || !add {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ringtrace_spent (tag_id, a0, a1, fps) VALUES ($1, $2, $3, $4)`,
		tagID, r.A0[:], r.A1[:], encodeFingerprints(fps)); err != nil {
		return fmt.Errorf("postgres: spent store: storing the record: %w", err)
	}
	s.interrupt(hookInserted, tx)
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: spent store: commit failed, record not acknowledged: %w", err)
	}
	return nil
}

func (s *SpentStore) interrupt(p hookPoint, tx pgx.Tx) {
	if s.hook != nil {
		s.hook(p, tx.Conn().PgConn().PID())
	}
}

// lockAndRead locks the tag's row and then reads the tag's records, in two
// statements sent together: the server runs the second only once the
// first holds the lock.
func lockAndRead(ctx context.Context, tx pgx.Tx, tag *[trs.DigestSize]byte, fps []uint64) (int64, []trs.Match, error) {
	var b pgx.Batch
	b.Queue(`SELECT id FROM ringtrace_spent_tags WHERE digest = $1 AND NOT pruned FOR UPDATE`, tag[:])
	b.Queue(`SELECT a0, a1, fps FROM ringtrace_spent WHERE tag_id = (SELECT id FROM ringtrace_spent_tags WHERE digest = $1)`, tag[:])
	res := tx.SendBatch(ctx, &b)
	defer res.Close()

	var tagID int64
	if err := res.QueryRow().Scan(&tagID); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, nil, fmt.Errorf("%w: tag digest %x…", ErrUnregisteredTag, tag[:8])
		}
		return 0, nil, fmt.Errorf("postgres: spent store: locking the tag: %w", err)
	}
	rows, err := res.Query()
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: spent store: reading the tag's records: %w", err)
	}
	slots := slotsOf(fps)
	var matches []trs.Match
	for rows.Next() {
		var a0, a1, stored []byte
		if err := rows.Scan(&a0, &a1, &stored); err != nil {
			return 0, nil, fmt.Errorf("postgres: spent store: reading the tag's records: %w", err)
		}
		rec, storedFPs, err := decodeSpentRow(tag, a0, a1, stored)
		if err != nil {
			return 0, nil, err
		}
		matches = slots.appendMatches(matches, rec, storedFPs)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("postgres: spent store: reading the tag's records: %w", err)
	}
	if err := res.Close(); err != nil {
		return 0, nil, fmt.Errorf("postgres: spent store: %w", err)
	}
	return tagID, matches, nil
}

// fingerprintSlots maps each fingerprint of a new signature to its slot.
// Two slots share a fingerprint with probability about n²/2^64; the rare
// further slots are kept in more, so no candidate is missed.
type fingerprintSlots struct {
	first map[uint64]int
	more  map[uint64][]int
}

func slotsOf(fps []uint64) fingerprintSlots {
	s := fingerprintSlots{first: make(map[uint64]int, len(fps))}
	for j, fp := range fps {
		if _, dup := s.first[fp]; !dup {
			s.first[fp] = j
			continue
		}
		if s.more == nil {
			s.more = make(map[uint64][]int)
		}
		s.more[fp] = append(s.more[fp], j)
	}
	return s
}

// appendMatches appends a match of rec for every slot at which one of its
// fingerprints occurs.
func (s fingerprintSlots) appendMatches(out []trs.Match, rec trs.Record, storedFPs []byte) []trs.Match {
	for i := 0; i < len(storedFPs); i += 8 {
		fp := binary.BigEndian.Uint64(storedFPs[i:])
		j, ok := s.first[fp]
		if !ok {
			continue
		}
		out = append(out, trs.Match{Record: rec, Slot: j})
		for _, j := range s.more[fp] {
			out = append(out, trs.Match{Record: rec, Slot: j})
		}
	}
	return out
}

// encodeFingerprints returns the fps column: u64be(fp_1) || … || u64be(fp_n).
func encodeFingerprints(fps []uint64) []byte {
	out := make([]byte, 0, 8*len(fps))
	for _, fp := range fps {
		out = binary.BigEndian.AppendUint64(out, fp)
	}
	return out
}

// decodeSpentRow checks the lengths of a stored row. The index confirms
// the points of every candidate (and refuses a non-canonical one).
func decodeSpentRow(tag *[trs.DigestSize]byte, a0, a1, fps []byte) (trs.Record, []byte, error) {
	r := trs.Record{Tag: *tag}
	if len(a0) != len(r.A0) || len(a1) != len(r.A1) || len(fps) == 0 || len(fps)%8 != 0 || len(fps) > 8*trs.MaxRingSize {
		return trs.Record{}, nil, fmt.Errorf("postgres: spent store: malformed stored record (%d, %d, %d bytes)", len(a0), len(a1), len(fps))
	}
	copy(r.A0[:], a0)
	copy(r.A1[:], a1)
	return r, fps, nil
}

// Prune drops the records of every tag registered with an until before
// now and marks the tags pruned, in transactions of a bounded number of
// tags, and returns how many records it dropped. A check-and-add on a
// pruned tag fails with [ErrUnregisteredTag]; it can never find the tag
// empty and report Fresh, even after the tag is registered again. A
// pruned tag keeps its row (its digest, about 270 bytes with the indexes)
// for that.
func (s *SpentStore) Prune(ctx context.Context, now time.Time) (int64, error) {
	if ctx == nil {
		return 0, errors.New("postgres: spent store: nil context")
	}
	var dropped int64
	for {
		n, done, err := s.pruneBatchTx(ctx, now)
		dropped += n
		if err != nil {
			return dropped, fmt.Errorf("postgres: spent store: pruning: %w", err)
		}
		if done {
			return dropped, nil
		}
	}
}

func (s *SpentStore) pruneBatchTx(ctx context.Context, now time.Time) (dropped int64, done bool, err error) {
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id FROM ringtrace_spent_tags WHERE NOT pruned AND until < $1 ORDER BY until, id LIMIT $2 FOR UPDATE`, now, s.pruneBatch)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		if len(ids) < s.pruneBatch {
			done = true
		}
		if len(ids) == 0 {
			return nil
		}
		tag, err := tx.Exec(ctx, `DELETE FROM ringtrace_spent WHERE tag_id = ANY($1)`, ids)
		if err != nil {
			return err
		}
		dropped = tag.RowsAffected()
		_, err = tx.Exec(ctx, `UPDATE ringtrace_spent_tags SET pruned = true WHERE id = ANY($1)`, ids)
		return err
	})
	if err != nil {
		return 0, false, err
	}
	return dropped, done, nil
}
