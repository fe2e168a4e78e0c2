package arsig

import (
	"fmt"

	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// OpeningSize is the length of an encoded [Opening]: enc(vk) || encS(e) ||
// encS(s).
const OpeningSize = PublicKeySize + 2*ristretto.ScalarSize

// Opening names the signer of a signature, with a Chaum–Pedersen proof
// ψ = (e, s) that the opener's key decrypts the signature's ciphertext to
// that signer's key: log_g pk_O = log_{c1}(c2 − vk). Anyone can check it
// with [VerifyOpening]; not even the opener can make it name anybody else.
// It is immutable and safe for concurrent use.
type Opening struct {
	signer *PublicKey
	index  int
	e, s   ristretto.Scalar
}

// Signer returns the public key of the member who made the signature.
func (o *Opening) Signer() *PublicKey { return o.signer }

// Index returns the signer's 0-based slot in the ring the opening was made
// for by [OpenerKey.Open], or -1 for an opening from [ParseOpening], whose
// encoding does not carry it: look it up with [Ring.IndexOf].
func (o *Opening) Index() int { return o.index }

// Bytes returns the encoding enc(vk) || encS(e) || encS(s), or nil for a
// zero-value Opening.
func (o *Opening) Bytes() []byte {
	if o.signer == nil {
		return nil
	}
	out := make([]byte, 0, OpeningSize)
	out = append(out, o.signer.enc[:]...)
	out = o.e.AppendBytes(out)
	return o.s.AppendBytes(out)
}

// ParseOpening decodes an [OpeningSize]-byte opening: the signer's key
// (canonical, not the identity) and two canonical scalars.
func ParseOpening(b []byte) (*Opening, error) {
	if len(b) != OpeningSize {
		return nil, fmt.Errorf("%w: opening is %d bytes, want %d", ErrMalformed, len(b), OpeningSize)
	}
	vk, err := ParsePublicKey(b[:PublicKeySize])
	if err != nil {
		return nil, fmt.Errorf("arsig: opening signer: %w", err)
	}
	o := &Opening{signer: vk, index: -1}
	if _, err := o.e.SetCanonicalBytes(b[PublicKeySize : PublicKeySize+ristretto.ScalarSize]); err != nil {
		return nil, fmt.Errorf("%w: opening challenge is not a canonical scalar", ErrMalformed)
	}
	if _, err := o.s.SetCanonicalBytes(b[PublicKeySize+ristretto.ScalarSize:]); err != nil {
		return nil, fmt.Errorf("%w: opening response is not a canonical scalar", ErrMalformed)
	}
	return o, nil
}

// openingChallenge returns e for the Chaum–Pedersen proof. It binds the
// suite, g, pk_O, the ring, n and m, the message, the whole signature, the
// named key vk and both commitments K1 = k·g and K2 = k·c1.
func openingChallenge(opener *OpenerPublicKey, ring *Ring, msg []byte, sig *Signature, vk *PublicKey, k1, k2 []byte) *ristretto.Scalar {
	tr := transcript.New(openingDST)
	tr.Grow(512 + len(ring.enc) + len(msg) + len(sig.enc))
	tr.AppendBytes("suite", []byte(suiteID))
	tr.AppendBytes("g", generatorEncoding)
	tr.AppendBytes("opener", opener.enc[:])
	tr.AppendBytes("ring", ring.enc)
	tr.AppendUint64("n", uint64(sig.base))
	tr.AppendUint64("m", uint64(sig.digits))
	tr.AppendBytes("message", msg)
	tr.AppendBytes("signature", sig.enc)
	tr.AppendBytes("signer", vk.enc[:])
	tr.AppendBytes("K1", k1)
	tr.AppendBytes("K2", k2)
	return tr.Challenge()
}

// VerifyOpening is the Judge of the scheme: it checks that sig is a valid
// signature (as [Verify] does, with the same errors), that the opening's
// signer is a member of ring, and that the Chaum–Pedersen proof shows that
// the opener key decrypts the signature to that signer. It returns an error
// wrapping [ErrInvalidOpening] if the opening is wrong. It handles public
// data only.
func VerifyOpening(ring *Ring, opener *OpenerPublicKey, msg []byte, sig *Signature, opening *Opening) error {
	if opening == nil || !opening.signer.valid() {
		return fmt.Errorf("%w: opening is nil or was not built by this package", ErrInvalidInput)
	}
	if err := Verify(ring, opener, msg, sig); err != nil {
		return err
	}
	if _, ok := ring.IndexOf(opening.signer); !ok {
		return fmt.Errorf("%w: the named signer is not a member of the ring", ErrInvalidOpening)
	}
	// K1 = s·g − e·pk_O, K2 = s·c1 − e·(c2 − vk).
	var negE ristretto.Scalar
	negE.Negate(&opening.e)
	var k1, k2, y ristretto.Element
	k1.VarTimeDoubleScalarBaseMult(&negE, &opener.e, &opening.s)
	y.Subtract(&sig.c2, &opening.signer.e)
	k2.VarTimeMultiScalarMult([]*ristretto.Scalar{&opening.s, &negE}, []*ristretto.Element{&sig.c1, &y})
	e := openingChallenge(opener, ring, msg, sig, opening.signer, k1.Bytes(), k2.Bytes())
	if e.Equal(&opening.e) != 1 {
		return fmt.Errorf("%w: the proof does not verify", ErrInvalidOpening)
	}
	return nil
}
