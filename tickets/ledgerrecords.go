package tickets

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Ledger kinds owned by this package: 0x0100–0x01ff.
const (
	KindPlaza         ledger.Kind = 0x0101 // PlazaRegistration
	KindFares         ledger.Kind = 0x0102 // FareTable
	KindPurchase      ledger.Kind = 0x0103 // PurchaseRequest (private to the provider)
	KindSale          ledger.Kind = 0x0104 // Sale
	KindEntryConsumed ledger.Kind = 0x0105 // entry commitment presented with a valid ticket
	KindExitSpent     ledger.Kind = 0x0106 // spent entry of the exit plazas' index
	KindReveal        ledger.Kind = 0x0107 // Reveal (private: it names the buyer)
	KindSettlement    ledger.Kind = 0x0108 // settlement batch
)

// spentEntry is one stored record of a spent index with its fingerprints.
//
//	u8(1) || u8(0x0a) || trsRecord[128] || u16(n) || n × u64(fingerprint)
//
// with 1 ≤ n ≤ trs.MaxRingSize.
type spentEntry struct {
	record trs.Record
	fps    []uint64
}

func (e *spentEntry) add(b *cryptobyte.Builder) {
	addHeader(b, typeSpentEntry)
	b.AddBytes(e.record.Bytes())
	b.AddUint16(uint16(len(e.fps)))
	for _, fp := range e.fps {
		b.AddUint64(fp)
	}
}

func (e *spentEntry) bytes() []byte { return buildBytes(e.add) }

func readSpentEntry(s *cryptobyte.String) (spentEntry, bool) {
	var (
		e   spentEntry
		rb  []byte
		n   uint16
		err error
	)
	if !readHeader(s, typeSpentEntry) || !s.ReadBytes(&rb, trs.RecordSize) {
		return e, false
	}
	if e.record, err = trs.ParseRecord(rb); err != nil {
		return e, false
	}
	if !s.ReadUint16(&n) || n == 0 || int(n) > trs.MaxRingSize {
		return e, false
	}
	e.fps = make([]uint64, n)
	for i := range e.fps {
		if !s.ReadUint64(&e.fps[i]) {
			return e, false
		}
	}
	return e, true
}

func parseSpentEntry(b []byte) (spentEntry, error) {
	s := cryptobyte.String(b)
	e, ok := readSpentEntry(&s)
	if !ok || !s.Empty() {
		return spentEntry{}, malformed("spent entry")
	}
	return e, nil
}

// entryConsumed marks an entry commitment as used.
//
//	u8(1) || u8(0x0b) || commitment[32]
func entryConsumedBytes(c *[sha256.Size]byte) []byte {
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeEntryConsumed)
		b.AddBytes(c[:])
	})
}

func parseEntryConsumed(b []byte) ([sha256.Size]byte, error) {
	var c [sha256.Size]byte
	s := cryptobyte.String(b)
	if !readHeader(&s, typeEntryConsumed) || !s.CopyBytes(c[:]) || !s.Empty() {
		return c, malformed("entry consumed")
	}
	return c, nil
}

// Stage says where a double use was caught.
type Stage uint8

const (
	AtExit       Stage = 1 // by the exit plazas' spent index
	AtSettlement Stage = 2 // by the provider's settlement index
)

func (s Stage) String() string {
	switch s {
	case AtExit:
		return "exit"
	case AtSettlement:
		return "settlement"
	}
	return fmt.Sprintf("Stage(%d)", uint8(s))
}

// Reveal is the provider's record of a revealed double use: the one-time
// key that signed two different tickets of a sale and, from the private
// purchase records, its buyer.
//
// Encoding (kept on the ledger, never published: it names a vehicle):
//
//	u8(1) || u8(0x0c) || u64(sale) || u32(slot) || key[32] || u8(stage)
//	   || u32(plaza) || u8(buyerKnown: 0 or 1) || u64(buyer, 0 if unknown)
type Reveal struct {
	Sale       SaleID
	Slot       int
	Key        *trs.PublicKey
	Stage      Stage
	Plaza      PlazaID
	Buyer      VehicleID
	BuyerKnown bool
}

