package ristretto

// Differential tests against two independent implementations:
// github.com/gtank/ristretto255 (the RFC 9496 layer written separately on
// the same filippo.io/edwards25519) and circl's group.Ristretto255 (built on
// github.com/bwesterb/go-ristretto, which shares no code with either).
// Values cross between the libraries only as encodings.

import (
	"bytes"
	"fmt"
	"math/big"
	"testing"

	"github.com/cloudflare/circl/group"
	gtank "github.com/gtank/ristretto255"
)

var circl = group.Ristretto255

func toGtankElement(t testing.TB, e *Element) *gtank.Element {
	t.Helper()
	g, err := gtank.NewIdentityElement().SetCanonicalBytes(e.Bytes())
	if err != nil {
		t.Fatalf("gtank rejected %x: %v", e.Bytes(), err)
	}
	return g
}

func toCirclElement(t testing.TB, e *Element) group.Element {
	t.Helper()
	c := circl.NewElement()
	if err := c.UnmarshalBinary(e.Bytes()); err != nil {
		t.Fatalf("circl rejected %x: %v", e.Bytes(), err)
	}
	return c
}

func toGtankScalar(t testing.TB, s *Scalar) *gtank.Scalar {
	t.Helper()
	g, err := gtank.NewScalar().SetCanonicalBytes(s.Bytes())
	if err != nil {
		t.Fatalf("gtank rejected scalar %x: %v", s.Bytes(), err)
	}
	return g
}

// toCirclScalar relies on circl's ristretto255 scalars being little-endian
// like ours; TestDifferentialScalarEncoding checks that assumption.
func toCirclScalar(t testing.TB, s *Scalar) group.Scalar {
	t.Helper()
	c := circl.NewScalar()
	if err := c.UnmarshalBinary(s.Bytes()); err != nil {
		t.Fatalf("circl rejected scalar %x: %v", s.Bytes(), err)
	}
	return c
}

func circlBytes(t testing.TB, m interface{ MarshalBinary() ([]byte, error) }) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkSame fails unless our element, gtank's and circl's all encode to the
// same bytes.
func checkSame(t testing.TB, what string, ours *Element, g *gtank.Element, c group.Element) {
	t.Helper()
	want := ours.Bytes()
	if g != nil && !bytes.Equal(g.Bytes(), want) {
		t.Fatalf("%s: ours %x, gtank %x", what, want, g.Bytes())
	}
	if c != nil {
		if got := circlBytes(t, c); !bytes.Equal(got, want) {
			t.Fatalf("%s: ours %x, circl %x", what, want, got)
		}
	}
}

func TestDifferentialScalarEncoding(t *testing.T) {
	// circl's scalars must be little-endian for the conversions above to
	// mean anything: 1 and 256 are not symmetric under byte reversal.
	for _, v := range []uint64{1, 256, 1 << 60} {
		ours := new(Scalar).SetUint64(v)
		c := circl.NewScalar().SetUint64(v)
		if got := circlBytes(t, c); !bytes.Equal(got, ours.Bytes()) {
			t.Fatalf("circl encodes %d as %x, we as %x", v, got, ours.Bytes())
		}
		if got := toGtankScalar(t, ours).Bytes(); !bytes.Equal(got, ours.Bytes()) {
			t.Fatalf("gtank encodes %d as %x", v, got)
		}
	}
}

// decodeAll decodes in with all three implementations and fails if they
// disagree on acceptance or on the re-encoding. It returns whether in was
// accepted.
func decodeAll(t testing.TB, in []byte) bool {
	t.Helper()
	ours, errOurs := NewGeneratorElement().SetCanonicalBytes(in)
	g, errGtank := gtank.NewIdentityElement().SetCanonicalBytes(in)
	c := circl.NewElement()
	errCircl := c.UnmarshalBinary(in)
	if (errOurs == nil) != (errGtank == nil) || (errOurs == nil) != (errCircl == nil) {
		t.Fatalf("%x: ours %v, gtank %v, circl %v", in, errOurs, errGtank, errCircl)
	}
	if errOurs != nil {
		return false
	}
	if !bytes.Equal(ours.Bytes(), in) {
		t.Fatalf("%x re-encodes to %x", in, ours.Bytes())
	}
	checkSame(t, fmt.Sprintf("decode(%x)", in), ours, g, c)
	return true
}

