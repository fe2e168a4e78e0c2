package ristretto

import (
	"encoding/hex"

	"filippo.io/edwards25519/field"
)

// Field constants of RFC 9496 §4.1, stored as little-endian encodings.
var (
	// sqrtM1 is the non-negative square root of −1.
	sqrtM1 = mustFieldElement("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b")
	// sqrtADMinusOne is √(a·d − 1) with a = −1.
	sqrtADMinusOne = mustFieldElement("1b2e7b49a0f6977ebd54781b0c8e9daffdd1f531c9fc3c0fac48832bbf316937")
	// invSqrtAMinusD is 1/√(a − d).
	invSqrtAMinusD = mustFieldElement("ea405d80aafdc899be72415a17162f9d40d801fe917bc216a2fcafcf05896c78")
	// oneMinusDSq is 1 − d².
	oneMinusDSq = mustFieldElement("76c15f94c1097ce20f355ecd38a1812ce4df70beddab9499d7e0b3b2a8729002")
	// dMinusOneSq is (d − 1)².
	dMinusOneSq = mustFieldElement("204ded44aa5aad3199191eb02c4a9ed2eb4e9b522fd3dc4c41226cf67ab36859")
	// curveD is the Edwards curve constant d of edwards25519.
	curveD = mustFieldElement("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352")
)

var (
	feZero = new(field.Element).Zero()
	feOne  = new(field.Element).One()
)

func mustFieldElement(h string) *field.Element {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic("ristretto: bad constant")
	}
	fe, err := new(field.Element).SetBytes(b)
	if err != nil {
		panic("ristretto: bad constant")
	}
	return fe
}
