package trs

import (
	"bytes"
	"crypto/sha512"
	"encoding/binary"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Domain separation tags (spec §0: ringtrace-v1-TRS-<role>).
const (
	dstTag       = "ringtrace-v1-TRS-tag"
	dstH         = "ringtrace-v1-TRS-H"
	dstA0        = "ringtrace-v1-TRS-A0"
	dstChallenge = "ringtrace-v1-TRS-challenge"
	dstNonce     = "ringtrace-v1-TRS-nonce"
)

// DigestSize is the length of a tag digest.
const DigestSize = sha512.Size

// Tag is the scope L = (issue, ring) of a set of signatures: two signatures
// by one member under one tag are traced to each other, under different tags
// they are unlinkable. Its digest and the derived base h are computed once by
// [NewTag]. A Tag is immutable and safe for concurrent use.
type Tag struct {
	issue  []byte
	ring   *Ring
	digest [DigestSize]byte
	h      ristretto.Element
}

// NewTag returns the tag for the application string issue (a sale id, an
// election id) and ring. It copies issue. A nil ring gives a tag that every
// operation rejects with an error.
func NewTag(issue []byte, ring *Ring) *Tag {
	t := &Tag{issue: bytes.Clone(issue), ring: ring}
	if t.issue == nil {
		t.issue = []byte{}
	}
	if ring == nil {
		return t
	}
	// tagDigest = SHA-512(lp(DST_TAG) || lp(issue) || u32(n) || enc(Y_1) || … || enc(Y_n))
	d := sha512.New()
	var n [8]byte
	d.Write(binary.BigEndian.AppendUint64(n[:0], uint64(len(dstTag))))
	d.Write([]byte(dstTag))
	d.Write(binary.BigEndian.AppendUint64(n[:0], uint64(len(issue))))
	d.Write(issue)
	d.Write(binary.BigEndian.AppendUint32(n[:0], uint32(len(ring.keys))))
	for _, k := range ring.keys {
		d.Write(k.enc[:])
	}
	d.Sum(t.digest[:0])
	// h = HashToGroup(DST_H, tagDigest)
	t.h.Set(ristretto.HashToGroup([]byte(dstH), t.digest[:]))
	return t
}

// Issue returns a copy of the tag's issue string.
func (t *Tag) Issue() []byte { return bytes.Clone(t.issue) }

// Ring returns the tag's ring.
func (t *Tag) Ring() *Ring { return t.ring }

// Digest returns tagDigest (spec §2), which identifies the tag in the
// spent index.
func (t *Tag) Digest() [DigestSize]byte { return t.digest }

func (t *Tag) valid() bool { return t != nil && t.ring != nil }

// statement returns tagDigest || lp(m), the input of A0 and of the nonce
// seed.
func (t *Tag) statement(msg []byte) []byte {
	s := make([]byte, 0, DigestSize+8+len(msg))
	s = append(s, t.digest[:]...)
	s = binary.BigEndian.AppendUint64(s, uint64(len(msg)))
	return append(s, msg...)
}

// a0 returns A0 = HashToGroup(DST_A0, tagDigest || lp(m)).
func (t *Tag) a0(msg []byte) *ristretto.Element {
	return ristretto.HashToGroup([]byte(dstA0), t.statement(msg))
}
