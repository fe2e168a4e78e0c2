package money

import (
	"encoding/binary"
	"fmt"
)

// EncodedSize is the size of an encoded [Amount].
const EncodedSize = 1 + 3 + 8

const encodingVersion = 1

// Bytes returns the canonical [EncodedSize]-byte encoding of a,
// u8(1) || currency[3] || u64be(units as two's complement). It panics if a
// has no valid currency, which only the zero Amount lacks.
func (a Amount) Bytes() []byte {
	if !a.Valid() {
		panic("money: encoding an amount without a valid currency")
	}
	b := make([]byte, 0, EncodedSize)
	b = append(b, encodingVersion)
	b = append(b, a.currency[:]...)
	return binary.BigEndian.AppendUint64(b, uint64(a.units))
}

// Parse decodes an amount encoded by [Amount.Bytes]. It accepts exactly
// [EncodedSize] bytes with version 1 and a valid currency code.
func Parse(b []byte) (Amount, error) {
	if len(b) != EncodedSize {
		return Amount{}, fmt.Errorf("money: encoded amount is %d bytes, want %d", len(b), EncodedSize)
	}
	if b[0] != encodingVersion {
		return Amount{}, fmt.Errorf("money: encoded amount version %d, want %d", b[0], encodingVersion)
	}
	var c Currency
	copy(c[:], b[1:4])
	if !c.Valid() {
		return Amount{}, fmt.Errorf("money: invalid currency code %q in encoded amount", c[:])
	}
	return Amount{units: int64(binary.BigEndian.Uint64(b[4:])), currency: c}, nil
}
