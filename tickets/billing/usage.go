package billing

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/money"
)

const (
	// NonceSize is the size of a usage record's nonce. It makes every
	// record's message distinct, so two equal usages by one user are two
	// records, and it carries no information about the user.
	NonceSize = 16

	// MaxServiceLength is the longest service name, in bytes.
	MaxServiceLength = 64

	// usagePrefix separates the messages users ring-sign from every other
	// use of their keys.
	usagePrefix = "ringtrace/billing/usage/v1\x00"
)

// Usage is one anonymous usage record: a registered user's accountable ring
// signature, under the period's ring and the collector's opener key, on
// (period, ring digest, service, amount, time, nonce). The provider learns
// that some member of the ring used the service, nothing more; only the
// collector can open it.
//
// Encoding (the first six fields, in this order, are the signed body):
//
//	u8 Version || u8 TypeUsage
//	u32 period || ring digest [32]byte
//	u8-prefixed service   1–64 bytes of printable ASCII without space
//	amount [12]byte       > 0, in the currency of the system
//	u64 time || nonce [16]byte
//	u16-prefixed signature   arsig signature on Message()
type Usage struct {
	Period     uint32
	RingDigest Digest
	Service    string
	Amount     money.Amount
	Time       int64
	Nonce      [NonceSize]byte
	Signature  *arsig.Signature
}

func (*Usage) Type() RecordType { return TypeUsage }

func checkService(s string) error {
	if len(s) == 0 || len(s) > MaxServiceLength {
		return fmt.Errorf("service name of %d bytes", len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return fmt.Errorf("service name byte %#x", s[i])
		}
	}
	return nil
}

func (r *Usage) addBody(b *cryptobyte.Builder) {
	addHeader(b, TypeUsage)
	b.AddUint32(r.Period)
	b.AddBytes(r.RingDigest[:])
	if err := checkService(r.Service); err != nil {
		b.SetError(malformed("usage", err.Error()))
		return
	}
	addU8Prefixed(b, []byte(r.Service))
	if !positive(r.Amount) {
		b.SetError(malformed("usage", "amount must be positive"))
	}
	addAmount(b, r.Amount)
	addTime(b, r.Time, "usage time")
	b.AddBytes(r.Nonce[:])
}

// Message returns the message the user ring-signs: a fixed domain prefix
// followed by the record's encoding up to the signature.
func (r *Usage) Message() ([]byte, error) {
	b := cryptobyte.NewBuilder([]byte(usagePrefix))
	r.addBody(b)
	return b.Bytes()
}

// ID returns the digest of the record's signed message. The ledger holds at
// most one usage record per ID; invoices name records by it.
func (r *Usage) ID() (Digest, error) {
	m, err := r.Message()
	if err != nil {
		return Digest{}, err
	}
	return digest("ringtrace/billing/usage-id/v1", m), nil
}

func (r *Usage) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	r.addBody(b)
	if r.Signature == nil {
		b.SetError(malformed("usage", "missing signature"))
	} else {
		addU16Prefixed(b, r.Signature.Bytes())
	}
	return b.Bytes()
}

// ParseUsage parses the encoding of a Usage record. It does not verify the
// signature.
func ParseUsage(b []byte) (*Usage, error) {
	p := newParser(b, TypeUsage)
	r := &Usage{}
	r.Period = p.u32("period")
	r.RingDigest = p.digest("ring digest")
	if s := p.u8Prefixed("service"); p.err == nil {
		if err := checkService(string(s)); err != nil {
			p.failErr("service", err)
		}
		r.Service = string(s)
	}
	r.Amount = p.amount("amount")
	if p.err == nil && !positive(r.Amount) {
		p.fail("amount must be positive")
	}
	r.Time = p.time("time")
	copy(r.Nonce[:], p.fixed("nonce", NonceSize))
	r.Signature = p.ringSignature("signature")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}
