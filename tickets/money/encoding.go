package money

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// EncodedSize is the size of an encoded [Amount].
const EncodedSize = 1 + 3 + 8

const encodingVersion = 1

// Bytes returns the canonical [EncodedSize]-byte encoding of a. It panics
// if a has no valid currency, which only the zero Amount lacks.
func (a Amount) Bytes() []byte {
	return a.AppendBinary(make([]byte, 0, EncodedSize))
}

// AppendBinary appends the encoding of a to b.
func (a Amount) AppendBinary(b []byte) []byte {
	if !a.Valid() {
		panic("money: encoding an amount without a valid currency")
	}
	bb := cryptobyte.NewBuilder(b)
	bb.AddUint8(encodingVersion)
	bb.AddBytes(a.currency[:])
	bb.AddUint64(uint64(a.units))
	return bb.BytesOrPanic()
}

// Parse decodes an amount encoded by [Amount.Bytes]. It accepts exactly
// [EncodedSize] bytes with version 1 and a valid currency code.
func Parse(b []byte) (Amount, error) {
	s := cryptobyte.String(b)
	a, ok := ReadAmount(&s)
	if !ok {
		return Amount{}, fmt.Errorf("money: invalid encoded amount (%d bytes)", len(b))
	}
	if !s.Empty() {
		return Amount{}, errors.New("money: trailing bytes after amount")
	}
	return a, nil
}

// ReadAmount reads one encoded amount from s, for record parsers built on
// cryptobyte. It reports false, leaving s in an unspecified state, if the
// next bytes are not a valid encoding.
func ReadAmount(s *cryptobyte.String) (Amount, bool) {
	var (
		version uint8
		c       Currency
		units   uint64
	)
	if !s.ReadUint8(&version) || version != encodingVersion ||
		!s.CopyBytes(c[:]) || !c.Valid() || !s.ReadUint64(&units) {
		return Amount{}, false
	}
	return Amount{units: int64(units), currency: c}, true
}

// AddTo appends the encoding of a to a cryptobyte builder.
func (a Amount) AddTo(b *cryptobyte.Builder) {
	b.AddBytes(a.Bytes())
}
