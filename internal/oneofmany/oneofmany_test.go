package oneofmany

import (
	"math/rand/v2"
	"testing"
	"testing/cryptotest"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// testScalar returns a scalar from a seeded generator: tests only.
func testScalar(rng *rand.Rand) *ristretto.Scalar {
	var b [64]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	s, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
	return s
}

func testElement(rng *rand.Rand) *ristretto.Element {
	return new(ristretto.Element).ScalarBaseMult(testScalar(rng))
}

// testStatement returns a statement of the given size and width in which
// entry index opens to r.
func testStatement(rng *rand.Rand, size, width, index int) (*Statement, *ristretto.Scalar) {
	st := &Statement{}
	for range width {
		st.Bases = append(st.Bases, testElement(rng))
	}
	r := testScalar(rng)
	for k := range size {
		d := make([]*ristretto.Element, width)
		for b := range width {
			if k == index {
				d[b] = new(ristretto.Element).ScalarMult(r, st.Bases[b])
			} else {
				d[b] = testElement(rng)
			}
		}
		st.List = append(st.List, d)
	}
	return st, r
}

func TestCompleteness(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, base := range []int{2, 3, 4, 5, 8} {
		for _, size := range []int{1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 27} {
			for _, width := range []int{1, 2} {
				index := rng.IntN(size)
				if testing.Short() && size > 9 {
					continue
				}
				st, r := testStatement(rng, size, width, index)
				pf, err := Prove(base, st, index, r)
				if err != nil {
					t.Fatalf("n=%d N=%d: Prove: %v", base, size, err)
				}
				if err := Verify(st, pf); err != nil {
					t.Errorf("n=%d N=%d w=%d ℓ=%d: Verify: %v", base, size, width, index, err)
				}
			}
		}
	}
}

func TestWrongWitness(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{1, 5, 9} {
		st, r := testStatement(rng, size, 2, size-1)
		r2 := new(ristretto.Scalar).Add(r, new(ristretto.Scalar).SetUint64(1))
		pf, err := Prove(3, st, size-1, r2)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(st, pf); err == nil {
			t.Errorf("N=%d: proof with a wrong witness verified", size)
		}
		if size > 1 {
			pf, _ := Prove(3, st, 0, r)
			if err := Verify(st, pf); err == nil {
				t.Errorf("N=%d: proof for the wrong index verified", size)
			}
		}
	}
}

// TestCoefficients checks the digit-wise extension against the definition
// p_k(X) = Π_j (σ_{j,k_j}·X + a_{j,k_j}) evaluated at a random point, and
// the identity Σ_k p_k(X) = X^m.
func TestCoefficients(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, base := range []int{2, 3, 4, 7} {
		for _, size := range []int{1, 2, 5, 9, 30} {
			p, _ := NewParams(base, size)
			index := rng.IntN(size)
			ck := Key(p)
			src := &seeded{rng}
			pr, _, err := NewProver(p, ck, OneHot(index, size), src)
			if err != nil {
				t.Fatal(err)
			}
			n, m, stride := p.Base, p.Digits, p.Digits+1
			x := testScalar(rng)
			xs := Powers(x, m)
			sums := make([]ristretto.Scalar, stride)
			for k := range p.Size() {
				var want, got, tmp ristretto.Scalar
				want.SetUint64(1)
				for j := range m {
					d := p.digit(k, j)
					tmp.MultiplyAdd(&pr.sigma[j*n+d], x, &pr.a[j*n+d])
					want.Multiply(&want, &tmp)
				}
				for tt := range stride {
					c := &pr.coeffs[k*stride+tt]
					got.MultiplyAdd(c, &xs[tt], &got)
					sums[tt].Add(&sums[tt], c)
				}
				if got.Equal(&want) != 1 {
					t.Fatalf("n=%d N=%d k=%d: coefficients do not match the product", base, size, k)
				}
				var delta ristretto.Scalar
				if k == index {
					delta.SetUint64(1)
				}
				if pr.coeffs[k*stride+m].Equal(&delta) != 1 {
					t.Fatalf("n=%d N=%d k=%d: leading coefficient is not δ(k, ℓ)", base, size, k)
				}
			}
			var zero, one ristretto.Scalar
			one.SetUint64(1)
			for tt := range m {
				if sums[tt].Equal(&zero) != 1 {
					t.Errorf("n=%d N=%d: Σ_k p_{k,%d} ≠ 0", base, size, tt)
				}
			}
			if sums[m].Equal(&one) != 1 {
				t.Errorf("n=%d N=%d: Σ_k p_{k,m} ≠ 1", base, size)
			}
			// Products of the responses equal p_k(x) summed over padding.
			resp := pr.Respond(x, x)
			prods := Products(p, resp.Full(p, x))
			for k := range size {
				var want ristretto.Scalar
				last := k
				if k == size-1 {
					last = p.Size() - 1
				}
				for kk := k; kk <= last; kk++ {
					var v ristretto.Scalar
					for tt := range stride {
						v.MultiplyAdd(&pr.coeffs[kk*stride+tt], &xs[tt], &v)
					}
					want.Add(&want, &v)
				}
				if prods[k].Equal(&want) != 1 {
					t.Fatalf("n=%d N=%d k=%d: Products ≠ p_k(x)", base, size, k)
				}
			}
		}
	}
}

type seeded struct{ rng *rand.Rand }

func (s *seeded) Next() *ristretto.Scalar { return testScalar(s.rng) }

// TestCommitKeyGenerators: every generator of the largest key is distinct
// from the others, from h_c and from g (a repeated label would give a known
// relation), keys of smaller shapes are sub-matrices of it, and the digest
// tells shapes apart.
func TestCommitKeyGenerators(t *testing.T) {
	big := Key(Params{Base: MaxBase, Digits: MaxDigits})
	seen := map[string]string{
		string(big.H.Bytes()):                           "h_c",
		string(ristretto.NewGeneratorElement().Bytes()): "g",
	}
	for idx, g := range big.G {
		enc := string(g.Bytes())
		if other, ok := seen[enc]; ok {
			t.Fatalf("g_{%d,%d} equals %s", idx/MaxBase, idx%MaxBase, other)
		}
		seen[enc] = "another generator"
	}
	small := Key(Params{Base: 3, Digits: 2})
	for j := range 2 {
		for i := range 3 {
			if small.G[j*3+i].Equal(big.G[j*MaxBase+i]) != 1 {
				t.Fatalf("g_{%d,%d} depends on the shape", j, i)
			}
		}
	}
	if string(small.Digest()) == string(Key(Params{Base: 2, Digits: 3}).Digest()) {
		t.Error("keys of different shapes have the same digest")
	}
}

// TestTermsParallel: the chunked sum agrees with the plain one, and a
// non-zero term in any chunk is seen.
func TestTermsParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const size = 1200
	for _, bad := range []int{-1, 0, size / 2, size - 1} {
		ts := NewTerms(size)
		sum := new(ristretto.Scalar)
		g := ristretto.NewGeneratorElement()
		for k := range size - 1 {
			s := testScalar(rng)
			sum.Subtract(sum, s)
			if k == bad {
				s.Add(s, new(ristretto.Scalar).SetUint64(1))
			}
			ts.Add(s, new(ristretto.Element).Set(g))
		}
		last := sum
		if bad == size-1 {
			last = new(ristretto.Scalar).Add(sum, new(ristretto.Scalar).SetUint64(1))
		}
		ts.Add(last, g)
		want := bad < 0
		if got := ts.VarTimeIsIdentity(); got != want {
			t.Fatalf("bad term %d: VarTimeIsIdentity = %v", bad, got)
		}
		for _, workers := range []int{2, 3, 4} {
			if got := ts.VarTimeIsIdentityParallel(workers); got != want {
				t.Errorf("bad term %d, %d workers: VarTimeIsIdentityParallel = %v", bad, workers, got)
			}
		}
	}
}

// TestProveNoncesBindTheStatement: with crypto/rand fixed, proving the same
// witness for two statements that differ in one entry gives different
// nonces (so different commitments), and the same statement gives the same.
func TestProveNoncesBindTheStatement(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	st, r := testStatement(rng, 9, 2, 4)
	other := &Statement{Bases: st.Bases, List: append([][]*ristretto.Element(nil), st.List...)}
	other.List[0] = []*ristretto.Element{testElement(rng), testElement(rng)}

	prove := func(s *Statement) *Proof {
		cryptotest.SetGlobalRandom(t, 1)
		pf, err := Prove(3, s, 4, r)
		if err != nil {
			t.Fatal(err)
		}
		return pf
	}
	a, again, b := prove(st), prove(st), prove(other)
	if a.A.Equal(again.A) != 1 {
		t.Fatal("Prove does not take its randomness from crypto/rand")
	}
	if a.A.Equal(b.A) == 1 {
		t.Fatal("two statements share the prover's nonces under a fixed random source")
	}
}
