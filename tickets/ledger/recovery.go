package ledger

import (
	"bufio"
	"encoding/binary"
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
// errShortFrame, errFrameHead or errChecksum for a frame that does not
// parse, leaving fr.off at its start; the reader is then unusable.
func (fr *frameReader) next() (record, error) {
	rest := fr.end - fr.off
	if rest < frameHeadSize {
		return record{}, errShortFrame
	}
	h := fr.head[:]
	if _, err := io.ReadFull(fr.br, h); err != nil {
		return record{}, err
	}
	size, err := frameLen(h)
	if err != nil {
		return record{}, err
	}
	if int64(size) > rest {
		return record{}, errShortFrame
	}
	if cap(fr.buf) < size {
		fr.buf = make([]byte, size)
	}
	buf := fr.buf[:size]
	copy(buf, h)
	if _, err := io.ReadFull(fr.br, buf[frameHeadSize:]); err != nil {
		return record{}, err
	}
	rec, _, err := parseFrame(buf)
	if err != nil {
		return record{}, err
	}
	fr.off += int64(size)
	return rec, nil
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
// At the first frame that does not parse (too short, a bad length or
// length checksum, a bad body checksum), the bytes from there on are a torn
// tail — the remains of one Append that a crash interrupted, never
// acknowledged — if no complete frame (length, length checksum and body
// checksum all valid, within the file) starts anywhere after that frame's
// first byte. readLog then returns the state of the verified records, with
// end < size. If a complete frame does follow, the damaged frame is not the
// last one written, dropping it would drop acknowledged records, and
// readLog returns an error wrapping ErrCorrupt; so it does for a frame
// that parses but has the wrong sequence number or previous hash, wherever
// it is.
func readLog(r io.ReaderAt, size int64) (*logState, error) {
	if size < headerSize {
		return nil, fmt.Errorf("%w: file too short for a header", ErrCorrupt)
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
		rec, err := fr.next()
		switch {
		case err == nil:
		case errors.Is(err, errShortFrame), errors.Is(err, errFrameHead), errors.Is(err, errChecksum):
			next, ferr := completeFrameIn(r, off+1, size)
			if ferr != nil {
				return nil, fmt.Errorf("ledger: reading record %d: %w", st.n, ferr)
			}
			if next >= 0 {
				return nil, corruptRecord(st.n, off, fmt.Errorf("%v, and a complete frame follows at offset %d", err, next))
			}
			return st, nil
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

// completeFrameIn returns the offset of the first complete frame — length,
// length checksum and body checksum valid — that starts in [from, end) and
// ends by end, or -1 if there is none. It tries every offset: a frame whose
// length was damaged hides where the next one starts.
func completeFrameIn(r io.ReaderAt, from, end int64) (int64, error) {
	const chunk = 64 << 10
	window := make([]byte, chunk+frameHeadSize-1)
	var frame []byte
	for base := from; base+frameOverhead <= end; base += chunk {
		w := window[:min(int64(len(window)), end-base)]
		if err := readFullAt(r, w, base); err != nil {
			return -1, err
		}
		for i := 0; i < chunk && i+frameHeadSize <= len(w); i++ {
			at := base + int64(i)
			// The bounds first: they reject most offsets without a checksum.
			if n := binary.BigEndian.Uint32(w[i:]); n < bodyFixedSize || n > maxBodySize ||
				at+frameHeadSize+int64(n)+frameTailSize > end {
				continue
			}
			size, err := frameLen(w[i : i+frameHeadSize])
			if err != nil {
				continue
			}
			if cap(frame) < size {
				frame = make([]byte, size)
			}
			frame = frame[:size]
			if err := readFullAt(r, frame, at); err != nil {
				return -1, err
			}
			if _, _, err := parseFrame(frame); err == nil {
				return at, nil
			}
		}
	}
	return -1, nil
}

var errBrokenChain = errors.New("previous hash does not match the record before it")

func corruptRecord(seq uint64, off int64, why error) error {
	return fmt.Errorf("%w: record %d at offset %d: %v", ErrCorrupt, seq, off, why)
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
