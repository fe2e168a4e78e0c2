package oneofmany

import (
	"errors"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// NonceSource yields the prover's secret random scalars, such as a
// transcript.Nonces stream.
type NonceSource interface {
	Next() *ristretto.Scalar
}

// Commitments are the prover's first-move commitments to the digits.
type Commitments struct {
	A, B, C, D *ristretto.Element
}

// Prover holds the secret state of one proof between its commitments and
// its response. It is for a single use.
type Prover struct {
	p      Params
	ck     *CommitKey
	sigma  []ristretto.Scalar // σ_{j,i} at j·n + i
	a      []ristretto.Scalar // a_{j,i} at j·n + i
	rA     ristretto.Scalar
	rB     ristretto.Scalar
	rC     ristretto.Scalar
	rD     ristretto.Scalar
	rho    []ristretto.Scalar // ρ_t
	coeffs []ristretto.Scalar // p_{k,t} at k·(m+1) + t
}

var errFlags = errors.New("oneofmany: membership flags do not match the list length")

// NewProver starts a proof for the list of p.Len entries in which the prover
// knows the opening of the entry whose flag is 1. flags holds one 0/1 value
// per entry with exactly one 1, typically computed with constant-time
// comparisons; the position of the 1 is never turned into an integer.
//
// It draws from nonces, in this order: a_{j,i} for j < m, 1 ≤ i < n (row by
// row), r_A, r_B, r_C, r_D, then ρ_0..ρ_{m−1}. Known-answer tests depend on
// the order.
func NewProver(p Params, ck *CommitKey, flags []int, nonces NonceSource) (*Prover, *Commitments, error) {
	if p.Check() != nil || ck.Base != p.Base || ck.Digits != p.Digits {
		return nil, nil, errParams
	}
	if len(flags) != p.Len {
		return nil, nil, errFlags
	}
	n, m := p.Base, p.Digits
	pr := &Prover{
		p:     p,
		ck:    ck,
		sigma: make([]ristretto.Scalar, n*m),
		a:     make([]ristretto.Scalar, n*m),
		rho:   make([]ristretto.Scalar, m),
	}

	// 1. σ_{j,i} = δ(ℓ_j, i) = OR of the flags of the indices k with k_j = i.
	// The digits of the public k choose where each flag goes; the flag
	// values are secret and only combined with bitwise OR.
	bits := make([]int, n*m)
	for k, flag := range flags {
		kk := k
		for j := range m {
			bits[j*n+kk%n] |= flag & 1
			kk /= n
		}
	}
	// Each bit becomes a scalar through a constant-time select: SetUint64
	// goes through SetCanonicalBytes, which branches on its input's range.
	var zero, one ristretto.Scalar
	one.SetUint64(1)
	for i, b := range bits {
		pr.sigma[i].Select(&one, &zero, b)
	}

	// 2. a_{j,i} random for i ≥ 1, a_{j,0} = −Σ_{i≥1} a_{j,i}.
	for j := range m {
		row := pr.a[j*n : j*n+n]
		for i := 1; i < n; i++ {
			row[i].Set(nonces.Next())
			row[0].Subtract(&row[0], &row[i])
		}
	}
	pr.rA.Set(nonces.Next())
	pr.rB.Set(nonces.Next())
	pr.rC.Set(nonces.Next())
	pr.rD.Set(nonces.Next())
	for t := range m {
		pr.rho[t].Set(nonces.Next())
	}

	// 3. A = Com(a; r_A), B = Com(σ; r_B), C = Com(a∘(1−2σ); r_C),
	// D = Com(−a∘a; r_D).
	c := make([]ristretto.Scalar, n*m)
	d := make([]ristretto.Scalar, n*m)
	var two, tmp ristretto.Scalar
	two.SetUint64(2)
	for i := range c {
		tmp.Multiply(&two, &pr.sigma[i])
		tmp.Subtract(&one, &tmp)
		c[i].Multiply(&pr.a[i], &tmp)
		d[i].Multiply(&pr.a[i], &pr.a[i])
		d[i].Negate(&d[i])
	}
	com := &Commitments{
		A: ck.commit(pr.a, &pr.rA),
		B: ck.commit(pr.sigma, &pr.rB),
		C: ck.commit(c, &pr.rC),
		D: ck.commit(d, &pr.rD),
	}

	// 4. The coefficients of p_k(X) for every padded k.
	pr.coeffs = coefficients(p, pr.sigma, pr.a)
	return pr, com, nil
}

// Rho returns ρ_t, the blinding scalar the caller must put into G_t as
// φ(ρ_t). It is secret.
func (pr *Prover) Rho(t int) *ristretto.Scalar { return &pr.rho[t] }

// Response is the prover's answer to the challenge x.
type Response struct {
	F      []ristretto.Scalar // f_{j,i} for i ≥ 1, at j·(n−1) + i − 1
	ZA, ZC ristretto.Scalar
	Z      ristretto.Scalar
}

// Respond returns the response to challenge x, where r is the witness with
// D_ℓ = φ(r): f_{j,i} = σ_{j,i}·x + a_{j,i} (i ≥ 1), z_A = r_B·x + r_A,
// z_C = r_C·x + r_D, z = r·x^m − Σ_t ρ_t·x^t. Constant time.
func (pr *Prover) Respond(x, r *ristretto.Scalar) *Response {
	n, m := pr.p.Base, pr.p.Digits
	resp := &Response{F: make([]ristretto.Scalar, m*(n-1))}
	for j := range m {
		for i := 1; i < n; i++ {
			resp.F[j*(n-1)+i-1].MultiplyAdd(&pr.sigma[j*n+i], x, &pr.a[j*n+i])
		}
	}
	resp.ZA.MultiplyAdd(&pr.rB, x, &pr.rA)
	resp.ZC.MultiplyAdd(&pr.rC, x, &pr.rD)
	// z = r·x^m − Σ_t ρ_t·x^t, accumulating x^t as it goes.
	var xt, tmp ristretto.Scalar
	xt.SetUint64(1)
	for t := range m {
		resp.Z.Subtract(&resp.Z, tmp.Multiply(&pr.rho[t], &xt))
		xt.Multiply(&xt, x)
	}
	resp.Z.MultiplyAdd(r, &xt, &resp.Z)
	return resp
}

// Full returns the whole matrix f_{j,i} for i < n at index j·n + i,
// completing each row with f_{j,0} = x − Σ_{i≥1} f_{j,i}.
func (resp *Response) Full(p Params, x *ristretto.Scalar) []ristretto.Scalar {
	n, m := p.Base, p.Digits
	f := make([]ristretto.Scalar, n*m)
	for j := range m {
		f[j*n].Set(x)
		for i := 1; i < n; i++ {
			f[j*n+i].Set(&resp.F[j*(n-1)+i-1])
			f[j*n].Subtract(&f[j*n], &f[j*n+i])
		}
	}
	return f
}
