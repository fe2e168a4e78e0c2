package ristretto

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"testing"

	gtank "github.com/gtank/ristretto255"
)

// FuzzElementDecode checks that SetCanonicalBytes never panics, that what it
// accepts re-encodes to exactly the same bytes (no malleability), that what
// it rejects leaves the receiver alone, and that it accepts exactly what
// gtank/ristretto255 accepts.
func FuzzElementDecode(f *testing.F) {
	for _, h := range rfc9496Multiples {
		f.Add(decodeHex(f, h))
	}
	for _, class := range rfc9496InvalidEncodings {
		for _, h := range class.encodings {
			f.Add(decodeHex(f, h))
		}
	}
	p := leFromBig(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19)), 32)
	f.Add(p)
	f.Add([]byte{})
	f.Add(make([]byte, 31))
	f.Add(make([]byte, 33))
	f.Add(bytes.Repeat([]byte{0xff}, 32))

	generator := NewGeneratorElement()
	f.Fuzz(func(t *testing.T, in []byte) {
		v := NewGeneratorElement()
		out, err := v.SetCanonicalBytes(in)
		_, errGtank := gtank.NewIdentityElement().SetCanonicalBytes(in)
		if (err == nil) != (errGtank == nil) {
			t.Fatalf("%x: ours %v, gtank %v", in, err, errGtank)
		}
		if err != nil {
			if out != nil {
				t.Fatalf("%x: non-nil result with error %v", in, err)
			}
			if !sameElement(v, generator) || hex.EncodeToString(v.Bytes()) != generatorEncoding {
				t.Fatalf("%x: receiver modified on error", in)
			}
			return
		}
		if out != v {
			t.Fatalf("%x: result is not the receiver", in)
		}
		if enc := v.Bytes(); !bytes.Equal(enc, in) {
			t.Fatalf("%x accepted but re-encodes to %x", in, enc)
		}
		again, err := new(Element).SetCanonicalBytes(v.Bytes())
		if err != nil || again.Equal(v) != 1 || v.Equal(v) != 1 {
			t.Fatalf("%x: decoded element is not Equal to itself", in)
		}
		if got, want := AppendDoubledEncodings(nil, []*Element{v}), new(Element).Add(v, v).Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("%x: AppendDoubledEncodings = %x, want %x", in, got, want)
		}
	})
}

// FuzzScalarDecode checks Scalar.SetCanonicalBytes against the integers:
// it accepts exactly the 32-byte strings below q, round-trips them, and
// leaves the receiver alone otherwise.
func FuzzScalarDecode(f *testing.F) {
	q := leFromBig(groupOrder, ScalarSize)
	qMinusOne := leFromBig(new(big.Int).Sub(groupOrder, big.NewInt(1)), ScalarSize)
	f.Add(q)
	f.Add(qMinusOne)
	f.Add(make([]byte, 32))
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Add(make([]byte, 31))
	f.Add(make([]byte, 64))
	f.Add([]byte{})

	sentinel := new(Scalar).SetUint64(0x5eed)
	f.Fuzz(func(t *testing.T, in []byte) {
		s := copyScalar(sentinel)
		out, err := s.SetCanonicalBytes(in)
		if want := isCanonicalScalar(in); (err == nil) != want {
			t.Fatalf("%x: canonical %v, got error %v", in, want, err)
		}
		if err != nil {
			if out != nil || !sameScalar(s, sentinel) {
				t.Fatalf("%x: rejected but result %v, receiver changed %v", in, out, !sameScalar(s, sentinel))
			}
			return
		}
		if out != s || !bytes.Equal(s.Bytes(), in) {
			t.Fatalf("%x accepted as %x", in, s.Bytes())
		}
		g, err := gtank.NewScalar().SetCanonicalBytes(in)
		if err != nil || !bytes.Equal(g.Bytes(), in) {
			t.Fatalf("%x: gtank disagrees: %v", in, err)
		}
	})
}

// FuzzSetUniformBytes checks the element derivation and the wide scalar
// reduction on arbitrary inputs: no panic, wrong lengths rejected without
// touching the receiver, and agreement with gtank/ristretto255 and with
// math/big.
func FuzzSetUniformBytes(f *testing.F) {
	for _, tt := range rfc9496Derivations {
		f.Add(decodeHex(f, tt.input))
	}
	for _, h := range rfc9496EquivalentDerivations {
		f.Add(decodeHex(f, h))
	}
	f.Add(make([]byte, 63))
	f.Add(make([]byte, 65))

	generator := NewGeneratorElement()
	sentinel := new(Scalar).SetUint64(0x5eed)
	f.Fuzz(func(t *testing.T, in []byte) {
		v := NewGeneratorElement()
		out, err := v.SetUniformBytes(in)
		s := copyScalar(sentinel)
		sOut, sErr := s.SetUniformBytes(in)
		if len(in) != UniformBytesSize {
			if err == nil || out != nil || !sameElement(v, generator) {
				t.Fatalf("%d bytes: Element.SetUniformBytes = %v, %v", len(in), out, err)
			}
			if sErr == nil || sOut != nil || !sameScalar(s, sentinel) {
				t.Fatalf("%d bytes: Scalar.SetUniformBytes = %v, %v", len(in), sOut, sErr)
			}
			return
		}
		if err != nil || out != v || sErr != nil || sOut != s {
			t.Fatalf("%x: %v, %v", in, err, sErr)
		}
		g, _ := gtank.NewIdentityElement().SetUniformBytes(in)
		if !bytes.Equal(v.Bytes(), g.Bytes()) {
			t.Fatalf("%x: ours %x, gtank %x", in, v.Bytes(), g.Bytes())
		}
		if _, err := new(Element).SetCanonicalBytes(v.Bytes()); err != nil {
			t.Fatalf("%x: derived element does not decode: %v", in, err)
		}
		if want := new(big.Int).Mod(bigFromLE(in), groupOrder); bigFromScalar(s).Cmp(want) != 0 {
			t.Fatalf("%x: scalar %x, want %v", in, s.Bytes(), want)
		}
	})
}

// FuzzHash compares HashToGroup and HashToScalar with circl's
// implementation of the same RFC 9380 / RFC 9497 functions.
func FuzzHash(f *testing.F) {
	f.Add([]byte("QUUX-V01-CS02-with-expander-SHA512-256"), []byte("abc"))
	f.Add([]byte("HashToGroup-OPRFV1-\x00-ristretto255-SHA512"), []byte{0})
	f.Add(bytes.Repeat([]byte{'d'}, 255), []byte{})
	f.Fuzz(func(t *testing.T, dst, msg []byte) {
		if len(dst) == 0 || len(dst) > 255 {
			return // documented to panic; see TestHashDSTLimits
		}
		e := HashToGroup(dst, msg)
		if c := circlBytes(t, circl.HashToElement(msg, dst)); !bytes.Equal(e.Bytes(), c) {
			t.Fatalf("HashToGroup(%x, %x) = %x, circl %x", dst, msg, e.Bytes(), c)
		}
		s := HashToScalar(dst, msg)
		if c := circlBytes(t, circl.HashToScalar(msg, dst)); !bytes.Equal(s.Bytes(), c) {
			t.Fatalf("HashToScalar(%x, %x) = %x, circl %x", dst, msg, s.Bytes(), c)
		}
	})
}
