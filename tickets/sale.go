package tickets

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// maxLabel bounds a class label, in bytes.
const maxLabel = 64

// Class is what a ticket is for: an application label ("toll", a product
// id) and the price every ticket of the class was sold at. Purchases of one
// class share rings. A valid class has a label of 1 to 64 bytes of UTF-8
// and a positive price.
type Class struct {
	Label string
	Price money.Amount
}

func (c Class) check() error {
	if len(c.Label) < 1 || len(c.Label) > maxLabel || !utf8.ValidString(c.Label) {
		return fmt.Errorf("tickets: class label must be 1..%d bytes of UTF-8", maxLabel)
	}
	if !c.Price.Valid() || c.Price.Sign() <= 0 {
		return fmt.Errorf("tickets: class price %v is not a positive amount", c.Price)
	}
	return nil
}

// SaleID names a sale: a digest of everything the issuer signed (issuer,
// number, class, validity, ring), so that it is unique across issuers and
// two different sales never share one.
type SaleID [32]byte

func (id SaleID) prefix() []byte { return id[:4] }

// Sale is an issuer's signed record of one ring of one-time keys, all
// bought at one class: the tickets its members sign are good once each
// during the validity window. Its layout is in docs/spec/tickets.md. A Sale
// is immutable and safe for concurrent use.
type Sale struct {
	issuer     *ecdsa.PublicKey
	number     uint64
	class      Class
	validFrom  time.Time
	validUntil time.Time
	ring       *trs.Ring
	sig        []byte

	id  SaleID
	tag *trs.Tag
}

// newSale returns the unsigned sale, with its ID and tag.
func newSale(issuer *ecdsa.PublicKey, number uint64, c Class, from, until time.Time, ring *trs.Ring) (*Sale, error) {
	s := &Sale{issuer: issuer, number: number, class: c, validFrom: from, validUntil: until, ring: ring}
	body, err := s.body()
	if err != nil {
		return nil, err
	}
	s.id = wire.Digest(labelSaleID, body)
	s.tag = trs.NewTag(saleIssue(issuer, s.id, c), ring)
	return s, nil
}

// saleIssue is the TRS tag's issue string of a sale:
// Digest("ringtrace-v1-tickets-tag", issuer, saleID, label, price).
func saleIssue(issuer *ecdsa.PublicKey, id SaleID, c Class) []byte {
	d := wire.Digest(labelTag, issuer.Bytes(), id[:], []byte(c.Label), c.Price.Bytes())
	return d[:]
}

func (s *Sale) body() ([]byte, error) {
	if err := s.class.check(); err != nil {
		return nil, err
	}
	if !s.validFrom.Before(s.validUntil) {
		return nil, errors.New("tickets: sale validity ends before it starts")
	}
	if s.ring == nil {
		return nil, errors.New("tickets: sale without a ring")
	}
	w := wire.NewWriter(kindSale)
	w.ECDSAKey(s.issuer)
	w.U64(s.number)
	w.Bytes([]byte(s.class.Label))
	w.Amount(s.class.Price)
	w.Time(s.validFrom)
	w.Time(s.validUntil)
	w.Bytes(s.ring.Bytes())
	return w.Finish()
}

// Bytes returns the canonical encoding.
func (s *Sale) Bytes() []byte {
	body, _ := s.body() // checked when signed or parsed
	return append(body, s.sig...)
}

// ParseSale decodes a sale encoded by [Sale.Bytes]. It does not check the
// signature: [Sale.Verify] does, and a [Redeemer] does when it applies the
// sale.
func ParseSale(b []byte) (*Sale, error) {
	r, sig := wire.NewSignedReader(b, kindSale, "sale", ErrMalformed)
	issuer := r.ECDSAKey("issuer")
	number := r.U64("number")
	label := r.Bytes("label")
	price := r.Amount("price")
	from, until := r.Time("valid from"), r.Time("valid until")
	ring := wire.Value(r, "ring", trs.ParseRing)
	if err := r.Done(); err != nil {
		return nil, err
	}
	c := Class{Label: string(label), Price: price}
	s, err := newSale(issuer, number, c, from, until, ring)
	if err != nil {
		return nil, fmt.Errorf("%w: sale: %w", ErrMalformed, err)
	}
	s.sig = sig
	return s, nil
}

// Verify checks that the sale is signed by issuer, which must be the key
// the sale names.
func (s *Sale) Verify(issuer *ecdsa.PublicKey) error {
	if s == nil || issuer == nil {
		return errors.New("tickets: nil sale or key")
	}
	if !s.issuer.Equal(issuer) {
		return fmt.Errorf("%w: sale %d names another issuer", ErrBadSignature, s.number)
	}
	if _, err := wire.Verify(issuer, contextSale, s.Bytes()); err != nil {
		return fmt.Errorf("%w: sale %d: %w", ErrBadSignature, s.number, err)
	}
	return nil
}

// ID returns the sale's identifier, which tickets name.
func (s *Sale) ID() SaleID { return s.id }

// Issuer returns the key of the issuer that sold the sale.
func (s *Sale) Issuer() *ecdsa.PublicKey { return s.issuer }

// Number returns the sale's sequence number at its issuer.
func (s *Sale) Number() uint64 { return s.number }

// Class returns what the sale's tickets were sold as.
func (s *Sale) Class() Class { return s.class }

// Ring returns the one-time keys of the sale's buyers.
func (s *Sale) Ring() *trs.Ring { return s.ring }

// Tag returns the TRS tag the sale's tickets are signed under.
func (s *Sale) Tag() *trs.Tag { return s.tag }

// ValidFrom returns the start of the validity window.
func (s *Sale) ValidFrom() time.Time { return s.validFrom }

// ValidUntil returns the end of the validity window (included).
func (s *Sale) ValidUntil() time.Time { return s.validUntil }

func keyBytes(k *trs.PublicKey) [trs.PublicKeySize]byte {
	var b [trs.PublicKeySize]byte
	copy(b[:], k.Bytes())
	return b
}
