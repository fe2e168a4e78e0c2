package trs

import (
	"bytes"
	"crypto/sha512"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// challengeInputs recomputes, from a valid signature, every value the
// challenge absorbs, so that each test below can change exactly one.
type challengeInputs struct {
	tag    *Tag
	msg    []byte
	a0, a1 *ristretto.Element
	a, b   []*ristretto.Element
	sum    *ristretto.Scalar
}

func inputsOf(t *testing.T, f *fixture) *challengeInputs {
	t.Helper()
	v, err := verify(f.tag, f.msg, f.sig)
	if err != nil {
		t.Fatal(err)
	}
	in := &challengeInputs{tag: f.tag, msg: f.msg, a0: &v.a0, a1: &f.sig.a1, sum: new(ristretto.Scalar)}
	// The plain formulas of spec §5.3, without the tables of commitments.
	sigma := make([]ristretto.Element, len(f.sig.c))
	sigmaChain(sigma, &v.a0, &f.sig.a1)
	for j := range f.sig.c {
		a := new(ristretto.Element).VarTimeDoubleScalarBaseMult(&f.sig.c[j], &f.ring.keys[j].e, &f.sig.z[j])
		b := new(ristretto.Element).VarTimeMultiScalarMult(
			[]*ristretto.Scalar{&f.sig.z[j], &f.sig.c[j]}, []*ristretto.Element{&f.tag.h, &sigma[j]})
		in.a, in.b = append(in.a, a), append(in.b, b)
		in.sum.Add(in.sum, &f.sig.c[j])
	}
	if challenge(in.tag, in.msg, in.a0, in.a1, in.a, in.b).Equal(in.sum) != 1 {
		t.Fatal("recomputed inputs do not reproduce the challenge")
	}
	return in
}

func (in *challengeInputs) assertChanged(t *testing.T, what string) {
	t.Helper()
	if challenge(in.tag, in.msg, in.a0, in.a1, in.a, in.b).Equal(in.sum) == 1 {
		t.Fatalf("changing %s does not change the challenge", what)
	}
}

func bindingFixture(t *testing.T) *fixture { return newFixture(t, 5, 99) }

func TestChallengeBindsIssue(t *testing.T) {
	f := bindingFixture(t)
	in := inputsOf(t, f)
	in.tag = NewTag(append(bytes.Clone(f.issue), 0), f.ring)
	in.assertChanged(t, "the issue")
	// Moving a byte between issue and ring must not help either: the
	// issue is length-prefixed in the tag digest.
	if NewTag([]byte("ab"), f.ring).Digest() == NewTag([]byte("a"), f.ring).Digest() {
		t.Fatal("issue not length-bound")
	}
}

func TestChallengeBindsRing(t *testing.T) {
	f := bindingFixture(t)
	for k := range f.ring.Len() {
		in := inputsOf(t, f)
		keys := slices.Clone(f.ring.keys)
		keys[k] = testKey(f.rng).Public()
		r, err := NewRing(keys)
		if err != nil {
			t.Fatal(err)
		}
		in.tag = NewTag(f.issue, r)
		in.assertChanged(t, "a ring key")
	}
	// A ring with one key fewer (the ring size is bound too).
	in := inputsOf(t, f)
	r, _ := NewRing(f.ring.keys[:f.ring.Len()-1])
	in.tag = NewTag(f.issue, r)
	in.assertChanged(t, "the ring size")
}

func TestChallengeBindsMessage(t *testing.T) {
	f := bindingFixture(t)
	in := inputsOf(t, f)
	in.msg = append(bytes.Clone(f.msg), 0)
	in.assertChanged(t, "the message")
}

func TestChallengeBindsA0(t *testing.T) {
	f := bindingFixture(t)
	in := inputsOf(t, f)
	in.a0 = new(ristretto.Element).Add(in.a0, ristretto.NewGeneratorElement())
	in.assertChanged(t, "A0")
}

func TestChallengeBindsA1(t *testing.T) {
	f := bindingFixture(t)
	in := inputsOf(t, f)
	in.a1 = new(ristretto.Element).Add(in.a1, ristretto.NewGeneratorElement())
	in.assertChanged(t, "A1")
}

func TestChallengeBindsEveryA(t *testing.T) {
	f := bindingFixture(t)
	for j := range f.sig.c {
		in := inputsOf(t, f)
		in.a[j] = new(ristretto.Element).Add(in.a[j], ristretto.NewGeneratorElement())
		in.assertChanged(t, "an a_j")
	}
}

func TestChallengeBindsEveryB(t *testing.T) {
	f := bindingFixture(t)
	for j := range f.sig.c {
		in := inputsOf(t, f)
		in.b[j] = new(ristretto.Element).Add(in.b[j], ristretto.NewGeneratorElement())
		in.assertChanged(t, "a b_j")
	}
	// Swapping the a and b lists is a different transcript.
	in := inputsOf(t, f)
	in.a, in.b = in.b, in.a
	in.assertChanged(t, "the order of the a and b lists")
}

// TestChallengeLayout rebuilds the challenge from the byte layout the
// package documentation gives, without the transcript package.
func TestChallengeLayout(t *testing.T) {
	f := bindingFixture(t)
	in := inputsOf(t, f)
	lp := func(dst, b []byte) []byte {
		dst = binary.BigEndian.AppendUint64(dst, uint64(len(b)))
		return append(dst, b...)
	}
	var buf []byte
	buf = lp(lp(buf, []byte("tag")), f.tag.digest[:])
	buf = lp(lp(buf, []byte("message")), f.msg)
	buf = append(lp(buf, []byte("A0")), in.a0.Bytes()...)
	buf = append(lp(buf, []byte("A1")), in.a1.Bytes()...)
	for _, list := range []struct {
		label string
		es    []*ristretto.Element
	}{{"a", in.a}, {"b", in.b}} {
		buf = lp(buf, []byte(list.label))
		buf = binary.BigEndian.AppendUint64(buf, uint64(len(list.es)))
		for _, e := range list.es {
			buf = append(buf, new(ristretto.Element).Add(e, e).Bytes()...)
		}
	}
	c := ristretto.HashToScalar([]byte("ringtrace-v1-TRS-challenge"), buf)
	if c.Equal(in.sum) != 1 {
		t.Fatal("challenge does not follow the documented layout")
	}

	// Tag digest, h and A0 (spec §2–§3).
	var td []byte
	td = lp(td, []byte("ringtrace-v1-TRS-tag"))
	td = lp(td, f.issue)
	td = binary.BigEndian.AppendUint32(td, uint32(f.ring.Len()))
	for _, k := range f.ring.keys {
		td = append(td, k.Bytes()...)
	}
	if sha512.Sum512(td) != f.tag.Digest() {
		t.Fatal("tag digest does not follow spec §2")
	}
	h := ristretto.HashToGroup([]byte("ringtrace-v1-TRS-H"), f.tag.digest[:])
	a0 := ristretto.HashToGroup([]byte("ringtrace-v1-TRS-A0"), lp(f.tag.digest[:], f.msg))
	if h.Equal(&f.tag.h) != 1 || a0.Equal(in.a0) != 1 {
		t.Fatal("h or A0 does not follow spec §3")
	}
}
