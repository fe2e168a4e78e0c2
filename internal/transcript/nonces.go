package transcript

import (
	"crypto/rand"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/binary"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// RandomSize is the number of fresh random bytes mixed into each nonce seed.
const RandomSize = 32

// Nonces is a hedged stream of secret scalars for one signature.
type Nonces struct {
	xof *sha3.SHAKE
}

// NewNonces returns a nonce stream for signing statement with secret, under
// the domain separation tag dst, mixing in 32 bytes from crypto/rand.
//
// statement must determine everything the signature is about (a digest of
// the ring or tag and the message, at least); it is absorbed last, as is.
func NewNonces(dst string, secret *ristretto.Scalar, statement []byte) *Nonces {
	var rnd [RandomSize]byte
	rand.Read(rnd[:])
	return NewNoncesWithRandom(dst, secret, &rnd, statement)
}

// NewNoncesWithRandom is [NewNonces] with the random bytes given by the
// caller. Only known-answer tests should call it; everything else uses
// NewNonces.
func NewNoncesWithRandom(dst string, secret *ristretto.Scalar, rnd *[RandomSize]byte, statement []byte) *Nonces {
	// seed = SHA-512(lp(dst) || encS(secret) || rnd || statement)
	h := sha512.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(dst)))
	h.Write(n[:])
	h.Write([]byte(dst))
	h.Write(secret.Bytes())
	h.Write(rnd[:])
	h.Write(statement)
	seed := h.Sum(nil)

	xof := sha3.NewSHAKE256()
	xof.Write(seed)
	return &Nonces{xof: xof}
}

// Next returns the next scalar of the stream: 64 bytes of SHAKE256 output,
// reduced modulo the group order.
func (s *Nonces) Next() *ristretto.Scalar {
	var b [ristretto.UniformBytesSize]byte
	s.xof.Read(b[:])
	k, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
	return k
}
