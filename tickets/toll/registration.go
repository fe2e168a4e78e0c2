package toll

import (
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// registration is the authority's certificate that a vehicle ID belongs
// to the holder of an ECDSA key (docs/spec/toll.md). Operators sell
// tickets only to registered vehicles, so that a revealed double user can
// be held to account.
type registration struct {
	vehicle VehicleID
	key     *ecdsa.PublicKey
	issued  time.Time
	sig     []byte
}

func (r *registration) body() ([]byte, error) {
	w := wire.NewWriter(kindRegistration)
	w.U64(uint64(r.vehicle))
	w.ECDSAKey(r.key)
	w.Time(r.issued)
	return w.Finish()
}

func (r *registration) bytes() []byte {
	b, _ := r.body() // checked when signed or parsed
	return append(b, r.sig...)
}

func (r *registration) verify(authority *ecdsa.PublicKey) error {
	return verifyRecord(authority, contextRegistration, "vehicle registration", r.bytes())
}

func parseRegistration(b []byte) (*registration, error) {
	rd, sig := wire.NewSignedReader(b, kindRegistration, "vehicle registration", ErrMalformed)
	r := &registration{vehicle: VehicleID(rd.U64("vehicle")), key: rd.ECDSAKey("key"), issued: rd.Time("issued"), sig: sig}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	return r, nil
}
