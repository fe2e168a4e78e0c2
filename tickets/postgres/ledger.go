package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// ErrConflict is wrapped by the error [Ledger.Append] returns when another
// process has appended to the ledger's chain: a chain has one writer. The
// ledger refuses every later Append; reopen it to read the other writer's
// entries.
var ErrConflict = errors.New("postgres: ledger chain appended to by another writer")

// MaxChainName is the longest chain name [DB.Ledger] accepts, in bytes.
const MaxChainName = 200

// Ledger is a [ledger.Ledger] kept in PostgreSQL: one named chain of
// entries, each row holding its sequence number, kind, payload and
// [ledger.ChainHash], so the chain is exactly that of [ledger.Memory] and
// [ledger.File] for the same appends.
//
// A chain has a single writer. Len and Head are kept in the writer's
// memory, and an Append inserts the next sequence number, which the
// table's primary key makes unique: a second writer's Append fails with
// [ErrConflict] instead of forking the chain. Where many processes record
// state, each writes its own chain (a plaza "plaza/7", an operator
// "operator/acme"); readers open any chain and Scan it.
//
// Scan verifies every entry it passes on: sequence numbers, the links to
// the previous hash and each hash against the entry's fields, and that the
// last entry hashes to Head. Damage is an error wrapping [ledger.ErrCorrupt].
// Like a file, a chain cut back to an earlier entry, or rewritten whole by
// someone who recomputes every hash, looks intact to a new reader; compare
// Head with one kept elsewhere (a signed checkpoint) to detect that.
type Ledger struct {
	pool  *pgxpool.Pool
	chain int32
	name  string

	appendMu sync.Mutex // serialises Append
	unsure   *ledger.Entry
	failed   error

	mu     sync.RWMutex // guards the fields below; writers also hold appendMu
	n      uint64
	head   [ledger.HashSize]byte
	closed bool
}

var _ ledger.Ledger = (*Ledger)(nil)

// scanChunk bounds the entries one Scan query reads; Scan holds no
// connection while it calls fn.
const scanChunk = 256

// Ledger opens the chain called name, creating it empty if it does not
// exist, and reads its last entry. Chain names are UTF-8, 1 to
// [MaxChainName] bytes.
func (db *DB) Ledger(ctx context.Context, name string) (*Ledger, error) {
	if ctx == nil {
		return nil, errors.New("postgres: ledger: nil context")
	}
	if len(name) == 0 || len(name) > MaxChainName || !utf8.ValidString(name) {
		return nil, fmt.Errorf("postgres: ledger: chain name must be 1 to %d bytes of UTF-8", MaxChainName)
	}
	l := &Ledger{pool: db.pool, name: name}
	if _, err := db.pool.Exec(ctx, `INSERT INTO ringtrace_ledger_chains (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return nil, fmt.Errorf("postgres: ledger %q: %w", name, err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT id FROM ringtrace_ledger_chains WHERE name = $1`, name).Scan(&l.chain); err != nil {
		return nil, fmt.Errorf("postgres: ledger %q: %w", name, err)
	}
	n, head, err := l.tail(ctx)
	if err != nil {
		return nil, err
	}
	l.n, l.head = n, head
	return l, nil
}

// tail returns the length and head of the chain as stored, after checking
// that the last entry hashes to what is stored for it.
func (l *Ledger) tail(ctx context.Context) (uint64, [ledger.HashSize]byte, error) {
	var none [ledger.HashSize]byte
	rows, err := l.pool.Query(ctx, `SELECT seq, kind, payload, hash FROM ringtrace_ledger_entries WHERE chain = $1 ORDER BY seq DESC LIMIT 2`, l.chain)
	if err != nil {
		return 0, none, fmt.Errorf("postgres: ledger %q: %w", l.name, err)
	}
	last, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return 0, none, fmt.Errorf("postgres: ledger %q: %w", l.name, err)
	}
	if len(last) == 0 {
		return 0, none, nil
	}
	e := last[0]
	if len(last) == 2 {
		e.Prev = last[1].Hash
		if last[1].Seq+1 != e.Seq {
			return 0, none, l.corrupt(e.Seq, "entry %d missing", e.Seq-1)
		}
	} else if e.Seq != 0 {
		return 0, none, l.corrupt(e.Seq, "entry %d missing", e.Seq-1)
	}
	if ledger.ChainHash(e.Seq, e.Kind, e.Payload, e.Prev) != e.Hash {
		return 0, none, l.corrupt(e.Seq, "hash does not match its fields")
	}
	return e.Seq + 1, e.Hash, nil
}

