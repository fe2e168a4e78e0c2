package billing

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Prefixes separating the messages a registration's and a refund's proofs
// sign from each other and from every other use of the user's key.
const (
	registrationPrefix = "ringtrace/billing/registration/v1\x00"
	refundPrefix       = "ringtrace/billing/refund/v1\x00"
)

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
	return ownerMessage(registrationPrefix, params, r.addBody)
}

// Prove sets the proof of possession, signed with key, which must be the
// private key of r.User.
func (r *Registration) Prove(key *arsig.PrivateKey, params *Parameters) (err error) {
	r.Proof, err = proveOwner(key, r.User, params, r.Message)
	return err
}

// VerifyProof checks the proof of possession against the system's
// parameters.
func (r *Registration) VerifyProof(params *Parameters) error {
	return verifyOwner(r.Proof, r.User, params, r.Message)
}

func (r *Registration) MarshalBinary() ([]byte, error) {
	return marshalWithProof(r.addBody, r.Proof, "registration")
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
// Proof shows the key's holder asks for the refund, as for a
// [Registration]: without it anyone could retire someone else's key.
//
// Encoding:
//
//	u8 Version || u8 TypeRefund
//	u8-prefixed user      arsig public key
//	amount [12]byte       the remaining deposit (may be zero)
//	u64 time
//	u16-prefixed proof    arsig signature on Message(parameters)
type Refund struct {
	User   *arsig.PublicKey
	Amount money.Amount
	Time   int64
	Proof  *arsig.Signature
}

func (*Refund) Type() RecordType { return TypeRefund }

func (r *Refund) addBody(b *cryptobyte.Builder) {
	addHeader(b, TypeRefund)
	addUserKey(b, r.User, "refund user")
	if r.Amount.Sign() < 0 {
		b.SetError(malformed("refund", "negative amount"))
	}
	addAmount(b, r.Amount)
	addTime(b, r.Time, "refund time")
}

// Message returns the message the proof signs, as for a Registration.
func (r *Refund) Message(params *Parameters) ([]byte, error) {
	return ownerMessage(refundPrefix, params, r.addBody)
}

// Prove sets the proof, signed with key, which must be the private key of
// r.User.
func (r *Refund) Prove(key *arsig.PrivateKey, params *Parameters) (err error) {
	r.Proof, err = proveOwner(key, r.User, params, r.Message)
	return err
}

// VerifyProof checks the proof against the system's parameters.
func (r *Refund) VerifyProof(params *Parameters) error {
	return verifyOwner(r.Proof, r.User, params, r.Message)
}

func (r *Refund) MarshalBinary() ([]byte, error) {
	return marshalWithProof(r.addBody, r.Proof, "refund")
}

// ParseRefund parses the encoding of a Refund record. It does not verify
// the proof.
func ParseRefund(b []byte) (*Refund, error) {
	p := newParser(b, TypeRefund)
	r := &Refund{}
	r.User = p.userKey("user")
	r.Amount = p.amount("amount")
	if p.err == nil && r.Amount.Sign() < 0 {
		p.fail("negative amount")
	}
	r.Time = p.time("time")
	r.Proof = p.ringSignature("proof")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}

// ownerMessage returns prefix || u16-prefixed parameters || body.
func ownerMessage(prefix string, params *Parameters, body func(*cryptobyte.Builder)) ([]byte, error) {
	if params == nil {
		return nil, ErrNotSetUp
	}
	pe, err := params.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := cryptobyte.NewBuilder([]byte(prefix))
	addU16Prefixed(b, pe)
	body(b)
	return b.Bytes()
}

// proveOwner signs the message of a record about user with key, under the
// ring of user alone: a proof that the record comes from the key's holder.
func proveOwner(key *arsig.PrivateKey, user *arsig.PublicKey, params *Parameters, message func(*Parameters) ([]byte, error)) (*arsig.Signature, error) {
	msg, err := message(params)
	if err != nil {
		return nil, err
	}
	ring, err := arsig.NewRing([]*arsig.PublicKey{user})
	if err != nil {
		return nil, err
	}
	return arsig.Sign(key, ring, params.Opener, msg)
}

// verifyOwner checks a proof made by proveOwner.
func verifyOwner(proof *arsig.Signature, user *arsig.PublicKey, params *Parameters, message func(*Parameters) ([]byte, error)) error {
	msg, err := message(params)
	var ring *arsig.Ring
	if err == nil {
		ring, err = arsig.NewRing([]*arsig.PublicKey{user})
	}
	if err == nil {
		err = arsig.Verify(ring, params.Opener, msg, proof)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidProof, err)
	}
	return nil
}

// marshalWithProof encodes a record's body followed by its u16-prefixed
// proof.
func marshalWithProof(body func(*cryptobyte.Builder), proof *arsig.Signature, what string) ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	body(b)
	if proof == nil {
		b.SetError(malformed(what, "missing proof"))
	} else {
		addU16Prefixed(b, proof.Bytes())
	}
	return b.Bytes()
}