func TestDifferentialDecode(t *testing.T) {
	rng := newTestRand(t)
	n := rounds(2000)
	for range n {
		// Valid encodings.
		if !decodeAll(t, randomElement(rng).Bytes()) {
			t.Fatal("valid encoding rejected")
		}
	}
	// Random strings. Clearing the top bit and the sign bit makes about a
	// quarter of them valid (x² square, xy non-negative), so both outcomes
	// are exercised.
	var accepted, masked int
	for i := range n {
		in := randomBytes(rng, ElementSize)
		if i%2 == 0 {
			in[0] &^= 1
			in[31] &^= 0x80
			masked++
		}
		if decodeAll(t, in) {
			accepted++
		}
	}
	if accepted == 0 || accepted == masked {
		t.Fatalf("accepted %d of %d masked random strings", accepted, masked)
	}
	// Small values and their non-canonical aliases p + s.
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	for s := int64(0); s < 64; s++ {
		decodeAll(t, leFromBig(big.NewInt(s), ElementSize))
		decodeAll(t, leFromBig(new(big.Int).Sub(p, big.NewInt(s)), ElementSize))
		if s < 19 {
			decodeAll(t, leFromBig(new(big.Int).Add(p, big.NewInt(s)), ElementSize))
		}
	}
}

func TestDifferentialUniformBytes(t *testing.T) {
	rng := newTestRand(t)
	p := leFromBig(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19)), 32)
	for i := range rounds(2000) {
		in := randomBytes(rng, UniformBytesSize)
		// Exercise the masking of the top bits and the reduction of
		// non-canonical halves.
		switch i % 4 {
		case 1:
			copy(in[32*(i/4%2):], p)
			in[32*(i/4%2)] += byte(rng.IntN(19))
		case 2:
			in[31] |= 0x80
			in[63] |= 0x80
		}
		ours, err := new(Element).SetUniformBytes(in)
		if err != nil {
			t.Fatal(err)
		}
		g, err := gtank.NewIdentityElement().SetUniformBytes(in)
		if err != nil {
			t.Fatal(err)
		}
		checkSame(t, fmt.Sprintf("SetUniformBytes(%x)", in), ours, g, nil)
		if !decodeAll(t, ours.Bytes()) {
			t.Fatalf("SetUniformBytes(%x) is not a valid element", in)
		}
	}
}

func TestDifferentialGroupOperations(t *testing.T) {
	rng := newTestRand(t)
	for range rounds(2000) {
		P, Q := randomElement(rng), randomElement(rng)
		if rng.IntN(8) == 0 {
			Q.Set(P)
		}
		gP, gQ := toGtankElement(t, P), toGtankElement(t, Q)
		cP, cQ := toCirclElement(t, P), toCirclElement(t, Q)

		checkSame(t, "P + Q", new(Element).Add(P, Q), gtank.NewIdentityElement().Add(gP, gQ), circl.NewElement().Add(cP, cQ))
		checkSame(t, "P − Q", new(Element).Subtract(P, Q), gtank.NewIdentityElement().Subtract(gP, gQ),
			circl.NewElement().Add(cP, circl.NewElement().Neg(cQ)))
		checkSame(t, "−P", new(Element).Negate(P), gtank.NewIdentityElement().Negate(gP), circl.NewElement().Neg(cP))
		checkSame(t, "P + P", new(Element).Add(P, P), gtank.NewIdentityElement().Add(gP, gP), circl.NewElement().Dbl(cP))

		sameEncoding := bytes.Equal(P.Bytes(), Q.Bytes())
		if (P.Equal(Q) == 1) != sameEncoding || (P.Equal(Q) == 1) != cP.IsEqual(cQ) || P.Equal(Q) != gP.Equal(gQ) {
			t.Fatalf("Equal(%x, %x) = %d; circl %v", P.Bytes(), Q.Bytes(), P.Equal(Q), cP.IsEqual(cQ))
		}
		if (P.IsIdentity() == 1) != cP.IsIdentity() {
			t.Fatalf("IsIdentity(%x) = %d", P.Bytes(), P.IsIdentity())
		}
	}
}

