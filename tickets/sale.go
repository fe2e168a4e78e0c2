package tickets

import (
	"encoding/binary"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Sale is the provider's signed record of one ticket sale, the paper's
// TicketSaleContract: the one-time keys of N purchases of one price form a
// ring, and each buyer may exit once, anonymously among the N, during the
// validity period.
//
// Encoding (signed by the provider under "ringtrace/toll/sale/v1"):
//
//	u8(1) || u8(0x05) || u64(sale) || price[12] || u64(validFrom)
//	   || u64(validUntil) || u32-prefixed ring || sig[64]
//
// The ring is trs's canonical ring encoding; the price is positive and
// validFrom < validUntil.
type Sale struct {
	ID         SaleID
	Price      money.Amount
	ValidFrom  time.Time
	ValidUntil time.Time
	ring       *trs.Ring
	tag        *trs.Tag
	sig        [ecdsa.SignatureSize]byte
}

// saleIssue is the TRS tag's issue string for a sale: tickets of different
// sales are unlinkable, and each one-time key signs once per sale.
func saleIssue(id SaleID) []byte {
	return binary.BigEndian.AppendUint64([]byte("ringtrace/toll/sale/v1:"), uint64(id))
}

func newSale(id SaleID, price money.Amount, from, until time.Time, ring *trs.Ring) *Sale {
	return &Sale{
		ID: id, Price: price, ValidFrom: from, ValidUntil: until,
		ring: ring, tag: trs.NewTag(saleIssue(id), ring),
	}
}

// Ring returns the sale's ring of one-time keys.
func (s *Sale) Ring() *trs.Ring { return s.ring }

// Tag returns the TRS tag tickets of this sale are signed under.
func (s *Sale) Tag() *trs.Tag { return s.tag }

func (s *Sale) body() []byte {
	from, _ := unixTime(s.ValidFrom)
	until, _ := unixTime(s.ValidUntil)
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeSale)
		b.AddUint64(uint64(s.ID))
		s.Price.AddTo(b)
		addTime(b, from)
		addTime(b, until)
		b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.ring.Bytes()) })
	})
}

// Bytes returns the canonical encoding.
func (s *Sale) Bytes() []byte { return append(s.body(), s.sig[:]...) }

// Verify checks the provider's signature.
func (s *Sale) Verify(provider *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(provider, contextSale, s.body(), s.sig[:]); err != nil {
		return fmt.Errorf("%w: sale %d: %v", ErrBadSignature, s.ID, err)
	}
	return nil
}

// ParseSale decodes a sale encoded by Bytes. It does not check the
// signature.
func ParseSale(b []byte) (*Sale, error) {
	s := cryptobyte.String(b)
	var (
		id, from, until uint64
		price           money.Amount
		ringBytes       cryptobyte.String
		ok              bool
	)
	if !readHeader(&s, typeSale) || !s.ReadUint64(&id) {
		return nil, malformed("sale header")
	}
	if price, ok = money.ReadAmount(&s); !ok || price.Sign() <= 0 {
		return nil, malformed("sale price")
	}
	if !readTime(&s, &from) || !readTime(&s, &until) || from >= until ||
		!readUint32Prefixed(&s, &ringBytes) {
		return nil, malformed("sale validity")
	}
	ring, err := trs.ParseRing(ringBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: sale ring: %v", ErrMalformed, err)
	}
	sale := newSale(SaleID(id), price, timeOf(from), timeOf(until), ring)
	if !readSignature(&s, &sale.sig) || !s.Empty() {
		return nil, malformed("sale")
	}
	return sale, nil
}
