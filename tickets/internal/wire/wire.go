package wire

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Version is the first byte of every record.
const Version = 1

// HeaderSize is the size of the record header.
const HeaderSize = 3

// MaxField bounds a length-prefixed field and a list count, so a length
// read from the wire never makes a parser allocate more than a ledger
// payload can hold.
const MaxField = 16 << 20

// Seconds returns t truncated to whole seconds, in UTC: the value a record
// stores. It fails for times before 1970.
func Seconds(t time.Time) (time.Time, error) {
	u := t.Unix()
	if u < 0 {
		return time.Time{}, errors.New("time before 1970")
	}
	return time.Unix(u, 0).UTC(), nil
}

// Writer builds the encoding of one record. The first error sticks and
// is returned by [Writer.Finish].
type Writer struct {
	b   *cryptobyte.Builder
	err error
}

// NewWriter starts a record of the given kind.
func NewWriter(kind uint16) *Writer {
	w := &Writer{b: cryptobyte.NewBuilder(nil)}
	w.b.AddUint8(Version)
	w.b.AddUint16(kind)
	return w
}

// Fail records err unless an earlier error is recorded.
func (w *Writer) Fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// U8 appends v.
func (w *Writer) U8(v uint8) { w.b.AddUint8(v) }

// U16 appends v.
func (w *Writer) U16(v uint16) { w.b.AddUint16(v) }

// U32 appends v.
func (w *Writer) U32(v uint32) { w.b.AddUint32(v) }

// U64 appends v.
func (w *Writer) U64(v uint64) { w.b.AddUint64(v) }

// Time appends t, which must be whole seconds in UTC since 1970 (see
// [Seconds]).
func (w *Writer) Time(t time.Time) {
	if s, err := Seconds(t); err != nil || !s.Equal(t) {
		w.Fail(fmt.Errorf("time %v is not whole seconds after 1970", t))
	}
	w.b.AddUint64(uint64(max(t.Unix(), 0)))
}

// Fixed appends b as it is; its length is fixed by the format.
func (w *Writer) Fixed(b []byte) { w.b.AddBytes(b) }

// Bytes appends b with a u32 length prefix.
func (w *Writer) Bytes(b []byte) {
	if len(b) > MaxField {
		w.Fail(fmt.Errorf("field of %d bytes exceeds %d", len(b), MaxField))
		return
	}
	w.b.AddUint32(uint32(len(b)))
	w.b.AddBytes(b)
}

// Count appends a list's length.
func (w *Writer) Count(n int) {
	if n < 0 || n > MaxField {
		w.Fail(fmt.Errorf("list of %d items exceeds %d", n, MaxField))
		return
	}
	w.b.AddUint32(uint32(n))
}

// Amount appends a's 12-byte encoding; a must have a currency.
func (w *Writer) Amount(a money.Amount) {
	if !a.Valid() {
		w.Fail(errors.New("amount without a currency"))
		w.b.AddBytes(make([]byte, money.EncodedSize))
		return
	}
	w.b.AddBytes(a.Bytes())
}

// Finish returns the encoding, or the first error.
func (w *Writer) Finish() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return w.b.Bytes()
}

// Reader parses the encoding of one record. Every method is a no-op once
// a read has failed; [Reader.Done] reports the first failure.
type Reader struct {
	s        cryptobyte.String
	what     string
	sentinel error
	err      error
}

// NewReader starts parsing b as a record of the given kind. what names
// the record in errors, which wrap sentinel.
func NewReader(b []byte, kind uint16, what string, sentinel error) *Reader {
	r := &Reader{s: cryptobyte.String(b), what: what, sentinel: sentinel}
	var v uint8
	var k uint16
	switch {
	case !r.s.ReadUint8(&v) || !r.s.ReadUint16(&k):
		r.Fail("header", "truncated")
	case v != Version:
		r.Fail("header", fmt.Sprintf("version %d, want %d", v, Version))
	case k != kind:
		r.Fail("header", fmt.Sprintf("kind %#04x, want %#04x", k, kind))
	}
	return r
}

// NewSignedReader starts parsing b = body || sig as a signed record of the
// given kind (see [NewReader]) and returns a copy of the [SignatureSize]
// signature bytes, which it does not check. The reader reads the body.
func NewSignedReader(b []byte, kind uint16, what string, sentinel error) (*Reader, []byte) {
	if len(b) < HeaderSize+SignatureSize {
		r := NewReader(nil, kind, what, sentinel)
		return r, nil
	}
	n := len(b) - SignatureSize
	return NewReader(b[:n], kind, what, sentinel), append([]byte(nil), b[n:]...)
}

// KindOf returns the kind named by the header of the record encoded in b,
// so that a receiver of bytes can hand them to the right parser. It checks
// only the version and the length of the header.
func KindOf(b []byte) (uint16, bool) {
	if len(b) < HeaderSize || b[0] != Version {
		return 0, false
	}
	return binary.BigEndian.Uint16(b[1:HeaderSize]), true
}

// Fail records that field is invalid, unless an earlier failure is
// recorded.
func (r *Reader) Fail(field, why string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s: %s: %s", r.sentinel, r.what, field, why)
	}
}

// FailErr records that field is invalid because of err, which the
// recorded error wraps too.
func (r *Reader) FailErr(field string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s: %s: %w", r.sentinel, r.what, field, err)
	}
}

// Err returns the first failure, or nil.
func (r *Reader) Err() error { return r.err }

// Done returns the first failure, or an error if bytes are left over.
func (r *Reader) Done() error {
	if r.err == nil && !r.s.Empty() {
		r.Fail("end", "trailing bytes")
	}
	return r.err
}

