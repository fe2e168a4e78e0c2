package billing

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Forfeiture enforces an invoice left unpaid after its due date: the owed
// amount (or all that remains of the deposit, if that is less) passes from
// the user's deposit to the collector.
//
// Evidence lists, in invoice order, every line of the invoice that is not
// struck, each with an opening of its usage record. Anyone holding the
// ledger checks it with VerifyForfeiture: each opening must prove, against
// the period's public ring and the opener key, that the forfeiting user
// signed the record. The evidence names only this user's records, so it
// tells nothing about anyone else's usage.
//
// Encoding:
//
//	u8 Version || u8 TypeForfeiture
//	invoice digest [32]byte
//	u8-prefixed user      arsig public key, the invoice's user
//	amount [12]byte       > 0
//	u64 time              after the invoice's due date
//	u16 count (1–MaxLines), then per line:
//	    usage ID [32]byte || u16-prefixed opening (arsig)
type Forfeiture struct {
	Invoice  Digest
	User     *arsig.PublicKey
	Amount   money.Amount
	Time     int64
	Evidence []Line
}

func (*Forfeiture) Type() RecordType { return TypeForfeiture }

func (r *Forfeiture) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypeForfeiture)
	b.AddBytes(r.Invoice[:])
	addUserKey(b, r.User, "forfeiture user")
	if !positive(r.Amount) {
		b.SetError(malformed("forfeiture", "amount must be positive"))
	}
	addAmount(b, r.Amount)
	addTime(b, r.Time, "forfeiture time")
	addLines(b, r.Evidence, "forfeiture")
	return b.Bytes()
}

// ParseForfeiture parses the encoding of a Forfeiture. It does not check
// the evidence.
func ParseForfeiture(b []byte) (*Forfeiture, error) {
	p := newParser(b, TypeForfeiture)
	r := &Forfeiture{}
	r.Invoice = p.digest("invoice")
	r.User = p.userKey("user")
	r.Amount = p.amount("amount")
	if p.err == nil && !positive(r.Amount) {
		p.fail("amount must be positive")
	}
	r.Time = p.time("time")
	r.Evidence = p.lines()
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}
