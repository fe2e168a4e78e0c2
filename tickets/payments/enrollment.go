package payments

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/holder"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// Enrollment is a customer's request to a payment processor to fund its
// arsig key: it names the processor, the customer's account there (the
// processor's own reference, up to 256 bytes: whatever identifies the
// customer to it) and the key, with the customer's proof that it holds the
// key. The processor keeps its enrollments privately: they are what maps a
// disclosed payment to its customer. Layout: docs/spec/payments.md. An
// Enrollment is immutable and safe for concurrent use.
type Enrollment struct {
	processor *ecdsa.PublicKey
	account   []byte
	customer  *arsig.PublicKey
	time      time.Time
	proof     *arsig.Signature
}

// NewEnrollment returns the enrollment of customer's key with processor,
// whose opener key is opener, for account, at time at.
func NewEnrollment(customer *arsig.PrivateKey, processor *ecdsa.PublicKey, opener *arsig.OpenerPublicKey, account []byte, at time.Time) (*Enrollment, error) {
	if customer == nil || processor == nil || opener == nil {
		return nil, fmt.Errorf("%w: enrollment needs a customer key, a processor and its opener key", ErrMalformed)
	}
	t, err := wire.Seconds(at)
	if err != nil {
		return nil, fmt.Errorf("%w: enrollment time: %w", ErrMalformed, err)
	}
	e := &Enrollment{processor: processor, account: bytes.Clone(account), customer: customer.Public(), time: t}
	msg, err := e.message()
	if err != nil {
		return nil, err
	}
	if e.proof, err = holder.Prove(customer, opener, labelEnrollment, msg); err != nil {
		return nil, fmt.Errorf("payments: proving the enrollment: %w", err)
	}
	return e, nil
}

func checkAccount(a []byte) error {
	if len(a) < 1 || len(a) > maxAccount {
		return fmt.Errorf("account reference of %d bytes, want 1..%d", len(a), maxAccount)
	}
	return nil
}

func (e *Enrollment) write(w *wire.Writer) {
	if err := checkAccount(e.account); err != nil {
		w.Fail(err)
	}
	w.ECDSAKey(e.processor)
	w.Bytes(e.account)
	w.Fixed(e.customer.Bytes())
	w.Time(e.time)
}

// message is what the customer's proof signs: the enrollment without the
// proof.
func (e *Enrollment) message() ([]byte, error) {
	w := wire.NewWriter(uint16(kindEnrollment))
	e.write(w)
	return finish(w, "enrollment")
}

// ParseEnrollment decodes an enrollment encoded by [Enrollment.Bytes]. It
// does not check the customer's proof: the processor does when it enrolls.
func ParseEnrollment(b []byte) (*Enrollment, error) {
	r := wire.NewReader(b, uint16(kindEnrollment), "enrollment", ErrMalformed)
	e := &Enrollment{processor: r.ECDSAKey("processor"), account: r.Bytes("account")}
	if r.Err() == nil {
		if err := checkAccount(e.account); err != nil {
			r.FailErr("account", err)
		}
	}
	e.customer = wire.FixedValue(r, "customer", arsig.PublicKeySize, arsig.ParsePublicKey)
	e.time = r.Time("time")
	e.proof = wire.Value(r, "proof", arsig.ParseSignature)
	if err := r.Done(); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *Enrollment) verify(opener *arsig.OpenerPublicKey) error {
	msg, err := e.message()
	if err != nil {
		return err
	}
	if err := holder.Verify(e.customer, opener, labelEnrollment, msg, e.proof); err != nil {
		return fmt.Errorf("%w: enrollment proof: %w", ErrBadSignature, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (e *Enrollment) Bytes() []byte {
	if e.proof == nil {
		return nil
	}
	w := wire.NewWriter(uint16(kindEnrollment))
	e.write(w)
	w.Bytes(e.proof.Bytes())
	b, _ := w.Finish() // checked when made or parsed
	return b
}

// Customer returns the enrolled key.
func (e *Enrollment) Customer() *arsig.PublicKey { return e.customer }

// Account returns a copy of the customer's account reference.
func (e *Enrollment) Account() []byte { return bytes.Clone(e.account) }

// finish returns a record's encoding, its error wrapping ErrMalformed.
func finish(w *wire.Writer, what string) ([]byte, error) {
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	return b, nil
}
