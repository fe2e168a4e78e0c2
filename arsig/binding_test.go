package arsig

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Fiat–Shamir binding (docs/spec/arsig.md §4): the challenge must depend on every
// public input and every prover commitment. Each case below changes one of
// them and checks that the challenge changes, and, where the change is to
// something the verifier receives, that verification fails.

// otherPoint returns the encoding of a valid element different from the
// one encoded by b.
func otherPoint(t *testing.T, b []byte) []byte {
	t.Helper()
	e, err := new(ristretto.Element).SetCanonicalBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return e.Add(e, ristretto.NewGeneratorElement()).Bytes()
}

func TestChallengeBindsEveryInput(t *testing.T) {
	f := newFixture(t, 11, 1)
	s := f.sig
	p, err := s.paramsFor(f.ring)
	if err != nil {
		t.Fatal(err)
	}
	ck := oneofmany.Key(p)
	points := s.enc[headerSize:s.commitmentsEnd]
	x := challenge(p, ck, f.opener.Public(), f.ring, f.msg, points)

	type variant struct {
		name string
		x    *ristretto.Scalar
	}
	var cases []variant
	add := func(name string, v *ristretto.Scalar) { cases = append(cases, variant{name, v}) }

	p2 := p
	p2.Base++
	add("n", challenge(p2, ck, f.opener.Public(), f.ring, f.msg, points))
	p3 := p
	p3.Digits++
	add("m", challenge(p3, ck, f.opener.Public(), f.ring, f.msg, points))
	add("commitment key", challenge(p, oneofmany.Key(oneofmany.Params{Base: p.Base + 1, Digits: p.Digits}), f.opener.Public(), f.ring, f.msg, points))
	add("opener key", challenge(p, ck, testOpener(f.rng).Public(), f.ring, f.msg, points))
	for k := range f.ring.Len() {
		pubs := make([]*PublicKey, f.ring.Len())
		for i := range pubs {
			pubs[i] = f.ring.Key(i)
		}
		pubs[k] = testKey(f.rng).Public()
		ring, _ := NewRing(pubs)
		add(fmt.Sprintf("ring key %d", k), challenge(p, ck, f.opener.Public(), ring, f.msg, points))
	}
	add("message", challenge(p, ck, f.opener.Public(), f.ring, append(bytes.Clone(f.msg), 1), points))
	names := []string{"c1", "c2", "A", "B", "C", "D"}
	for t := range p.Digits {
		names = append(names, fmt.Sprintf("G_%d^(1)", t), fmt.Sprintf("G_%d^(2)", t))
	}
	names = append(names, "T1", "T2")
	for i, name := range names {
		pts := bytes.Clone(points)
		o := i * ristretto.ElementSize
		copy(pts[o:o+ristretto.ElementSize], otherPoint(t, pts[o:o+ristretto.ElementSize]))
		add(name, challenge(p, ck, f.opener.Public(), f.ring, f.msg, pts))
	}
	if len(names) != elementCount(p.Digits) {
		t.Fatalf("%d point names for %d points", len(names), elementCount(p.Digits))
	}
	for _, c := range cases {
		if c.x.Equal(x) == 1 {
			t.Errorf("the challenge does not bind %s", c.name)
		}
	}
}

// TestTranscriptLayout checks that the challenge transcript holds, in the
// order of docs/spec/arsig.md §4, the suite, g, the commitment-key digest, n, m,
// pk_O, the whole ring, the message and every commitment.
func TestTranscriptLayout(t *testing.T) {
	f := newFixture(t, 5, 2)
	p, _ := f.sig.paramsFor(f.ring)
	ck := oneofmany.Key(p)
	points := f.sig.enc[headerSize:f.sig.commitmentsEnd]
	tr := challengeTranscript(p, ck, f.opener.Public(), f.ring, f.msg, points).Bytes()
	want := [][]byte{[]byte(suiteID), generatorEncoding, ck.Digest(),
		{0, 0, 0, 0, 0, 0, 0, byte(p.Base)}, {0, 0, 0, 0, 0, 0, 0, byte(p.Digits)},
		f.opener.Public().Bytes(), f.ring.Bytes(), f.msg}
	for i := range elementCount(p.Digits) {
		want = append(want, points[i*ristretto.ElementSize:(i+1)*ristretto.ElementSize])
	}
	off := 0
	for i, w := range want {
		j := bytes.Index(tr[off:], w)
		if j < 0 {
			t.Fatalf("transcript item %d (%x…) missing or out of order", i, w[:min(8, len(w))])
		}
		off += j + len(w)
	}
}

