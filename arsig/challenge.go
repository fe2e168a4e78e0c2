package arsig

import (
	"crypto/sha512"
	"encoding/binary"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// Domain separation tags.
const (
	suiteID         = "ringtrace-v1-ARS"
	challengeDST    = "ringtrace-v1-ARS-challenge"
	nonceDST        = "ringtrace-v1-ARS-nonce"
	statementDST    = "ringtrace-v1-ARS-statement"
	openingDST      = "ringtrace-v1-ARS-opening"
	openNonceDST    = "ringtrace-v1-ARS-open-nonce"
	openStatementDS = "ringtrace-v1-ARS-open-statement"
)

// generatorEncoding is enc(g).
var generatorEncoding = ristretto.NewGeneratorElement().Bytes()

// pointLabels names the points of a signature in encoding order, for the
// transcript; every G_t^(b) gets its own label through its index.
var pointLabels = [...]string{"c1", "c2", "A", "B", "C", "D"}

// challengeFunc is the type of challenge.
type challengeFunc func(p oneofmany.Params, ck *oneofmany.CommitKey, opener *OpenerPublicKey, ring *Ring, msg, points []byte) *ristretto.Scalar

// challenge returns x for a signature whose points are encoded, in encoding
// order, in points (8 + 2m encodings of 32 bytes). The transcript is, with
// every value labelled and length-prefixed (spec §4):
//
//	suite, enc(g), ck digest, n, m, enc(pk_O), ring encoding (count and
//	every key), message, c1, c2, A, B, C, D, G_0..G_{m−1} (pairs), T1, T2
//
// All of these exist before the challenge: the prover fixes every
// commitment, G_t included, first.
func challenge(p oneofmany.Params, ck *oneofmany.CommitKey, opener *OpenerPublicKey, ring *Ring, msg, points []byte) *ristretto.Scalar {
	return challengeTranscript(p, ck, opener, ring, msg, points).Challenge()
}

// challengeTranscript is the transcript of [challenge].
func challengeTranscript(p oneofmany.Params, ck *oneofmany.CommitKey, opener *OpenerPublicKey, ring *Ring, msg, points []byte) *transcript.Transcript {
	tr := transcript.New(challengeDST)
	tr.Grow(512 + len(ring.enc) + len(msg) + len(points))
	tr.AppendBytes("suite", []byte(suiteID))
	tr.AppendBytes("g", generatorEncoding)
	tr.AppendBytes("ck", ck.Digest())
	tr.AppendUint64("n", uint64(p.Base))
	tr.AppendUint64("m", uint64(p.Digits))
	tr.AppendBytes("opener", opener.enc[:])
	tr.AppendBytes("ring", ring.enc)
	tr.AppendBytes("message", msg)
	point := func(i int) []byte { return points[i*ristretto.ElementSize : (i+1)*ristretto.ElementSize] }
	for i, l := range pointLabels {
		tr.AppendBytes(l, point(i))
	}
	g := 2 * p.Digits
	tr.AppendBytes("G", points[6*ristretto.ElementSize:(6+g)*ristretto.ElementSize])
	tr.AppendBytes("T1", point(6+g))
	tr.AppendBytes("T2", point(7+g))
	return tr
}

// statementDigest is what the signing nonces are hedged with:
// SHA-512(lp(DST) || u8(n) || u8(m) || enc(pk_O) || ring digest || lp(msg)).
func statementDigest(p oneofmany.Params, opener *OpenerPublicKey, ring *Ring, msg []byte) []byte {
	h := sha512.New()
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(statementDST))))
	h.Write([]byte(statementDST))
	h.Write([]byte{byte(p.Base), byte(p.Digits)})
	h.Write(opener.enc[:])
	h.Write(ring.digest[:])
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(msg))))
	h.Write(msg)
	return h.Sum(nil)
}
