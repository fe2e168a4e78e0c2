package toll

import (
	"fmt"
	"unicode/utf8"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// maxPlazaName bounds a plaza's display name, in bytes.
const maxPlazaName = 64

// plazaRegistration is an operator's signed statement that a plaza ID, a
// display name and an ECDSA key belong to one of its plazas
// (docs/spec/toll.md). Exits accept entry proofs, and settlement accepts
// usage requests, only from registered plazas.
type plazaRegistration struct {
	operator *ecdsa.PublicKey
	id       PlazaID
	name     string
	key      *ecdsa.PublicKey
	sig      []byte
}

func (r *plazaRegistration) ref() plazaRef { return plazaRef{idOf(r.operator), r.id} }

func (r *plazaRegistration) body() ([]byte, error) {
	if len(r.name) < 1 || len(r.name) > maxPlazaName || !utf8.ValidString(r.name) {
		return nil, fmt.Errorf("toll: plaza name must be 1..%d bytes of UTF-8", maxPlazaName)
	}
	w := wire.NewWriter(kindPlaza)
	w.ECDSAKey(r.operator)
	w.U32(uint32(r.id))
	w.Bytes([]byte(r.name))
	w.ECDSAKey(r.key)
	return w.Finish()
}

func (r *plazaRegistration) bytes() []byte {
	b, _ := r.body() // checked when signed or parsed
	return append(b, r.sig...)
}

func (r *plazaRegistration) verify() error {
	return verifyRecord(r.operator, contextPlaza, "plaza registration", r.bytes())
}

func parsePlazaRegistration(b []byte) (*plazaRegistration, error) {
	rd, sig := wire.NewSignedReader(b, kindPlaza, "plaza registration", ErrMalformed)
	r := &plazaRegistration{operator: rd.ECDSAKey("operator"), id: PlazaID(rd.U32("plaza"))}
	r.name = string(rd.Bytes("name"))
	r.key = rd.ECDSAKey("key")
	r.sig = sig
	if err := rd.Done(); err != nil {
		return nil, err
	}
	if _, err := r.body(); err != nil {
		return nil, fmt.Errorf("%w: plaza registration: %w", ErrMalformed, err)
	}
	return r, nil
}
