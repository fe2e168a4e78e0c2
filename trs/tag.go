package trs

import (
	"bytes"
	"crypto/sha512"
	"encoding/binary"
	"sync/atomic"

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
//
// A tag used for more than a few signatures or verifications (about 300
// ring members' worth: six uses at n = 50, one from n = 300 on) keeps a
// precomputed table of h, 165,120 bytes, which makes every later use
// faster.
type Tag struct {
	issue  []byte
	ring   *Ring
	digest [DigestSize]byte
	h      ristretto.Element

	uses  atomic.Int64                        // signatures and verifications so far, until hBase is built
	hBase atomic.Pointer[ristretto.BaseTable] // table of h, once it pays
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

// Shape of the table of h kept on a tag: window 6, one group, 1,376
// entries (165,120 bytes). A multiplication by h through it costs 43
// mixed additions and no doubling; window 8 would save 11 of them for
// three times the memory, which measures as no faster.
const tagTableWindow = 6

// tagTableMemberUses is how many ring members' worth of signatures and
// verifications make the table of h pay: building it costs about 3,700
// mixed additions, and it saves 10 to 25 per member and use against
// building a small table of h for each signature.
const tagTableMemberUses = 300

// hTable returns the table of h if the tag has one, and otherwise counts
// a use and returns nil, except that the use that reaches the threshold
// (tagTableMemberUses / n, at least 1) builds the table and returns it.
// Concurrent uses meanwhile get nil and build their own small tables.
func (t *Tag) hTable() *ristretto.BaseTable {
	if tbl := t.hBase.Load(); tbl != nil {
		return tbl
	}
	n := max(1, len(t.ring.keys))
	after := max(1, (tagTableMemberUses+n-1)/n)
	if t.uses.Add(1) != int64(after) {
		return nil
	}
	tbl := ristretto.NewBaseTable(&t.h, tagTableWindow, 1)
	t.hBase.Store(tbl)
	return tbl
}