func TestDifferentialEqualAcrossComputations(t *testing.T) {
	// The same element reached along different paths has different
	// internal coordinates; Equal must see through that.
	rng := newTestRand(t)
	for range rounds(500) {
		a, b := randomScalar(rng), randomScalar(rng)
		sum := new(Element).ScalarBaseMult(new(Scalar).Add(a, b))
		parts := new(Element).Add(new(Element).ScalarBaseMult(a), new(Element).ScalarBaseMult(b))
		decoded, err := new(Element).SetCanonicalBytes(sum.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if sum.Equal(parts) != 1 || parts.Equal(decoded) != 1 || !bytes.Equal(sum.Bytes(), parts.Bytes()) {
			t.Fatalf("(a+b)·g and a·g + b·g differ")
		}
		if c := toCirclElement(t, parts); !c.IsEqual(circl.NewElement().MulGen(toCirclScalar(t, new(Scalar).Add(a, b)))) {
			t.Fatalf("circl disagrees on (a+b)·g")
		}
	}
}

func TestDifferentialScalarMult(t *testing.T) {
	rng := newTestRand(t)
	for range rounds(2000) {
		k, P := randomScalar(rng), randomElement(rng)
		gk, ck := toGtankScalar(t, k), toCirclScalar(t, k)
		gP, cP := toGtankElement(t, P), toCirclElement(t, P)
		checkSame(t, "k·P", new(Element).ScalarMult(k, P), gtank.NewIdentityElement().ScalarMult(gk, gP), circl.NewElement().Mul(cP, ck))
		checkSame(t, "k·g", new(Element).ScalarBaseMult(k), gtank.NewIdentityElement().ScalarBaseMult(gk), circl.NewElement().MulGen(ck))
	}
}

func TestDifferentialDoubleScalarBaseMult(t *testing.T) {
	rng := newTestRand(t)
	for range rounds(2000) {
		a, b, A := randomScalar(rng), randomScalar(rng), randomElement(rng)
		ours := new(Element).VarTimeDoubleScalarBaseMult(a, A, b)
		g := gtank.NewIdentityElement().VarTimeDoubleScalarBaseMult(toGtankScalar(t, a), toGtankElement(t, A), toGtankScalar(t, b))
		c := circl.NewElement().Add(circl.NewElement().Mul(toCirclElement(t, A), toCirclScalar(t, a)),
			circl.NewElement().MulGen(toCirclScalar(t, b)))
		checkSame(t, "a·A + b·g", ours, g, c)
	}
}

func TestDifferentialMultiScalarMult(t *testing.T) {
	rng := newTestRand(t)
	for _, n := range []int{0, 1, 2, 7, 64} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			for range max(rounds(2000)/max(n, 4), 2) {
				scalars := make([]*Scalar, n)
				elements := make([]*Element, n)
				gs := make([]*gtank.Scalar, n)
				ges := make([]*gtank.Element, n)
				c := circl.Identity()
				for i := range n {
					scalars[i], elements[i] = randomScalar(rng), randomElement(rng)
					if i > 0 && rng.IntN(8) == 0 {
						elements[i].Set(elements[i-1]) // a repeated base
					}
					if rng.IntN(16) == 0 {
						elements[i] = NewIdentityElement()
					}
					gs[i], ges[i] = toGtankScalar(t, scalars[i]), toGtankElement(t, elements[i])
					c.Add(c, circl.NewElement().Mul(toCirclElement(t, elements[i]), toCirclScalar(t, scalars[i])))
				}
				want := gtank.NewIdentityElement().MultiScalarMult(gs, ges)
				checkSame(t, "MultiScalarMult", new(Element).MultiScalarMult(scalars, elements), want, c)
				checkSame(t, "VarTimeMultiScalarMult", new(Element).VarTimeMultiScalarMult(scalars, elements), want, c)
			}
		})
	}
}

func TestDifferentialHashToGroup(t *testing.T) {
	rng := newTestRand(t)
	for i := range rounds(2000) {
		dst := randomBytes(rng, 1+rng.IntN(255))
		msg := randomBytes(rng, rng.IntN(300))
		if i == 0 {
			msg = nil
		}
		ours := HashToGroup(dst, msg)
		checkSame(t, fmt.Sprintf("HashToGroup(%x, %x)", dst, msg), ours, nil, circl.HashToElement(msg, dst))

		s := HashToScalar(dst, msg)
		if got := circlBytes(t, circl.HashToScalar(msg, dst)); !bytes.Equal(got, s.Bytes()) {
			t.Fatalf("HashToScalar(%x, %x) = %x, circl %x", dst, msg, s.Bytes(), got)
		}
	}
}

