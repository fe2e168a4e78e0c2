package ledger

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// ctx is the context of every ledger call in the tests.
var ctx = context.Background()

// knownRecords are the records of testdata/v1.ledger; knownHashes are their
// entry hashes, computed by the independent script in testdata/README.md.
var knownRecords = []struct {
	kind    Kind
	payload []byte
}{
	{0x0001, []byte{}},
	{0xbeef, []byte("ticket sold")},
	{0xffff, allBytes()},
}

var knownHashes = []string{
	"3380b8186cc975a83616a683a63bc1d68ac03117dcfea24a5cd1e5acc14bcde9",
	"7a61dfb526b972dde9aa2310c5485877d9d9bf009f7be90ac746ab9b03d1de31",
	"6e8e7028eb9203ded4c6ea05f4ad473fef6614413b510ad13a2040ae924aa2ed",
}

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func mustHash(t testing.TB, s string) [HashSize]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != HashSize {
		t.Fatalf("bad hash literal %q", s)
	}
	return [HashSize]byte(b)
}

func TestChainHashKnownAnswers(t *testing.T) {
	var prev [HashSize]byte
	for i, r := range knownRecords {
		got := ChainHash(uint64(i), r.kind, r.payload, prev)
		if want := mustHash(t, knownHashes[i]); got != want {
			t.Fatalf("entry %d: ChainHash = %x, want %x", i, got, want)
		}
		prev = got
	}
}

// TestChainHashBindsEveryInput changes each input in turn; the hash must
// change with it. Moving a byte between payload and the neighbouring fields
// is covered by the length prefix.
func TestChainHashBindsEveryInput(t *testing.T) {
	prev := mustHash(t, knownHashes[0])
	base := ChainHash(7, 3, []byte("payload"), prev)
	otherPrev := prev
	otherPrev[31] ^= 1
	variants := map[string][HashSize]byte{
		"seq":      ChainHash(8, 3, []byte("payload"), prev),
		"kind":     ChainHash(7, 4, []byte("payload"), prev),
		"payload":  ChainHash(7, 3, []byte("payloaD"), prev),
		"length":   ChainHash(7, 3, []byte("payload\x00"), prev),
		"empty":    ChainHash(7, 3, nil, prev),
		"prev":     ChainHash(7, 3, []byte("payload"), otherPrev),
		"zeroPrev": ChainHash(7, 3, []byte("payload"), [HashSize]byte{}),
	}
	for name, h := range variants {
		if h == base {
			t.Errorf("changing %s does not change the hash", name)
		}
	}
	if ChainHash(7, 3, nil, prev) != ChainHash(7, 3, []byte{}, prev) {
		t.Error("nil and empty payloads hash differently")
	}
}

// TestGoldenFile checks the on-disk format against a file written by an
// independent implementation of the documented format, both ways.
func TestGoldenFile(t *testing.T) {
	golden, err := os.ReadFile("testdata/v1.ledger")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("write", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ledger")
		l, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range knownRecords {
			if _, err := l.Append(ctx, r.kind, r.payload); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, golden) {
			t.Fatalf("file differs from testdata/v1.ledger:\n got %x\nwant %x", got, golden)
		}
	})

	t.Run("read", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ledger")
		if err := os.WriteFile(path, golden, 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if torn, _ := l.TornTail(); l.Len() != uint64(len(knownRecords)) || torn != 0 {
			t.Fatalf("Len = %d, torn tail %d bytes", l.Len(), torn)
		}
		if l.Head() != mustHash(t, knownHashes[len(knownHashes)-1]) {
			t.Fatalf("Head = %x", l.Head())
		}
		i := 0
		err = l.Scan(ctx, 0, func(e Entry) error {
			r := knownRecords[i]
			if e.Seq != uint64(i) || e.Kind != r.kind || !bytes.Equal(e.Payload, r.payload) ||
				e.Hash != mustHash(t, knownHashes[i]) {
				t.Errorf("entry %d = %+v", i, e)
			}
			i++
			return nil
		})
		if err != nil || i != len(knownRecords) {
			t.Fatalf("Scan: %v after %d entries", err, i)
		}
	})
}

func TestFrameRoundTrip(t *testing.T) {
	prev := mustHash(t, knownHashes[1])
	for _, payload := range [][]byte{nil, {0}, []byte("ticket"), allBytes()} {
		b := appendFrame([]byte("prefix"), 42, 0x1234, &prev, payload)[len("prefix"):]
		if len(b) != frameOverhead+len(payload) {
			t.Fatalf("frame of %d-byte payload is %d bytes", len(payload), len(b))
		}
		rec, n, err := parseFrame(append(b, "trailing"...))
		if err != nil || n != len(b) {
			t.Fatalf("parseFrame: n = %d, err = %v", n, err)
		}
		if rec.seq != 42 || rec.kind != 0x1234 || rec.prev != prev || !bytes.Equal(rec.payload, payload) {
			t.Fatalf("parsed %+v", rec)
		}
		// Every shortening is short; every single-bit change is caught.
		for i := range b {
			if _, _, err := parseFrame(b[:i]); !errors.Is(err, errShortFrame) && !errors.Is(err, errFrameHead) {
				t.Fatalf("frame cut to %d bytes: err = %v", i, err)
			}
			c := bytes.Clone(b)
			c[i] ^= 0x10
			if _, _, err := parseFrame(c); err == nil {
				t.Fatalf("frame with byte %d changed parses", i)
			}
		}
	}
}

func TestFrameLengthBounds(t *testing.T) {
	for _, tc := range []struct {
		n  uint32
		ok bool
	}{
		{0, false},
		{bodyFixedSize - 1, false},
		{bodyFixedSize, true},
		{maxBodySize, true},
		{maxBodySize + 1, false},
		{1<<32 - 1, false},
	} {
		h := lengthHead(tc.n)
		size, err := frameLen(h)
		if tc.ok != (err == nil) {
			t.Errorf("body length %d: err = %v", tc.n, err)
		}
		if tc.ok && size != frameHeadSize+int(tc.n)+frameTailSize {
			t.Errorf("body length %d: frame size %d", tc.n, size)
		}
	}
}

// lengthHead returns a frame head for body length n with a valid length
// checksum, so that only the length bounds can reject it.
func lengthHead(n uint32) []byte {
	h := binary.BigEndian.AppendUint32(nil, n)
	return binary.BigEndian.AppendUint32(h, crc32.Checksum(h, castagnoli))
}
