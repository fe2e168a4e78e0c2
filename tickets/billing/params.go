package billing

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Parameters is the first billing record of a ledger. It fixes who the bill
// collector is — the ECDSA key that signs invoices and receipts, and the
// arsig opener key every usage record is encrypted to — and the deposit a
// user must lock to register, whose currency is the currency of the system.
//
// Encoding:
//
//	u8 Version || u8 TypeParameters
//	collector  [33]byte   SEC 1 compressed P-256 key (ecdsa.ParsePublicKey)
//	u8-prefixed opener    arsig opener public key
//	deposit [12]byte      tickets/money amount, > 0
type Parameters struct {
	Collector *ecdsa.PublicKey
	Opener    *arsig.OpenerPublicKey
	Deposit   money.Amount
}

func (*Parameters) Type() RecordType { return TypeParameters }

func (r *Parameters) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypeParameters)
	if r.Collector == nil || r.Opener == nil {
		b.SetError(malformed("parameters", "missing key"))
	} else {
		b.AddBytes(r.Collector.Bytes())
		addU8Prefixed(b, r.Opener.Bytes())
	}
	if !positive(r.Deposit) {
		b.SetError(malformed("parameters", "deposit must be positive"))
	}
	addAmount(b, r.Deposit)
	return b.Bytes()
}

// ParseParameters parses the encoding of a Parameters record.
func ParseParameters(b []byte) (*Parameters, error) {
	p := newParser(b, TypeParameters)
	r := &Parameters{}
	if ck := p.fixed("collector", ecdsa.PublicKeySize); p.err == nil {
		k, err := ecdsa.ParsePublicKey(ck)
		if err != nil {
			p.failErr("collector", err)
		}
		r.Collector = k
	}
	if ok := p.u8Prefixed("opener"); p.err == nil {
		k, err := arsig.ParseOpenerPublicKey(ok)
		if err != nil {
			p.failErr("opener", err)
		}
		r.Opener = k
	}
	r.Deposit = p.amount("deposit")
	if p.err == nil && !positive(r.Deposit) {
		p.fail("deposit must be positive")
	}
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}