func (l *Ledger) corrupt(seq uint64, format string, args ...any) error {
	return fmt.Errorf("%w: postgres ledger %q, entry %d: %s", ledger.ErrCorrupt, l.name, seq, fmt.Sprintf(format, args...))
}

// scanEntry reads a row (seq, kind, payload, hash) into an Entry without
// Prev, checking the ranges the table's constraints also enforce.
func scanEntry(row pgx.CollectableRow) (ledger.Entry, error) {
	var (
		seq     int64
		kind    int32
		payload []byte
		hash    []byte
	)
	if err := row.Scan(&seq, &kind, &payload, &hash); err != nil {
		return ledger.Entry{}, err
	}
	if seq < 0 || kind < 0 || kind > 0xffff || len(hash) != ledger.HashSize {
		return ledger.Entry{}, fmt.Errorf("%w: postgres ledger row out of range", ledger.ErrCorrupt)
	}
	e := ledger.Entry{Seq: uint64(seq), Kind: ledger.Kind(kind), Payload: payload}
	if e.Payload == nil {
		e.Payload = []byte{}
	}
	copy(e.Hash[:], hash)
	return e, nil
}

// Name returns the chain's name.
func (l *Ledger) Name() string { return l.name }

// Append adds a record as the chain's next entry, in one INSERT that is
// durable when it returns. If the outcome is unknown (the connection was
// lost), the error says so and the next Append first finds out whether the
// entry was stored. An error wrapping [ErrConflict] means another process
// wrote to the chain.
func (l *Ledger) Append(ctx context.Context, kind ledger.Kind, payload []byte) (ledger.Entry, error) {
	if ctx == nil {
		return ledger.Entry{}, errors.New("postgres: ledger: nil context")
	}
	if err := ctx.Err(); err != nil {
		return ledger.Entry{}, err
	}
	if len(payload) > ledger.MaxPayload {
		return ledger.Entry{}, fmt.Errorf("postgres: ledger: payload of %d bytes exceeds ledger.MaxPayload (%d)", len(payload), ledger.MaxPayload)
	}
	l.appendMu.Lock()
	defer l.appendMu.Unlock()
	if l.isClosed() {
		return ledger.Entry{}, ledger.ErrClosed
	}
	if l.unsure != nil {
		if err := l.resolve(ctx); err != nil {
			return ledger.Entry{}, err
		}
	}
	if l.failed != nil {
		return ledger.Entry{}, l.failed
	}
	e := ledger.Entry{Seq: l.n, Kind: kind, Payload: append([]byte{}, payload...), Prev: l.head}
	e.Hash = ledger.ChainHash(e.Seq, e.Kind, e.Payload, e.Prev)
	_, err := l.pool.Exec(ctx, `INSERT INTO ringtrace_ledger_entries (chain, seq, kind, payload, hash) VALUES ($1, $2, $3, $4, $5)`,
		l.chain, int64(e.Seq), int32(e.Kind), e.Payload, e.Hash[:])
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
			l.failed = fmt.Errorf("%w: %q already has entry %d", ErrConflict, l.name, e.Seq)
			return ledger.Entry{}, l.failed
		}
		// The server may have stored the entry before the error (a
		// terminated connection, a lost reply): the next Append finds out.
		l.unsure = &e
		return ledger.Entry{}, fmt.Errorf("postgres: ledger %q: entry %d not acknowledged: %w", l.name, e.Seq, err)
	}
	l.advance(e.Hash)
	e.Payload = append([]byte{}, e.Payload...)
	return e, nil
}

