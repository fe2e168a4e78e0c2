package billing

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Registration adds a user's ring-signature key to the registry and locks
// its deposit. The key joins the ring of every period opened after it.
//
// Encoding:
//
//	u8 Version || u8 TypeRegistration
//	u8-prefixed user      arsig public key
//	deposit [12]byte      amount, at least Parameters.Deposit
//	u64 time              seconds since the Unix epoch
type Registration struct {
	User    *arsig.PublicKey
	Deposit money.Amount
	Time    int64
}

func (*Registration) Type() RecordType { return TypeRegistration }

func (r *Registration) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypeRegistration)
	addUserKey(b, r.User, "registration user")
	if !positive(r.Deposit) {
		b.SetError(malformed("registration", "deposit must be positive"))
	}
	addAmount(b, r.Deposit)
	addTime(b, r.Time, "registration time")
	return b.Bytes()
}

// ParseRegistration parses the encoding of a Registration record.
func ParseRegistration(b []byte) (*Registration, error) {
	p := newParser(b, TypeRegistration)
	r := &Registration{}
	r.User = p.userKey("user")
	r.Deposit = p.amount("deposit")
	if p.err == nil && !positive(r.Deposit) {
		p.fail("deposit must be positive")
	}
	r.Time = p.time("time")
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
