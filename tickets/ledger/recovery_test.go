package ledger

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
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
	path := filepath.Join(t.TempDir(), "ledger")
	l := newTestFile(t, path)
	fx := &crashFixture{}
	off := headerSize
	for i, p := range crashPayloads {
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
// records and a torn tail of tail bytes, and returns the open ledger.
func (fx *crashFixture) checkRecovered(t *testing.T, path string, n, tail int) *File {
	t.Helper()
	l, err := OpenFile(path)
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	if l.Len() != uint64(n) || l.Truncated() != int64(tail) {
		t.Fatalf("Len = %d, Truncated = %d; want %d, %d", l.Len(), l.Truncated(), n, tail)
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
	return l
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

// TestDamagedFinalRecord documents the limit of recovery: a final record
// whose body checksum fails looks exactly like a torn write and is dropped
// (and reported); damage to its length, which makes the frame's extent
// unknown, is reported as corruption.
func TestDamagedFinalRecord(t *testing.T) {
	fx := newCrashFixture(t)
	path := filepath.Join(t.TempDir(), "ledger")
	last := len(fx.entries) - 1
	for i := fx.starts[last]; i < fx.ends[last]; i++ {
		b := bytes.Clone(fx.bytes)
		b[i] ^= 0x80
		writeFile(t, path, b)
		if i < fx.starts[last]+frameHeadSize {
			if _, err := OpenFile(path); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("byte %d (frame head) flipped: err = %v, want ErrCorrupt", i, err)
			}
			continue
		}
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
		writeFile(t, path, b)
		_, err := OpenFile(path)
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("byte %d flipped: err = %v, want ErrCorrupt", i, err)
		}
		if rec := fx.acknowledged(i); !strings.Contains(err.Error(), "record "+strconv.Itoa(rec)+" ") {
			t.Fatalf("byte %d flipped: error %q does not name record %d", i, err, rec)
		}
		if !bytes.Equal(readFile(t, path), b) {
			t.Fatalf("byte %d flipped: OpenFile changed the file", i)
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
		writeFile(t, path, b)
		if _, err := OpenFile(path); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
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
		writeFile(t, path, b)
		_, err := OpenFile(path)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
		if !bytes.Equal(readFile(t, path), b) {
			t.Errorf("%s: OpenFile changed the file", name)
		}
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
