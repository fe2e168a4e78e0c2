package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// implementations makes a fresh, empty ledger of each kind. The file one is
// closed at the end of the test if the test has not closed it.
var implementations = []struct {
	name string
	new  func(t *testing.T) Ledger
}{
	{"memory", func(*testing.T) Ledger { return NewMemory() }},
	{"zero-memory", func(*testing.T) Ledger { return new(Memory) }},
	{"file", func(t *testing.T) Ledger { return newTestFile(t, filepath.Join(t.TempDir(), "ledger")) }},
}

func newTestFile(t testing.TB, path string) *File {
	t.Helper()
	l, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestConformance runs every implementation through the same checks.
func TestConformance(t *testing.T) {
	checks := []struct {
		name string
		run  func(t *testing.T, l Ledger)
	}{
		{"Empty", testEmpty},
		{"AppendAndScan", testAppendAndScan},
		{"KnownAnswers", testKnownAnswers},
		{"PayloadIsolation", testPayloadIsolation},
		{"MaxPayload", testMaxPayload},
		{"ScanFrom", testScanFrom},
		{"ScanStopsOnError", testScanStopsOnError},
		{"AppendDuringScan", testAppendDuringScan},
		{"Closed", testClosed},
		{"CloseDuringScan", testCloseDuringScan},
		{"Context", testContext},
		{"NilInputs", testNilInputs},
	}
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			for _, c := range checks {
				t.Run(c.name, func(t *testing.T) { c.run(t, impl.new(t)) })
			}
		})
	}
}

// appendAll appends n records with varied kinds and payload sizes, derived
// from seed, and returns the acknowledged entries.
func appendAll(t testing.TB, l Ledger, n int, seed uint64) []Entry {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0))
	var entries []Entry
	for range n {
		payload := make([]byte, rng.IntN(300))
		for i := range payload {
			payload[i] = byte(rng.Uint32())
		}
		e, err := l.Append(ctx, Kind(rng.Uint32()), payload)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	return entries
}

