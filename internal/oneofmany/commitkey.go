package oneofmany

import (
	"crypto/sha512"
	"encoding/binary"
	"sync"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// commitKeyDST is the domain separation tag of every commitment-key generator.
const commitKeyDST = "ringtrace-v1-ARS-ck"

// CommitKey is the commitment key (h_c, {g_{j,i}}) for one (n, m). It is
// immutable and shared: callers must not modify the elements.
type CommitKey struct {
	Base, Digits int
	H            *ristretto.Element   // h_c
	G            []*ristretto.Element // g_{j,i} at index j·n + i
	digest       [sha512.Size]byte
}

type shape struct{ base, digits int }

var commitKeys sync.Map // shape → *CommitKey

// Key returns the commitment key for p.Base and p.Digits, computing it on
// first use.
func Key(p Params) *CommitKey {
	s := shape{p.Base, p.Digits}
	if ck, ok := commitKeys.Load(s); ok {
		return ck.(*CommitKey)
	}
	ck, _ := commitKeys.LoadOrStore(s, newCommitKey(p.Base, p.Digits))
	return ck.(*CommitKey)
}

// generatorLabel returns the HashToGroup input of g_{j,i}. Labels do not
// depend on (n, m): the key for (n, m) is a sub-matrix of one fixed family,
// and every generator has its own label.
func generatorLabel(j, i int) []byte {
	b := []byte{'g'}
	b = binary.BigEndian.AppendUint32(b, uint32(j))
	return binary.BigEndian.AppendUint32(b, uint32(i))
}

func newCommitKey(n, m int) *CommitKey {
	ck := &CommitKey{
		Base:   n,
		Digits: m,
		H:      ristretto.HashToGroup([]byte(commitKeyDST), []byte("h")),
		G:      make([]*ristretto.Element, n*m),
	}
	for j := range m {
		for i := range n {
			ck.G[j*n+i] = ristretto.HashToGroup([]byte(commitKeyDST), generatorLabel(j, i))
		}
	}
	// digest = SHA-512(lp(DST) || u32(n) || u32(m) || enc(h_c) || enc(g_{0,0}) || …)
	h := sha512.New()
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(commitKeyDST))))
	h.Write([]byte(commitKeyDST))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(m)))
	h.Write(ck.H.Bytes())
	for _, g := range ck.G {
		h.Write(g.Bytes())
	}
	h.Sum(ck.digest[:0])
	return ck
}

// Digest returns a SHA-512 digest of (n, m) and every generator, for
// Fiat–Shamir transcripts.
func (ck *CommitKey) Digest() []byte { return ck.digest[:] }

// commit returns Com(v; s) = s·h_c + Σ v[i]·G[i], constant time in v and s.
func (ck *CommitKey) commit(v []ristretto.Scalar, s *ristretto.Scalar) *ristretto.Element {
	scalars := make([]*ristretto.Scalar, 0, len(v)+1)
	points := make([]*ristretto.Element, 0, len(v)+1)
	scalars = append(scalars, s)
	points = append(points, ck.H)
	for i := range v {
		scalars = append(scalars, &v[i])
		points = append(points, ck.G[i])
	}
	return new(ristretto.Element).MultiScalarMult(scalars, points)
}