func (r *Reader) ok(field string, read bool) bool {
	if r.err != nil {
		return false
	}
	if !read {
		r.Fail(field, "truncated")
		return false
	}
	return true
}

// U8 reads a byte.
func (r *Reader) U8(field string) uint8 {
	var v uint8
	r.ok(field, r.err == nil && r.s.ReadUint8(&v))
	return v
}

// U16 reads a u16.
func (r *Reader) U16(field string) uint16 {
	var v uint16
	r.ok(field, r.err == nil && r.s.ReadUint16(&v))
	return v
}

// U32 reads a u32.
func (r *Reader) U32(field string) uint32 {
	var v uint32
	r.ok(field, r.err == nil && r.s.ReadUint32(&v))
	return v
}

// U64 reads a u64.
func (r *Reader) U64(field string) uint64 {
	var v uint64
	r.ok(field, r.err == nil && r.s.ReadUint64(&v))
	return v
}

// Time reads a time written by [Writer.Time].
func (r *Reader) Time(field string) time.Time {
	var v uint64
	if !r.ok(field, r.err == nil && r.s.ReadUint64(&v)) {
		return time.Time{}
	}
	if v > math.MaxInt64 {
		r.Fail(field, "time out of range")
		return time.Time{}
	}
	return time.Unix(int64(v), 0).UTC()
}

// Fixed reads n bytes into a new slice.
func (r *Reader) Fixed(field string, n int) []byte {
	var v []byte
	if !r.ok(field, r.err == nil && r.s.ReadBytes(&v, n)) {
		return nil
	}
	return append([]byte(nil), v...)
}

// Bytes reads a u32-length-prefixed field into a new slice.
func (r *Reader) Bytes(field string) []byte {
	n := r.U32(field)
	if r.err != nil {
		return nil
	}
	if n > MaxField || int(n) > len(r.s) {
		r.Fail(field, "truncated")
		return nil
	}
	return r.Fixed(field, int(n))
}

// Count reads a list's length and checks that at least itemSize bytes per
// item remain, so a forged count never makes the caller allocate much.
func (r *Reader) Count(field string, itemSize int) int {
	n := r.U32(field)
	if r.err != nil {
		return 0
	}
	if n > MaxField || uint64(n)*uint64(max(itemSize, 0)) > uint64(len(r.s)) {
		r.Fail(field, "count exceeds the bytes left")
		return 0
	}
	return int(n)
}

// Amount reads a money amount.
func (r *Reader) Amount(field string) money.Amount {
	b := r.Fixed(field, money.EncodedSize)
	if r.err != nil {
		return money.Amount{}
	}
	a, err := money.Parse(b)
	if err != nil {
		r.FailErr(field, err)
	}
	return a
}

// FixedValue reads size bytes and parses them with parse, whose error the
// reader's failure wraps.
func FixedValue[T any](r *Reader, field string, size int, parse func([]byte) (T, error)) T {
	var zero T
	b := r.Fixed(field, size)
	if r.err != nil {
		return zero
	}
	v, err := parse(b)
	if err != nil {
		r.FailErr(field, err)
		return zero
	}
	return v
}

// Value reads a u32-length-prefixed field and parses it with parse.
func Value[T any](r *Reader, field string, parse func([]byte) (T, error)) T {
	var zero T
	b := r.Bytes(field)
	if r.err != nil {
		return zero
	}
	v, err := parse(b)
	if err != nil {
		r.FailErr(field, err)
		return zero
	}
	return v
}

// ECDSAKey reads a compressed P-256 key.
func (r *Reader) ECDSAKey(field string) *ecdsa.PublicKey {
	return FixedValue(r, field, ecdsa.PublicKeySize, ecdsa.ParsePublicKey)
}

// ECDSAKey appends a compressed P-256 key, which must not be nil or the
// zero value (which equals no key, not even itself).
func (w *Writer) ECDSAKey(k *ecdsa.PublicKey) {
	if !k.Equal(k) {
		w.Fail(errors.New("missing ECDSA key"))
		w.b.AddBytes(make([]byte, ecdsa.PublicKeySize))
		return
	}
	w.b.AddBytes(k.Bytes())
}

// Digest returns SHA-256(lp(label) || lp(b)) with lp(x) = u64be(len(x)) || x:
// the name of a record or a value under a domain-separation label.
func Digest(label string, b ...[]byte) [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(label)))
	h.Write(n[:])
	h.Write([]byte(label))
	for _, p := range b {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

// Sign returns body || sig, sig being the ECDSA signature of body under
// context.
func Sign(key *ecdsa.PrivateKey, context string, body []byte) ([]byte, error) {
	if key == nil {
		return nil, errors.New("missing signing key")
	}
	sig, err := ecdsa.Sign(key, context, body)
	if err != nil {
		return nil, err
	}
	return append(body[:len(body):len(body)], sig...), nil
}

// Verify checks that signed = body || sig carries a signature by key over
// body under context, and returns body.
func Verify(key *ecdsa.PublicKey, context string, signed []byte) ([]byte, error) {
	if key == nil {
		return nil, errors.New("missing verifying key")
	}
	if len(signed) < HeaderSize+ecdsa.SignatureSize {
		return nil, errors.New("signed record too short")
	}
	body := signed[:len(signed)-ecdsa.SignatureSize]
	if err := ecdsa.Verify(key, context, body, signed[len(body):]); err != nil {
		return nil, err
	}
	return body, nil
}

// SignatureSize is the size of the signature that ends a signed record.
const SignatureSize = ecdsa.SignatureSize
