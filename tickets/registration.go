package tickets

import (
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
)

// VehicleRegistration is the registration authority's certificate that a
// vehicle ID belongs to the holder of an ECDSA key. The provider sells
// tickets only to registered vehicles, so a revealed double user can be
// held to account.
//
// Encoding (signed by the authority under "ringtrace/toll/vehicle/v1" over
// everything before the signature):
//
//	u8(1) || u8(0x01) || u64(vehicle) || key[33] || u64(issued) || sig[64]
type VehicleRegistration struct {
	Vehicle VehicleID
	Key     *ecdsa.PublicKey
	Issued  time.Time
	sig     [ecdsa.SignatureSize]byte
}

// VehicleRegistrationSize is the size of an encoded VehicleRegistration.
const VehicleRegistrationSize = 2 + 8 + ecdsa.PublicKeySize + 8 + ecdsa.SignatureSize

func (r *VehicleRegistration) body() []byte {
	issued, _ := unixTime(r.Issued) // checked when signed or parsed
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeVehicleRegistration)
		b.AddUint64(uint64(r.Vehicle))
		b.AddBytes(r.Key.Bytes())
		addTime(b, issued)
	})
}

// Bytes returns the canonical encoding.
func (r *VehicleRegistration) Bytes() []byte { return append(r.body(), r.sig[:]...) }

// Verify checks the authority's signature.
func (r *VehicleRegistration) Verify(authority *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(authority, contextVehicle, r.body(), r.sig[:]); err != nil {
		return fmt.Errorf("%w: vehicle registration: %v", ErrBadSignature, err)
	}
	return nil
}

// ParseVehicleRegistration decodes a registration encoded by Bytes. It does
// not check the signature.
func ParseVehicleRegistration(b []byte) (*VehicleRegistration, error) {
	s := cryptobyte.String(b)
	var (
		r      VehicleRegistration
		id     uint64
		issued uint64
		ok     bool
	)
	if !readHeader(&s, typeVehicleRegistration) || !s.ReadUint64(&id) {
		return nil, malformed("vehicle registration header")
	}
	if r.Key, ok = readECDSAKey(&s); !ok {
		return nil, malformed("vehicle registration key")
	}
	if !readTime(&s, &issued) || !readSignature(&s, &r.sig) || !s.Empty() {
		return nil, malformed("vehicle registration")
	}
	r.Vehicle, r.Issued = VehicleID(id), timeOf(issued)
	return &r, nil
}

// MaxPlazaNameLen bounds a plaza's display name, in bytes.
const MaxPlazaNameLen = 64

// PlazaRegistration is the provider's signed statement that a plaza ID, a
// display name and an ECDSA key belong to one of its toll plazas. Exit
// plazas accept entry proofs only from registered plazas, and the provider
// settles only usage requests signed by them.
//
// Encoding (signed by the provider under "ringtrace/toll/plaza/v1"):
//
//	u8(1) || u8(0x02) || u32(plaza) || u8-prefixed name (UTF-8, 1..64 bytes)
//	   || key[33] || sig[64]
type PlazaRegistration struct {
	Plaza PlazaID
	Name  string
	Key   *ecdsa.PublicKey
	sig   [ecdsa.SignatureSize]byte
}

func validPlazaName(name string) bool {
	return len(name) >= 1 && len(name) <= MaxPlazaNameLen && utf8.ValidString(name)
}

func (r *PlazaRegistration) body() []byte {
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typePlazaRegistration)
		b.AddUint32(uint32(r.Plaza))
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(r.Name)) })
		b.AddBytes(r.Key.Bytes())
	})
}

// Bytes returns the canonical encoding.
func (r *PlazaRegistration) Bytes() []byte { return append(r.body(), r.sig[:]...) }

// Verify checks the provider's signature.
func (r *PlazaRegistration) Verify(provider *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(provider, contextPlaza, r.body(), r.sig[:]); err != nil {
		return fmt.Errorf("%w: plaza registration: %v", ErrBadSignature, err)
	}
	return nil
}

// ParsePlazaRegistration decodes a registration encoded by Bytes. It does
// not check the signature.
func ParsePlazaRegistration(b []byte) (*PlazaRegistration, error) {
	s := cryptobyte.String(b)
	var (
		r    PlazaRegistration
		id   uint32
		name cryptobyte.String
		ok   bool
	)
	if !readHeader(&s, typePlazaRegistration) || !s.ReadUint32(&id) ||
		!s.ReadUint8LengthPrefixed(&name) || !validPlazaName(string(name)) {
		return nil, malformed("plaza registration")
	}
	if r.Key, ok = readECDSAKey(&s); !ok {
		return nil, malformed("plaza registration key")
	}
	if !readSignature(&s, &r.sig) || !s.Empty() {
		return nil, malformed("plaza registration")
	}
	r.Plaza, r.Name = PlazaID(id), string(name)
	return &r, nil
}
