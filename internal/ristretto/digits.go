package ristretto

import "encoding/binary"

// Signed-digit recoding of scalars for the windowed methods: a scalar s < q
// (so s < 2^253) becomes digits d_0..d_{n−1} with s = Σ d_i·2^(w·i),
// −2^(w−1) ≤ d_i < 2^(w−1) except the top one, 0 ≤ d_{n−1} ≤ 2^(w−1), for
// n = ⌊253/w⌋ + 1 digits. A table of the multiples 1..2^(w−1) of a point
// then covers every digit by one addition or subtraction.

const (
	minWindow = 2
	maxWindow = 15 // digits fit in an int16

	// maxDigits is digitCount(minWindow).
	maxDigits = 253/minWindow + 1
)

// digitCount returns the number of signed digits of width w of a scalar:
// the smallest n with w·n ≥ 254, so that the top digit, which receives the
// last carry, can hold it without a further carry.
func digitCount(w int) int { return 253/w + 1 }

// signedDigits writes the digitCount(w) signed digits of s to d, which
// must be at least that long, and returns them. It is constant time in s.
func signedDigits(d []int16, s *Scalar, w int) []int16 {
	var b [ScalarSize + 8]byte // room for a 64-bit load at every digit
	copy(b[:], s.s.Bytes())
	n := digitCount(w)
	d = d[:n]
	mask := uint64(1)<<w - 1
	half := int64(1) << (w - 1)
	var carry int64
	for i := range n - 1 {
		bit := i * w
		v := int64(binary.LittleEndian.Uint64(b[bit/8:])>>(bit%8)&mask) + carry
		// v ≤ 2^w; from 2^(w−1) on, borrow 2^w from the next digit.
		carry = (v + half) >> w
		d[i] = int16(v - carry<<w)
	}
	// The top digit keeps its value, at most 2^(w−1) (see digitCount).
	bit := (n - 1) * w
	d[n-1] = int16(int64(binary.LittleEndian.Uint64(b[bit/8:])>>(bit%8)&mask) + carry)
	return d
}
