package billing

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// registrationPrefix separates the message a registration's proof signs
// from every other use of the user's key.
const registrationPrefix = "ringtrace/billing/registration/v1\x00"

// Registration adds a user's ring-signature key to the registry and locks
// its deposit. The key joins the ring of every period opened after it.
//
// Proof shows that whoever registers the key holds its private key: it is
// an arsig signature, under the ring of that key alone and the system's
// opener key, on [Registration.Message]. Without it anyone could register
// keys they do not hold — someone else's, or keys nobody can sign with —
// padding rings with members that never sign. The message binds the
// system's parameters, so a proof does not carry over to another system.
//
// Encoding:
//
//	u8 Version || u8 TypeRegistration
//	u8-prefixed user      arsig public key
//	deposit [12]byte      amount, at least Parameters.Deposit
//	u64 time              seconds since the Unix epoch
//	u16-prefixed proof    arsig signature on Message(parameters)
type Registration struct {
	User    *arsig.PublicKey
	Deposit money.Amount
	Time    int64
	Proof   *arsig.Signature
}

func (*Registration) Type() RecordType { return TypeRegistration }

func (r *Registration) addBody(b *cryptobyte.Builder) {
	addHeader(b, TypeRegistration)
	addUserKey(b, r.User, "registration user")
	if !positive(r.Deposit) {
		b.SetError(malformed("registration", "deposit must be positive"))
	}
	addAmount(b, r.Deposit)
	addTime(b, r.Time, "registration time")
}

// Message returns the message the proof signs: a fixed domain prefix, the
// encoding of the system's parameters and the record up to the proof.
func (r *Registration) Message(params *Parameters) ([]byte, error) {
	if params == nil {
		return nil, ErrNotSetUp
	}
	pe, err := params.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := cryptobyte.NewBuilder([]byte(registrationPrefix))
	addU16Prefixed(b, pe)
	r.addBody(b)
	return b.Bytes()
}

// Prove sets the proof of possession, signed with key, which must be the
// private key of r.User.
func (r *Registration) Prove(key *arsig.PrivateKey, params *Parameters) error {
	ring, msg, err := r.statement(params)
	if err != nil {
		return err
	}
	r.Proof, err = arsig.Sign(key, ring, params.Opener, msg)
	return err
}

// VerifyProof checks the proof of possession against the system's
// parameters.
func (r *Registration) VerifyProof(params *Parameters) error {
	ring, msg, err := r.statement(params)
	if err == nil {
		err = arsig.Verify(ring, params.Opener, msg, r.Proof)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidProof, err)
	}
	return nil
}

// statement returns the ring and message of the proof of possession.
func (r *Registration) statement(params *Parameters) (*arsig.Ring, []byte, error) {
	msg, err := r.Message(params)
	if err != nil {
		return nil, nil, err
	}
	ring, err := arsig.NewRing([]*arsig.PublicKey{r.User})
	if err != nil {
		return nil, nil, err
	}
	return ring, msg, nil
}

func (r *Registration) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	r.addBody(b)
	if r.Proof == nil {
		b.SetError(malformed("registration", "missing proof"))
	} else {
		addU16Prefixed(b, r.Proof.Bytes())
	}
	return b.Bytes()
}

// ParseRegistration parses the encoding of a Registration record. It does
// not verify the proof.
func ParseRegistration(b []byte) (*Registration, error) {
	p := newParser(b, TypeRegistration)
	r := &Registration{}
	r.User = p.userKey("user")
	r.Deposit = p.amount("deposit")
	if p.err == nil && !positive(r.Deposit) {
		p.fail("deposit must be positive")
	}
	r.Time = p.time("time")
	r.Proof = p.ringSignature("proof")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}

// Refund returns what remains of a user's deposit and retires the key: it is
// in no later ring and cannot register again. It is refused while the
// deposit still secures usage that is not settled, and for any amount but
// the whole remainder, so a deposit is never both refunded and forfeited.
//
// Encoding:
//
//	u8 Version || u8 TypeRefund
//	u8-prefixed user      arsig public key
//	amount [12]byte       the remaining deposit (may be zero)
//	u64 time
type Refund struct {
	User   *arsig.PublicKey
	Amount money.Amount
	Time   int64
}

func (*Refund) Type() RecordType { return TypeRefund }

func (r *Refund) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypeRefund)
	addUserKey(b, r.User, "refund user")
	if r.Amount.Sign() < 0 {
		b.SetError(malformed("refund", "negative amount"))
	}
	addAmount(b, r.Amount)
	addTime(b, r.Time, "refund time")
	return b.Bytes()
}

// ParseRefund parses the encoding of a Refund record.
func ParseRefund(b []byte) (*Refund, error) {
	p := newParser(b, TypeRefund)
	r := &Refund{}
	r.User = p.userKey("user")
	r.Amount = p.amount("amount")
	if p.err == nil && r.Amount.Sign() < 0 {
		p.fail("negative amount")
	}
	r.Time = p.time("time")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}