// RevealSize is the size of an encoded Reveal.
const RevealSize = 2 + 8 + 4 + trs.PublicKeySize + 1 + 4 + 1 + 8

// Bytes returns the canonical encoding.
func (r *Reveal) Bytes() []byte { return buildBytes(r.add) }

func (r *Reveal) add(b *cryptobyte.Builder) {
	addHeader(b, typeReveal)
	b.AddUint64(uint64(r.Sale))
	b.AddUint32(uint32(r.Slot))
	b.AddBytes(r.Key.Bytes())
	b.AddUint8(uint8(r.Stage))
	b.AddUint32(uint32(r.Plaza))
	if r.BuyerKnown {
		b.AddUint8(1)
		b.AddUint64(uint64(r.Buyer))
	} else {
		b.AddUint8(0)
		b.AddUint64(0)
	}
}

// ParseReveal decodes a reveal encoded by Bytes.
func ParseReveal(b []byte) (*Reveal, error) {
	s := cryptobyte.String(b)
	r, ok := readReveal(&s)
	if !ok || !s.Empty() {
		return nil, malformed("reveal")
	}
	return r, nil
}

func readReveal(s *cryptobyte.String) (*Reveal, bool) {
	var (
		r            Reveal
		sale, buyer  uint64
		slot, plaza  uint32
		stage, known uint8
		key          []byte
		err          error
	)
	if !readHeader(s, typeReveal) || !s.ReadUint64(&sale) || !s.ReadUint32(&slot) ||
		slot >= trs.MaxRingSize || !s.ReadBytes(&key, trs.PublicKeySize) {
		return nil, false
	}
	if r.Key, err = trs.ParsePublicKey(key); err != nil {
		return nil, false
	}
	if !s.ReadUint8(&stage) || (Stage(stage) != AtExit && Stage(stage) != AtSettlement) ||
		!s.ReadUint32(&plaza) || !s.ReadUint8(&known) || known > 1 || !s.ReadUint64(&buyer) ||
		(known == 0 && buyer != 0) {
		return nil, false
	}
	r.Sale, r.Slot, r.Stage, r.Plaza = SaleID(sale), int(slot), Stage(stage), PlazaID(plaza)
	r.Buyer, r.BuyerKnown = VehicleID(buyer), known == 1
	return &r, true
}

// Outcome is what settlement did with a usage request.
type Outcome uint8

const (
	// Paid: the ticket was valid and fresh; its fare was credited to the
	// plaza.
	Paid Outcome = 1
	// Rejected: the request or its ticket failed a check; nothing paid.
	Rejected Outcome = 2
	// Reused: the ticket's key was already spent at settlement (linked or
	// revealed); nothing paid.
	Reused Outcome = 3
	// AlreadySettled: the same request was settled before; nothing was
	// done. It is reported, never stored.
	AlreadySettled Outcome = 4
)

func (o Outcome) String() string {
	switch o {
	case Paid:
		return "paid"
	case Rejected:
		return "rejected"
	case Reused:
		return "reused"
	case AlreadySettled:
		return "already settled"
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// settledRequest is the ledger's memory of one settled request.
//
//	digest[32] || u32(plaza) || u8(outcome)
//	   || (amount[12] || entryCommitment[32] if outcome = Paid)
type settledRequest struct {
	digest  [sha256.Size]byte
	plaza   PlazaID
	outcome Outcome
	fare    money.Amount      // positive when Paid, zero value otherwise
	entry   [sha256.Size]byte // the paid ticket's entry commitment, when Paid
}

// settlementBatch is the single ledger record of one settlement, so that a
// batch is recorded entirely or not at all:
//
//	u8(1) || u8(0x0d) || u64(number) || u64(time)
//	   || u32(r) || r × settledRequest     (digests strictly increasing)
//	   || u32(s) || s × u16-prefixed spentEntry
//	   || u32(v) || v × reveal[RevealSize]
//	   || u32(p) || p × u32-prefixed PayoutStatement (plazas strictly increasing)
type settlementBatch struct {
	number     uint64
	time       uint64
	results    []settledRequest
	spent      []spentEntry
	reveals    []*Reveal
	statements []*PayoutStatement
}

func compareDigests(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) }

func (sb *settlementBatch) bytes() []byte {
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeSettlementBatch)
		b.AddUint64(sb.number)
		addTime(b, sb.time)
		b.AddUint32(uint32(len(sb.results)))
		for _, r := range sb.results {
			b.AddBytes(r.digest[:])
			b.AddUint32(uint32(r.plaza))
			b.AddUint8(uint8(r.outcome))
			if r.outcome == Paid {
				r.fare.AddTo(b)
				b.AddBytes(r.entry[:])
			}
		}
		b.AddUint32(uint32(len(sb.spent)))
		for i := range sb.spent {
			b.AddUint16LengthPrefixed(sb.spent[i].add)
		}
		b.AddUint32(uint32(len(sb.reveals)))
		for _, r := range sb.reveals {
			r.add(b)
		}
		b.AddUint32(uint32(len(sb.statements)))
		for _, p := range sb.statements {
			b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.Bytes()) })
		}
	})
}

