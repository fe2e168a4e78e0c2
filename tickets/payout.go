package tickets

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// MaxStatementRequests bounds the requests one payout statement lists.
const MaxStatementRequests = 1 << 20

// PayoutStatement is the provider's signed statement of what one
// settlement pays one plaza (the paper's withdraw): the total and the
// digests of the usage requests it pays for, so the plaza can check each
// claim was paid exactly once.
//
// Encoding (signed by the provider under "ringtrace/toll/payout/v1"):
//
//	u8(1) || u8(0x09) || u64(number) || u32(plaza) || u64(time)
//	   || amount[12] || u32(count) || count × digest[32] || sig[64]
//
// number is the statement's sequence number at the provider; the amount is
// positive; 1 ≤ count ≤ MaxStatementRequests and the digests are strictly
// increasing.
type PayoutStatement struct {
	Number   uint64
	Plaza    PlazaID
	Time     time.Time
	Amount   money.Amount
	Requests [][sha256.Size]byte
	sig      [ecdsa.SignatureSize]byte
}

func (p *PayoutStatement) body() []byte {
	t, _ := unixTime(p.Time)
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typePayoutStatement)
		b.AddUint64(p.Number)
		b.AddUint32(uint32(p.Plaza))
		addTime(b, t)
		p.Amount.AddTo(b)
		b.AddUint32(uint32(len(p.Requests)))
		for _, d := range p.Requests {
			b.AddBytes(d[:])
		}
	})
}

// Bytes returns the canonical encoding.
func (p *PayoutStatement) Bytes() []byte { return append(p.body(), p.sig[:]...) }

// Verify checks the provider's signature.
func (p *PayoutStatement) Verify(provider *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(provider, contextPayout, p.body(), p.sig[:]); err != nil {
		return fmt.Errorf("%w: payout statement: %v", ErrBadSignature, err)
	}
	return nil
}

// Pays reports whether the statement lists the request with digest d.
func (p *PayoutStatement) Pays(d [sha256.Size]byte) bool {
	_, ok := slices.BinarySearchFunc(p.Requests, d, func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) })
	return ok
}

// ParsePayoutStatement decodes a statement encoded by Bytes. It does not
// check the signature.
func ParsePayoutStatement(b []byte) (*PayoutStatement, error) {
	s := cryptobyte.String(b)
	p, ok := readPayoutStatement(&s)
	if !ok || !s.Empty() {
		return nil, malformed("payout statement")
	}
	return p, nil
}

func readPayoutStatement(s *cryptobyte.String) (*PayoutStatement, bool) {
	var (
		p     PayoutStatement
		plaza uint32
		t     uint64
		n     uint32
		ok    bool
	)
	if !readHeader(s, typePayoutStatement) || !s.ReadUint64(&p.Number) || !s.ReadUint32(&plaza) || !readTime(s, &t) {
		return nil, false
	}
	if p.Amount, ok = money.ReadAmount(s); !ok || p.Amount.Sign() <= 0 {
		return nil, false
	}
	if !s.ReadUint32(&n) || n == 0 || n > MaxStatementRequests || len(*s) < int(n)*sha256.Size {
		return nil, false
	}
	p.Requests = make([][sha256.Size]byte, n)
	for i := range p.Requests {
		if !s.CopyBytes(p.Requests[i][:]) || (i > 0 && bytes.Compare(p.Requests[i-1][:], p.Requests[i][:]) >= 0) {
			return nil, false
		}
	}
	if !readSignature(s, &p.sig) {
		return nil, false
	}
	p.Plaza, p.Time = PlazaID(plaza), timeOf(t)
	return &p, true
}
