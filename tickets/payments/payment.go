package payments

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Payment is a customer's anonymous payment to a merchant: the roster it is
// made under, the merchant's key, the amount, the merchant's reference (an
// order or invoice number, up to 256 bytes), the time and a random nonce,
// with an accountable ring signature by a member of the roster's ring that
// encrypts the payer's key to the processor. The merchant learns that a
// funded customer of the processor paid, and what the payment states;
// nothing else. Layout: docs/spec/payments.md. A Payment is immutable and
// safe for concurrent use.
type Payment struct {
	roster    [32]byte
	merchant  *ecdsa.PublicKey
	amount    money.Amount
	reference []byte
	time      time.Time
	nonce     [nonceSize]byte
	sig       *arsig.Signature

	id [32]byte
}

// NewPayment returns a payment of amount to merchant, for reference, made
// at time at with customer's key under roster r, of whose ring it must be
// a member. A customer checks that the roster is its processor's
// ([Roster.Verify]).
func NewPayment(customer *arsig.PrivateKey, r *Roster, merchant *ecdsa.PublicKey, amount money.Amount, reference []byte, at time.Time) (*Payment, error) {
	if customer == nil || r == nil || r.ring == nil || merchant == nil {
		return nil, fmt.Errorf("%w: payment needs a customer key, a roster and a merchant", ErrMalformed)
	}
	t, err := wire.Seconds(at)
	if err != nil {
		return nil, fmt.Errorf("%w: payment time: %w", ErrMalformed, err)
	}
	if err := r.fits(amount, t, t); err != nil {
		return nil, err
	}
	p := &Payment{roster: r.id, merchant: merchant, amount: amount, reference: bytes.Clone(reference), time: t}
	rand.Read(p.nonce[:])
	msg, err := p.message()
	if err != nil {
		return nil, err
	}
	p.id = wire.Digest(labelPaymentID, msg)
	if p.sig, err = arsig.Sign(customer, r.ring, r.opener, p.id[:]); err != nil {
		if errors.Is(err, arsig.ErrNotInRing) {
			return nil, fmt.Errorf("%w: the customer is not in the roster: %w", ErrRefused, err)
		}
		return nil, fmt.Errorf("payments: signing the payment: %w", err)
	}
	return p, nil
}

func (p *Payment) write(w *wire.Writer) {
	w.Fixed(p.roster[:])
	w.ECDSAKey(p.merchant)
	if !p.amount.Valid() || p.amount.Sign() <= 0 {
		w.Fail(fmt.Errorf("amount %v is not positive", p.amount))
	}
	w.Amount(p.amount)
	if len(p.reference) > maxReference {
		w.Fail(fmt.Errorf("reference of %d bytes exceeds %d", len(p.reference), maxReference))
	}
	w.Bytes(p.reference)
	w.Time(p.time)
	w.Fixed(p.nonce[:])
}

// message is what the ring signature signs, through the payment's ID.
func (p *Payment) message() ([]byte, error) {
	w := wire.NewWriter(uint16(kindPayment))
	p.write(w)
	return finish(w, "payment")
}

// ParsePayment decodes a payment encoded by [Payment.Bytes]. It parses the
// ring signature strictly but does not verify it: a [Merchant] does,
// against the roster.
func ParsePayment(b []byte) (*Payment, error) {
	r := wire.NewReader(b, uint16(kindPayment), "payment", ErrMalformed)
	p := &Payment{}
	copy(p.roster[:], r.Fixed("roster", len(p.roster)))
	p.merchant = r.ECDSAKey("merchant")
	p.amount = r.Amount("amount")
	if r.Err() == nil && p.amount.Sign() <= 0 {
		r.Fail("amount", "not positive")
	}
	p.reference = r.Bytes("reference")
	if r.Err() == nil && len(p.reference) > maxReference {
		r.Fail("reference", fmt.Sprintf("%d bytes exceed %d", len(p.reference), maxReference))
	}
	p.time = r.Time("time")
	copy(p.nonce[:], r.Fixed("nonce", nonceSize))
	p.sig = wire.Value(r, "signature", arsig.ParseSignature)
	if err := r.Done(); err != nil {
		return nil, err
	}
	msg, err := p.message()
	if err != nil {
		return nil, err
	}
	p.id = wire.Digest(labelPaymentID, msg)
	return p, nil
}

// verify checks the ring signature under r, the payment's roster.
func (p *Payment) verify(r *Roster) error {
	if err := arsig.Verify(r.ring, r.opener, p.id[:], p.sig); err != nil {
		return fmt.Errorf("%w: payment: %w", ErrBadSignature, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (p *Payment) Bytes() []byte {
	if p.sig == nil {
		return nil
	}
	w := wire.NewWriter(uint16(kindPayment))
	p.write(w)
	w.Bytes(p.sig.Bytes())
	b, _ := w.Finish() // checked when made or parsed
	return b
}

// ID names the payment: the digest of everything but the ring signature,
// which the signature signs. A merchant accepts each ID once.
func (p *Payment) ID() [32]byte { return p.id }

// Roster returns the ID of the roster the payment is made under.
func (p *Payment) Roster() [32]byte { return p.roster }

// Merchant returns the key of the merchant paid.
func (p *Payment) Merchant() *ecdsa.PublicKey { return p.merchant }

// Amount returns the amount paid.
func (p *Payment) Amount() money.Amount { return p.amount }

// Reference returns a copy of the merchant's reference.
func (p *Payment) Reference() []byte { return bytes.Clone(p.reference) }

// Time returns when the payment was made.
func (p *Payment) Time() time.Time { return p.time }
