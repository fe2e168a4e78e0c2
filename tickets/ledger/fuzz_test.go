package ledger

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds are ledger files: valid, torn, padded and damaged.
func fuzzSeeds(f *testing.F) [][]byte {
	golden, err := os.ReadFile("testdata/v1.ledger")
	if err != nil {
		f.Fatal(err)
	}
	flipped := bytes.Clone(golden)
	flipped[len(flipped)/2] ^= 1
	// Record 0 (empty payload) is the 54 bytes after the header.
	pastEnd := bytes.Clone(golden)
	copy(pastEnd[headerSize:], lengthHead(uint32(len(golden))))
	zeroed := bytes.Clone(golden)
	clear(zeroed[headerSize : headerSize+frameOverhead+20])
	return [][]byte{
		pastEnd,
		zeroed,
		nil,
		golden[:5],
		golden[:headerSize],
		golden,
		golden[:len(golden)-1],
		golden[:headerSize+frameHeadSize+3],
		append(bytes.Clone(golden), make([]byte, 20)...),
		flipped,
	}
}

// serialise re-encodes a ledger's entries in the file format.
func serialise(t *testing.T, l Ledger) []byte {
	b := appendHeader(nil)
	err := l.Scan(ctx, 0, func(e Entry) error {
		b = appendFrame(b, e.Seq, e.Kind, &e.Prev, e.Payload)
		return nil
	})
	if err != nil {
		t.Fatalf("Scan of an opened ledger: %v", err)
	}
	return b
}

// FuzzOpen feeds arbitrary files to OpenFile. It must not panic; a refusal
// wraps ErrCorrupt and leaves the file as it was; when it succeeds, the
// ledger's entries re-encode to a prefix of the input (or, for a prefix of
// a header, to the header), the rest was reported as the torn tail and
// copied to the side file, and the file on disk is now exactly that
// encoding.
func FuzzOpen(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	dir := fuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "ledger")
		writeFile(t, path, data)
		l, err := OpenFile(path)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("unexpected kind of error: %v", err)
			}
			if !bytes.Equal(readFile(t, path), data) {
				t.Fatal("a failed OpenFile changed the file")
			}
			return
		}
		defer l.Close()
		torn, saved := l.TornTail()
		if saved != "" {
			defer os.Remove(saved)
		}
		enc := serialise(t, l)
		switch {
		case len(data) < headerSize:
			if l.Len() != 0 || torn != 0 || !bytes.HasPrefix(enc, data) {
				t.Fatal("a header prefix did not open as an empty ledger")
			}
		case !bytes.HasPrefix(data, enc):
			t.Fatalf("entries re-encode to %x, not a prefix of the input", enc)
		case torn != int64(len(data)-len(enc)):
			t.Fatalf("torn tail %d bytes, want %d", torn, len(data)-len(enc))
		case torn > 0 && !bytes.Equal(readFile(t, saved), data[len(enc):]):
			t.Fatal("the side file does not hold the torn tail")
		case torn == 0 && saved != "":
			t.Fatal("a side file with nothing dropped")
		}
		if !bytes.Equal(readFile(t, path), enc) {
			t.Fatal("the file after OpenFile is not the re-encoded entries")
		}
	})
}

// FuzzReadLog is FuzzOpen's core without the file system, so it runs much
// faster: readLog must not panic, what it accepts must re-encode to the
// input up to the returned end, and no complete frame may start in what it
// leaves for the torn tail (checked here by trying to parse one at every
// offset, independently of completeFrameIn).
func FuzzReadLog(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := readLog(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("unexpected kind of error: %v", err)
			}
			return
		}
		if st.end < headerSize || st.end > int64(len(data)) || uint64(len(st.offsets)) != st.n {
			t.Fatalf("state out of range: end %d, n %d, %d offsets", st.end, st.n, len(st.offsets))
		}
		enc := appendHeader(nil)
		var prev [HashSize]byte
		for i, off := range st.offsets {
			rec, n, err := parseFrame(data[off:st.end])
			if err != nil || int64(len(enc)) != off {
				t.Fatalf("record %d at %d does not parse again: %v", i, off, err)
			}
			enc = appendFrame(enc, rec.seq, rec.kind, &rec.prev, rec.payload)
			if !bytes.Equal(enc[off:], data[off:off+int64(n)]) {
				t.Fatalf("record %d does not re-encode", i)
			}
			prev = ChainHash(rec.seq, rec.kind, rec.payload, rec.prev)
		}
		if !bytes.Equal(enc, data[:st.end]) || prev != st.head {
			t.Fatal("accepted prefix does not re-encode, or head differs")
		}
		for off := st.end; off < int64(len(data)); off++ {
			if _, _, err := parseFrame(data[off:]); err == nil {
				t.Fatalf("the torn tail from %d holds a complete frame at %d", st.end, off)
			}
		}
	})
}

// FuzzParseFrame: no panic, and an accepted frame re-encodes to exactly the
// bytes it was parsed from.
func FuzzParseFrame(f *testing.F) {
	var prev [HashSize]byte
	f.Add(appendFrame(nil, 0, 0, &prev, nil))
	f.Add(appendFrame(nil, 1<<40, 0xffff, &prev, []byte("ticket")))
	f.Add(lengthHead(maxBodySize))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, n, err := parseFrame(data)
		if err != nil {
			if n != 0 {
				t.Fatalf("error %v with size %d", err, n)
			}
			return
		}
		if enc := appendFrame(nil, rec.seq, rec.kind, &rec.prev, rec.payload); !bytes.Equal(enc, data[:n]) {
			t.Fatalf("frame re-encodes to %x, parsed from %x", enc, data[:n])
		}
	})
}

// fuzzDir returns a directory for FuzzOpen's file: on tmpfs where there is
// one, since there fsync costs nothing and the fuzzer runs a hundred times
// faster; the code under test is the same.
func fuzzDir(f *testing.F) string {
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "ledger-fuzz-"); err == nil {
			f.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return f.TempDir()
}
