package trs

import (
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// challenge returns the Fiat–Shamir challenge c of spec §3, absorbed into a
// project transcript (see the package documentation for the exact bytes):
//
//	tag      tagDigest
//	message  m
//	A0       enc(A0)
//	A1       enc(A1)
//	a        u64be(n) || enc(2·a_1) || … || enc(2·a_n)
//	b        u64be(n) || enc(2·b_1) || … || enc(2·b_n)
func challenge(tag *Tag, msg []byte, a0, a1 *ristretto.Element, a, b []*ristretto.Element) *ristretto.Scalar {
	tr := transcript.New(dstChallenge)
	// Labels and length prefixes: 6·8 + 24 bytes, rounded up.
	tr.Grow(96 + DigestSize + len(msg) + 2*ristretto.ElementSize + 16 + 2*len(a)*ristretto.ElementSize)
	tr.AppendBytes("tag", tag.digest[:])
	tr.AppendBytes("message", msg)
	tr.AppendElement("A0", a0)
	tr.AppendElement("A1", a1)
	tr.AppendDoubledElements("a", a)
	tr.AppendDoubledElements("b", b)
	return tr.Challenge()
}

// sigmaChain sets sigma[j] = σ_{j+1} = A0 + (j+1)·A1 for every slot j, by
// one addition per slot (spec §4 step 2).
func sigmaChain(sigma []ristretto.Element, a0, a1 *ristretto.Element) {
	sigma[0].Add(a0, a1)
	for j := 1; j < len(sigma); j++ {
		sigma[j].Add(&sigma[j-1], a1)
	}
}

// elementPointers returns pointers to the elements of v, as the
// multi-element APIs of package ristretto take them.
func elementPointers(v []ristretto.Element) []*ristretto.Element {
	p := make([]*ristretto.Element, len(v))
	for i := range v {
		p[i] = &v[i]
	}
	return p
}
