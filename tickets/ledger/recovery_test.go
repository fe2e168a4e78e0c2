package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// crashFixture is a ledger file of a few records with the acknowledged
// entries and where each frame starts and ends.
type crashFixture struct {
	bytes   []byte
	entries []Entry
	starts  []int // starts[i] is where frame i begins
	ends    []int // ends[i] is where frame i ends
}

// Payload sizes are small: every byte offset costs an open and a sync.
var crashPayloads = [][]byte{nil, []byte("abc"), []byte("sale record 0001"), {0}, []byte(strings.Repeat("usage request ", 5))}

func newCrashFixture(t *testing.T) *crashFixture {
	t.Helper()
	return newFixture(t, crashPayloads)
}

// newFixture writes a ledger file of one record per payload.
func newFixture(t *testing.T, payloads [][]byte) *crashFixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger")
	l := newTestFile(t, path)
	fx := &crashFixture{}
	off := headerSize
	for i, p := range payloads {
		e, err := l.Append(ctx, Kind(i+1), p)
		if err != nil {
			t.Fatal(err)
		}
		fx.entries = append(fx.entries, e)
		fx.starts = append(fx.starts, off)
		off += frameOverhead + len(p)
		fx.ends = append(fx.ends, off)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var err error
	if fx.bytes, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	if len(fx.bytes) != off {
		t.Fatalf("file is %d bytes, want %d", len(fx.bytes), off)
	}
	return fx
}

