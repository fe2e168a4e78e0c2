package arsig

import (
	"crypto/rand"
	"crypto/sha3"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// generator is g, shared so that the terms of many signatures merge.
var generator = ristretto.NewGeneratorElement()

// Verify checks that sig is a signature on msg by a member of ring whose key
// is encrypted to opener. It returns nil if so; otherwise an error wrapping
// [ErrInvalidInput] (nil or zero-value arguments), [ErrRingMismatch] (the
// signature's n and m do not fit the ring, checked before any heavy work)
// or [ErrInvalidSignature].
//
// All the verification equations of docs/spec/arsig.md §6 are checked at once, in
// one variable-time multi-scalar multiplication with fresh random weights
// from crypto/rand (Pippenger's method from 128 terms on, with the ring's
// keys normalised once per [Ring]). Verification handles public data only.
func Verify(ring *Ring, opener *OpenerPublicKey, msg []byte, sig *Signature) error {
	return verifyWith(ring, opener, msg, sig, challenge)
}

func verifyWith(ring *Ring, opener *OpenerPublicKey, msg []byte, sig *Signature, ch challengeFunc) error {
	pp, err := prepareWith(ring, opener, msg, sig, ch)
	if err != nil {
		return err
	}
	ts := oneofmany.NewTerms(pp.termCount())
	acc := make([]ristretto.Scalar, ring.Len())
	w := newWeights()
	pp.addTerms(ts, acc, w)
	accs := make([]*ristretto.Scalar, len(acc))
	for k := range acc {
		accs[k] = &acc[k]
	}
	if !ts.VarTimeIsIdentityWith(accs, ring.prepared()) {
		return ErrInvalidSignature
	}
	return nil
}

// prepared is a signature with everything its checks need that does not
// depend on the verifier's random weights.
type prepared struct {
	sig    *Signature
	ring   *Ring
	opener *OpenerPublicKey
	p      oneofmany.Params
	ck     *oneofmany.CommitKey
	x      *ristretto.Scalar
	f      []ristretto.Scalar // full f_{j,i}
	prods  []ristretto.Scalar // P_k, padding folded into the last key
	xs     []ristretto.Scalar // x^0..x^m
}

// prepare runs the structural checks, then derives the challenge and the
// products P_k.
func prepare(ring *Ring, opener *OpenerPublicKey, msg []byte, sig *Signature) (*prepared, error) {
	return prepareWith(ring, opener, msg, sig, challenge)
}

// prepareWith is prepare with the challenge function as a parameter, for
// the forgery tests.
func prepareWith(ring *Ring, opener *OpenerPublicKey, msg []byte, sig *Signature, ch challengeFunc) (*prepared, error) {
	if err := ring.check(); err != nil {
		return nil, err
	}
	if err := opener.check(); err != nil {
		return nil, err
	}
	if err := sig.check(); err != nil {
		return nil, err
	}
	p, err := sig.paramsFor(ring)
	if err != nil {
		return nil, err
	}
	pp := &prepared{sig: sig, ring: ring, opener: opener, p: p, ck: oneofmany.Key(p)}
	pp.x = ch(p, pp.ck, opener, ring, msg, sig.enc[headerSize:sig.commitmentsEnd])
	resp := oneofmany.Response{F: sig.f}
	pp.f = resp.Full(p, pp.x)
	pp.prods = oneofmany.Products(p, pp.f)
	pp.xs = oneofmany.Powers(pp.x, p.Digits)
	return pp, nil
}

// termCount is the number of terms addTerms adds besides the ring's.
func (pp *prepared) termCount() int {
	return len(pp.f) + 1 + elementCount(pp.p.Digits) + 2
}

// addTerms adds to ts every check of docs/spec/arsig.md §6 for the signature, each
// check weighted by a fresh weight from w, and adds the ring part of check
// 3 to acc (one scalar per ring key) for the caller to merge:
//
//	w1·(x·B + A − Com(f; z_A))
//	w2·(x·C + D − Com(f∘(x − f); z_C))
//	w3·(x^m·c1 − Σ_t x^t·G_t^(1) − z·g)
//	w4·(x^m·c2 − Σ_k P_k·R̄[k] − Σ_t x^t·G_t^(2) − z·pk_O)
//	w5·(x·c1 + T1 − z_r·g)
//	w6·(x·c2 + T2 − z_sk·g − z_r·pk_O)
func (pp *prepared) addTerms(ts *oneofmany.Terms, acc []ristretto.Scalar, w *weights) {
	s, x, m := pp.sig, pp.x, pp.p.Digits
	w1, w2, w3, w4, w5, w6 := w.next(), w.next(), w.next(), w.next(), w.next(), w.next()
	oneofmany.CommitmentChecks(ts, pp.ck, x, pp.f, &s.com, &s.zA, &s.zC, w1, w2)

	xm := &pp.xs[m]
	var tmp ristretto.Scalar
	c1 := new(ristretto.Scalar).Multiply(w3, xm)
	ts.Add(c1.Add(c1, tmp.Multiply(w5, x)), &s.c1)
	c2 := new(ristretto.Scalar).Multiply(w4, xm)
	ts.Add(c2.Add(c2, tmp.Multiply(w6, x)), &s.c2)
	for t := range m {
		g1 := new(ristretto.Scalar).Multiply(w3, &pp.xs[t])
		ts.Add(g1.Negate(g1), &s.g1[t])
		g2 := new(ristretto.Scalar).Multiply(w4, &pp.xs[t])
		ts.Add(g2.Negate(g2), &s.g2[t])
	}
	ts.Add(new(ristretto.Scalar).Set(w5), &s.t1)
	ts.Add(new(ristretto.Scalar).Set(w6), &s.t2)
	// g: −w3·z − w5·z_r − w6·z_sk.
	g := new(ristretto.Scalar).Multiply(w3, &s.z)
	g.MultiplyAdd(w5, &s.zR, g)
	g.MultiplyAdd(w6, &s.zSk, g)
	ts.Add(g.Negate(g), generator)
	// pk_O: −w4·z − w6·z_r.
	o := new(ristretto.Scalar).Multiply(w4, &s.z)
	o.MultiplyAdd(w6, &s.zR, o)
	ts.Add(o.Negate(o), &pp.opener.e)
	// Ring keys: −w4·P_k.
	for k := range acc {
		tmp.Multiply(w4, &pp.prods[k])
		acc[k].Subtract(&acc[k], &tmp)
	}
}

// addRingTerms adds acc[k]·R̄[k] for every ring key.
func addRingTerms(ts *oneofmany.Terms, ring *Ring, acc []ristretto.Scalar) {
	for k := range acc {
		ts.Add(&acc[k], ring.points[k])
	}
}

// weights is a stream of verifier weights: uniformly random non-zero
// scalars expanded from 32 bytes of crypto/rand with SHAKE256. They are
// never derived from anything an adversary sees.
type weights struct {
	xof *sha3.SHAKE
}

func newWeights() *weights {
	var seed [32]byte
	rand.Read(seed[:])
	xof := sha3.NewSHAKE256()
	xof.Write([]byte("ringtrace-v1-ARS-verifier-weights"))
	xof.Write(seed[:])
	return &weights{xof: xof}
}

func (w *weights) next() *ristretto.Scalar {
	var b [ristretto.UniformBytesSize]byte
	for {
		w.xof.Read(b[:])
		s, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
		if s.IsZero() == 0 {
			return s
		}
	}
}
