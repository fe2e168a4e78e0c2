package transcript

import (
	"encoding/binary"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Transcript accumulates labelled protocol values for a Fiat–Shamir
// challenge. The zero value is not usable; create one with [New].
type Transcript struct {
	dst []byte
	buf []byte
}

// New returns an empty transcript whose challenges are derived under the
// domain separation tag dst (1 to 255 bytes).
func New(dst string) *Transcript {
	if len(dst) == 0 || len(dst) > 255 {
		panic("transcript: domain separation tag must be 1 to 255 bytes")
	}
	return &Transcript{dst: []byte(dst)}
}

// Grow makes room for n more bytes, to avoid reallocations when the caller
// knows how much it will absorb.
func (t *Transcript) Grow(n int) {
	if n > cap(t.buf)-len(t.buf) {
		nb := make([]byte, len(t.buf), len(t.buf)+n)
		copy(nb, t.buf)
		t.buf = nb
	}
}

func (t *Transcript) label(l string) {
	t.buf = binary.BigEndian.AppendUint64(t.buf, uint64(len(l)))
	t.buf = append(t.buf, l...)
}

// AppendBytes absorbs the byte string b under label.
func (t *Transcript) AppendBytes(label string, b []byte) {
	t.label(label)
	t.buf = binary.BigEndian.AppendUint64(t.buf, uint64(len(b)))
	t.buf = append(t.buf, b...)
}

// AppendUint64 absorbs v under label.
func (t *Transcript) AppendUint64(label string, v uint64) {
	t.label(label)
	t.buf = binary.BigEndian.AppendUint64(t.buf, v)
}

// AppendElement absorbs the encoding of e under label.
func (t *Transcript) AppendElement(label string, e *ristretto.Element) {
	t.label(label)
	t.buf = e.AppendBytes(t.buf)
}

// AppendScalar absorbs the encoding of s under label.
func (t *Transcript) AppendScalar(label string, s *ristretto.Scalar) {
	t.label(label)
	t.buf = s.AppendBytes(t.buf)
}

// AppendElements absorbs the count and the encodings of es under label.
func (t *Transcript) AppendElements(label string, es []*ristretto.Element) {
	t.label(label)
	t.buf = binary.BigEndian.AppendUint64(t.buf, uint64(len(es)))
	for _, e := range es {
		t.buf = e.AppendBytes(t.buf)
	}
}

// AppendDoubledElements absorbs the count of es and the encodings of 2·e
// for each e in es, under label, with one field inversion for the whole list.
func (t *Transcript) AppendDoubledElements(label string, es []*ristretto.Element) {
	t.label(label)
	t.buf = binary.BigEndian.AppendUint64(t.buf, uint64(len(es)))
	t.buf = ristretto.AppendDoubledEncodings(t.buf, es)
}

// Challenge returns HashToScalar(dst, transcript bytes). The transcript
// stays usable: later absorbs extend it and later challenges bind both.
func (t *Transcript) Challenge() *ristretto.Scalar {
	return ristretto.HashToScalar(t.dst, t.buf)
}

// Bytes returns a copy of the absorbed bytes, for tests and debugging.
func (t *Transcript) Bytes() []byte {
	return append([]byte(nil), t.buf...)
}