func scanAll(t testing.TB, l Ledger, from uint64) []Entry {
	t.Helper()
	var got []Entry
	if err := l.Scan(ctx, from, func(e Entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatalf("Scan(%d): %v", from, err)
	}
	return got
}

func sameEntries(t testing.TB, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Seq != w.Seq || g.Kind != w.Kind || !bytes.Equal(g.Payload, w.Payload) || g.Prev != w.Prev || g.Hash != w.Hash {
			t.Fatalf("entry %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// verifyChain checks that entries are numbered from first and chained.
func verifyChain(t testing.TB, entries []Entry, first uint64, prev [HashSize]byte) {
	t.Helper()
	for i, e := range entries {
		if e.Seq != first+uint64(i) {
			t.Fatalf("entry %d has Seq %d", i, e.Seq)
		}
		if e.Prev != prev {
			t.Fatalf("entry %d: Prev does not match the entry before", e.Seq)
		}
		if e.Hash != ChainHash(e.Seq, e.Kind, e.Payload, e.Prev) {
			t.Fatalf("entry %d: Hash is not ChainHash of its fields", e.Seq)
		}
		prev = e.Hash
	}
}

func testEmpty(t *testing.T, l Ledger) {
	if l.Len() != 0 || l.Head() != [HashSize]byte{} {
		t.Fatalf("empty ledger: Len = %d, Head = %x", l.Len(), l.Head())
	}
	if got := scanAll(t, l, 0); len(got) != 0 {
		t.Fatalf("empty ledger scanned %d entries", len(got))
	}
	if err := l.Scan(ctx, 1, func(Entry) error { return nil }); err == nil {
		t.Fatal("Scan(1) on an empty ledger succeeded")
	}
}

func testAppendAndScan(t *testing.T, l Ledger) {
	entries := appendAll(t, l, 20, 1)
	verifyChain(t, entries, 0, [HashSize]byte{})
	if l.Len() != 20 || l.Head() != entries[19].Hash {
		t.Fatalf("Len = %d, Head = %x", l.Len(), l.Head())
	}
	sameEntries(t, scanAll(t, l, 0), entries)

	// nil and empty payloads are both stored as empty.
	for _, p := range [][]byte{nil, {}} {
		e, err := l.Append(ctx, 9, p)
		if err != nil || e.Payload == nil || len(e.Payload) != 0 {
			t.Fatalf("Append(%v) = %+v, %v", p, e, err)
		}
	}
}

func testKnownAnswers(t *testing.T, l Ledger) {
	for i, r := range knownRecords {
		e, err := l.Append(ctx, r.kind, r.payload)
		if err != nil {
			t.Fatal(err)
		}
		if e.Hash != mustHash(t, knownHashes[i]) {
			t.Fatalf("entry %d: Hash = %x, want %s", i, e.Hash, knownHashes[i])
		}
	}
}

func testPayloadIsolation(t *testing.T, l Ledger) {
	payload := []byte("original")
	e, err := l.Append(ctx, 1, payload)
	if err != nil {
		t.Fatal(err)
	}
	payload[0] = 'X'
	e.Payload[1] = 'X'
	if err := l.Scan(ctx, 0, func(e Entry) error { e.Payload[2] = 'X'; return nil }); err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, l, 0)
	if string(got[0].Payload) != "original" {
		t.Fatalf("stored payload changed to %q", got[0].Payload)
	}
	if got[0].Hash != ChainHash(0, 1, []byte("original"), [HashSize]byte{}) {
		t.Fatal("hash does not match the original payload")
	}
}

func testMaxPayload(t *testing.T, l Ledger) {
	big := bytes.Repeat([]byte{0xa5}, MaxPayload+1)
	if _, err := l.Append(ctx, 1, big); err == nil || !strings.Contains(err.Error(), "MaxPayload") {
		t.Fatalf("Append of MaxPayload+1 bytes: err = %v", err)
	}
	if l.Len() != 0 || l.Head() != [HashSize]byte{} {
		t.Fatal("a rejected append changed the ledger")
	}
	e, err := l.Append(ctx, 2, big[:MaxPayload])
	if err != nil {
		t.Fatalf("Append of MaxPayload bytes: %v", err)
	}
	if e.Seq != 0 || l.Len() != 1 {
		t.Fatalf("Seq = %d, Len = %d", e.Seq, l.Len())
	}
	got := scanAll(t, l, 0)
	if !bytes.Equal(got[0].Payload, big[:MaxPayload]) {
		t.Fatal("largest payload did not read back")
	}
}

func testScanFrom(t *testing.T, l Ledger) {
	entries := appendAll(t, l, 12, 2)
	for from := range uint64(len(entries)) + 1 {
		sameEntries(t, scanAll(t, l, from), entries[from:])
	}
	for _, from := range []uint64{13, 1 << 40, ^uint64(0)} {
		if err := l.Scan(ctx, from, func(Entry) error { return nil }); err == nil {
			t.Fatalf("Scan(%d) past the end succeeded", from)
		}
	}
}

func testScanStopsOnError(t *testing.T, l Ledger) {
	appendAll(t, l, 5, 3)
	stop := fmt.Errorf("stop here")
	calls := 0
	err := l.Scan(ctx, 0, func(e Entry) error {
		calls++
		if e.Seq == 2 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Fatalf("Scan returned %v after %d calls, want the callback's error after 3", err, calls)
	}
}

func testAppendDuringScan(t *testing.T, l Ledger) {
	entries := appendAll(t, l, 4, 4)
	var seen []Entry
	err := l.Scan(ctx, 0, func(e Entry) error {
		seen = append(seen, e)
		_, err := l.Append(ctx, 100, e.Payload)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sameEntries(t, seen, entries)
	if l.Len() != 8 {
		t.Fatalf("Len = %d after appending during the scan", l.Len())
	}
	all := scanAll(t, l, 0)
	verifyChain(t, all, 0, [HashSize]byte{})
}

func testClosed(t *testing.T, l Ledger) {
	entries := appendAll(t, l, 3, 5)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, 1, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Append after Close: %v", err)
	}
	if err := l.Scan(ctx, 0, func(Entry) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("Scan after Close: %v", err)
	}
	if err := l.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
	if l.Len() != 3 || l.Head() != entries[2].Hash {
		t.Fatal("Len or Head changed by Close")
	}
}

func testCloseDuringScan(t *testing.T, l Ledger) {
	appendAll(t, l, 5, 6)
	calls := 0
	err := l.Scan(ctx, 0, func(e Entry) error {
		calls++
		if e.Seq == 1 {
			return l.Close()
		}
		return nil
	})
	if !errors.Is(err, ErrClosed) || calls != 2 {
		t.Fatalf("Scan returned %v after %d calls, want ErrClosed after 2", err, calls)
	}
}

// TestImplementationsAgree appends the same records to a memory and a file
// ledger: every entry, hash included, must match, also after reopening.
// testContext: a done context refuses an Append (nothing is stored) and
// stops a Scan with its error.
func testContext(t *testing.T, l Ledger) {
	appendAll(t, l, 3, 9)
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.Append(done, 1, []byte("late")); !errors.Is(err, context.Canceled) || l.Len() != 3 {
		t.Fatalf("Append with a done context: %v, %d entries", err, l.Len())
	}
	if err := l.Scan(done, 0, func(Entry) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan with a done context: %v", err)
	}
	during, stop := context.WithCancel(ctx)
	seen := 0
	err := l.Scan(during, 0, func(Entry) error { seen++; stop(); return nil })
	if !errors.Is(err, context.Canceled) || seen != 1 {
		t.Fatalf("Scan cancelled during the scan: %v after %d entries", err, seen)
	}
}

// testNilInputs: a nil context or a nil fn is an error, not a panic, and
// changes nothing.
func testNilInputs(t *testing.T, l Ledger) {
	appendAll(t, l, 2, 11)
	var nilCtx context.Context
	if _, err := l.Append(nilCtx, 1, []byte("x")); err == nil || l.Len() != 2 {
		t.Fatalf("Append with a nil context: %v, %d entries", err, l.Len())
	}
	if err := l.Scan(nilCtx, 0, func(Entry) error { return nil }); err == nil {
		t.Fatal("Scan with a nil context succeeded")
	}
	if err := l.Scan(ctx, 0, nil); err == nil {
		t.Fatal("Scan with a nil fn succeeded")
	}
}

func TestImplementationsAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger")
	mem, file := NewMemory(), newTestFile(t, path)
	fromMem, fromFile := appendAll(t, mem, 50, 7), appendAll(t, file, 50, 7)
	sameEntries(t, fromFile, fromMem)
	sameEntries(t, scanAll(t, file, 0), scanAll(t, mem, 0))
	if mem.Head() != file.Head() {
		t.Fatal("heads differ")
	}

	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	reopened := newTestFile(t, path)
	if torn, _ := reopened.TornTail(); reopened.Len() != 50 || reopened.Head() != mem.Head() || torn != 0 {
		t.Fatalf("reopened: Len = %d, torn tail %d bytes", reopened.Len(), torn)
	}
	sameEntries(t, scanAll(t, reopened, 0), fromMem)

	// Both keep agreeing after the reopen.
	sameEntries(t, appendAll(t, reopened, 5, 8), appendAll(t, mem, 5, 8))
}
