package toll

import (
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// usageRequest is an exit plaza's signed claim for the fare of a ticket it
// accepted, the paper's exchange_request (docs/spec/toll.md).
type usageRequest struct {
	operator *ecdsa.PublicKey
	plaza    plazaRef
	exitTime time.Time
	ticket   *ticket
	sig      []byte
}

func (r *usageRequest) body() ([]byte, error) {
	w := wire.NewWriter(kindUsage)
	w.ECDSAKey(r.operator)
	w.U32(uint32(r.plaza.id))
	w.Time(r.exitTime)
	w.Bytes(r.ticket.bytes())
	return w.Finish()
}

func (r *usageRequest) bytes() []byte {
	b, _ := r.body() // checked when signed or parsed
	return append(b, r.sig...)
}

// requestDigest names a usage request by its bytes: what statements list.
func requestDigest(b []byte) [32]byte { return wire.Digest(labelUsage, b) }

func parseUsageRequest(b []byte) (*usageRequest, error) {
	rd, sig := wire.NewSignedReader(b, kindUsage, "usage request", ErrMalformed)
	r := &usageRequest{operator: rd.ECDSAKey("operator")}
	r.plaza.id = PlazaID(rd.U32("plaza"))
	r.exitTime = rd.Time("exit time")
	r.ticket = wire.Value(rd, "ticket", parseTicket)
	r.sig = sig
	if err := rd.Done(); err != nil {
		return nil, err
	}
	r.plaza.operator = idOf(r.operator)
	return r, nil
}
