package tickets

import (
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/trs"
)

// purchase is the issuer's private record of one purchase, signed by the
// issuer so that a rebuilt issuer trusts only purchases it recorded
// (docs/spec/tickets.md).
type purchase struct {
	class Class
	key   *trs.PublicKey
	buyer []byte
	time  time.Time
}

func (p *purchase) body() ([]byte, error) {
	w := wire.NewWriter(kindPurchase)
	w.Bytes([]byte(p.class.Label))
	w.Amount(p.class.Price)
	w.Fixed(p.key.Bytes())
	w.Bytes(p.buyer)
	w.Time(p.time)
	return w.Finish()
}

func (p *purchase) sign(key *ecdsa.PrivateKey) ([]byte, error) {
	body, err := p.body()
	if err != nil {
		return nil, fmt.Errorf("tickets: purchase: %w", err)
	}
	return wire.Sign(key, contextPurchase, body)
}

// parsePurchase verifies a purchase record under issuer and decodes it.
func parsePurchase(b []byte, issuer *ecdsa.PublicKey) (*purchase, error) {
	body, err := wire.Verify(issuer, contextPurchase, b)
	if err != nil {
		return nil, fmt.Errorf("%w: purchase record: %w", ErrBadSignature, err)
	}
	return parsePurchaseBody(body)
}

func parsePurchaseBody(body []byte) (*purchase, error) {
	r := wire.NewReader(body, kindPurchase, "purchase", ErrMalformed)
	p := &purchase{class: Class{Label: string(r.Bytes("label")), Price: r.Amount("price")}}
	p.key = wire.FixedValue(r, "key", trs.PublicKeySize, trs.ParsePublicKey)
	p.buyer = r.Bytes("buyer")
	p.time = r.Time("time")
	if err := r.Done(); err != nil {
		return nil, err
	}
	if err := p.class.check(); err != nil {
		return nil, fmt.Errorf("%w: purchase: %w", ErrMalformed, err)
	}
	return p, nil
}