// acknowledged returns how many records lie wholly within the first cut bytes.
func (fx *crashFixture) acknowledged(cut int) int {
	n := 0
	for n < len(fx.ends) && fx.ends[n] <= cut {
		n++
	}
	return n
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkRecovered opens the file at path, expecting the first n fixture
// records and a torn tail of tail bytes, and returns the open ledger. It
// checks that the tail was copied, byte for byte, to the side file that
// TornTail names, next to the ledger, and removes that file.
func (fx *crashFixture) checkRecovered(t *testing.T, path string, n, tail int) *File {
	t.Helper()
	before := readFile(t, path)
	l, err := OpenFile(path)
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	size, saved := l.TornTail()
	if l.Len() != uint64(n) || size != int64(tail) {
		t.Fatalf("Len = %d, torn tail %d bytes; want %d, %d", l.Len(), size, n, tail)
	}
	var head [HashSize]byte
	if n > 0 {
		head = fx.entries[n-1].Hash
	}
	if l.Head() != head {
		t.Fatal("Head is not the last acknowledged entry's hash")
	}
	sameEntries(t, scanAll(t, l, 0), fx.entries[:n])
	wantSize := headerSize
	if n > 0 {
		wantSize = fx.ends[n-1]
	}
	if got := readFile(t, path); !bytes.Equal(got, fx.bytes[:wantSize]) {
		t.Fatalf("file after recovery is %d bytes, want the %d-byte acknowledged prefix", len(got), wantSize)
	}
	switch {
	case tail == 0 && saved != "":
		t.Fatalf("nothing dropped, but TornTail names %q", saved)
	case tail == 0:
	case filepath.Dir(saved) != filepath.Dir(path) || !strings.HasPrefix(filepath.Base(saved), filepath.Base(path)+".torn-"):
		t.Fatalf("torn tail saved as %q, not next to %q", saved, path)
	default:
		if got := readFile(t, saved); !bytes.Equal(got, before[len(before)-tail:]) {
			t.Fatalf("side file holds %x, the dropped bytes were %x", got, before[len(before)-tail:])
		}
		if err := os.Remove(saved); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// checkRefused opens b and expects an error wrapping ErrCorrupt, the file
// byte-for-byte as it was, and nothing new in its directory.
func checkRefused(t *testing.T, path string, b []byte, what string) error {
	t.Helper()
	writeFile(t, path, b)
	l, err := OpenFile(path)
	if err == nil {
		l.Close()
		t.Fatalf("%s: OpenFile succeeded (%d entries), want ErrCorrupt", what, l.Len())
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("%s: err = %v, want ErrCorrupt", what, err)
	}
	if !bytes.Equal(readFile(t, path), b) {
		t.Fatalf("%s: OpenFile changed the file", what)
	}
	if names := dirNames(t, filepath.Dir(path)); len(names) != 1 {
		t.Fatalf("%s: the directory holds %q, want only the ledger", what, names)
	}
	return err
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestTornTail simulates a crash in the middle of the last Append: for
// every length the file could have been cut to inside the last record,
// recovery keeps exactly the acknowledged records, removes the tail, and the
// ledger goes on appending the same chain.
func TestTornTail(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	last := len(fx.entries) - 1
	for cut := fx.starts[last]; cut < fx.ends[last]; cut++ {
		writeFile(t, path, fx.bytes[:cut])
		l := fx.checkRecovered(t, path, last, cut-fx.starts[last])

		e, err := l.Append(ctx, Kind(last+1), crashPayloads[last])
		if err != nil {
			t.Fatal(err)
		}
		sameEntries(t, []Entry{e}, fx.entries[last:])
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		fx.checkRecovered(t, path, len(fx.entries), 0).Close()
	}
}

// TestCutAnywhere cuts the file at every byte offset (every 5th under
// -short, but always both sides of every boundary): recovery yields the
// records that lie wholly before the cut. Cuts inside the header are an
// interrupted creation and give an empty ledger.
func TestCutAnywhere(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	boundary := map[int]bool{headerSize: true}
	for _, e := range fx.ends {
		boundary[e] = true
	}
	for cut := 0; cut <= len(fx.bytes); cut++ {
		if testing.Short() && cut%5 != 0 && !boundary[cut] && !boundary[cut+1] {
			continue
		}
		writeFile(t, path, fx.bytes[:cut])
		n := fx.acknowledged(cut)
		tail := 0
		if cut >= headerSize {
			tail = cut - headerSize
			if n > 0 {
				tail = cut - fx.ends[n-1]
			}
		}
		fx.checkRecovered(t, path, n, tail).Close()
	}
}

// TestZeroTail: a crash can leave the file longer than what was written,
// padded with zeros.
func TestZeroTail(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	for _, zeros := range []int{1, frameHeadSize - 1, frameHeadSize, frameOverhead, 4096, 100_000} {
		writeFile(t, path, append(bytes.Clone(fx.bytes), make([]byte, zeros)...))
		fx.checkRecovered(t, path, len(fx.entries), zeros).Close()
	}

	// The last record's data zeroed from some point on, at full length.
	last := len(fx.entries) - 1
	for from := fx.starts[last] + frameHeadSize; from < fx.ends[last]; from += 9 {
		b := bytes.Clone(fx.bytes)
		clear(b[from:])
		writeFile(t, path, b)
		fx.checkRecovered(t, path, last, fx.ends[last]-fx.starts[last]).Close()
	}
}

// TestDamagedFinalRecord documents the limit of recovery: damage to the
// final record, with nothing after it, looks exactly like a torn write
// (a crash can leave any prefix of a frame, or a frame whose pages were only
// partly written), so the record is dropped; but it is saved to the side
// file and reported, never silently lost.
func TestDamagedFinalRecord(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	last := len(fx.entries) - 1
	for i := fx.starts[last]; i < fx.ends[last]; i++ {
		b := bytes.Clone(fx.bytes)
		b[i] ^= 0x80
		writeFile(t, path, b)
		fx.checkRecovered(t, path, last, fx.ends[last]-fx.starts[last]).Close()
	}
}

// TestCorruptMiddle flips every byte of every record but the last: OpenFile
// must fail with ErrCorrupt, name the record, and leave the file untouched.
func TestCorruptMiddle(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	last := len(fx.entries) - 1
	for i := headerSize; i < fx.starts[last]; i++ {
		b := bytes.Clone(fx.bytes)
		b[i] ^= 0x01
		err := checkRefused(t, path, b, "byte "+strconv.Itoa(i)+" flipped")
		if rec := fx.acknowledged(i); !strings.Contains(err.Error(), "record "+strconv.Itoa(rec)+" ") {
			t.Fatalf("byte %d flipped: error %q does not name record %d", i, err, rec)
		}
	}
}

// TestConsistentButWrong builds files whose checksums are all valid but
// whose records are out of place: each must fail with ErrCorrupt, also when
// the bad record is the last one.
func TestConsistentButWrong(t *testing.T) {
	fx := newCrashFixture(t)
	e := fx.entries
	frame := func(i int) []byte { return fx.bytes[fx.starts[i]:fx.ends[i]] }
	header := fx.bytes[:headerSize]
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	badPrev := e[1].Hash
	badPrev[0] ^= 1

	cases := map[string][]byte{
		"swapped":           join(header, frame(0), frame(2), frame(1), frame(3)),
		"duplicated":        join(header, frame(0), frame(1), frame(1)),
		"missing":           join(header, frame(0), frame(2)),
		"missing first":     join(header, frame(1)),
		"wrong seq at end":  join(header, frame(0), appendFrame(nil, 5, 2, &e[0].Hash, []byte("abc"))),
		"wrong prev at end": join(header, frame(0), frame(1), appendFrame(nil, 2, 3, &badPrev, nil)),
		"nonzero genesis":   join(header, appendFrame(nil, 0, 1, &e[0].Hash, nil)),
		"wrong prev middle": join(header, frame(0), frame(1), appendFrame(nil, 2, 3, &badPrev, nil), frame(3)),
	}
	path := filepath.Join(t.TempDir(), "ledger")
	for name, b := range cases {
		checkRefused(t, path, b, name)
	}
}

func TestBadHeader(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	version := func(v byte) []byte {
		b := bytes.Clone(fx.bytes)
		b[headerSize-1] = v
		return b
	}
	cases := map[string][]byte{
		"text file":     []byte("this is not a ledger, it is a longer text file\n"),
		"short garbage": []byte("RTLEDGEX"),
		"wrong magic":   append([]byte("rtledger"), fx.bytes[8:]...),
		"version 0":     version(0),
		"version 2":     version(2),
		"header only v2": func() []byte {
			return version(2)[:headerSize]
		}(),
	}
	for name, b := range cases {
		checkRefused(t, path, b, name)
	}

	if _, err := OpenFile(t.TempDir()); err == nil {
		t.Error("OpenFile of a directory succeeded")
	}
	if _, err := OpenFile(filepath.Join(t.TempDir(), "missing", "ledger")); err == nil {
		t.Error("OpenFile in a missing directory succeeded")
	}
}

func TestLocked(t *testing.T) {
	if !canLock {
		t.Skip("no file locking on this system")
	}
	path := filepath.Join(t.TempDir(), "ledger")
	l := newTestFile(t, path)
	if _, err := OpenFile(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second OpenFile: err = %v, want ErrLocked", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	newTestFile(t, path)
}

// TestFailedAppendIsSticky makes the write fail: the append is not
// acknowledged, later appends are refused, and a reopen sees the records
// acknowledged before.
func TestFailedAppendIsSticky(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger")
	l := newTestFile(t, path)
	entries := appendAll(t, l, 3, 9)

	l.f.Close() // the underlying file goes away under the ledger
	if _, err := l.Append(ctx, 1, []byte("lost")); err == nil {
		t.Fatal("Append to a closed file descriptor succeeded")
	}
	_, err := l.Append(ctx, 1, []byte("refused"))
	if err == nil || !strings.Contains(err.Error(), "earlier append failed") {
		t.Fatalf("Append after a failure: err = %v", err)
	}
	if l.Len() != 3 || l.Head() != entries[2].Hash {
		t.Fatal("a failed append changed Len or Head")
	}
	l.Close()

	re := newTestFile(t, path)
	sameEntries(t, scanAll(t, re, 0), entries)
}

// TestScanDetectsChange damages the file behind an open ledger; Scan
// re-verifies what it reads and must notice.
func TestScanDetectsChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger")
	l := newTestFile(t, path)
	appendAll(t, l, 5, 10)
	for _, tc := range []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"flipped byte", func(b []byte) []byte { b[len(b)/2] ^= 1; return b }},
		{"truncated", func(b []byte) []byte { return b[:len(b)-10] }},
	} {
		orig := readFile(t, path)
		writeFile(t, path, tc.damage(bytes.Clone(orig)))
		if err := l.Scan(ctx, 0, func(Entry) error { return nil }); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Scan err = %v, want ErrCorrupt", tc.name, err)
		}
		writeFile(t, path, orig)
	}
	// Replacing the last record with a well-formed one of other content is
	// caught by the head check.
	orig := readFile(t, path)
	var recs []record
	for off := headerSize; off < len(orig); {
		r, n, err := parseFrame(orig[off:])
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
		off += n
	}
	lastRec := recs[len(recs)-1]
	forged := appendFrame(orig[:len(orig)-frameOverhead-len(lastRec.payload):len(orig)-frameOverhead-len(lastRec.payload)],
		lastRec.seq, lastRec.kind, &lastRec.prev, bytes.Repeat([]byte{'x'}, len(lastRec.payload)))
	writeFile(t, path, forged)
	if err := l.Scan(ctx, 0, func(Entry) error { return nil }); !errors.Is(err, ErrCorrupt) {
		t.Errorf("forged last record: Scan err = %v, want ErrCorrupt", err)
	}
}

// TestLengthPastEnd is the attack of issue 16: a middle record's length
// rewritten, with a matching length checksum, to run past the end of the
// file. Recovery used to take it for a torn tail and cut off every record
// from there; now the complete frames after it make it ErrCorrupt, with the
// file left byte for byte as it was.
func TestLengthPastEnd(t *testing.T) {
	fx := newFixture(t, eightPayloads())
	path := filepath.Join(t.TempDir(), "ledger")
	for i := range len(fx.entries) - 1 {
		for _, extra := range []int{1, 1000, len(fx.bytes)} {
			b := bytes.Clone(fx.bytes)
			n := len(b) - fx.starts[i] - frameHeadSize - frameTailSize + extra
			copy(b[fx.starts[i]:], lengthHead(uint32(n)))
			checkRefused(t, path, b, fmt.Sprintf("record %d's length %d bytes past the end", i, extra))
		}
		// A length that stays inside the file but covers the next frame.
		b := bytes.Clone(fx.bytes)
		copy(b[fx.starts[i]:], lengthHead(uint32(fx.ends[i+1]-fx.starts[i]-frameHeadSize-frameTailSize)))
		checkRefused(t, path, b, fmt.Sprintf("record %d's length covering record %d", i, i+1))
	}
}

// TestZeroedRun zeroes runs of several fsynced records, whole or starting
// and ending inside frames: with complete frames after the run it is
// ErrCorrupt and the file is unchanged; a run that reaches the end of the
// file is a zero tail and is dropped (and saved).
func TestZeroedRun(t *testing.T) {
	fx := newFixture(t, eightPayloads())
	path := filepath.Join(t.TempDir(), "ledger")
	last := len(fx.entries) - 1
	for first := range last {
		for end := first + 1; end <= last; end++ {
			for _, run := range [][2]int{
				{fx.starts[first], fx.starts[end]},       // records first..end-1, whole
				{fx.starts[first] + 20, fx.starts[end]},  // from inside record first
				{fx.starts[first], fx.starts[end] + 3},   // into record end's head
				{fx.starts[first] + 9, fx.ends[end] - 1}, // into record end's body
			} {
				b := bytes.Clone(fx.bytes)
				clear(b[run[0]:run[1]])
				ok := end+1 <= last || run[1] <= fx.starts[end]
				if !ok {
					continue // the last record is damaged too: see below
				}
				checkRefused(t, path, b, fmt.Sprintf("zeros over [%d, %d)", run[0], run[1]))
			}
		}
	}
	for first := range len(fx.entries) {
		b := bytes.Clone(fx.bytes)
		clear(b[fx.starts[first]:])
		writeFile(t, path, b)
		fx.checkRecovered(t, path, first, len(b)-fx.starts[first]).Close()
	}
}

// eightPayloads are the payloads of a fixture with more records than the
// crash fixture, so that runs of several records have records after them.
func eightPayloads() [][]byte {
	var ps [][]byte
	for i := range 8 {
		ps = append(ps, bytes.Repeat([]byte{byte('a' + i)}, 10*i))
	}
	return ps
}

// TestTornTailSavedFirst makes the copy of the torn tail fail to become
// durable: OpenFile must fail without truncating, and leave no side file.
func TestTornTailSavedFirst(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	torn := fx.bytes[:len(fx.bytes)-3]
	writeFile(t, path, torn)
	failing := errors.New("injected directory sync failure")
	syncDir = func(string) error { return failing }
	defer func() { syncDir = syncDirectory }()
	if _, err := OpenFile(path); !errors.Is(err, failing) {
		t.Fatalf("OpenFile: err = %v, want the sync failure", err)
	}
	if !bytes.Equal(readFile(t, path), torn) {
		t.Fatal("the ledger was truncated although its tail was not saved")
	}
	if names := dirNames(t, filepath.Dir(path)); len(names) != 1 {
		t.Fatalf("the directory holds %q, want only the ledger", names)
	}
}

// TestTornTailsKept: a second crash at the same offset gives a second side
// file; the first is not overwritten.
func TestTornTailsKept(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	var saved []string
	for _, tail := range [][]byte{[]byte("first crash"), []byte("second")} {
		writeFile(t, path, append(bytes.Clone(fx.bytes), tail...))
		l, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		size, name := l.TornTail()
		l.Close()
		if size != int64(len(tail)) || !bytes.Equal(readFile(t, name), tail) {
			t.Fatalf("torn tail %d bytes saved as %q", size, name)
		}
		saved = append(saved, name)
	}
	if saved[0] == saved[1] || !bytes.Equal(readFile(t, saved[0]), []byte("first crash")) {
		t.Fatalf("the second recovery overwrote the first side file %q", saved[0])
	}
}

// TestOpenSyncsDirectory: every successful open syncs the ledger's
// directory. The case that matters is a file whose header was written and
// synced but whose directory entry was not (a crash between the two syncs
// of a creation): nothing in the file shows it, so the next open must sync
// the directory before any Append is acknowledged.
func TestOpenSyncsDirectory(t *testing.T) {
	fx := newCrashFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger")
	var synced []string
	syncDir = func(d string) error {
		synced = append(synced, d)
		return syncDirectory(d)
	}
	defer func() { syncDir = syncDirectory }()
	for _, tc := range []struct {
		name  string
		bytes []byte // nil: no file
	}{
		{"new file", nil},
		{"header only, creation never directory-synced", fx.bytes[:headerSize]},
		{"interrupted creation", fx.bytes[:5]},
		{"records", fx.bytes},
		{"torn tail", fx.bytes[:len(fx.bytes)-1]},
	} {
		os.Remove(path)
		if tc.bytes != nil {
			writeFile(t, path, tc.bytes)
		}
		synced = nil
		l, err := OpenFile(path)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		l.Close()
		if !slices.Contains(synced, dir) {
			t.Errorf("%s: OpenFile synced %q, not the ledger's directory", tc.name, synced)
		}
		if _, name := l.TornTail(); name != "" {
			os.Remove(name)
		}
	}
}
