package tickets

import (
	"errors"
	"math"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
)

// VehicleID identifies a vehicle at the registration authority.
type VehicleID uint64

// PlazaID identifies a toll plaza registered with the provider.
type PlazaID uint32

// SaleID identifies a ticket sale (one ring of one-time keys).
type SaleID uint64

// recordVersion is the first byte of every record encoding.
const recordVersion = 1

// Record type bytes, the second byte of every encoding, so that the bytes
// of one record type never parse as another.
const (
	typeVehicleRegistration = 0x01
	typePlazaRegistration   = 0x02
	typeFareTable           = 0x03
	typePurchaseRequest     = 0x04
	typeSale                = 0x05
	typeEntryProof          = 0x06
	typeTicket              = 0x07
	typeUsageRequest        = 0x08
	typePayoutStatement     = 0x09
	typeSpentEntry          = 0x0a
	typeEntryConsumed       = 0x0b
	typeReveal              = 0x0c
	typeSettlementBatch     = 0x0d
)

// ECDSA contexts, one per signed record type: a signature on one record
// type never verifies as another.
const (
	contextVehicle  = "ringtrace/toll/vehicle/v1"
	contextPlaza    = "ringtrace/toll/plaza/v1"
	contextFares    = "ringtrace/toll/fares/v1"
	contextPurchase = "ringtrace/toll/purchase/v1"
	contextSale     = "ringtrace/toll/sale/v1"
	contextEntry    = "ringtrace/toll/entry/v1"
	contextUsage    = "ringtrace/toll/usage/v1"
	contextPayout   = "ringtrace/toll/payout/v1"
)

// addHeader starts a record encoding.
func addHeader(b *cryptobyte.Builder, typ uint8) {
	b.AddUint8(recordVersion)
	b.AddUint8(typ)
}

// readHeader consumes and checks a record header.
func readHeader(s *cryptobyte.String, typ uint8) bool {
	var v, t uint8
	return s.ReadUint8(&v) && v == recordVersion && s.ReadUint8(&t) && t == typ
}

// Times are whole seconds since the Unix epoch, encoded as u64 and never
// negative, so the encoding of a time is unique.
func unixTime(t time.Time) (uint64, error) {
	u := t.Unix()
	if u < 0 {
		return 0, errors.New("tickets: time before 1970")
	}
	return uint64(u), nil
}

func addTime(b *cryptobyte.Builder, t uint64) { b.AddUint64(t) }

func readTime(s *cryptobyte.String, t *uint64) bool {
	return s.ReadUint64(t) && *t <= math.MaxInt64
}

func timeOf(u uint64) time.Time { return time.Unix(int64(u), 0).UTC() }

func readECDSAKey(s *cryptobyte.String) (*ecdsa.PublicKey, bool) {
	var kb []byte
	if !s.ReadBytes(&kb, ecdsa.PublicKeySize) {
		return nil, false
	}
	k, err := ecdsa.ParsePublicKey(kb)
	return k, err == nil
}

// readSignature reads a fixed-size ECDSA signature. Its validity is checked
// by Verify; the parser only takes the bytes.
func readSignature(s *cryptobyte.String, sig *[ecdsa.SignatureSize]byte) bool {
	return s.CopyBytes(sig[:])
}

// buildBytes runs f on a fresh builder and returns the result. Builders
// only fail on length prefix overflow, which callers bound beforehand.
func buildBytes(f func(b *cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	f(&b)
	return b.BytesOrPanic()
}

func signRecord(key *ecdsa.PrivateKey, context string, body []byte, out *[ecdsa.SignatureSize]byte) error {
	sig, err := ecdsa.Sign(key, context, body)
	if err != nil {
		return err
	}
	copy(out[:], sig)
	return nil
}

// readUint32Prefixed reads a u32-length-prefixed byte string, the
// counterpart of cryptobyte's Builder.AddUint32LengthPrefixed.
func readUint32Prefixed(s *cryptobyte.String, out *cryptobyte.String) bool {
	var n uint32
	if !s.ReadUint32(&n) || uint64(n) > uint64(len(*s)) {
		return false
	}
	var b []byte
	if !s.ReadBytes(&b, int(n)) {
		return false
	}
	*out = b
	return true
}

// Records handed out by the provider are copies, so a caller that changes
// an exported field cannot change the provider's state. Keys, rings and
// tags are immutable and shared.

func (s *Sale) clone() *Sale                           { c := *s; return &c }
func (r *PlazaRegistration) clone() *PlazaRegistration { c := *r; return &c }
func (t *FareTable) clone() *FareTable                 { c := *t; return &c }
func (r *Reveal) clone() *Reveal                       { c := *r; return &c }

func (p *PayoutStatement) clone() *PayoutStatement {
	c := *p
	c.Requests = slices.Clone(p.Requests)
	return &c
}

func cloneAll[T interface{ clone() T }](xs []T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = x.clone()
	}
	return out
}
