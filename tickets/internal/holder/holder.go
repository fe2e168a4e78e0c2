// Package holder proves that the holder of an arsig key made a request (a
// customer's order, a customer's enrollment with a payment processor): an
// arsig signature under the ring of that one key, on a digest of the
// request. A ring of one hides nothing, so the opener key the signature is
// encrypted to only has to be a valid one; the applications use the
// opener key of their system. The signature shows that whoever made it
// knows the key's private key, which is what stops anyone from enrolling a
// key they do not hold.
package holder

import (
	"errors"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// Prove signs Digest(label, request) with key under the ring of key alone.
func Prove(key *arsig.PrivateKey, opener *arsig.OpenerPublicKey, label string, request []byte) (*arsig.Signature, error) {
	if key == nil {
		return nil, errNilKey
	}
	ring, err := arsig.NewRing([]*arsig.PublicKey{key.Public()})
	if err != nil {
		return nil, err
	}
	d := wire.Digest(label, request)
	return arsig.Sign(key, ring, opener, d[:])
}

var errNilKey = errors.New("holder: nil key")

// Verify checks a proof made by Prove by the holder of pub.
func Verify(pub *arsig.PublicKey, opener *arsig.OpenerPublicKey, label string, request []byte, proof *arsig.Signature) error {
	ring, err := arsig.NewRing([]*arsig.PublicKey{pub})
	if err != nil {
		return err
	}
	d := wire.Digest(label, request)
	return arsig.Verify(ring, opener, d[:], proof)
}
