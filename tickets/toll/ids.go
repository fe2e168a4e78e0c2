package toll

import (
	"fmt"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// VehicleID identifies a vehicle at the registration authority.
type VehicleID uint64

// PlazaID identifies a plaza among its operator's plazas. A plaza is named
// on the wire by its operator's key and its PlazaID.
type PlazaID uint32

// TripSecretSize is the size of a trip secret.
const TripSecretSize = 32

// Record kinds of this package (docs/spec/toll.md): the kind in every
// record's header and, for records kept on a ledger, the entry kind.
const (
	kindRegistration = 0x0201 // vehicle registration (authority's ledger)
	kindPlaza        = 0x0202 // plaza registration (ledgers)
	kindFares        = 0x0203 // fare table (ledgers)
	kindPurchase     = 0x0204 // purchase request (inside the issuer's purchase record)
	kindEntry        = 0x0205 // entry proof
	kindTicket       = 0x0206 // the message a ticket signs
	kindUsage        = 0x0207 // usage request
	kindStatement    = 0x0208 // statement
	kindSettlement   = 0x0209 // settlement batch (operator's ledger)

	kindSale = 0x0102 // a tickets.Sale, kept on plaza and operator ledgers

	kindFirst = 0x0200
	kindLast  = 0x02ff
)

// ECDSA contexts of the signed records.
const (
	contextRegistration = "ringtrace/toll/registration/v1"
	contextPlaza        = "ringtrace/toll/plaza/v1"
	contextFares        = "ringtrace/toll/fares/v1"
	contextPurchase     = "ringtrace/toll/purchase/v1"
	contextEntry        = "ringtrace/toll/entry/v1"
	contextUsage        = "ringtrace/toll/usage/v1"
	contextStatement    = "ringtrace/toll/statement/v1"
	contextSettlement   = "ringtrace/toll/settlement/v1"
)

// Digest labels.
const (
	labelTrip    = "ringtrace-v1-toll-trip"
	labelEntryID = "ringtrace-v1-toll-entry-id"
	labelUsage   = "ringtrace-v1-toll-usage-request"
)

// classLabel is the label of every toll ticket class; the class's price is
// the ticket's.
const classLabel = "toll"

func ownKind(k uint16) bool { return k >= kindFirst && k <= kindLast }

// unknownKind reports whether k is in this package's range but names no
// record of it: a replay refuses such an entry.
func unknownKind(k ledger.Kind) bool {
	return ownKind(uint16(k)) && (k < kindRegistration || k > kindSettlement)
}

// keyID is a key's encoding, for maps.
type keyID [ecdsa.PublicKeySize]byte

func idOf(k *ecdsa.PublicKey) keyID {
	var b keyID
	copy(b[:], k.Bytes())
	return b
}

// plazaRef names a plaza: its operator and its ID.
type plazaRef struct {
	operator keyID
	id       PlazaID
}

func (p plazaRef) String() string { return fmt.Sprintf("plaza %d of %x", p.id, p.operator[1:5]) }

// signRecord signs body and returns the signature bytes.
func signRecord(key *ecdsa.PrivateKey, context string, body []byte) ([]byte, error) {
	signed, err := wire.Sign(key, context, body)
	if err != nil {
		return nil, err
	}
	return signed[len(body):], nil
}

// verifyRecord checks that signed = body || sig verifies under key.
func verifyRecord(key *ecdsa.PublicKey, context, what string, signed []byte) error {
	if _, err := wire.Verify(key, context, signed); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadSignature, what, err)
	}
	return nil
}
