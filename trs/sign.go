package trs

import (
	"crypto/rand"
	"fmt"
	"unsafe"

	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// Sign returns a signature by priv on msg under tag. priv's public key must
// be a member of the tag's ring, otherwise Sign returns [ErrNotInRing].
//
// Sign is constant time in the private key and in the signer's position in
// the ring (see the package documentation). Its nonces are hedged: derived
// from the private key, 32 bytes from crypto/rand, the tag and the message.
func Sign(priv *PrivateKey, tag *Tag, msg []byte) (*Signature, error) {
	var rnd [transcript.RandomSize]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, fmt.Errorf("trs: reading randomness: %w", err)
	}
	return sign(priv, tag, msg, &rnd)
}

// sign is Sign with the random part of the nonce seed given by the caller.
// Only Sign and the known-answer tests call it.
func sign(priv *PrivateKey, tag *Tag, msg []byte, rnd *[transcript.RandomSize]byte) (*Signature, error) {
	if priv == nil || priv.pub == nil {
		return nil, fmt.Errorf("%w: private key not made by GenerateKey or ParsePrivateKey", ErrInvalidInput)
	}
	if !tag.valid() {
		return nil, fmt.Errorf("%w: tag has no ring", ErrInvalidInput)
	}
	keys := tag.ring.keys
	n := len(keys)

	// Locate the signer without a branch, early exit or memory access that
	// depends on its position: compare with every key, keep a 0/1 mask per
	// slot and accumulate the 1-based position as a scalar.
	match := make([]int, n)
	found := 0
	var pos, slot ristretto.Scalar
	for j := range keys {
		m := keys[j].ctEqual(&priv.pub.enc)
		match[j] = m
		found |= m
		slot.SetUint64(uint64(j + 1))
		pos.Select(&slot, &pos, m)
	}
	// Membership is known to the caller; only the position is secret.
	declassify(unsafe.Pointer(&found), unsafe.Sizeof(found))
	if found == 0 {
		return nil, ErrNotInRing
	}

	stmt := tag.statement(msg)
	nonces := transcript.NewNoncesWithRandom(dstNonce, &priv.x, rnd, stmt)
	w := nonces.Next()
	s := &Signature{c: make([]ristretto.Scalar, n), z: make([]ristretto.Scalar, n)}
	for j := range n {
		s.c[j].Set(nonces.Next())
		s.z[j].Set(nonces.Next())
	}
	// The simulated c_j, z_j are random and independent of the key and the
	// position; the one at the signer's slot is overwritten below.
	declassifyScalars(s.c)
	declassifyScalars(s.z)

	// σ_i = x·h, A1 = i⁻¹·(σ_i − A0).
	a0 := ristretto.HashToGroup([]byte(dstA0), stmt)
	var iInv ristretto.Scalar
	var sI ristretto.Element
	sI.ScalarMult(&priv.x, &tag.h)
	iInv.Invert(&pos)
	s.a1.Subtract(&sI, a0)
	s.a1.ScalarMult(&iInv, &s.a1)
	declassify(unsafe.Pointer(&s.a1), unsafe.Sizeof(s.a1)) // published
	if s.a1.IsIdentity() == 1 {
		// Only if x·h = A0, which has probability about 2^-252 and says
		// nothing about the position.
		return nil, fmt.Errorf("trs: signing failed: A1 is the identity")
	}
	copy(s.a1enc[:], s.a1.Bytes())

	// Every slot, the signer's included, gets the simulated commitments
	// a_j = z_j·g + c_j·Y_j and b_j = z_j·h + c_j·σ_j from random c_j, z_j.
	// The variable-time code sees only public points and random scalars that
	// are independent of the key and the position, so its timing is too.
	elems := make([]ristretto.Element, 2*n)
	a, b := elems[:n:n], elems[n:]
	commitments(a, b, tag, nil, s, a0)

	// The real commitments (w·g, w·h), computed in constant time and placed
	// at the signer's slot by selecting over every slot.
	var wg, wh ristretto.Element
	wg.ScalarBaseMult(w)
	wh.ScalarMult(w, &tag.h)
	for j := range n {
		a[j].Select(&wg, &a[j], match[j])
		b[j].Select(&wh, &b[j], match[j])
	}

	c := challenge(tag, msg, a0, &s.a1, elementPointers(a), elementPointers(b))

	// c_i = c − Σ_{j≠i} c_j, computed as c − Σ_j c_j + c_i, and
	// z_i = w − c_i·x, then written back to the signer's slot by selects.
	var sum, ci, zi ristretto.Scalar
	for j := range n {
		sum.Add(&sum, &s.c[j])
		ci.Select(&s.c[j], &ci, match[j])
	}
	ci.Add(&ci, c.Subtract(c, &sum))
	zi.Multiply(&ci, &priv.x)
	zi.Subtract(w, &zi)
	for j := range n {
		s.c[j].Select(&ci, &s.c[j], match[j])
		s.z[j].Select(&zi, &s.z[j], match[j])
	}
	declassifyScalars(s.c) // published
	declassifyScalars(s.z)
	return s, nil
}

func declassifyScalars(v []ristretto.Scalar) {
	if len(v) > 0 {
		declassify(unsafe.Pointer(&v[0]), uintptr(len(v))*unsafe.Sizeof(v[0]))
	}
}
