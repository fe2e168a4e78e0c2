package trs

import (
	"fmt"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Verify checks that sig is a valid signature on msg under tag. It returns
// nil if it is, and otherwise an error saying why: it wraps
// [ErrRingMismatch] if sig is for a ring of another size than the tag's,
// [ErrInvalidSignature] if the proof does not verify, and
// [ErrInvalidInput] for nil arguments.
//
// Verify handles only public data and runs in variable time.
func Verify(tag *Tag, msg []byte, sig *Signature) error {
	_, err := verify(tag, msg, sig)
	return err
}

// verified holds what a successful verification computed and the spent
// index reuses.
type verified struct {
	a0 ristretto.Element
}

func verify(tag *Tag, msg []byte, sig *Signature) (*verified, error) {
	return verifyWith(tag, msg, sig, nil)
}

// verifyWith is verify with a_j from the ring's key tables, if keys is not
// nil; they must be the tables of tag's ring.
func verifyWith(tag *Tag, msg []byte, sig *Signature, keys *ringTables) (*verified, error) {
	if err := checkShape(tag, sig); err != nil {
		return nil, err
	}
	n := len(tag.ring.keys)

	v := &verified{}
	v.a0.Set(tag.a0(msg))

	elems := make([]ristretto.Element, 2*n)
	a, b := elems[:n:n], elems[n:]
	commitments(a, b, tag, keys, sig, &v.a0)
	var sum ristretto.Scalar
	for j := range n {
		sum.Add(&sum, &sig.c[j])
	}
	c := challenge(tag, msg, &v.a0, &sig.a1, elementPointers(a), elementPointers(b))
	if c.Equal(&sum) != 1 {
		return nil, fmt.Errorf("%w: challenge does not match the sum of the c_j", ErrInvalidSignature)
	}
	return v, nil
}
