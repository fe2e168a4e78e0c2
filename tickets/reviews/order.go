package reviews

import (
	"bytes"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/holder"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/trs"
)

// Order is a customer's request to buy one product: it names the shop, the
// product (a [tickets.Class]: the product's label and price), the one-time
// TRS key that becomes the purchase's review right, and the customer's
// long-term arsig key, which joins the shop's [Roster]; it carries the
// customer's proof that it holds that key, so nobody orders in someone
// else's name or puts a key into the roster that nobody can sign with.
//
// The shop keeps its orders privately: they are what maps a right to its
// buyer, and publishing one would name the buyer of a right. Layout:
// docs/spec/reviews.md. An Order is immutable and safe for concurrent use.
type Order struct {
	shop     *ecdsa.PublicKey
	product  tickets.Class
	right    *trs.PublicKey
	customer *arsig.PublicKey
	time     time.Time
	proof    *arsig.Signature

	id  [32]byte
	enc []byte
}

// NewOrder returns an order by the holder of customer for one product of
// shop at time at, with a fresh one-time key as its review right, and that
// key's private half: the buyer keeps it secret and signs its review with
// it. The proof is made for the moderator's opener key, which the shop
// checks it with.
func NewOrder(customer *arsig.PrivateKey, shop *ecdsa.PublicKey, moderator *arsig.OpenerPublicKey, product tickets.Class, at time.Time) (*Order, *trs.PrivateKey, error) {
	if customer == nil || shop == nil || moderator == nil {
		return nil, nil, fmt.Errorf("%w: order needs a customer key, a shop and a moderator", ErrMalformed)
	}
	if err := checkProduct(product); err != nil {
		return nil, nil, fmt.Errorf("%w: order: %w", ErrMalformed, err)
	}
	t, err := wire.Seconds(at)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: order time: %w", ErrMalformed, err)
	}
	right, err := trs.GenerateKey()
	if err != nil {
		return nil, nil, err
	}
	o := &Order{shop: shop, product: product, right: right.Public(), customer: customer.Public(), time: t}
	msg, err := o.message()
	if err != nil {
		return nil, nil, err
	}
	if o.proof, err = holder.Prove(customer, moderator, labelOrder, msg); err != nil {
		return nil, nil, fmt.Errorf("reviews: proving the order: %w", err)
	}
	if o.enc, err = o.encode(); err != nil {
		return nil, nil, err
	}
	o.id = wire.Digest(labelOrderID, o.enc)
	return o, right, nil
}

// encode encodes the order from its fields.
func (o *Order) encode() ([]byte, error) {
	w := wire.NewWriter(uint16(kindOrder))
	o.write(w)
	w.Bytes(o.proof.Bytes())
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: order: %w", ErrMalformed, err)
	}
	return b, nil
}

// checkProduct is package tickets' rule for a class (1 to 64 bytes of
// UTF-8, a positive price), checked here so that a parser refuses an order
// the shop could not sell.
func checkProduct(c tickets.Class) error {
	if err := checkLabel(c.Label); err != nil {
		return err
	}
	if !c.Price.Valid() || c.Price.Sign() <= 0 {
		return fmt.Errorf("product price %v is not a positive amount", c.Price)
	}
	return nil
}

func checkLabel(label string) error {
	if len(label) < 1 || len(label) > 64 || !utf8.ValidString(label) {
		return errors.New("product label must be 1..64 bytes of UTF-8")
	}
	return nil
}

func (o *Order) write(w *wire.Writer) {
	w.ECDSAKey(o.shop)
	w.Bytes([]byte(o.product.Label))
	w.Amount(o.product.Price)
	w.Fixed(o.right.Bytes())
	w.Fixed(o.customer.Bytes())
	w.Time(o.time)
}

// message is what the customer's proof signs: the order without the proof.
func (o *Order) message() ([]byte, error) {
	w := wire.NewWriter(uint16(kindOrder))
	o.write(w)
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: order: %w", ErrMalformed, err)
	}
	return b, nil
}

// ParseOrder decodes an order encoded by [Order.Bytes]. It does not check
// the customer's proof: the shop does when it sells.
func ParseOrder(b []byte) (*Order, error) {
	r := wire.NewReader(b, uint16(kindOrder), "order", ErrMalformed)
	o := &Order{shop: r.ECDSAKey("shop")}
	o.product.Label = string(r.Bytes("product"))
	o.product.Price = r.Amount("price")
	o.right = wire.FixedValue(r, "right", trs.PublicKeySize, trs.ParsePublicKey)
	o.customer = wire.FixedValue(r, "customer", arsig.PublicKeySize, arsig.ParsePublicKey)
	o.time = r.Time("time")
	o.proof = wire.Value(r, "proof", arsig.ParseSignature)
	if r.Err() == nil {
		if err := checkProduct(o.product); err != nil {
			r.FailErr("product", err)
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	o.enc = bytes.Clone(b)
	o.id = wire.Digest(labelOrderID, o.enc)
	return o, nil
}

// verify checks the customer's proof for the moderator's opener key.
func (o *Order) verify(moderator *arsig.OpenerPublicKey) error {
	msg, err := o.message()
	if err != nil {
		return err
	}
	if err := holder.Verify(o.customer, moderator, labelOrder, msg, o.proof); err != nil {
		return fmt.Errorf("%w: order proof: %w", ErrBadSignature, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (o *Order) Bytes() []byte { return bytes.Clone(o.enc) }

// ID names the order: a digest of its encoding. A payment for the order
// can carry it as its reference.
func (o *Order) ID() [32]byte { return o.id }

// Product returns what the order buys.
func (o *Order) Product() tickets.Class { return o.product }

// Right returns the one-time public key of the purchase's review right.
func (o *Order) Right() *trs.PublicKey { return o.right }

// Customer returns the customer's long-term key.
func (o *Order) Customer() *arsig.PublicKey { return o.customer }
