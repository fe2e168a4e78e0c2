package payments

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// Disclosure is the processor's signed opening of one payment, for a
// dispute or a chargeback: the payment, an arsig opening that names its
// payer with a proof, the reason (1 to 256 bytes of UTF-8) and the time.
// The merchant and the customer check it with public data
// ([Disclosure.Check]); not even the processor can make one that names
// anyone but the payer, and it says nothing about any other payment.
// Layout: docs/spec/payments.md. A Disclosure is immutable and safe for
// concurrent use.
type Disclosure struct {
	payment *Payment
	opening *arsig.Opening
	reason  string
	time    time.Time
	sig     []byte
}

func checkReason(s string) error {
	if len(s) < 1 || len(s) > maxReason || !utf8.ValidString(s) {
		return fmt.Errorf("reason must be 1..%d bytes of UTF-8", maxReason)
	}
	return nil
}

func (d *Disclosure) body() ([]byte, error) {
	if d.payment == nil || d.opening == nil {
		return nil, fmt.Errorf("%w: disclosure without a payment or an opening", ErrMalformed)
	}
	w := wire.NewWriter(uint16(kindDisclosure))
	w.Bytes(d.payment.Bytes())
	w.Fixed(d.opening.Bytes())
	if err := checkReason(d.reason); err != nil {
		w.Fail(err)
	}
	w.Bytes([]byte(d.reason))
	w.Time(d.time)
	return finish(w, "disclosure")
}

// ParseDisclosure decodes a disclosure encoded by [Disclosure.Bytes]. It
// checks neither the signature nor the opening: [Disclosure.Check] does.
func ParseDisclosure(b []byte) (*Disclosure, error) {
	r, sig := wire.NewSignedReader(b, uint16(kindDisclosure), "disclosure", ErrMalformed)
	d := &Disclosure{sig: sig}
	d.payment = wire.Value(r, "payment", ParsePayment)
	d.opening = wire.FixedValue(r, "opening", arsig.OpeningSize, arsig.ParseOpening)
	reason := r.Bytes("reason")
	d.time = r.Time("time")
	if r.Err() == nil {
		d.reason = string(reason)
		if err := checkReason(d.reason); err != nil {
			r.FailErr("reason", err)
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return d, nil
}

// Check verifies the disclosure with public data: that roster is signed by
// processor, that the disclosure is signed by processor too, that its
// payment is made under roster, and that its opening proves, for the
// roster's ring and opener key, that [Disclosure.Customer] signed the
// payment (which checks the payment's signature as well).
func (d *Disclosure) Check(processor *ecdsa.PublicKey, roster *Roster) error {
	if roster == nil {
		return fmt.Errorf("%w: checking a disclosure needs the payment's roster", ErrMalformed)
	}
	if err := roster.Verify(processor); err != nil {
		return err
	}
	if _, err := wire.Verify(processor, contextDisclosure, d.Bytes()); err != nil {
		return fmt.Errorf("%w: disclosure: %w", ErrBadSignature, err)
	}
	if d.payment.roster != roster.id {
		return fmt.Errorf("%w: the payment names another roster", ErrUnknown)
	}
	if err := arsig.VerifyOpening(roster.ring, roster.opener, d.payment.id[:], d.payment.sig, d.opening); err != nil {
		return fmt.Errorf("%w: disclosure: %w", ErrBadSignature, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (d *Disclosure) Bytes() []byte {
	body, _ := d.body() // checked when signed or parsed
	return append(body, d.sig...)
}

// Payment returns the disclosed payment.
func (d *Disclosure) Payment() *Payment { return d.payment }

// Customer returns the key of the payment's payer, which the processor
// maps to the customer's enrollment ([Processor.Enrollment]).
func (d *Disclosure) Customer() *arsig.PublicKey {
	if d.opening == nil {
		return nil
	}
	return d.opening.Signer()
}

// Reason returns why the processor opened the payment.
func (d *Disclosure) Reason() string { return d.reason }

// Time returns when the processor opened the payment.
func (d *Disclosure) Time() time.Time { return d.time }