func TestDifferentialScalarDecode(t *testing.T) {
	rng := newTestRand(t)
	q := leFromBig(groupOrder, ScalarSize)
	var accepted, rejected int
	for i := range rounds(4000) {
		in := randomBytes(rng, ScalarSize)
		switch i % 4 {
		case 1: // same top bytes as q, so the comparison reaches low limbs
			copy(in[16:], q[16:])
		case 2: // q ± a small value
			x := new(big.Int).Add(groupOrder, big.NewInt(int64(rng.IntN(512))-256))
			in = leFromBig(x, ScalarSize)
		case 3: // below 2^253, about half of them below q
			in[31] &= 0x1f
		}
		ours, errOurs := new(Scalar).SetCanonicalBytes(in)
		g, errGtank := gtank.NewScalar().SetCanonicalBytes(in)
		c := circl.NewScalar()
		errCircl := c.UnmarshalBinary(in)
		want := isCanonicalScalar(in)
		if (errOurs == nil) != want || (errGtank == nil) != want || (errCircl == nil) != want {
			t.Fatalf("%x: canonical %v; ours %v, gtank %v, circl %v", in, want, errOurs, errGtank, errCircl)
		}
		if !want {
			rejected++
			continue
		}
		accepted++
		if !bytes.Equal(ours.Bytes(), in) || !bytes.Equal(g.Bytes(), in) || !bytes.Equal(circlBytes(t, c), in) {
			t.Fatalf("%x does not round-trip", in)
		}
	}
	if accepted == 0 || rejected == 0 {
		t.Fatalf("accepted %d, rejected %d", accepted, rejected)
	}
}

func TestDifferentialScalarArithmetic(t *testing.T) {
	rng := newTestRand(t)
	for range rounds(2000) {
		x, y := randomScalar(rng), randomScalar(rng)
		gx, gy := toGtankScalar(t, x), toGtankScalar(t, y)
		cx, cy := toCirclScalar(t, x), toCirclScalar(t, y)
		check := func(op string, ours *Scalar, g *gtank.Scalar, c group.Scalar) {
			t.Helper()
			if !bytes.Equal(ours.Bytes(), g.Bytes()) || !bytes.Equal(ours.Bytes(), circlBytes(t, c)) {
				t.Fatalf("%s(%x, %x): ours %x, gtank %x, circl %x", op, x.Bytes(), y.Bytes(),
					ours.Bytes(), g.Bytes(), circlBytes(t, c))
			}
		}
		check("Add", new(Scalar).Add(x, y), gtank.NewScalar().Add(gx, gy), circl.NewScalar().Add(cx, cy))
		check("Subtract", new(Scalar).Subtract(x, y), gtank.NewScalar().Subtract(gx, gy), circl.NewScalar().Sub(cx, cy))
		check("Multiply", new(Scalar).Multiply(x, y), gtank.NewScalar().Multiply(gx, gy), circl.NewScalar().Mul(cx, cy))
		check("Negate", new(Scalar).Negate(x), gtank.NewScalar().Negate(gx), circl.NewScalar().Neg(cx))
		if x.IsZero() == 0 {
			check("Invert", new(Scalar).Invert(x), gtank.NewScalar().Invert(gx), circl.NewScalar().Inv(cx))
		}
		u := randomBytes(rng, UniformBytesSize)
		ours, _ := new(Scalar).SetUniformBytes(u)
		g, _ := gtank.NewScalar().SetUniformBytes(u)
		if !bytes.Equal(ours.Bytes(), g.Bytes()) {
			t.Fatalf("SetUniformBytes(%x): ours %x, gtank %x", u, ours.Bytes(), g.Bytes())
		}
	}
}

// TestAppendDoubledEncodings checks the batch encoder against encoding
// P + P one at a time, in our implementation and in gtank's.
func TestAppendDoubledEncodings(t *testing.T) {
	rng := newTestRand(t)
	torsion := torsionPoints(t)
	for _, n := range []int{0, 1, 2, 3, 100} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			for round := range max(rounds(400)/max(n, 4), 3) {
				elements := make([]*Element, n)
				var want []byte
				prefix := randomBytes(rng, rng.IntN(3)*7)
				want = append(want, prefix...)
				for i := range elements {
					switch {
					case round == 0: // a batch of identities only
						elements[i] = NewIdentityElement()
					case rng.IntN(4) == 0:
						elements[i] = new(Element).Subtract(NewGeneratorElement(), NewGeneratorElement())
					default:
						elements[i] = randomElement(rng)
					}
					if rng.IntN(4) == 0 {
						// Another internal representative of the same element.
						elements[i] = withTorsion(elements[i], torsion[rng.IntN(len(torsion))])
					}
					doubled := new(Element).Add(elements[i], elements[i]).Bytes()
					g := toGtankElement(t, elements[i])
					if gd := gtank.NewIdentityElement().Add(g, g).Bytes(); !bytes.Equal(gd, doubled) {
						t.Fatalf("2P: ours %x, gtank %x", doubled, gd)
					}
					want = append(want, doubled...)
				}
				got := AppendDoubledEncodings(bytes.Clone(prefix), elements)
				if !bytes.Equal(got, want) {
					t.Fatalf("AppendDoubledEncodings:\n got %x\nwant %x", got, want)
				}
			}
		})
	}
}
