package arsig

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"fmt"

	"github.com/ringtrace/ringtrace/internal/memcheck"
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// Open names the member of ring who made sig on msg, with a proof that
// anyone can check with [VerifyOpening]. It verifies the signature first
// and returns Verify's error if it is not valid.
//
// Open is constant time in the opener key: the decryption is a
// constant-time scalar multiplication, and the proof's nonce, commitments
// and response use constant-time arithmetic. The search for the decrypted
// key in the ring handles public data. Nonces are hedged like Sign's.
func (k *OpenerKey) Open(ring *Ring, msg []byte, sig *Signature) (*Opening, error) {
	var rnd [transcript.RandomSize]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, fmt.Errorf("arsig: reading randomness: %w", err)
	}
	return k.open(ring, msg, sig, &rnd)
}

func (k *OpenerKey) open(ring *Ring, msg []byte, sig *Signature, rnd *[transcript.RandomSize]byte) (*Opening, error) {
	if k == nil || k.pub == nil {
		return nil, fmt.Errorf("%w: opener key is nil or was not built by this package", ErrInvalidInput)
	}
	if err := Verify(ring, k.pub, msg, sig); err != nil {
		return nil, err
	}
	v := k.decrypt(sig)
	// V is the signer's key, which the opening names: public from here on.
	memcheck.DeclassifyValues(v)
	var enc [PublicKeySize]byte
	copy(enc[:], v.Bytes())
	index, ok := ring.indexOfEncoding(&enc)
	if !ok {
		// Unreachable for a valid signature: the proof shows that the
		// ciphertext holds a ring key.
		return nil, fmt.Errorf("%w: the signature decrypts to no member", ErrNotInRing)
	}
	return k.prove(ring, msg, sig, index, rnd), nil
}

// decrypt returns V = c2 − dk·c1, the signer's key. Constant time in dk.
func (k *OpenerKey) decrypt(sig *Signature) *ristretto.Element {
	var v ristretto.Element
	v.ScalarMult(&k.dk, &sig.c1)
	return v.Subtract(&sig.c2, &v)
}

// prove makes the Chaum–Pedersen proof that dk decrypts sig to the key in
// slot index: K1 = w·g, K2 = w·c1, e = H(…), s = w + e·dk. Constant time
// in dk and w.
func (k *OpenerKey) prove(ring *Ring, msg []byte, sig *Signature, index int, rnd *[transcript.RandomSize]byte) *Opening {
	signer := ring.keys[index]
	nonces := transcript.NewNoncesWithRandom(openNonceDST, &k.dk, rnd, openStatement(k.pub, ring, msg, sig, signer))
	w := nonces.Next()
	var k1, k2 ristretto.Element
	k1.ScalarBaseMult(w)
	k2.ScalarMult(w, &sig.c1)
	o := &Opening{signer: signer, index: index}
	o.e.Set(openingChallenge(k.pub, ring, msg, sig, signer, k1.Bytes(), k2.Bytes()))
	o.s.MultiplyAdd(&o.e, &k.dk, w)
	memcheck.DeclassifyValues(&o.e, &o.s) // published
	return o
}

// openStatement is what the opening nonce is hedged with:
// SHA-512(lp(DST) || enc(pk_O) || ring digest || lp(msg) || lp(sig) || enc(vk)).
func openStatement(opener *OpenerPublicKey, ring *Ring, msg []byte, sig *Signature, vk *PublicKey) []byte {
	h := sha512.New()
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(openStatementDS))))
	h.Write([]byte(openStatementDS))
	h.Write(opener.enc[:])
	h.Write(ring.digest[:])
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(msg))))
	h.Write(msg)
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(sig.enc))))
	h.Write(sig.enc)
	h.Write(vk.enc[:])
	return h.Sum(nil)
}
