package arsig

import (
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

const (
	// signatureVersion is the first byte of every signature.
	signatureVersion = 1
	// headerSize is version, base n and digit count m, one byte each.
	headerSize = 3
)

// Signature is an accountable ring signature. It is immutable and safe for
// concurrent use.
//
// Its encoding [choice] is
//
//	0x01 || u8(n) || u8(m) ||
//	enc(c1) || enc(c2) || enc(A) || enc(B) || enc(C) || enc(D) ||
//	enc(G_0^(1)) || enc(G_0^(2)) || … || enc(G_{m−1}^(1)) || enc(G_{m−1}^(2)) ||
//	enc(T1) || enc(T2) ||
//	encS(f_{0,1}) || … || encS(f_{0,n−1}) || … || encS(f_{m−1,n−1}) ||
//	encS(z_A) || encS(z_C) || encS(z) || encS(z_sk) || encS(z_r)
//
// of 3 + 32·((8 + 2m) + (m(n−1) + 5)) bytes; see [SignatureSize]. The ring
// size is not encoded: a signature fits a ring of N' members when m is the
// smallest digit count with n^m ≥ N'.
type Signature struct {
	base, digits   int
	c1, c2         ristretto.Element
	com            oneofmany.Commitments
	g1, g2         []ristretto.Element // G_t = (G_t^(1), G_t^(2))
	t1, t2         ristretto.Element
	f              []ristretto.Scalar // f_{j,i}, i ≥ 1, at j·(n−1) + i − 1
	zA, zC, z      ristretto.Scalar
	zSk, zR        ristretto.Scalar
	a, b, c, d     ristretto.Element // storage behind com
	enc            []byte
	commitmentsEnd int // enc[headerSize:commitmentsEnd] holds the points
}

// ParseSignature decodes a signature. It checks the version, that
// 2 ≤ n ≤ 16 and 1 ≤ m ≤ 16, the exact length for (n, m), that every point
// is canonical and not the identity and that every scalar is canonical. It
// does not need the ring; [Verify] checks that (n, m) fit it.
func ParseSignature(b []byte) (*Signature, error) {
	if len(b) < headerSize {
		return nil, fmt.Errorf("%w: signature is %d bytes, shorter than its header", ErrMalformed, len(b))
	}
	if b[0] != signatureVersion {
		return nil, fmt.Errorf("%w: signature version %d, want %d", ErrMalformed, b[0], signatureVersion)
	}
	n, m := int(b[1]), int(b[2])
	if n < oneofmany.MinBase || n > oneofmany.MaxBase {
		return nil, fmt.Errorf("%w: signature base %d is outside %d..%d", ErrMalformed, n, oneofmany.MinBase, oneofmany.MaxBase)
	}
	if m < 1 || m > oneofmany.MaxDigits {
		return nil, fmt.Errorf("%w: signature digit count %d is outside 1..%d", ErrMalformed, m, oneofmany.MaxDigits)
	}
	p := oneofmany.Params{Base: n, Digits: m}
	if want := signatureLen(p); len(b) != want {
		return nil, fmt.Errorf("%w: signature with n=%d, m=%d is %d bytes, want %d", ErrMalformed, n, m, len(b), want)
	}
	s := newSignature(n, m)
	off := headerSize
	for i, e := range s.elements() {
		if err := parsePoint(fmt.Sprintf("signature point %d", i), e, b[off:off+ristretto.ElementSize]); err != nil {
			return nil, err
		}
		off += ristretto.ElementSize
	}
	s.commitmentsEnd = off
	for i, x := range s.scalars() {
		if _, err := x.SetCanonicalBytes(b[off : off+ristretto.ScalarSize]); err != nil {
			return nil, fmt.Errorf("%w: signature scalar %d is not canonical", ErrMalformed, i)
		}
		off += ristretto.ScalarSize
	}
	s.enc = slices.Clone(b)
	return s, nil
}

func newSignature(n, m int) *Signature {
	s := &Signature{
		base:   n,
		digits: m,
		g1:     make([]ristretto.Element, m),
		g2:     make([]ristretto.Element, m),
		f:      make([]ristretto.Scalar, m*(n-1)),
	}
	s.com = oneofmany.Commitments{A: &s.a, B: &s.b, C: &s.c, D: &s.d}
	return s
}

// elements lists the points in encoding order.
func (s *Signature) elements() []*ristretto.Element {
	es := []*ristretto.Element{&s.c1, &s.c2, &s.a, &s.b, &s.c, &s.d}
	for t := range s.digits {
		es = append(es, &s.g1[t], &s.g2[t])
	}
	return append(es, &s.t1, &s.t2)
}

// scalars lists the scalars in encoding order.
func (s *Signature) scalars() []*ristretto.Scalar {
	xs := make([]*ristretto.Scalar, 0, len(s.f)+5)
	for i := range s.f {
		xs = append(xs, &s.f[i])
	}
	return append(xs, &s.zA, &s.zC, &s.z, &s.zSk, &s.zR)
}

// encodeCommitments starts the encoding: header and every point.
func (s *Signature) encodeCommitments() {
	s.enc = make([]byte, 0, signatureLen(oneofmany.Params{Base: s.base, Digits: s.digits}))
	s.enc = append(s.enc, signatureVersion, byte(s.base), byte(s.digits))
	for _, e := range s.elements() {
		s.enc = e.AppendBytes(s.enc)
	}
	s.commitmentsEnd = len(s.enc)
}

// encodeResponses finishes the encoding with every scalar.
func (s *Signature) encodeResponses() {
	for _, v := range s.scalars() {
		s.enc = v.AppendBytes(s.enc)
	}
}

// Bytes returns the encoding of the signature.
func (s *Signature) Bytes() []byte { return slices.Clone(s.enc) }

// Base returns n and Digits m: the proof runs over n^m ≥ N' positions.
func (s *Signature) Base() int { return s.base }

// Digits returns the digit count m; see [Signature.Base].
func (s *Signature) Digits() int { return s.digits }

// pointEncoding returns the encoding of the i-th point in encoding order.
func (s *Signature) pointEncoding(i int) []byte {
	off := headerSize + i*ristretto.ElementSize
	return s.enc[off : off+ristretto.ElementSize]
}

// paramsFor returns the proof parameters of s for ring, or an error
// wrapping ErrRingMismatch if m is not the smallest digit count for the
// ring in base n.
func (s *Signature) paramsFor(ring *Ring) (oneofmany.Params, error) {
	p := oneofmany.Params{Base: s.base, Digits: s.digits, Len: ring.Len()}
	if p.Check() != nil {
		return p, fmt.Errorf("%w: signature has n=%d, m=%d, a ring of %d members needs m=%d", ErrRingMismatch,
			s.base, s.digits, ring.Len(), digitsFor(s.base, ring.Len()))
	}
	return p, nil
}

func digitsFor(n, size int) int {
	p, _ := oneofmany.NewParams(n, size)
	return p.Digits
}

func (s *Signature) check() error {
	if s == nil || s.enc == nil {
		return fmt.Errorf("%w: signature is nil or was not built by Sign or ParseSignature", ErrInvalidInput)
	}
	return nil
}
