package billing

import (
	"crypto/sha256"
	"fmt"
	"math"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Version is the encoding version of every record this package writes. It
// is the first byte of each record; parsers reject any other value.
const Version = 1

// A RecordType is the second byte of every record and, added to KindBase,
// its ledger kind.
type RecordType byte

// The record types, in the order a billing cycle uses them.
const (
	TypeParameters   RecordType = 1  // system parameters: collector and opener keys, deposit
	TypeRegistration RecordType = 2  // a user's key and locked deposit
	TypeRefund       RecordType = 3  // a user's deposit returned, key retired
	TypePeriodOpen   RecordType = 4  // a billing period and the digest of its ring
	TypePeriodClose  RecordType = 5  // the end of a period's usage
	TypeUsage        RecordType = 6  // an anonymous, ring-signed usage record
	TypeInvoice      RecordType = 7  // a collector-signed invoice with openings
	TypeDispute      RecordType = 8  // a struck invoice line that does not verify
	TypeReceipt      RecordType = 9  // a collector-signed receipt for a paid invoice
	TypeForfeiture   RecordType = 10 // an unpaid invoice enforced from the deposit
	maxRecordType               = TypeForfeiture
)

// KindBase is the first ledger kind of this package: a record of type t is
// appended with kind KindBase + t. Replay ignores other kinds, so a ledger
// can be shared with other applications.
const KindBase ledger.Kind = 0x0B00

// Kind returns the ledger kind of records of type t.
func (t RecordType) Kind() ledger.Kind { return KindBase + ledger.Kind(t) }

func (t RecordType) String() string {
	names := [...]string{"", "parameters", "registration", "refund", "period-open",
		"period-close", "usage", "invoice", "dispute", "receipt", "forfeiture"}
	if t == 0 || t > maxRecordType {
		return fmt.Sprintf("record-type-%d", byte(t))
	}
	return names[t]
}

// A Record is one of the ledger records of this package: *Parameters,
// *Registration, *Refund, *PeriodOpen, *PeriodClose, *Usage, *Invoice,
// *Dispute, *Receipt or *Forfeiture.
type Record interface {
	// Type returns the record type.
	Type() RecordType
	// MarshalBinary returns the canonical encoding: Version, Type, then
	// the fields as documented on each record. It fails only for a record
	// with missing or out-of-range fields.
	MarshalBinary() ([]byte, error)
}

// ParseRecord parses the canonical encoding of any record. It rejects
// unknown versions and types, wrong lengths, trailing bytes and every
// non-canonical field.
func ParseRecord(b []byte) (Record, error) {
	if len(b) < 2 {
		return nil, malformed("record", "too short")
	}
	// Each case converts a non-nil pointer only: a nil *T in a Record
	// interface would not compare equal to nil.
	var rec Record
	var err error
	switch RecordType(b[1]) {
	case TypeParameters:
		rec, err = asRecord(ParseParameters(b))
	case TypeRegistration:
		rec, err = asRecord(ParseRegistration(b))
	case TypeRefund:
		rec, err = asRecord(ParseRefund(b))
	case TypePeriodOpen:
		rec, err = asRecord(ParsePeriodOpen(b))
	case TypePeriodClose:
		rec, err = asRecord(ParsePeriodClose(b))
	case TypeUsage:
		rec, err = asRecord(ParseUsage(b))
	case TypeInvoice:
		rec, err = asRecord(ParseInvoice(b))
	case TypeDispute:
		rec, err = asRecord(ParseDispute(b))
	case TypeReceipt:
		rec, err = asRecord(ParseReceipt(b))
	case TypeForfeiture:
		rec, err = asRecord(ParseForfeiture(b))
	default:
		err = malformed("record", fmt.Sprintf("unknown type %d", b[1]))
	}
	return rec, err
}

func asRecord[R Record](r R, err error) (Record, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DigestSize is the size of a record digest.
const DigestSize = sha256.Size

// A Digest names a record: invoices by the digest of their encoding, usage
// records by the digest of their signed message.
type Digest [DigestSize]byte

// digest returns SHA-256(lp(label) || lp(b)), lp being a 64-bit length
// prefix.
func digest(label string, b []byte) Digest {
	h := sha256.New()
	var n [8]byte
	for _, p := range [][]byte{[]byte(label), b} {
		u := uint64(len(p))
		for i := range n {
			n[7-i] = byte(u >> (8 * i))
		}
		h.Write(n[:])
		h.Write(p)
	}
	var d Digest
	h.Sum(d[:0])
	return d
}

func malformed(what, why string) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, what, why)
}

// Encoding helpers. Fixed-size fields are written as they are; keys,
// openings, signatures and amounts produced by other packages carry a
// length prefix so that their own parsers judge their length.

func addHeader(b *cryptobyte.Builder, t RecordType) {
	b.AddUint8(Version)
	b.AddUint8(byte(t))
}

// parser wraps a cryptobyte.String with the record's name, so every read
// failure reports what was being parsed; the first error sticks.
type parser struct {
	s    cryptobyte.String
	what string
	err  error
}

