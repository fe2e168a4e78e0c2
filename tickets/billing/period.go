package billing

import (
	"golang.org/x/crypto/cryptobyte"
)

// PeriodOpen starts billing period ID (1, 2, … in order; one open at a time).
// Its ring is the canonical ring of every registered, unretired key at this
// point of the ledger; the record carries the ring's size and digest so that
// users, provider and collector agree on it, and every usage record of the
// period repeats the digest.
//
// Encoding:
//
//	u8 Version || u8 TypePeriodOpen
//	u32 id || u64 start || u64 end   usage is accepted for start <= time < end
//	u32 ring size || ring digest [32]byte
type PeriodOpen struct {
	ID         uint32
	Start, End int64
	RingSize   uint32
	RingDigest Digest
}

func (*PeriodOpen) Type() RecordType { return TypePeriodOpen }

func (r *PeriodOpen) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypePeriodOpen)
	b.AddUint32(r.ID)
	addTime(b, r.Start, "period start")
	addTime(b, r.End, "period end")
	if r.ID == 0 || r.End <= r.Start || r.RingSize == 0 {
		b.SetError(malformed("period-open", "zero id, empty window or empty ring"))
	}
	b.AddUint32(r.RingSize)
	b.AddBytes(r.RingDigest[:])
	return b.Bytes()
}

// ParsePeriodOpen parses the encoding of a PeriodOpen record.
func ParsePeriodOpen(b []byte) (*PeriodOpen, error) {
	p := newParser(b, TypePeriodOpen)
	r := &PeriodOpen{}
	r.ID = p.u32("id")
	r.Start = p.time("start")
	r.End = p.time("end")
	r.RingSize = p.u32("ring size")
	r.RingDigest = p.digest("ring digest")
	if p.err == nil && (r.ID == 0 || r.End <= r.Start || r.RingSize == 0) {
		p.fail("zero id, empty window or empty ring")
	}
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}

// PeriodClose ends the usage of the open period. Invoices for a period are
// accepted only after it is closed. Usages is the number of usage records
// the period accepted, so a replica can tell it has all of them.
//
// Encoding:
//
//	u8 Version || u8 TypePeriodClose
//	u32 id || u64 time (>= the period's end) || u32 usages
type PeriodClose struct {
	ID     uint32
	Time   int64
	Usages uint32
}

func (*PeriodClose) Type() RecordType { return TypePeriodClose }

func (r *PeriodClose) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypePeriodClose)
	b.AddUint32(r.ID)
	addTime(b, r.Time, "period close time")
	b.AddUint32(r.Usages)
	return b.Bytes()
}

// ParsePeriodClose parses the encoding of a PeriodClose record.
func ParsePeriodClose(b []byte) (*PeriodClose, error) {
	p := newParser(b, TypePeriodClose)
	r := &PeriodClose{}
	r.ID = p.u32("id")
	r.Time = p.time("time")
	r.Usages = p.u32("usages")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}
