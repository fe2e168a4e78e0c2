package oneofmany

import "errors"

const (
	// MinBase and MaxBase bound the base n that a proof may use.
	MinBase = 2
	MaxBase = 16

	// MaxDigits bounds the number of digits m.
	MaxDigits = 16
)

var errParams = errors.New("oneofmany: invalid base, digit count or list size")

// Params fixes the shape of a proof: base n, digits m, and the real list
// length N' ≤ n^m. Positions N'..n^m−1 hold copies of entry N'−1.
type Params struct {
	Base   int // n
	Digits int // m
	Len    int // N'
}

// NewParams returns the parameters for a list of length size with base n:
// m is the smallest m ≥ 1 with n^m ≥ size. It fails if n is outside
// [MinBase, MaxBase] or size is outside [1, 2^14].
func NewParams(base, size int) (Params, error) {
	if base < MinBase || base > MaxBase || size < 1 || size > 1<<14 {
		return Params{}, errParams
	}
	m, total := 1, base
	for total < size {
		m++
		total *= base
	}
	return Params{Base: base, Digits: m, Len: size}, nil
}

// Check reports whether p is what [NewParams] returns for p.Base and p.Len,
// that is, whether m is minimal. Verifiers call it before any work that
// depends on n^m.
func (p Params) Check() error {
	q, err := NewParams(p.Base, p.Len)
	if err != nil || q != p {
		return errParams
	}
	return nil
}

// Size returns n^m, the padded list length.
func (p Params) Size() int {
	s := 1
	for range p.Digits {
		s *= p.Base
	}
	return s
}

// digit returns the j-th base-n digit of the public index k.
func (p Params) digit(k, j int) int {
	for range j {
		k /= p.Base
	}
	return k % p.Base
}