// TestVerifyRejectsChangedValues replaces every point of a signature with
// another valid point, and adds one to every scalar: each change must make
// Verify fail (the per-commitment half of the binding requirement; the
// per-input half is in TestPropertyTamper).
func TestVerifyRejectsChangedValues(t *testing.T) {
	f := newFixture(t, 9, 3)
	enc := f.sig.Bytes()
	for i := range elementCount(f.sig.digits) {
		b := bytes.Clone(enc)
		o := headerSize + i*ristretto.ElementSize
		copy(b[o:], otherPoint(t, b[o:o+ristretto.ElementSize]))
		sig, err := ParseSignature(b)
		if err != nil {
			t.Fatalf("point %d: %v", i, err)
		}
		if err := Verify(f.ring, f.opener.Public(), f.msg, sig); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("point %d changed: Verify = %v", i, err)
		}
	}
	one := new(ristretto.Scalar).SetUint64(1)
	for i := range scalarCount(f.sig.base, f.sig.digits) {
		b := bytes.Clone(enc)
		o := f.sig.commitmentsEnd + i*ristretto.ScalarSize
		v, _ := new(ristretto.Scalar).SetCanonicalBytes(b[o : o+ristretto.ScalarSize])
		copy(b[o:], v.Add(v, one).Bytes())
		sig, err := ParseSignature(b)
		if err != nil {
			t.Fatalf("scalar %d: %v", i, err)
		}
		if err := Verify(f.ring, f.opener.Public(), f.msg, sig); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("scalar %d changed: Verify = %v", i, err)
		}
	}
}

func TestOpeningChallengeBindsEveryInput(t *testing.T) {
	f := newFixture(t, 6, 4)
	o := f.open(t)
	vk := o.Signer()
	k1, k2 := f.sig.pointEncoding(0), f.sig.pointEncoding(1) // any two valid points
	e := openingChallenge(f.opener.Public(), f.ring, f.msg, f.sig, vk, k1, k2)
	f2 := newFixture(t, 6, 5)
	other := f2.sig
	cases := map[string]*ristretto.Scalar{
		"opener key": openingChallenge(testOpener(f.rng).Public(), f.ring, f.msg, f.sig, vk, k1, k2),
		"ring":       openingChallenge(f.opener.Public(), f2.ring, f.msg, f.sig, vk, k1, k2),
		"message":    openingChallenge(f.opener.Public(), f.ring, append(bytes.Clone(f.msg), 0), f.sig, vk, k1, k2),
		"signature":  openingChallenge(f.opener.Public(), f.ring, f.msg, other, vk, k1, k2),
		"signer":     openingChallenge(f.opener.Public(), f.ring, f.msg, f.sig, f.ring.Key((o.Index()+1)%6), k1, k2),
		"K1":         openingChallenge(f.opener.Public(), f.ring, f.msg, f.sig, vk, otherPoint(t, k1), k2),
		"K2":         openingChallenge(f.opener.Public(), f.ring, f.msg, f.sig, vk, k1, otherPoint(t, k2)),
	}
	for name, x := range cases {
		if x.Equal(e) == 1 {
			t.Errorf("the opening challenge does not bind the %s", name)
		}
	}
}

// addToScalars returns a copy of sig with deltas[i] added to the scalar at
// position i from the end of the encoding (0 is z_r, 1 is z_sk, 2 is z).
func addToScalars(t *testing.T, sig *Signature, deltas map[int]*ristretto.Scalar) *Signature {
	t.Helper()
	b := sig.Bytes()
	for i, d := range deltas {
		o := len(b) - (i+1)*ristretto.ScalarSize
		v, _ := new(ristretto.Scalar).SetCanonicalBytes(b[o : o+ristretto.ScalarSize])
		copy(b[o:], v.Add(v, d).Bytes())
	}
	out, err := ParseSignature(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWeightsAreIndependent: changes that cancel when checks are summed
// with equal weights, within one signature or across two signatures of a
// batch, are still caught.
func TestWeightsAreIndependent(t *testing.T) {
	const zR, z = 0, 2
	f := newFixture(t, 9, 41)
	delta := testScalar(f.rng)
	negDelta := new(ristretto.Scalar).Negate(delta)
	// z + δ and z_r − δ: both multiply g (checks 3 and 5) and pk_O
	// (checks 4 and 6).
	shifted := addToScalars(t, f.sig, map[int]*ristretto.Scalar{z: delta, zR: negDelta})
	if err := Verify(f.ring, f.opener.Public(), f.msg, shifted); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("Verify with z + δ, z_r − δ: %v", err)
	}
	// z + δ in one signature and z − δ in another on the same ring.
	sig2 := testSign(t, f.rng, f.privs[f.slot], f.ring, f.opener.Public(), f.msg)
	errs := VerifyBatch([]BatchItem{
		{f.ring, f.opener.Public(), f.msg, addToScalars(t, f.sig, map[int]*ristretto.Scalar{z: delta})},
		{f.ring, f.opener.Public(), f.msg, addToScalars(t, sig2, map[int]*ristretto.Scalar{z: negDelta})},
		{f.ring, f.opener.Public(), f.msg, f.sig},
	})
	if !errors.Is(errs[0], ErrInvalidSignature) || !errors.Is(errs[1], ErrInvalidSignature) || errs[2] != nil {
		t.Fatalf("VerifyBatch with opposite errors in two signatures: %v", errs)
	}
}
