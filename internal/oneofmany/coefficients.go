package oneofmany

import "github.com/ringtrace/ringtrace/internal/ristretto"

// coefficients returns, for every padded index k < n^m and t ≤ m, the
// coefficient p_{k,t} of X^t in p_k(X) = Π_j (σ_{j,k_j}·X + a_{j,k_j}), at
// index k·(m+1) + t.
//
// It extends digit by digit: after step j the table holds the products over
// digits 0..j for the n^{j+1} indices below n^{j+1}, and step j+1 multiplies
// each of them by the n linear factors of digit j+1. That is
// Σ_j 2·(j+2)·n^{j+1} ≈ 2(m+1)·N scalar multiplications, all by secret
// values, all with constant-time arithmetic and public memory indices.
func coefficients(p Params, sigma, a []ristretto.Scalar) []ristretto.Scalar {
	n, m := p.Base, p.Digits
	stride := m + 1
	size := p.Size()
	cur := make([]ristretto.Scalar, size*stride)
	next := make([]ristretto.Scalar, size*stride)
	// Digit 0: p_i(X) = σ_{0,i}·X + a_{0,i}.
	for i := range n {
		cur[i*stride].Set(&a[i])
		cur[i*stride+1].Set(&sigma[i])
	}
	var tmp ristretto.Scalar
	width := n // indices filled so far: n^{j}
	for j := 1; j < m; j++ {
		for i := range n {
			s, c := &sigma[j*n+i], &a[j*n+i]
			for k := range width {
				src := cur[k*stride : k*stride+stride]
				dst := next[(i*width+k)*stride : (i*width+k)*stride+stride]
				// (Σ_t src_t X^t)·(s·X + c): degree j+1 after this digit.
				dst[0].Multiply(&src[0], c)
				for t := 1; t <= j+1; t++ {
					dst[t].Multiply(&src[t], c)
					dst[t].Add(&dst[t], tmp.Multiply(&src[t-1], s))
				}
			}
		}
		cur, next = next, cur
		width *= n
	}
	return cur
}

// Products returns P_k = Π_j f_{j,k_j} for every k < N', with the products
// of the padded indices k ≥ N' added into entry N'−1 (they multiply copies
// of the same list entry). f is the full response matrix of
// [Response.Full]. Public data: variable time is fine, though nothing here
// branches on values.
//
// The products come from a digit-wise tree: n^{j+1} multiplications for
// digit j, about N·n/(n−1) in total.
func Products(p Params, f []ristretto.Scalar) []ristretto.Scalar {
	n, m := p.Base, p.Digits
	size := p.Size()
	prod := make([]ristretto.Scalar, size)
	for i := range n {
		prod[i].Set(&f[i])
	}
	width := n
	for j := 1; j < m; j++ {
		// Fill from the top so that entries below width stay intact until
		// every multiple of them has been written.
		for i := n - 1; i >= 0; i-- {
			fji := &f[j*n+i]
			for k := width - 1; k >= 0; k-- {
				prod[i*width+k].Multiply(&prod[k], fji)
			}
		}
		width *= n
	}
	last := p.Len - 1
	for k := p.Len; k < size; k++ {
		prod[last].Add(&prod[last], &prod[k])
	}
	return prod[:p.Len]
}

// FoldPadding returns the coefficients c_k for k < N' where entry N'−1
// also collects the coefficients of the padded indices, which multiply
// copies of the same list entry. It reads column t of the table of
// [Prover.Coefficients]. The indices are public; the sums are constant time.
func (pr *Prover) FoldPadding(t int) []ristretto.Scalar {
	stride := pr.p.Digits + 1
	out := make([]ristretto.Scalar, pr.p.Len)
	for k := range pr.p.Len {
		out[k].Set(&pr.coeffs[k*stride+t])
	}
	last := pr.p.Len - 1
	for k := pr.p.Len; k < pr.p.Size(); k++ {
		out[last].Add(&out[last], &pr.coeffs[k*stride+t])
	}
	return out
}