// resolve finds out whether the unacknowledged entry l.unsure was stored.
func (l *Ledger) resolve(ctx context.Context) error {
	n, head, err := l.tail(ctx)
	if err != nil {
		return err
	}
	switch {
	case n == l.n && head == l.head:
	case n == l.n+1 && head == l.unsure.Hash:
		l.advance(head)
	default:
		l.failed = fmt.Errorf("%w: %q has %d entries, this writer knew %d", ErrConflict, l.name, n, l.n)
	}
	l.unsure = nil
	return nil
}

func (l *Ledger) advance(head [ledger.HashSize]byte) {
	l.mu.Lock()
	l.n++
	l.head = head
	l.mu.Unlock()
}

// Len returns the number of entries this writer knows: those present when
// the ledger was opened and those it appended.
func (l *Ledger) Len() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.n
}

// Head returns the Hash of the last entry this writer knows, or all zeros
// for an empty chain.
func (l *Ledger) Head() [ledger.HashSize]byte {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.head
}

func (l *Ledger) isClosed() bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.closed
}

// Scan calls fn for entries from, from+1, … up to Len at the call; see
// [ledger.Ledger]. It reads the entries in chunks and holds no connection
// while fn runs, so fn may Append.
func (l *Ledger) Scan(ctx context.Context, from uint64, fn func(ledger.Entry) error) error {
	if ctx == nil || fn == nil {
		return errors.New("postgres: ledger: nil context or scan function")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.RLock()
	n, head, closed := l.n, l.head, l.closed
	l.mu.RUnlock()
	if closed {
		return ledger.ErrClosed
	}
	if from > n {
		return fmt.Errorf("postgres: ledger %q: scan from %d past the end (%d entries)", l.name, from, n)
	}
	var prev [ledger.HashSize]byte
	if from > 0 {
		var h []byte
		err := l.pool.QueryRow(ctx, `SELECT hash FROM ringtrace_ledger_entries WHERE chain = $1 AND seq = $2`, l.chain, int64(from-1)).Scan(&h)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && len(h) != ledger.HashSize) {
			return l.corrupt(from-1, "missing")
		}
		if err != nil {
			return fmt.Errorf("postgres: ledger %q: %w", l.name, err)
		}
		copy(prev[:], h)
	}
	for next := from; next < n; {
		rows, err := l.pool.Query(ctx, `SELECT seq, kind, payload, hash FROM ringtrace_ledger_entries
WHERE chain = $1 AND seq >= $2 AND seq < $3 ORDER BY seq LIMIT $4`, l.chain, int64(next), int64(n), scanChunk)
		if err != nil {
			return fmt.Errorf("postgres: ledger %q: %w", l.name, err)
		}
		chunk, err := pgx.CollectRows(rows, scanEntry)
		if err != nil {
			return fmt.Errorf("postgres: ledger %q: %w", l.name, err)
		}
		if len(chunk) == 0 {
			return l.corrupt(next, "missing")
		}
		for _, e := range chunk {
			if e.Seq != next {
				return l.corrupt(next, "missing")
			}
			e.Prev = prev
			if ledger.ChainHash(e.Seq, e.Kind, e.Payload, e.Prev) != e.Hash {
				return l.corrupt(e.Seq, "hash does not match its fields and the previous entry")
			}
			if l.isClosed() {
				return ledger.ErrClosed
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
			prev = e.Hash
			next++
		}
	}
	if n > 0 && prev != head {
		return l.corrupt(n-1, "does not hash to the ledger's head")
	}
	return nil
}

// Close marks the ledger closed; later Append and Scan calls return
// [ledger.ErrClosed], as does a second Close. It leaves the [DB] open.
func (l *Ledger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ledger.ErrClosed
	}
	l.closed = true
	return nil
}
