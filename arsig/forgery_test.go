package arsig

import (
	"errors"
	"testing"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// These tests show that the Fiat–Shamir binding of docs/spec/arsig.md §4 is
// needed, not merely tidy: with a challenge that leaves the G_t out, anyone
// outside a ring forges a signature "by a member" that opens to nobody;
// with a challenge that leaves the ciphertext out, anyone turns one valid
// signature into many different valid ones that all open to the same member
// (a bill collector could present one usage record as several). The real
// challenge rejects both.

// challengeWithoutG is the weakened challenge of published implementations
// that hashed the commitments before computing G_t: every G_t^(b) encoding
// is replaced by zeros before hashing.
func challengeWithoutG(p oneofmany.Params, ck *oneofmany.CommitKey, opener *OpenerPublicKey, ring *Ring, msg, points []byte) *ristretto.Scalar {
	return challenge(p, ck, opener, ring, msg, blank(points, 6, 6+2*p.Digits))
}

// challengeWithoutCiphertext leaves c1 and c2 out.
func challengeWithoutCiphertext(p oneofmany.Params, ck *oneofmany.CommitKey, opener *OpenerPublicKey, ring *Ring, msg, points []byte) *ristretto.Scalar {
	return challenge(p, ck, opener, ring, msg, blank(points, 0, 2))
}

// blank returns a copy of points with points lo..hi−1 zeroed.
func blank(points []byte, lo, hi int) []byte {
	out := make([]byte, len(points))
	copy(out, points)
	clear(out[lo*ristretto.ElementSize : hi*ristretto.ElementSize])
	return out
}

// forgeWithoutG makes a signature for ring by an outsider (whose key is not
// in the ring) that verifies under challengeWithoutG. The outsider encrypts
// its own key, proves knowledge of it honestly, runs the one-out-of-many
// prover as if it sat at slot 0, takes the challenge, and only then picks
// G_{m−1} to satisfy check 3 in both components.
func forgeWithoutG(t *testing.T, outsider *PrivateKey, ring *Ring, opener *OpenerPublicKey, msg []byte) *Signature {
	t.Helper()
	p := ring.params
	ck := oneofmany.Key(p)
	var rnd [transcript.RandomSize]byte
	nonces := transcript.NewNoncesWithRandom("forgery", &outsider.sk, &rnd, msg)
	r, tR, tSk := nonces.Next(), nonces.Next(), nonces.Next()

	s := newSignature(p.Base, p.Digits)
	s.c1.ScalarBaseMult(r)
	s.c2.ScalarMult(r, &opener.e)
	s.c2.Add(&s.c2, &outsider.pub.e)
	prover, com, err := oneofmany.NewProver(p, ck, oneofmany.OneHot(0, p.Len), nonces)
	if err != nil {
		t.Fatal(err)
	}
	s.a.Set(com.A)
	s.b.Set(com.B)
	s.c.Set(com.C)
	s.d.Set(com.D)
	// Any placeholders: the weakened challenge does not see them.
	for tt := range p.Digits {
		s.g1[tt].ScalarBaseMult(nonces.Next())
		s.g2[tt].ScalarBaseMult(nonces.Next())
	}
	s.t1.ScalarBaseMult(tR)
	var tmp ristretto.Element
	s.t2.ScalarBaseMult(tSk)
	s.t2.Add(&s.t2, tmp.ScalarMult(tR, &opener.e))
	s.encodeCommitments()
	x := challengeWithoutG(p, ck, opener, ring, msg, s.enc[headerSize:])

	resp := prover.Respond(x, r)
	copy(s.f, resp.F)
	s.zA.Set(&resp.ZA)
	s.zC.Set(&resp.ZC)
	s.z.Set(&resp.Z)
	s.zSk.MultiplyAdd(x, &outsider.sk, tSk)
	s.zR.MultiplyAdd(x, r, tR)

	// Solve check 3 for G_{m−1}:
	//   x^{m−1}·G^(1) = x^m·c1 − z·g − Σ_{t<m−1} x^t·G_t^(1)
	//   x^{m−1}·G^(2) = x^m·c2 − Σ_k P_k·R̄[k] − z·pk_O − Σ_{t<m−1} x^t·G_t^(2)
	m := p.Digits
	xs := oneofmany.Powers(x, m)
	f := resp.Full(p, x)
	prods := oneofmany.Products(p, f)
	inv := new(ristretto.Scalar).Invert(&xs[m-1])
	negZ := new(ristretto.Scalar).Negate(&s.z)
	sc1 := []*ristretto.Scalar{&xs[m], negZ}
	pt1 := []*ristretto.Element{&s.c1, ristretto.NewGeneratorElement()}
	sc2 := []*ristretto.Scalar{&xs[m], negZ}
	pt2 := []*ristretto.Element{&s.c2, &opener.e}
	for tt := range m - 1 {
		neg := new(ristretto.Scalar).Negate(&xs[tt])
		sc1, pt1 = append(sc1, neg), append(pt1, &s.g1[tt])
		sc2, pt2 = append(sc2, neg), append(pt2, &s.g2[tt])
	}
	for k := range prods {
		sc2 = append(sc2, new(ristretto.Scalar).Negate(&prods[k]))
		pt2 = append(pt2, ring.points[k])
	}
	s.g1[m-1].VarTimeMultiScalarMult(sc1, pt1)
	s.g1[m-1].ScalarMult(inv, &s.g1[m-1])
	s.g2[m-1].VarTimeMultiScalarMult(sc2, pt2)
	s.g2[m-1].ScalarMult(inv, &s.g2[m-1])

	s.encodeCommitments()
	s.encodeResponses()
	parsed, err := ParseSignature(s.enc)
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

func TestForgeryWithoutG(t *testing.T) {
	for _, size := range []int{2, 5, 17, 40} {
		f := newFixture(t, size, int64(size))
		outsider := testKey(f.rng)
		if _, ok := f.ring.IndexOf(outsider.Public()); ok {
			t.Fatal("outsider is a member")
		}
		msg := []byte("usage nobody will pay for")
		forged := forgeWithoutG(t, outsider, f.ring, f.opener.Public(), msg)
		// The weakened verifier accepts the forgery…
		if err := verifyWith(f.ring, f.opener.Public(), msg, forged, challengeWithoutG); err != nil {
			t.Fatalf("N=%d: the forgery harness is broken: %v", size, err)
		}
		// …which opens to nobody: the ciphertext holds the outsider's key.
		var v ristretto.Element
		v.Subtract(&forged.c2, v.ScalarMult(&f.opener.dk, &forged.c1))
		if v.Equal(&outsider.pub.e) != 1 {
			t.Fatalf("N=%d: forged ciphertext does not hold the outsider's key", size)
		}
		// The real verifier rejects it.
		if err := Verify(f.ring, f.opener.Public(), msg, forged); !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("N=%d: Verify accepted a signature by an outsider: %v", size, err)
		}
	}
}

// TestMalleabilityWithoutCiphertext re-randomizes the ciphertext of a valid
// signature: c' = c + (δ·g, δ·pk_O), z' = z + δ·x^m, z_r' = z_r + δ·x. Every
// equation still holds with the same x, so a challenge that ignores c
// accepts a second, different signature for the same usage.
func TestMalleabilityWithoutCiphertext(t *testing.T) {
	f := newFixture(t, 13, 7)
	var rnd [transcript.RandomSize]byte
	weak, err := signWith(f.privs[f.slot], f.ring, f.opener.Public(), f.msg, &rnd, f.ring.params, challengeWithoutCiphertext)
	if err != nil {
		t.Fatal(err)
	}
	if err := verifyWith(f.ring, f.opener.Public(), f.msg, weak, challengeWithoutCiphertext); err != nil {
		t.Fatal(err)
	}
	maul := func(s *Signature, ch challengeFunc) *Signature {
		p, _ := s.paramsFor(f.ring)
		x := ch(p, oneofmany.Key(p), f.opener.Public(), f.ring, f.msg, s.enc[headerSize:s.commitmentsEnd])
		delta := testScalar(f.rng)
		m := newSignature(s.base, s.digits)
		for i, e := range s.elements() {
			m.elements()[i].Set(e)
		}
		for i, v := range s.scalars() {
			m.scalars()[i].Set(v)
		}
		var tmp ristretto.Element
		m.c1.Add(&m.c1, tmp.ScalarBaseMult(delta))
		m.c2.Add(&m.c2, tmp.ScalarMult(delta, &f.opener.pub.e))
		xm := oneofmany.Powers(x, s.digits)[s.digits]
		m.z.MultiplyAdd(delta, &xm, &m.z)
		m.zR.MultiplyAdd(delta, x, &m.zR)
		m.encodeCommitments()
		m.encodeResponses()
		out, err := ParseSignature(m.enc)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	mauled := maul(weak, challengeWithoutCiphertext)
	if err := verifyWith(f.ring, f.opener.Public(), f.msg, mauled, challengeWithoutCiphertext); err != nil {
		t.Fatalf("the malleability harness is broken: %v", err)
	}
	if string(mauled.enc) == string(weak.enc) {
		t.Fatal("mauling did not change the signature")
	}
	// Both decrypt to the signer: one usage, two distinct valid records.
	var v ristretto.Element
	v.Subtract(&mauled.c2, v.ScalarMult(&f.opener.dk, &mauled.c1))
	if v.Equal(&f.privs[f.slot].pub.e) != 1 {
		t.Fatal("the mauled signature does not decrypt to the signer")
	}
	// The same transformation of a real signature does not verify.
	if err := Verify(f.ring, f.opener.Public(), f.msg, maul(f.sig, challenge)); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("Verify accepted a re-randomized signature: %v", err)
	}
}
