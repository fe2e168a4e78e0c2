package oneofmany

import (
	"crypto/rand"
	"crypto/sha512"
	"errors"

	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// Statement is an explicit instance: the homomorphism
// φ(s) = (s·Bases[0], …, s·Bases[w−1]) and the list D_0..D_{N'−1}, each
// entry a tuple of w elements.
type Statement struct {
	Bases []*ristretto.Element
	List  [][]*ristretto.Element
}

// Proof is a whole one-out-of-many proof for a [Statement].
type Proof struct {
	Params
	Commitments
	G [][]*ristretto.Element // G_t, t < m, each a tuple of w elements
	Response
}

var (
	errStatement = errors.New("oneofmany: malformed statement")
	// ErrInvalidProof is returned by [Verify] for a proof that does not
	// verify.
	ErrInvalidProof = errors.New("oneofmany: invalid proof")
)

const (
	challengeDST = "ringtrace-v1-ARS-oom-challenge"
	nonceDST     = "ringtrace-v1-ARS-oom-nonce"
)

func (st *Statement) check() error {
	w := len(st.Bases)
	if w == 0 || len(st.List) == 0 {
		return errStatement
	}
	for _, d := range st.List {
		if len(d) != w {
			return errStatement
		}
	}
	return nil
}

// challenge binds the commitment key, the shape, the statement and every
// commitment, all fixed before the challenge.
func challenge(st *Statement, ck *CommitKey, pf *Proof) *ristretto.Scalar {
	tr := transcript.New(challengeDST)
	tr.AppendBytes("ck", ck.Digest())
	tr.AppendUint64("n", uint64(pf.Base))
	tr.AppendUint64("m", uint64(pf.Digits))
	absorbStatement(tr, st)
	tr.AppendElement("A", pf.A)
	tr.AppendElement("B", pf.B)
	tr.AppendElement("C", pf.C)
	tr.AppendElement("D", pf.D)
	for _, g := range pf.G {
		tr.AppendElements("G", g)
	}
	return tr.Challenge()
}

func absorbStatement(tr *transcript.Transcript, st *Statement) {
	tr.AppendElements("bases", st.Bases)
	tr.AppendUint64("len", uint64(len(st.List)))
	for _, d := range st.List {
		tr.AppendElements("D", d)
	}
}

// statementDigest is SHA-512 of the base and the encoded statement, which
// the nonces are hedged with.
func statementDigest(base int, st *Statement) []byte {
	tr := transcript.New(nonceDST)
	tr.AppendUint64("n", uint64(base))
	absorbStatement(tr, st)
	d := sha512.Sum512(tr.Bytes())
	return d[:]
}

// Prove proves knowledge of r with st.List[index] = φ(r), in base n. The
// index and r are secret: the proof is computed in constant time in both.
// It panics if n is out of range, and fails if st is malformed or index is
// out of range (which is not checked in constant time).
func Prove(base int, st *Statement, index int, r *ristretto.Scalar) (*Proof, error) {
	if err := st.check(); err != nil {
		return nil, err
	}
	p, err := NewParams(base, len(st.List))
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= p.Len {
		return nil, errStatement
	}
	flags := OneHot(index, p.Len)
	// Hedged nonces: r, fresh randomness and the whole statement.
	nonces := transcript.NewNonces(nonceDST, r, statementDigest(base, st))
	return prove(p, st, flags, r, nonces)
}

func prove(p Params, st *Statement, flags []int, r *ristretto.Scalar, nonces NonceSource) (*Proof, error) {
	ck := Key(p)
	pr, com, err := NewProver(p, ck, flags, nonces)
	if err != nil {
		return nil, err
	}
	pf := &Proof{Params: p, Commitments: *com, G: make([][]*ristretto.Element, p.Digits)}
	w := len(st.Bases)
	scalars := make([]*ristretto.Scalar, p.Len+1)
	points := make([]*ristretto.Element, p.Len+1)
	for t := range p.Digits {
		c := pr.FoldPadding(t)
		for k := range c {
			scalars[k] = &c[k]
		}
		scalars[p.Len] = pr.Rho(t)
		pf.G[t] = make([]*ristretto.Element, w)
		for b := range w {
			// G_t^(b) = Σ_k p_{k,t}·D_k^(b) + ρ_t·B_b, constant time.
			for k := range p.Len {
				points[k] = st.List[k][b]
			}
			points[p.Len] = st.Bases[b]
			pf.G[t][b] = new(ristretto.Element).MultiScalarMult(scalars, points)
		}
	}
	x := challenge(st, ck, pf)
	pf.Response = *pr.Respond(x, r)
	return pf, nil
}

// OneHot returns the flags for index among size entries, computed with
// constant-time comparisons.
func OneHot(index, size int) []int {
	flags := make([]int, size)
	for k := range flags {
		flags[k] = constantTimeEq(k, index)
	}
	return flags
}

func constantTimeEq(a, b int) int {
	x := uint64(a ^ b)
	// x == 0 exactly when (x | −x) has its top bit clear.
	return int(((x | -x) >> 63) ^ 1)
}

// Verify checks pf against st. It is variable time.
func Verify(st *Statement, pf *Proof) error {
	if err := st.check(); err != nil {
		return err
	}
	if pf.Len != len(st.List) || pf.Check() != nil {
		return errParams
	}
	w := len(st.Bases)
	n, m := pf.Base, pf.Digits
	if len(pf.G) != m || len(pf.F) != m*(n-1) {
		return ErrInvalidProof
	}
	for _, g := range pf.G {
		if len(g) != w {
			return ErrInvalidProof
		}
	}
	ck := Key(pf.Params)
	x := challenge(st, ck, pf)
	f := pf.Response.Full(pf.Params, x)
	prods := Products(pf.Params, f)

	ts := NewTerms(n*m + 5 + w*(len(st.List)+m+1))
	w1, w2 := randomScalar(), randomScalar()
	CommitmentChecks(ts, ck, x, f, &pf.Commitments, &pf.ZA, &pf.ZC, w1, w2)
	// Check 3, component b, weight w_b:
	// Σ_k P_k·D_k^(b) − Σ_t x^t·G_t^(b) − z·B_b = 0.
	xs := Powers(x, m)
	for b := range w {
		wb := randomScalar()
		for k := range st.List {
			ts.Add(new(ristretto.Scalar).Multiply(wb, &prods[k]), st.List[k][b])
		}
		for t := range m {
			s := new(ristretto.Scalar).Multiply(wb, &xs[t])
			ts.Add(s.Negate(s), pf.G[t][b])
		}
		s := new(ristretto.Scalar).Multiply(wb, &pf.Z)
		ts.Add(s.Negate(s), st.Bases[b])
	}
	if !ts.VarTimeIsIdentity() {
		return ErrInvalidProof
	}
	return nil
}

// Powers returns 1, x, …, x^m.
func Powers(x *ristretto.Scalar, m int) []ristretto.Scalar {
	xs := make([]ristretto.Scalar, m+1)
	xs[0].SetUint64(1)
	for t := 1; t <= m; t++ {
		xs[t].Multiply(&xs[t-1], x)
	}
	return xs
}

// randomScalar returns a uniformly random non-zero scalar from crypto/rand,
// for verifier weights.
func randomScalar() *ristretto.Scalar {
	var b [ristretto.UniformBytesSize]byte
	for {
		rand.Read(b[:])
		s, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
		if s.IsZero() == 0 {
			return s
		}
	}
}
