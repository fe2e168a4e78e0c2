package payments

import (
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Roster is a processor's signed ring of funded customers: during its
// validity window, the processor pays any merchant a payment of at most
// Limit signed by a member of the ring under the roster. It names the
// processor's opener key, to which every payment encrypts its payer.
// Rosters are numbered from 0. Layout: docs/spec/payments.md. A Roster is
// immutable and safe for concurrent use.
type Roster struct {
	processor  *ecdsa.PublicKey
	number     uint64
	opener     *arsig.OpenerPublicKey
	limit      money.Amount
	validFrom  time.Time
	validUntil time.Time
	ring       *arsig.Ring
	sig        []byte

	id [32]byte
}

func (r *Roster) body() ([]byte, error) {
	if r.opener == nil || r.ring == nil {
		return nil, fmt.Errorf("%w: roster without an opener or a ring", ErrMalformed)
	}
	w := wire.NewWriter(uint16(kindRoster))
	w.ECDSAKey(r.processor)
	w.U64(r.number)
	w.Fixed(r.opener.Bytes())
	if err := checkLimit(r.limit); err != nil {
		w.Fail(err)
	}
	w.Amount(r.limit)
	if !r.validFrom.Before(r.validUntil) {
		w.Fail(fmt.Errorf("validity ends at %v, not after it starts", r.validUntil))
	}
	w.Time(r.validFrom)
	w.Time(r.validUntil)
	w.Bytes(r.ring.Bytes())
	return finish(w, "roster")
}

func checkLimit(a money.Amount) error {
	if !a.Valid() || a.Sign() <= 0 {
		return fmt.Errorf("limit %v is not a positive amount", a)
	}
	return nil
}

// ParseRoster decodes a roster encoded by [Roster.Bytes]. It does not
// check the signature: [Roster.Verify] does, and a [Merchant] does when it
// applies the roster.
func ParseRoster(b []byte) (*Roster, error) {
	rd, sig := wire.NewSignedReader(b, uint16(kindRoster), "roster", ErrMalformed)
	r := &Roster{processor: rd.ECDSAKey("processor"), number: rd.U64("number"), sig: sig}
	r.opener = wire.FixedValue(rd, "opener", arsig.OpenerPublicKeySize, arsig.ParseOpenerPublicKey)
	r.limit = rd.Amount("limit")
	r.validFrom, r.validUntil = rd.Time("valid from"), rd.Time("valid until")
	r.ring = wire.Value(rd, "ring", arsig.ParseRing)
	if rd.Err() == nil {
		if err := checkLimit(r.limit); err != nil {
			rd.FailErr("limit", err)
		} else if !r.validFrom.Before(r.validUntil) {
			rd.Fail("valid until", "not after valid from")
		}
	}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	r.id = wire.Digest(labelRosterID, b[:len(b)-wire.SignatureSize])
	return r, nil
}

// Verify checks that the roster is signed by processor, which must be the
// key it names.
func (r *Roster) Verify(processor *ecdsa.PublicKey) error {
	if processor == nil || !processor.Equal(r.processor) {
		return fmt.Errorf("%w: roster %d is not the processor's", ErrUnknown, r.number)
	}
	if _, err := wire.Verify(processor, contextRoster, r.Bytes()); err != nil {
		return fmt.Errorf("%w: roster %d: %w", ErrBadSignature, r.number, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (r *Roster) Bytes() []byte {
	body, _ := r.body() // checked when signed or parsed
	return append(body, r.sig...)
}

// ID names the roster: a digest of everything the processor signed, which
// a payment names.
func (r *Roster) ID() [32]byte { return r.id }

// Number returns the roster's sequence number at its processor.
func (r *Roster) Number() uint64 { return r.number }

// Ring returns the funded customers' keys: the anonymity set of every
// payment under the roster. A customer may check its size before paying.
func (r *Roster) Ring() *arsig.Ring { return r.ring }

// Opener returns the processor's opener key.
func (r *Roster) Opener() *arsig.OpenerPublicKey { return r.opener }

// Limit returns the largest payment the roster covers, in its currency.
func (r *Roster) Limit() money.Amount { return r.limit }

// ValidFrom returns the start of the roster's validity window.
func (r *Roster) ValidFrom() time.Time { return r.validFrom }

// ValidUntil returns the end of the roster's validity window (included):
// a merchant accepts payments under the roster until then.
func (r *Roster) ValidUntil() time.Time { return r.validUntil }

// fits checks that a payment of amount made at paid, received at now,
// fits the roster.
func (r *Roster) fits(amount money.Amount, paid, now time.Time) error {
	if c, err := amount.Cmp(r.limit); err != nil || amount.Sign() <= 0 || c > 0 {
		return fmt.Errorf("%w: payment of %v under a limit of %v", ErrRefused, amount, r.limit)
	}
	if paid.Before(r.validFrom) || paid.After(now) || now.After(r.validUntil) {
		return fmt.Errorf("%w: payment made at %v, received at %v, roster %d valid %v to %v",
			ErrRefused, paid, now.UTC(), r.number, r.validFrom, r.validUntil)
	}
	return nil
}
