package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// ErrLocked is returned by OpenFile when another File, in this process or
// another, has the file open. Two writers would interleave their records.
var ErrLocked = errors.New("ledger: file is open elsewhere")

// File is a [Ledger] kept in one file, crash-safe: an Append returns only
// after its record is written and synced, and OpenFile recovers from a
// crash at any point by dropping the torn tail (see the package
// documentation for exactly what recovery drops).
type File struct {
	appendMu sync.Mutex // serialises Append and Close; held across the write and sync
	buf      []byte     // frame being written; guarded by appendMu

	mu       sync.RWMutex // guards the fields below; writers also hold appendMu
	f        *os.File
	n        uint64
	head     [HashSize]byte
	end      int64   // end of the last record
	offsets  []int64 // offsets[i] is where record i's frame starts
	closed   bool
	failed   error // set when a write or sync failed; Append refuses from then on
	tornSize int64
	tornCopy string
}

var _ Ledger = (*File)(nil)

// syncDir makes the directory entries in dir durable. Tests replace it to
// see that OpenFile calls it.
var syncDir = syncDirectory

// OpenFile opens the ledger file at path, creating it (mode 0600) if it
// does not exist. It reads and verifies every record: lengths, checksums,
// sequence numbers and the hash chain.
//
// A torn tail — the remains of an Append that a crash interrupted, and that
// therefore never returned — is first copied to a new file next to the
// ledger, named after it (path + ".torn-" + offset + "-" + a random
// suffix), then cut off, each step synced; [File.TornTail] reports its size
// and the copy. Damage anywhere else, and a file that is not a ledger, is
// an error wrapping [ErrCorrupt], and the file is left exactly as it was.
//
// Every successful OpenFile syncs the file's directory, so that the file's
// directory entry is durable before any Append is acknowledged, even if an
// earlier creation crashed before its own directory sync.
//
// On systems with flock(2) the file is locked for as long as the File is
// open; a second OpenFile of it fails with [ErrLocked].
func OpenFile(path string) (*File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	l, err := recoverFile(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

func recoverFile(f *os.File, path string) (*File, error) {
	if err := lockFile(f); err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("ledger: %s is not a regular file", path)
	}
	size := info.Size()

	if size < headerSize {
		// A new file, or one whose creation a crash cut short: if what is
		// there is a prefix of the header, finish writing it.
		got := make([]byte, size)
		if err := readFullAt(f, got, 0); err != nil {
			return nil, fmt.Errorf("ledger: reading header: %w", err)
		}
		header := appendHeader(nil)
		if !bytes.Equal(got, header[:size]) {
			return nil, fmt.Errorf("%w: file too short for a header", ErrCorrupt)
		}
		if _, err := f.WriteAt(header, 0); err != nil {
			return nil, fmt.Errorf("ledger: writing header: %w", err)
		}
		if err := f.Sync(); err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		size = headerSize
	}

	st, err := readLog(f, size)
	if err != nil {
		return nil, err
	}
	l := &File{f: f, n: st.n, head: st.head, end: st.end, offsets: st.offsets}
	if st.end < size {
		if l.tornCopy, err = saveTornTail(f, path, st.end, size); err != nil {
			return nil, err
		}
		if err := f.Truncate(st.end); err != nil {
			return nil, fmt.Errorf("ledger: truncating torn tail: %w", err)
		}
		if err := f.Sync(); err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		l.tornSize = size - st.end
	}
	// Whether this open created the file, or an earlier one did and crashed
	// before syncing the directory, cannot be told from the file: a header
	// on disk says nothing about its directory entry. So every open syncs
	// the directory, which costs one fsync next to reading the whole file.
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("ledger: syncing the directory: %w", err)
	}
	return l, nil
}

// saveTornTail copies the bytes [from, to) of f into a new file next to
// path and makes it durable, directory entry included, before recovery
// removes them from the ledger. It returns the new file's path.
func saveTornTail(f *os.File, path string, from, to int64) (string, error) {
	dir := filepath.Dir(path)
	side, err := os.CreateTemp(dir, fmt.Sprintf("%s.torn-%d-*", filepath.Base(path), from))
	if err != nil {
		return "", fmt.Errorf("ledger: saving the torn tail: %w", err)
	}
	_, err = io.Copy(side, io.NewSectionReader(f, from, to-from))
	if err == nil {
		err = side.Sync()
	}
	if cerr := side.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		os.Remove(side.Name())
		return "", fmt.Errorf("ledger: saving the torn tail: %w", err)
	}
	return side.Name(), nil
}

// TornTail reports what OpenFile removed from the end of the file: the
// number of bytes of torn tail and the path of the file it copied them to,
// or 0 and "" if the file ended cleanly.
func (l *File) TornTail() (size int64, copyPath string) {
	return l.tornSize, l.tornCopy
}

