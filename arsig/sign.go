package arsig

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"

	"github.com/ringtrace/ringtrace/internal/memcheck"
	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// Sign signs msg as an anonymous member of ring, encrypting the signer's
// public key to opener so that the holder of the opener key can name the
// signer later. It fails with [ErrNotInRing] if priv's public key is not in
// the ring, and refuses a missing or identity opener key.
//
// Sign is constant time in the private key and in the signer's position in
// the ring; its running time depends only on the ring size. Nonces are
// hedged: derived from the private key, 32 bytes from crypto/rand and the
// whole statement (opener key, ring, message).
func Sign(priv *PrivateKey, ring *Ring, opener *OpenerPublicKey, msg []byte) (*Signature, error) {
	var rnd [transcript.RandomSize]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, fmt.Errorf("arsig: reading randomness: %w", err)
	}
	if err := ring.check(); err != nil {
		return nil, err
	}
	return sign(priv, ring, opener, msg, &rnd, ring.params)
}

// sign is Sign with the nonce randomness and the proof parameters given.
// Known-answer tests and the base measurements call it directly.
//
// The nonce stream yields, in this order: r (ElGamal), t_r, t_sk, then the
// one-out-of-many nonces of [oneofmany.NewProver].
func sign(priv *PrivateKey, ring *Ring, opener *OpenerPublicKey, msg []byte, rnd *[transcript.RandomSize]byte, base oneofmany.Params) (*Signature, error) {
	return signWith(priv, ring, opener, msg, rnd, base, challenge)
}

// signWith is sign with the challenge function as a parameter, so that the
// forgery tests can show what a weaker transcript would allow.
func signWith(priv *PrivateKey, ring *Ring, opener *OpenerPublicKey, msg []byte, rnd *[transcript.RandomSize]byte,
	base oneofmany.Params, ch challengeFunc) (*Signature, error) {
	if priv == nil || priv.pub == nil {
		return nil, fmt.Errorf("%w: private key is nil or was not built by this package", ErrInvalidInput)
	}
	if err := ring.check(); err != nil {
		return nil, err
	}
	if err := opener.check(); err != nil {
		return nil, err
	}
	p, err := oneofmany.NewParams(base.Base, ring.Len())
	if err != nil {
		return nil, fmt.Errorf("%w: base %d", ErrInvalidInput, base.Base)
	}

	// 1. Find ℓ with R[ℓ] = sk·g without branching on the position: one
	// constant-time comparison per member, kept as 0/1 flags.
	flags := make([]int, ring.Len())
	member := 0
	for k, key := range ring.keys {
		flags[k] = subtle.ConstantTimeCompare(key.enc[:], priv.pub.enc[:])
		member |= flags[k]
	}
	// Membership is known to the caller; only the position is secret.
	memcheck.DeclassifyValues(&member)
	if member == 0 {
		return nil, ErrNotInRing
	}

	nonces := transcript.NewNoncesWithRandom(nonceDST, &priv.sk, rnd, statementDigest(p, opener, ring, msg))
	r := nonces.Next()
	tR := nonces.Next()
	tSk := nonces.Next()

	s := newSignature(p.Base, p.Digits)
	// 2. c = (r·g, vk + r·pk_O).
	s.c1.ScalarBaseMult(r)
	s.c2.ScalarMult(r, &opener.e)
	s.c2.Add(&s.c2, &priv.pub.e)

	// 3–4. Commitments A, B, C, D and the coefficients p_{k,t}.
	ck := oneofmany.Key(p)
	prover, com, err := oneofmany.NewProver(p, ck, flags, nonces)
	if err != nil {
		return nil, fmt.Errorf("arsig: internal error: %w", err)
	}
	s.a.Set(com.A)
	s.b.Set(com.B)
	s.c.Set(com.C)
	s.d.Set(com.D)

	// 5. With D_k = (c1, c2 − R̄[k]) and φ(s) = (s·g, s·pk_O), and since
	// Σ_k p_{k,t} = 0 for t < m, G_t = (ρ_t·g, ρ_t·pk_O − Σ_k p_{k,t}·R̄[k]).
	// The coefficients reveal ℓ (p_{k,t} depends on whether k shares digits
	// with ℓ), so the multi-scalar multiplication is the constant-time one.
	// The padded positions repeat the last key: their coefficients are
	// folded into its own.
	scalars := make([]*ristretto.Scalar, ring.Len()+1)
	points := make([]*ristretto.Element, ring.Len()+1)
	copy(points, ring.points)
	points[ring.Len()] = &opener.e
	for t := range p.Digits {
		c := prover.FoldPadding(t)
		for k := range c {
			scalars[k] = c[k].Negate(&c[k])
		}
		scalars[ring.Len()] = prover.Rho(t)
		s.g1[t].ScalarBaseMult(prover.Rho(t))
		s.g2[t].MultiScalarMult(scalars, points)
	}

	// The proof of knowledge of (sk, r): T1 = t_r·g, T2 = t_sk·g + t_r·pk_O.
	s.t1.ScalarBaseMult(tR)
	var tmp ristretto.Element
	s.t2.ScalarBaseMult(tSk)
	s.t2.Add(&s.t2, tmp.ScalarMult(tR, &opener.e))

	// 6. The challenge over the statement and every commitment, which are
	// published.
	if memcheck.Enabled {
		memcheck.DeclassifyValues(s.elements()...)
	}
	s.encodeCommitments()
	x := ch(p, ck, opener, ring, msg, s.enc[headerSize:])

	// 7. Responses.
	resp := prover.Respond(x, r)
	copy(s.f, resp.F)
	s.zA.Set(&resp.ZA)
	s.zC.Set(&resp.ZC)
	s.z.Set(&resp.Z)
	s.zSk.MultiplyAdd(x, &priv.sk, tSk)
	s.zR.MultiplyAdd(x, r, tR)
	if memcheck.Enabled {
		memcheck.DeclassifyValues(s.scalars()...) // published
	}
	s.encodeResponses()
	return s, nil
}
