package ledger

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// frameReader reads consecutive frames from r, between off and end.
type frameReader struct {
	br   *bufio.Reader
	off  int64 // start of the next frame
	end  int64
	buf  []byte // reused; the last record's payload aliases it
	head [frameHeadSize]byte
}

func newFrameReader(r io.ReaderAt, off, end int64) *frameReader {
	return &frameReader{
		br:  bufio.NewReaderSize(io.NewSectionReader(r, off, end-off), 64<<10),
		off: off,
		end: end,
	}
}

// next reads the frame at fr.off and advances past it. It returns
// errShortFrame, errFrameHead or errChecksum (with the frame's size) for a
// frame that does not parse, leaving fr.off at its start; the reader is then
// unusable.
func (fr *frameReader) next() (record, int64, error) {
	rest := fr.end - fr.off
	if rest < frameHeadSize {
		return record{}, 0, errShortFrame
	}
	h := fr.head[:]
	if _, err := io.ReadFull(fr.br, h); err != nil {
		return record{}, 0, err
	}
	size, err := frameLen(h)
	if err != nil {
		return record{}, 0, err
	}
	if int64(size) > rest {
		return record{}, 0, errShortFrame
	}
	if cap(fr.buf) < size {
		fr.buf = make([]byte, size)
	}
	buf := fr.buf[:size]
	copy(buf, h)
	if _, err := io.ReadFull(fr.br, buf[frameHeadSize:]); err != nil {
		return record{}, 0, err
	}
	rec, _, err := parseFrame(buf)
	if err != nil {
		return record{}, int64(size), err
	}
	fr.off += int64(size)
	return rec, int64(size), nil
}

// logState is what reading a log yields: the verified records' count, head
// and frame offsets, and where the last of them ends.
type logState struct {
	n       uint64
	head    [HashSize]byte
	offsets []int64
	end     int64
}

// readLog reads and verifies the whole log in r, which is size bytes long,
// header included.
//
// Bytes after the last verified record are a torn tail — an append cut short
// by a crash, which was never acknowledged — when they are
//   - fewer than a frame head,
//   - a frame whose (checksummed) length runs past the end,
//   - a final frame, ending exactly at the end, whose body checksum fails, or
//   - all zeros (a crash can extend a file before writing its data).
//
// readLog then returns the state of the verified records, with end < size.
// Any other failure — a bad checksum or a bad frame length with bytes after
// it, a wrong sequence number, a broken chain — is an error wrapping
// ErrCorrupt, because dropping the bytes would drop acknowledged records.
func readLog(r io.ReaderAt, size int64) (*logState, error) {
	if size < headerSize {
		return nil, fmt.Errorf("%w (file too short)", ErrFormat)
	}
	h := make([]byte, headerSize)
	if err := readFullAt(r, h, 0); err != nil {
		return nil, fmt.Errorf("ledger: reading header: %w", err)
	}
	if err := checkHeader(h); err != nil {
		return nil, err
	}

	st := &logState{end: headerSize}
	fr := newFrameReader(r, headerSize, size)
	for fr.off < size {
		off := fr.off
		rec, frameSize, err := fr.next()
		switch {
		case err == nil:
		case errors.Is(err, errShortFrame):
			return st, nil
		case errors.Is(err, errChecksum) && off+frameSize == size:
			return st, nil
		case errors.Is(err, errFrameHead):
			zero, zerr := allZero(r, off, size)
			if zerr != nil {
				return nil, fmt.Errorf("ledger: reading record %d: %w", st.n, zerr)
			}
			if zero {
				return st, nil
			}
			return nil, corruptRecord(st.n, off, err)
		case errors.Is(err, errChecksum):
			return nil, corruptRecord(st.n, off, err)
		default:
			return nil, fmt.Errorf("ledger: reading record %d: %w", st.n, err)
		}
		if rec.seq != st.n {
			return nil, corruptRecord(st.n, off, fmt.Errorf("sequence number is %d", rec.seq))
		}
		if rec.prev != st.head {
			return nil, corruptRecord(st.n, off, errBrokenChain)
		}
		st.head = ChainHash(rec.seq, rec.kind, rec.payload, rec.prev)
		st.offsets = append(st.offsets, off)
		st.n++
		st.end = fr.off
	}
	return st, nil
}

var errBrokenChain = errors.New("previous hash does not match the record before it")

func corruptRecord(seq uint64, off int64, why error) error {
	return fmt.Errorf("%w: record %d at offset %d: %v", ErrCorrupt, seq, off, why)
}

// allZero reports whether r holds only zero bytes in [off, end).
func allZero(r io.ReaderAt, off, end int64) (bool, error) {
	buf := make([]byte, 32<<10)
	for off < end {
		n := int64(len(buf))
		if end-off < n {
			n = end - off
		}
		if err := readFullAt(r, buf[:n], off); err != nil {
			return false, err
		}
		for _, c := range buf[:n] {
			if c != 0 {
				return false, nil
			}
		}
		off += n
	}
	return true, nil
}

// readFullAt fills b from r at off. Unlike a bare ReadAt, it accepts io.EOF
// alongside a full read, which io.ReaderAt allows at the end of the input.
func readFullAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}