// Append adds a record and returns once it is written and synced to disk.
//
// If the write or the sync fails, the record is not acknowledged and the
// File refuses all further appends: after a failed sync the state of the
// file is unknown, so the only safe way on is to close it and let OpenFile
// recover.
func (l *File) Append(ctx context.Context, kind Kind, payload []byte) (Entry, error) {
	if ctx == nil {
		return Entry{}, errNilArgument
	}
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	if err := checkPayload(payload); err != nil {
		return Entry{}, err
	}
	l.appendMu.Lock()
	defer l.appendMu.Unlock()
	// Only holders of appendMu change these, so reading them needs no mu.
	if l.closed {
		return Entry{}, ErrClosed
	}
	if l.failed != nil {
		return Entry{}, l.failed
	}
	seq, prev, off := l.n, l.head, l.end

	l.buf = appendFrame(l.buf[:0], seq, kind, &prev, payload)
	_, err := l.f.WriteAt(l.buf, off)
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		l.f.Truncate(off) // best effort; recovery copes with whatever is left
		l.mu.Lock()
		l.failed = fmt.Errorf("ledger: an earlier append failed, reopen the file: %w", err)
		l.mu.Unlock()
		return Entry{}, fmt.Errorf("ledger: append: %w", err)
	}

	// Hash and hand back the bytes that were written, not the caller's
	// slice, which the caller may already be changing.
	stored := l.buf[frameHeadSize+bodyFixedSize : len(l.buf)-frameTailSize]
	e := Entry{Seq: seq, Kind: kind, Payload: clonePayload(stored), Prev: prev}
	e.Hash = ChainHash(seq, kind, e.Payload, prev)

	l.mu.Lock()
	l.n++
	l.head = e.Hash
	l.end = off + int64(len(l.buf))
	l.offsets = append(l.offsets, off)
	l.mu.Unlock()

	if cap(l.buf) > 1<<20 {
		l.buf = nil // do not pin a large record's buffer
	}
	return e, nil
}

// Len returns the number of entries.
func (l *File) Len() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.n
}

// Head returns the hash of the last entry, or all zeros if there is none.
func (l *File) Head() [HashSize]byte {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.head
}

// Scan calls fn for each entry from from on; see [Ledger]. It reads the
// records back from the file and verifies them again — checksums, sequence
// numbers, and the chain from entry from-1 up to the head — returning an
// error wrapping [ErrCorrupt] if the file changed underneath. A Close during
// the Scan makes it return [ErrClosed].
func (l *File) Scan(ctx context.Context, from uint64, fn func(Entry) error) error {
	if ctx == nil || fn == nil {
		return errNilArgument
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.RLock()
	if l.closed {
		l.mu.RUnlock()
		return ErrClosed
	}
	n, head, end, f := l.n, l.head, l.end, l.f
	if from > n {
		l.mu.RUnlock()
		return fmt.Errorf("ledger: scan from %d past the end (%d entries)", from, n)
	}
	if n == 0 {
		l.mu.RUnlock()
		return nil
	}
	// Start one record early so the first scanned entry's Prev is checked.
	first := from
	if first > 0 {
		first--
	}
	start := l.offsets[first]
	l.mu.RUnlock()

	fr := newFrameReader(f, start, end)
	var prev [HashSize]byte
	for i := first; i < n; i++ {
		off := fr.off
		rec, err := fr.next()
		switch {
		case err == nil:
		case errors.Is(err, os.ErrClosed):
			return ErrClosed
		case errors.Is(err, errShortFrame), errors.Is(err, errFrameHead), errors.Is(err, errChecksum):
			return corruptRecord(i, off, err)
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return corruptRecord(i, off, errors.New("file is shorter than when it was written"))
		default:
			return fmt.Errorf("ledger: reading record %d: %w", i, err)
		}
		if rec.seq != i {
			return corruptRecord(i, off, fmt.Errorf("sequence number is %d", rec.seq))
		}
		if (i > first || i == 0) && rec.prev != prev {
			return corruptRecord(i, off, errBrokenChain)
		}
		prev = ChainHash(rec.seq, rec.kind, rec.payload, rec.prev)
		if i < from {
			continue
		}
		if l.isClosed() {
			return ErrClosed
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		e := Entry{Seq: rec.seq, Kind: rec.kind, Payload: clonePayload(rec.payload), Prev: rec.prev, Hash: prev}
		if err := fn(e); err != nil {
			return err
		}
	}
	if prev != head {
		return fmt.Errorf("%w: record %d does not hash to the head", ErrCorrupt, n-1)
	}
	return nil
}

func (l *File) isClosed() bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.closed
}

// Close waits for a running Append, then closes the file and releases its
// lock.
func (l *File) Close() error {
	l.appendMu.Lock()
	defer l.appendMu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	l.closed = true
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}
