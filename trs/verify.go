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
	a0    ristretto.Element
	sigma []ristretto.Element // σ_1..σ_n, at slots 0..n-1
}

func verify(tag *Tag, msg []byte, sig *Signature) (*verified, error) {
	if err := checkShape(tag, sig); err != nil {
		return nil, err
	}
	n := len(tag.ring.keys)

	v := &verified{}
	v.a0.Set(tag.a0(msg))

	elems := make([]ristretto.Element, 3*n)
	v.sigma = elems[:n:n]
	a, b := elems[n:2*n:2*n], elems[2*n:]
	sigmaChain(v.sigma, &v.a0, &sig.a1)
	commitments(a, b, tag, sig, v.sigma)
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
