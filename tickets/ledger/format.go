package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// The on-disk format is specified in docs/spec/ledger.md of the
// repository. The frame length carries its own checksum so that a damaged
// length is reported as such; recovery still searches past it for complete
// frames (completeFrameIn) before it takes anything for a torn tail.

const (
	headerSize    = 12
	formatVersion = 1
	frameHeadSize = 8
	frameTailSize = 4
	bodyFixedSize = 8 + 2 + HashSize
	maxBodySize   = bodyFixedSize + MaxPayload
	frameOverhead = frameHeadSize + bodyFixedSize + frameTailSize
	maxFrameSize  = frameOverhead + MaxPayload
	fileMagic     = "RTLEDGER"
	fileMagicSize = len(fileMagic)
	versionOffset = fileMagicSize
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Reasons a frame does not parse.
var (
	errShortFrame = errors.New("frame runs past the end of the data")
	errFrameHead  = errors.New("bad frame length or length checksum")
	errChecksum   = errors.New("record checksum mismatch")
)

// record is a parsed frame. payload aliases the parsed bytes.
type record struct {
	seq     uint64
	kind    Kind
	prev    [HashSize]byte
	payload []byte
}

func appendHeader(b []byte) []byte {
	b = append(b, fileMagic...)
	return binary.BigEndian.AppendUint32(b, formatVersion)
}

// checkHeader reports whether h, exactly headerSize bytes, is a version 1
// header.
func checkHeader(h []byte) error {
	if len(h) != headerSize || !bytes.Equal(h[:fileMagicSize], []byte(fileMagic)) {
		return fmt.Errorf("%w: not a ledger file (bad magic)", ErrCorrupt)
	}
	if v := binary.BigEndian.Uint32(h[versionOffset:]); v != formatVersion {
		return fmt.Errorf("%w: ledger file format version %d, this package reads version %d", ErrCorrupt, v, formatVersion)
	}
	return nil
}

// appendFrame appends the frame of one record to b.
func appendFrame(b []byte, seq uint64, kind Kind, prev *[HashSize]byte, payload []byte) []byte {
	n := uint32(bodyFixedSize + len(payload))
	b = binary.BigEndian.AppendUint32(b, n)
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(b[len(b)-4:], castagnoli))
	start := len(b)
	b = binary.BigEndian.AppendUint64(b, seq)
	b = binary.BigEndian.AppendUint16(b, uint16(kind))
	b = append(b, prev[:]...)
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b[start:], castagnoli))
}

// frameLen returns the total size of the frame whose first frameHeadSize
// bytes are h.
func frameLen(h []byte) (int, error) {
	n := binary.BigEndian.Uint32(h)
	if crc32.Checksum(h[:4], castagnoli) != binary.BigEndian.Uint32(h[4:]) ||
		n < bodyFixedSize || n > maxBodySize {
		return 0, errFrameHead
	}
	return frameHeadSize + int(n) + frameTailSize, nil
}

// parseFrame parses the frame at the start of b and returns it and its
// size. The record's payload aliases b.
func parseFrame(b []byte) (record, int, error) {
	if len(b) < frameHeadSize {
		return record{}, 0, errShortFrame
	}
	size, err := frameLen(b)
	if err != nil {
		return record{}, 0, err
	}
	if len(b) < size {
		return record{}, 0, errShortFrame
	}
	body := b[frameHeadSize : size-frameTailSize]
	if crc32.Checksum(body, castagnoli) != binary.BigEndian.Uint32(b[size-frameTailSize:]) {
		return record{}, 0, errChecksum
	}
	r := record{
		seq:     binary.BigEndian.Uint64(body),
		kind:    Kind(binary.BigEndian.Uint16(body[8:])),
		payload: body[bodyFixedSize:],
	}
	copy(r.prev[:], body[10:])
	return r, size, nil
}
