package toll

import (
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// purchaseRequest is a registered vehicle's order, to one operator, of one
// ticket at a price with a fresh one-time key (docs/spec/toll.md). It
// carries the vehicle's registration, so the operator checks it from
// public data; the operator keeps it privately as the buyer of the key.
type purchaseRequest struct {
	reg       *registration
	operator  *ecdsa.PublicKey
	ticketKey *trs.PublicKey
	price     money.Amount
	time      time.Time
	sig       []byte
}

func (r *purchaseRequest) body() ([]byte, error) {
	if r.reg == nil || r.ticketKey == nil {
		return nil, fmt.Errorf("toll: purchase request without a registration or key")
	}
	if !r.price.Valid() || r.price.Sign() <= 0 {
		return nil, fmt.Errorf("toll: ticket price %v is not positive", r.price)
	}
	w := wire.NewWriter(kindPurchase)
	w.Bytes(r.reg.bytes())
	w.ECDSAKey(r.operator)
	w.Fixed(r.ticketKey.Bytes())
	w.Amount(r.price)
	w.Time(r.time)
	return w.Finish()
}

func (r *purchaseRequest) bytes() []byte {
	b, _ := r.body() // checked when signed or parsed
	return append(b, r.sig...)
}

func parsePurchaseRequest(b []byte) (*purchaseRequest, error) {
	rd, sig := wire.NewSignedReader(b, kindPurchase, "purchase request", ErrMalformed)
	r := &purchaseRequest{reg: wire.Value(rd, "registration", parseRegistration), operator: rd.ECDSAKey("operator")}
	r.ticketKey = wire.FixedValue(rd, "ticket key", trs.PublicKeySize, trs.ParsePublicKey)
	r.price = rd.Amount("price")
	r.time = rd.Time("time")
	r.sig = sig
	if err := rd.Done(); err != nil {
		return nil, err
	}
	if _, err := r.body(); err != nil {
		return nil, fmt.Errorf("%w: purchase request: %w", ErrMalformed, err)
	}
	return r, nil
}