func newParser(b []byte, t RecordType) *parser {
	p := &parser{s: cryptobyte.String(b), what: t.String()}
	var v, typ uint8
	if !p.s.ReadUint8(&v) || !p.s.ReadUint8(&typ) {
		p.fail("too short")
	} else if v != Version {
		p.fail(fmt.Sprintf("version %d, want %d", v, Version))
	} else if RecordType(typ) != t {
		p.fail(fmt.Sprintf("record type %d, want %d", typ, t))
	}
	return p
}

func (p *parser) fail(why string) {
	if p.err == nil {
		p.err = malformed(p.what, why)
	}
}

func (p *parser) failErr(field string, err error) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: %s: %s: %v", ErrMalformed, p.what, field, err)
	}
}

// done reports the first error, or trailing bytes.
func (p *parser) done() error {
	if p.err == nil && !p.s.Empty() {
		p.fail("trailing bytes")
	}
	return p.err
}

func (p *parser) u8Prefixed(field string) []byte {
	var v cryptobyte.String
	if p.err == nil && !p.s.ReadUint8LengthPrefixed(&v) {
		p.fail(field + ": truncated")
	}
	return v
}

func (p *parser) u16Prefixed(field string) []byte {
	var v cryptobyte.String
	if p.err == nil && !p.s.ReadUint16LengthPrefixed(&v) {
		p.fail(field + ": truncated")
	}
	return v
}

func (p *parser) fixed(field string, n int) []byte {
	var v []byte
	if p.err == nil && !p.s.ReadBytes(&v, n) {
		p.fail(field + ": truncated")
	}
	return v
}

func (p *parser) u16(field string) uint16 {
	var v uint16
	if p.err == nil && !p.s.ReadUint16(&v) {
		p.fail(field + ": truncated")
	}
	return v
}

func (p *parser) u32(field string) uint32 {
	var v uint32
	if p.err == nil && !p.s.ReadUint32(&v) {
		p.fail(field + ": truncated")
	}
	return v
}

// time reads a point in time: seconds since the Unix epoch, a u64 at most
// math.MaxInt64.
func (p *parser) time(field string) int64 {
	var v uint64
	if p.err == nil && !p.s.ReadUint64(&v) {
		p.fail(field + ": truncated")
	}
	if v > math.MaxInt64 {
		p.fail(field + ": out of range")
		return 0
	}
	return int64(v)
}

func (p *parser) digest(field string) Digest {
	var d Digest
	copy(d[:], p.fixed(field, DigestSize))
	return d
}

func (p *parser) userKey(field string) *arsig.PublicKey {
	b := p.u8Prefixed(field)
	if p.err != nil {
		return nil
	}
	k, err := arsig.ParsePublicKey(b)
	if err != nil {
		p.failErr(field, err)
		return nil
	}
	return k
}

func (p *parser) opening(field string) *arsig.Opening {
	b := p.u16Prefixed(field)
	if p.err != nil {
		return nil
	}
	o, err := arsig.ParseOpening(b)
	if err != nil {
		p.failErr(field, err)
		return nil
	}
	return o
}

func (p *parser) ringSignature(field string) *arsig.Signature {
	b := p.u16Prefixed(field)
	if p.err != nil {
		return nil
	}
	sig, err := arsig.ParseSignature(b)
	if err != nil {
		p.failErr(field, err)
		return nil
	}
	return sig
}

func (p *parser) collectorSignature(field string) []byte {
	b := p.fixed(field, ecdsa.SignatureSize)
	if p.err != nil {
		return nil
	}
	return append([]byte(nil), b...)
}

// amount reads a fixed-size money encoding. Negative and zero amounts are
// left to the record's own checks.
func (p *parser) amount(field string) money.Amount {
	if p.err != nil {
		return money.Amount{}
	}
	a, ok := money.ReadAmount(&p.s)
	if !ok {
		p.fail(field + ": not a canonical amount")
	}
	return a
}

func addTime(b *cryptobyte.Builder, t int64, field string) {
	if t < 0 {
		b.SetError(fmt.Errorf("billing: %s: negative time", field))
		return
	}
	b.AddUint64(uint64(t))
}

func addU8Prefixed(b *cryptobyte.Builder, v []byte) {
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
}

func addU16Prefixed(b *cryptobyte.Builder, v []byte) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
}

func addUserKey(b *cryptobyte.Builder, k *arsig.PublicKey, field string) {
	if k == nil {
		b.SetError(fmt.Errorf("billing: %s: missing key", field))
		return
	}
	addU8Prefixed(b, k.Bytes())
}

func addOpening(b *cryptobyte.Builder, o *arsig.Opening, field string) {
	if o == nil {
		b.SetError(fmt.Errorf("billing: %s: missing opening", field))
		return
	}
	addU16Prefixed(b, o.Bytes())
}

func addAmount(b *cryptobyte.Builder, a money.Amount) {
	if !a.Valid() {
		b.SetError(malformed("amount", "no currency"))
		return
	}
	a.AddTo(b)
}

func addCollectorSignature(b *cryptobyte.Builder, sig []byte, field string) {
	if len(sig) != ecdsa.SignatureSize {
		b.SetError(fmt.Errorf("billing: %s: signature is %d bytes, want %d", field, len(sig), ecdsa.SignatureSize))
		return
	}
	b.AddBytes(sig)
}

// positive reports whether a is greater than zero.
func positive(a money.Amount) bool {
	return a.Valid() && a.Sign() > 0
}