func parseSettlementBatch(b []byte) (*settlementBatch, error) {
	s := cryptobyte.String(b)
	var (
		sb settlementBatch
		n  uint32
	)
	// Every element takes at least minSize bytes, which bounds n before
	// anything is allocated.
	readCount := func(minSize int) bool {
		return s.ReadUint32(&n) && uint64(n)*uint64(minSize) <= uint64(len(s))
	}
	if !readHeader(&s, typeSettlementBatch) || !s.ReadUint64(&sb.number) || !readTime(&s, &sb.time) ||
		!readCount(sha256.Size+5) {
		return nil, malformed("settlement batch header")
	}
	sb.results = make([]settledRequest, n)
	for i := range sb.results {
		r := &sb.results[i]
		var plaza uint32
		var outcome uint8
		if !s.CopyBytes(r.digest[:]) || !s.ReadUint32(&plaza) || !s.ReadUint8(&outcome) ||
			(i > 0 && compareDigests(sb.results[i-1].digest, r.digest) >= 0) {
			return nil, malformed("settlement batch result")
		}
		r.plaza, r.outcome = PlazaID(plaza), Outcome(outcome)
		switch r.outcome {
		case Paid:
			var ok bool
			if r.fare, ok = money.ReadAmount(&s); !ok || r.fare.Sign() <= 0 || !s.CopyBytes(r.entry[:]) {
				return nil, malformed("settlement batch fare")
			}
		case Rejected, Reused:
		default:
			return nil, malformed("settlement batch outcome")
		}
	}
	if !readCount(2 + 2 + trs.RecordSize + 2 + 8) {
		return nil, malformed("settlement batch spent count")
	}
	sb.spent = make([]spentEntry, n)
	for i := range sb.spent {
		var e cryptobyte.String
		var ok bool
		if !s.ReadUint16LengthPrefixed(&e) {
			return nil, malformed("settlement batch spent entry")
		}
		if sb.spent[i], ok = readSpentEntry(&e); !ok || !e.Empty() {
			return nil, malformed("settlement batch spent entry")
		}
	}
	if !readCount(RevealSize) {
		return nil, malformed("settlement batch reveal count")
	}
	sb.reveals = make([]*Reveal, n)
	for i := range sb.reveals {
		var ok bool
		if sb.reveals[i], ok = readReveal(&s); !ok {
			return nil, malformed("settlement batch reveal")
		}
	}
	if !readCount(4) {
		return nil, malformed("settlement batch statement count")
	}
	sb.statements = make([]*PayoutStatement, n)
	for i := range sb.statements {
		var p cryptobyte.String
		var ok bool
		if !readUint32Prefixed(&s, &p) {
			return nil, malformed("settlement batch statement")
		}
		if sb.statements[i], ok = readPayoutStatement(&p); !ok || !p.Empty() ||
			(i > 0 && sb.statements[i-1].Plaza >= sb.statements[i].Plaza) {
			return nil, malformed("settlement batch statement")
		}
	}
	if !s.Empty() {
		return nil, malformed("settlement batch trailing bytes")
	}
	return &sb, nil
}

// sortResults puts results in canonical order.
func sortResults(rs []settledRequest) {
	slices.SortFunc(rs, func(a, b settledRequest) int { return compareDigests(a.digest, b.digest) })
}
