package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// These tests hold the PostgreSQL ledger to the ledger.Ledger contract.
// The ledger package's conformance suite lives in its internal test
// package, which cannot import this one (this one imports ledger), so the
// checks are written here for the database.

func openLedger(t testing.TB, db *DB, name string) *Ledger {
	t.Helper()
	l, err := db.Ledger(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// appendRandom appends n records with kinds and payloads from seed to
// every ledger in ls and returns the entries of the first.
func appendRandom(t testing.TB, seed uint64, n int, ls ...ledger.Ledger) []ledger.Entry {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	var out []ledger.Entry
	for range n {
		kind := ledger.Kind(rng.Uint32())
		payload := make([]byte, rng.IntN(200))
		for i := range payload {
			payload[i] = byte(rng.Uint32())
		}
		for i, l := range ls {
			e, err := l.Append(ctx, kind, payload)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				out = append(out, e)
			}
		}
	}
	return out
}

func scanEntries(t testing.TB, l ledger.Ledger, from uint64) []ledger.Entry {
	t.Helper()
	var got []ledger.Entry
	if err := l.Scan(ctx, from, func(e ledger.Entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatalf("Scan(%d): %v", from, err)
	}
	return got
}

func equalEntries(t testing.TB, got, want []ledger.Entry) {
	t.Helper()
	if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
		t.Fatalf("%d entries differ from the %d expected", len(got), len(want))
	}
}

// TestLedgerAgreesWithMemory: the same appends give the same entries,
// hashes and heads as ledger.Memory, through Append, Scan from every
// position and a reopen (a reader of the chain).
func TestLedgerAgreesWithMemory(t *testing.T) {
	db, _ := newTestDB(t)
	l, mem := openLedger(t, db, "plaza/1"), ledger.NewMemory()
	if l.Len() != 0 || l.Head() != [ledger.HashSize]byte{} || len(scanEntries(t, l, 0)) != 0 {
		t.Fatal("new chain not empty")
	}
	got := appendRandom(t, 1, 300, l, mem) // more than one Scan chunk
	want := scanEntries(t, mem, 0)
	equalEntries(t, got, want)
	for _, from := range []uint64{0, 1, scanChunk - 1, scanChunk, scanChunk + 1, 299, 300} {
		equalEntries(t, scanEntries(t, l, from), want[from:])
	}
	if l.Len() != mem.Len() || l.Head() != mem.Head() {
		t.Fatal("Len or Head differ from the memory ledger's")
	}
	for _, from := range []uint64{301, 1 << 40} {
		if err := l.Scan(ctx, from, func(ledger.Entry) error { return nil }); err == nil {
			t.Fatalf("Scan(%d) past the end succeeded", from)
		}
	}

	// Empty and nil payloads read back as empty, never nil.
	for _, p := range [][]byte{nil, {}} {
		e, err := l.Append(ctx, 7, p)
		if err != nil || e.Payload == nil || len(e.Payload) != 0 {
			t.Fatalf("Append(%v) = %+v, %v", p, e, err)
		}
		mem.Append(ctx, 7, p)
	}
	again := openLedger(t, db, "plaza/1")
	if again.Len() != mem.Len() || again.Head() != mem.Head() {
		t.Fatalf("reopened: Len %d, want %d", again.Len(), mem.Len())
	}
	for _, e := range scanEntries(t, again, 300) {
		if e.Payload == nil {
			t.Fatal("a stored empty payload scanned as nil")
		}
	}
	equalEntries(t, scanEntries(t, again, 0), scanEntries(t, mem, 0))
}

// TestLedgerCheckpoint: a checkpoint signed over the writer's chain checks
// against the chain reopened by another connection, and is refused once
// the chain's rows are rewritten behind it (a recomputed chain) or cut back.
func TestLedgerCheckpoint(t *testing.T) {
	db, _ := newTestDB(t)
	key, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	w := openLedger(t, db, "operator/acme")
	appendRandom(t, 2, 40, w)
	cp, err := ledger.NewCheckpoint(w, key, time.Unix(1_800_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	kept, err := ledger.ParseCheckpoint(cp.Bytes())
	if err != nil || kept.Verify(key.Public()) != nil {
		t.Fatalf("checkpoint kept elsewhere: %v", err)
	}
	appendRandom(t, 3, 5, w) // the chain goes on after the checkpoint
	r := openLedger(t, db, "operator/acme")
	if r.Len() != w.Len() || r.Head() != w.Head() {
		t.Fatalf("reader: Len %d Head %x; writer: Len %d Head %x", r.Len(), r.Head(), w.Len(), w.Head())
	}
	if err := kept.Check(ctx, r); err != nil {
		t.Fatalf("checkpoint against the reopened chain: %v", err)
	}
	// Someone with write access to the table changes a payload before the
	// checkpoint and recomputes every later hash: the chain still verifies
	// on its own, the checkpoint does not.
	rewritten := openLedger(t, db, "operator/forged")
	entries := scanEntries(t, r, 0)
	for i, e := range entries {
		p := e.Payload
		if i == 7 {
			p = append(bytes.Clone(p), 'x')
		}
		if _, err := rewritten.Append(ctx, e.Kind, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := kept.Check(ctx, rewritten); !errors.Is(err, ledger.ErrCorrupt) {
		t.Fatalf("rewritten chain: %v", err)
	}
	cut := openLedger(t, db, "operator/cut")
	for _, e := range entries[:39] {
		if _, err := cut.Append(ctx, e.Kind, e.Payload); err != nil {
			t.Fatal(err)
		}
	}
	if err := kept.Check(ctx, cut); !errors.Is(err, ledger.ErrCorrupt) {
		t.Fatalf("chain cut back behind the checkpoint: %v", err)
	}
}

// TestLedgerChainsApart: chains of one database are separate ledgers,
// each numbered from 0; the same appends give the same hashes.
func TestLedgerChainsApart(t *testing.T) {
	db, _ := newTestDB(t)
	a, b := openLedger(t, db, "plaza/1"), openLedger(t, db, "plaza/2")
	appendRandom(t, 3, 5, a)
	appendRandom(t, 4, 3, b)
	if a.Len() != 5 || b.Len() != 3 {
		t.Fatalf("Len %d and %d", a.Len(), b.Len())
	}
	c := openLedger(t, db, "plaza/3")
	equalEntries(t, appendRandom(t, 3, 5, c), scanEntries(t, a, 0))
	for _, name := range []string{"", string(make([]byte, MaxChainName+1)), "\xff"} {
		if _, err := db.Ledger(ctx, name); err == nil {
			t.Fatalf("chain name %q accepted", name)
		}
	}
}

// TestLedgerSecondWriter: a second writer of one chain cannot fork it.
// Its Append fails with ErrConflict, and keeps failing; reopened, it sees
// the first writer's entries and goes on from them.
func TestLedgerSecondWriter(t *testing.T) {
	db, _ := newTestDB(t)
	first, second := openLedger(t, db, "plaza/9"), openLedger(t, db, "plaza/9")
	appendRandom(t, 5, 3, first)
	for range 2 {
		if _, err := second.Append(ctx, 1, []byte("fork")); !errors.Is(err, ErrConflict) {
			t.Fatalf("second writer's Append: %v", err)
		}
	}
	if second.Len() != 0 {
		t.Fatal("a refused Append changed Len")
	}
	reopened := openLedger(t, db, "plaza/9")
	if _, err := reopened.Append(ctx, 1, []byte("after")); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Append(ctx, 1, []byte("stale")); !errors.Is(err, ErrConflict) {
		t.Fatalf("the first writer, now stale: %v", err)
	}
	all := scanEntries(t, reopened, 0)
	if len(all) != 4 || string(all[3].Payload) != "after" {
		t.Fatalf("%d entries", len(all))
	}
}

// TestLedgerUnacknowledgedAppend: after an Append whose outcome is unknown
// (its connection was lost), the next Append finds out from the database:
// stored, the writer goes on after it; not stored, the writer reuses the
// sequence number; anything else is a conflict.
func TestLedgerUnacknowledgedAppend(t *testing.T) {
	db, cfg := newTestDB(t)
	admin := adminConn(t, cfg)

	// A real lost connection: every backend of the pool is terminated.
	l := openLedger(t, db, "lost")
	appendRandom(t, 6, 2, l)
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND application_name = $1`,
		cfg.ConnConfig.RuntimeParams["application_name"]); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, 1, []byte("lost")); err == nil {
		t.Fatal("Append over a terminated connection succeeded")
	}
	e, err := l.Append(ctx, 1, []byte("next"))
	if err != nil || e.Seq != 2 {
		t.Fatalf("Append after the lost one: seq %d, %v", e.Seq, err)
	}

	// The entry was stored but its acknowledgement lost.
	pending := func(l *Ledger, payload string) ledger.Entry {
		e := ledger.Entry{Seq: l.Len(), Kind: 2, Payload: []byte(payload), Prev: l.Head()}
		e.Hash = ledger.ChainHash(e.Seq, e.Kind, e.Payload, e.Prev)
		return e
	}
	insert := func(l *Ledger, e ledger.Entry) {
		if _, err := db.pool.Exec(ctx, `INSERT INTO ringtrace_ledger_entries VALUES ($1, $2, $3, $4, $5)`,
			l.chain, int64(e.Seq), int32(e.Kind), e.Payload, e.Hash[:]); err != nil {
			t.Fatal(err)
		}
	}
	stored := pending(l, "stored")
	insert(l, stored)
	l.unsure = &stored
	if e, err := l.Append(ctx, 3, []byte("after")); err != nil || e.Seq != stored.Seq+1 || e.Prev != stored.Hash {
		t.Fatalf("after a stored, unacknowledged entry: %+v, %v", e, err)
	}
	equalEntries(t, scanEntries(t, l, 0), scanEntries(t, openLedger(t, db, "lost"), 0))

	// Someone else's entry in its place.
	theirs, mine := pending(l, "theirs"), pending(l, "mine")
	insert(l, theirs)
	l.unsure = &mine
	if _, err := l.Append(ctx, 3, []byte("x")); !errors.Is(err, ErrConflict) {
		t.Fatalf("another writer's entry where ours was unsure: %v", err)
	}
}

// TestLedgerCorruption: a changed payload, a missing entry or a changed
// hash is reported by Scan (and by opening, at the tail) as ErrCorrupt.
func TestLedgerCorruption(t *testing.T) {
	for _, c := range []struct {
		name, sql string
		atOpen    bool
	}{
		{"payload", `UPDATE ringtrace_ledger_entries SET payload = payload || '\x00' WHERE seq = 3`, false},
		{"missing", `DELETE FROM ringtrace_ledger_entries WHERE seq = 4`, false},
		{"hash", `UPDATE ringtrace_ledger_entries SET hash = sha256(hash) WHERE seq = 2`, false},
		{"last", `UPDATE ringtrace_ledger_entries SET kind = kind # 1 WHERE seq = 9`, true},
		{"truncated", `DELETE FROM ringtrace_ledger_entries WHERE seq = 9`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, _ := newTestDB(t)
			l := openLedger(t, db, "c")
			appendRandom(t, 7, 10, l)
			if _, err := db.pool.Exec(ctx, c.sql); err != nil {
				t.Fatal(err)
			}
			err := l.Scan(ctx, 0, func(ledger.Entry) error { return nil })
			if !errors.Is(err, ledger.ErrCorrupt) {
				t.Fatalf("Scan: %v", err)
			}
			if _, err := db.Ledger(ctx, "c"); c.atOpen != errors.Is(err, ledger.ErrCorrupt) {
				t.Fatalf("open: %v", err)
			}
		})
	}
}

// TestLedgerContract: the rest of ledger.Ledger's contract — payload
// isolation, the payload limit, Scan stopping on fn's error, appends during
// a Scan, Close, Close during a Scan and done contexts.
func TestLedgerContract(t *testing.T) {
	db, _ := newTestDB(t)
	fresh := func(name string) *Ledger { return openLedger(t, db, name) }

	t.Run("PayloadIsolation", func(t *testing.T) {
		l := fresh("isolation")
		p := []byte("original")
		e, err := l.Append(ctx, 1, p)
		if err != nil {
			t.Fatal(err)
		}
		p[0], e.Payload[1] = 'X', 'X'
		l.Scan(ctx, 0, func(e ledger.Entry) error { e.Payload[2] = 'X'; return nil })
		if got := scanEntries(t, l, 0)[0].Payload; string(got) != "original" {
			t.Fatalf("stored payload is %q", got)
		}
	})
	t.Run("NilFunction", func(t *testing.T) {
		l := fresh("nil fn")
		if _, err := l.Append(ctx, 1, []byte("x")); err != nil {
			t.Fatal(err)
		}
		if err := l.Scan(ctx, 0, nil); err == nil {
			t.Fatal("Scan with a nil fn succeeded")
		}
	})
	t.Run("MaxPayload", func(t *testing.T) {
		l := fresh("max")
		big := bytes.Repeat([]byte{0x5a}, ledger.MaxPayload+1)
		if _, err := l.Append(ctx, 1, big); err == nil || l.Len() != 0 {
			t.Fatalf("MaxPayload+1: %v", err)
		}
		if _, err := l.Append(ctx, 1, big[:ledger.MaxPayload]); err != nil {
			t.Fatal(err)
		}
		if got := scanEntries(t, l, 0); !bytes.Equal(got[0].Payload, big[:ledger.MaxPayload]) {
			t.Fatal("the largest payload did not read back")
		}
	})
	t.Run("ScanStops", func(t *testing.T) {
		l := fresh("stops")
		appendRandom(t, 8, 5, l)
		stop, calls := fmt.Errorf("stop"), 0
		err := l.Scan(ctx, 0, func(e ledger.Entry) error {
			if calls++; e.Seq == 2 {
				return stop
			}
			return nil
		})
		if err != stop || calls != 3 {
			t.Fatalf("Scan returned %v after %d calls", err, calls)
		}
	})
	t.Run("AppendDuringScan", func(t *testing.T) {
		l := fresh("during")
		before := appendRandom(t, 9, 4, l)
		var seen []ledger.Entry
		err := l.Scan(ctx, 0, func(e ledger.Entry) error {
			seen = append(seen, e)
			_, err := l.Append(ctx, 100, e.Payload)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		equalEntries(t, seen, before)
		if l.Len() != 8 || len(scanEntries(t, l, 0)) != 8 {
			t.Fatalf("Len %d", l.Len())
		}
	})
	t.Run("Close", func(t *testing.T) {
		l := fresh("close")
		appendRandom(t, 10, 3, l)
		n, head := l.Len(), l.Head()
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Append(ctx, 1, nil); !errors.Is(err, ledger.ErrClosed) {
			t.Fatalf("Append after Close: %v", err)
		}
		if err := l.Scan(ctx, 0, func(ledger.Entry) error { return nil }); !errors.Is(err, ledger.ErrClosed) {
			t.Fatalf("Scan after Close: %v", err)
		}
		if err := l.Close(); !errors.Is(err, ledger.ErrClosed) {
			t.Fatalf("second Close: %v", err)
		}
		if l.Len() != n || l.Head() != head {
			t.Fatal("Close changed Len or Head")
		}
	})
	t.Run("CloseDuringScan", func(t *testing.T) {
		l := fresh("close-during")
		appendRandom(t, 11, 5, l)
		calls := 0
		err := l.Scan(ctx, 0, func(e ledger.Entry) error {
			if calls++; e.Seq == 1 {
				return l.Close()
			}
			return nil
		})
		if !errors.Is(err, ledger.ErrClosed) || calls != 2 {
			t.Fatalf("Scan returned %v after %d calls", err, calls)
		}
	})
	t.Run("Context", func(t *testing.T) {
		l := fresh("context")
		appendRandom(t, 12, 3, l)
		done, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := l.Append(done, 1, []byte("late")); !errors.Is(err, context.Canceled) || l.Len() != 3 {
			t.Fatalf("Append with a done context: %v", err)
		}
		if err := l.Scan(done, 0, func(ledger.Entry) error { return nil }); !errors.Is(err, context.Canceled) {
			t.Fatalf("Scan with a done context: %v", err)
		}
		during, stop := context.WithCancel(ctx)
		seen := 0
		err := l.Scan(during, 0, func(ledger.Entry) error { seen++; stop(); return nil })
		if !errors.Is(err, context.Canceled) || seen != 1 {
			t.Fatalf("Scan cancelled during the scan: %v after %d", err, seen)
		}
		if _, err := l.Append(ctx, 1, []byte("on time")); err != nil || len(scanEntries(t, openLedger(t, db, "context"), 0)) != 4 {
			t.Fatalf("Append after the done contexts: %v", err)
		}
	})
}
