package tickets

import (
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// PurchaseRequest is a registered vehicle's order for one ticket at Price:
// it names the fresh one-time TRS key the ticket will be signed with. The
// provider keeps it privately — it is the only link from a ring key to a
// buyer, used when the key is revealed by a double use.
//
// Encoding (signed by the vehicle's registered key under
// "ringtrace/toll/purchase/v1"):
//
//	u8(1) || u8(0x04) || u64(vehicle) || ticketKey[32] || price[12]
//	   || u64(time) || sig[64]
//
// The price is positive.
type PurchaseRequest struct {
	Vehicle   VehicleID
	TicketKey *trs.PublicKey
	Price     money.Amount
	Time      time.Time
	sig       [ecdsa.SignatureSize]byte
}

// PurchaseRequestSize is the size of an encoded PurchaseRequest.
const PurchaseRequestSize = 2 + 8 + trs.PublicKeySize + money.EncodedSize + 8 + ecdsa.SignatureSize

func (r *PurchaseRequest) body() []byte {
	t, _ := unixTime(r.Time)
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typePurchaseRequest)
		b.AddUint64(uint64(r.Vehicle))
		b.AddBytes(r.TicketKey.Bytes())
		r.Price.AddTo(b)
		addTime(b, t)
	})
}

// Bytes returns the canonical encoding.
func (r *PurchaseRequest) Bytes() []byte { return append(r.body(), r.sig[:]...) }

// Verify checks the vehicle's signature.
func (r *PurchaseRequest) Verify(vehicle *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(vehicle, contextPurchase, r.body(), r.sig[:]); err != nil {
		return fmt.Errorf("%w: purchase request: %v", ErrBadSignature, err)
	}
	return nil
}

// ParsePurchaseRequest decodes a request encoded by Bytes. It does not
// check the signature.
func ParsePurchaseRequest(b []byte) (*PurchaseRequest, error) {
	s := cryptobyte.String(b)
	var (
		r       PurchaseRequest
		vehicle uint64
		key     []byte
		t       uint64
		ok      bool
		err     error
	)
	if !readHeader(&s, typePurchaseRequest) || !s.ReadUint64(&vehicle) || !s.ReadBytes(&key, trs.PublicKeySize) {
		return nil, malformed("purchase request")
	}
	if r.TicketKey, err = trs.ParsePublicKey(key); err != nil {
		return nil, fmt.Errorf("%w: purchase request ticket key: %v", ErrMalformed, err)
	}
	if r.Price, ok = money.ReadAmount(&s); !ok || r.Price.Sign() <= 0 {
		return nil, malformed("purchase request price")
	}
	if !readTime(&s, &t) || !readSignature(&s, &r.sig) || !s.Empty() {
		return nil, malformed("purchase request")
	}
	r.Vehicle, r.Time = VehicleID(vehicle), timeOf(t)
	return &r, nil
}
