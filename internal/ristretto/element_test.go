package ristretto

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"

	"filippo.io/edwards25519"
)

// generatorEncoding is the encoding of the generator (RFC 9496 Appendix A.1).
const generatorEncoding = "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"

// randomElement returns k·g for an edge-weighted k, or the element derived
// from 64 random bytes, with equal probability.
func randomElement(rng *rand.Rand) *Element {
	if rng.IntN(2) == 0 {
		return new(Element).ScalarBaseMult(randomScalar(rng))
	}
	e, err := new(Element).SetUniformBytes(randomBytes(rng, UniformBytesSize))
	if err != nil {
		panic(err)
	}
	return e
}

func mustDecodeElement(t testing.TB, h string) *Element {
	t.Helper()
	e, err := new(Element).SetCanonicalBytes(decodeHex(t, h))
	if err != nil {
		t.Fatalf("decoding %s: %v", h, err)
	}
	return e
}

// torsionPoints returns the four points of the 4-torsion subgroup E[4] of
// edwards25519: (0, 1), (0, −1) and (±√−1, 0). Adding any of them to an
// internal representative gives another representative of the same
// ristretto255 element (RFC 9496 §3).
func torsionPoints(t testing.TB) []*edwards25519.Point {
	t.Helper()
	var points []*edwards25519.Point
	for _, h := range []string{
		"0100000000000000000000000000000000000000000000000000000000000000", // y = 1
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = −1
		"0000000000000000000000000000000000000000000000000000000000000000", // y = 0, x ≥ 0
		"0000000000000000000000000000000000000000000000000000000000000080", // y = 0, x < 0
	} {
		p, err := new(edwards25519.Point).SetBytes(decodeHex(t, h))
		if err != nil {
			t.Fatalf("edwards25519 rejected %s: %v", h, err)
		}
		four := new(edwards25519.Point).Add(p, p)
		four.Add(four, four)
		if four.Equal(edwards25519.NewIdentityPoint()) != 1 {
			t.Fatalf("%s is not 4-torsion", h)
		}
		points = append(points, p)
	}
	return points
}

// withTorsion returns the representative e + T of the element e.
func withTorsion(e *Element, T *edwards25519.Point) *Element {
	r := new(Element)
	r.p.Add(&e.p, T)
	return r
}

func TestIdentity(t *testing.T) {
	zeros := make([]byte, ElementSize)
	id := NewIdentityElement()
	if !bytes.Equal(id.Bytes(), zeros) {
		t.Errorf("identity encodes to %x", id.Bytes())
	}
	if decoded := mustDecodeElement(t, hex.EncodeToString(zeros)); decoded.IsIdentity() != 1 || decoded.Equal(id) != 1 {
		t.Errorf("32 zero bytes do not decode to the identity")
	}
	g := NewGeneratorElement()
	if g.IsIdentity() != 0 {
		t.Errorf("generator IsIdentity = 1")
	}
	if got := hex.EncodeToString(g.Bytes()); got != generatorEncoding {
		t.Errorf("generator encodes to %s", got)
	}

	rng := newTestRand(t)
	for range rounds(100) {
		P := randomElement(rng)
		zero := new(Scalar)
		minusOne := new(Scalar).Negate(new(Scalar).SetUint64(1))
		qMinusOneTimesP := new(Element).ScalarMult(minusOne, P)
		ids := map[string]*Element{
			"P − P":             new(Element).Subtract(P, P),
			"P + (−P)":          new(Element).Add(P, new(Element).Negate(P)),
			"(q−1)·P + P":       new(Element).Add(qMinusOneTimesP, P),
			"0·g":               new(Element).ScalarBaseMult(zero),
			"0·P":               new(Element).ScalarMult(zero, P),
			"0·P + 0·g":         new(Element).VarTimeDoubleScalarBaseMult(zero, P, zero),
			"empty sum":         new(Element).Set(P).MultiScalarMult(nil, nil),
			"empty vartime sum": new(Element).Set(P).VarTimeMultiScalarMult(nil, nil),
		}
		for name, e := range ids {
			if e.IsIdentity() != 1 || e.Equal(id) != 1 || !bytes.Equal(e.Bytes(), zeros) {
				t.Errorf("%s is not the identity: %x", name, e.Bytes())
			}
		}
		if P.IsIdentity() == 1 && P.Equal(id) != 1 {
			t.Errorf("IsIdentity and Equal(identity) disagree on %x", P.Bytes())
		}
	}
}

func TestElementRejectsNonCanonicalFieldEncodings(t *testing.T) {
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	le := func(x *big.Int) []byte { return leFromBig(x, ElementSize) }
	bad := map[string][]byte{
		"2^255−1": le(new(big.Int).Add(p, big.NewInt(18))),
		"2^255":   le(new(big.Int).Lsh(big.NewInt(1), 255)),
		"2^256−1": bytes.Repeat([]byte{0xff}, ElementSize),
		"generator|2^255": func() []byte {
			b := decodeHex(t, generatorEncoding)
			b[31] |= 0x80
			return b
		}(),
	}
	// p + s is the non-canonical encoding of s for s < 19; the even ones
	// would otherwise pass the sign check.
	for s := int64(0); s < 19; s++ {
		bad["p+"+big.NewInt(s).String()] = le(new(big.Int).Add(p, big.NewInt(s)))
	}
	sentinel := NewGeneratorElement()
	for name, in := range bad {
		v := NewGeneratorElement()
		if out, err := v.SetCanonicalBytes(in); err == nil || out != nil {
			t.Errorf("%s (%x): SetCanonicalBytes = %v, %v", name, in, out, err)
		}
		if v.Equal(sentinel) != 1 || hex.EncodeToString(v.Bytes()) != generatorEncoding {
			t.Errorf("%s: receiver modified on error", name)
		}
	}
}

// TestElementBadLengths checks that every byte-consuming function given a
// wrong-length input fails cleanly and leaves the receiver unchanged.
func TestElementBadLengths(t *testing.T) {
	for _, n := range []int{0, 1, 31, 33, 63, 64, 65} {
		for _, in := range [][]byte{make([]byte, n), bytes.Repeat([]byte{0x2a}, n)} {
			v := NewGeneratorElement()
			if out, err := v.SetCanonicalBytes(in); err == nil || out != nil {
				t.Errorf("SetCanonicalBytes(%d bytes) = %v, %v", n, out, err)
			}
			if hex.EncodeToString(v.Bytes()) != generatorEncoding {
				t.Errorf("SetCanonicalBytes(%d bytes) modified the receiver", n)
			}
		}
	}
	if out, err := NewGeneratorElement().SetCanonicalBytes(nil); err == nil || out != nil {
		t.Errorf("SetCanonicalBytes(nil) = %v, %v", out, err)
	}
	for _, n := range []int{0, 1, 31, 32, 33, 63, 65, 128} {
		v := NewGeneratorElement()
		if out, err := v.SetUniformBytes(make([]byte, n)); err == nil || out != nil {
			t.Errorf("SetUniformBytes(%d bytes) = %v, %v", n, out, err)
		}
		if hex.EncodeToString(v.Bytes()) != generatorEncoding {
			t.Errorf("SetUniformBytes(%d bytes) modified the receiver", n)
		}
	}
}

func TestElementEncodingRoundTrip(t *testing.T) {
	rng := newTestRand(t)
	for range rounds(1000) {
		P := randomElement(rng)
		enc := P.Bytes()
		Q, err := new(Element).SetCanonicalBytes(enc)
		if err != nil {
			t.Fatalf("encoding %x of a valid element rejected: %v", enc, err)
		}
		if Q.Equal(P) != 1 || P.Equal(Q) != 1 || Q.Equal(Q) != 1 || !bytes.Equal(Q.Bytes(), enc) {
			t.Fatalf("%x does not round-trip", enc)
		}
		prefix := randomBytes(rng, rng.IntN(40))
		if got := P.AppendBytes(bytes.Clone(prefix)); !bytes.Equal(got, append(prefix, enc...)) {
			t.Fatalf("AppendBytes = %x, want %x‖%x", got, prefix, enc)
		}
	}
}

// TestElementRepresentatives checks that every operation treats the four
// internal representatives P + E[4] of an element alike. The representatives
// are only reachable from inside the package.
func TestElementRepresentatives(t *testing.T) {
	rng := newTestRand(t)
	torsion := torsionPoints(t)
	for i, T := range torsion {
		r := withTorsion(NewIdentityElement(), T)
		if r.IsIdentity() != 1 || r.Equal(NewIdentityElement()) != 1 || !bytes.Equal(r.Bytes(), make([]byte, 32)) {
			t.Errorf("torsion point %d is not the identity element: %x", i, r.Bytes())
		}
	}
	for range rounds(200) {
		P := randomElement(rng)
		k := randomScalar(rng)
		enc := P.Bytes()
		doubled := AppendDoubledEncodings(nil, []*Element{P})
		kP := new(Element).ScalarMult(k, P).Bytes()
		for i, T := range torsion[1:] {
			R := withTorsion(P, T)
			if R.p.Equal(&P.p) == 1 {
				t.Fatalf("torsion point %d did not change the representative", i+1)
			}
			if R.Equal(P) != 1 || P.Equal(R) != 1 {
				t.Fatalf("P + T%d not Equal to P", i+1)
			}
			if R.IsIdentity() != P.IsIdentity() {
				t.Fatalf("IsIdentity(P + T%d) ≠ IsIdentity(P)", i+1)
			}
			if !bytes.Equal(R.Bytes(), enc) {
				t.Fatalf("P + T%d encodes to %x, P to %x", i+1, R.Bytes(), enc)
			}
			if got := AppendDoubledEncodings(nil, []*Element{R}); !bytes.Equal(got, doubled) {
				t.Fatalf("AppendDoubledEncodings(P + T%d) = %x, want %x", i+1, got, doubled)
			}
			if got := new(Element).ScalarMult(k, R).Bytes(); !bytes.Equal(got, kP) {
				t.Fatalf("k·(P + T%d) encodes differently from k·P", i+1)
			}
			other := randomElement(rng)
			if (R.Equal(other) == 1) != bytes.Equal(other.Bytes(), enc) {
				t.Fatalf("Equal(P + T%d, Q) disagrees with the encodings", i+1)
			}
		}
	}
}

func TestElementSelect(t *testing.T) {
	rng := newTestRand(t)
	for range rounds(100) {
		a, b := randomElement(rng), randomElement(rng)
		if got := new(Element).Select(a, b, 1); got.Equal(a) != 1 || !bytes.Equal(got.Bytes(), a.Bytes()) {
			t.Fatalf("Select(a, b, 1) ≠ a")
		}
		if got := new(Element).Select(a, b, 0); got.Equal(b) != 1 || !bytes.Equal(got.Bytes(), b.Bytes()) {
			t.Fatalf("Select(a, b, 0) ≠ b")
		}
	}
}

func TestElementSetIsACopy(t *testing.T) {
	g := NewGeneratorElement()
	e := new(Element).Set(g)
	g.Add(g, g)
	if e.Equal(NewGeneratorElement()) != 1 || e.Equal(g) != 0 {
		t.Errorf("Set shares state with its argument")
	}
}

func TestScalarMultProperties(t *testing.T) {
	rng := newTestRand(t)
	g := NewGeneratorElement()
	for range rounds(300) {
		a, b := randomScalar(rng), randomScalar(rng)
		P := randomElement(rng)
		aP := new(Element).ScalarMult(a, P)
		// (a + b)·P = a·P + b·P
		lhs := new(Element).ScalarMult(new(Scalar).Add(a, b), P)
		if rhs := new(Element).Add(aP, new(Element).ScalarMult(b, P)); lhs.Equal(rhs) != 1 {
			t.Fatalf("(a+b)·P ≠ a·P + b·P")
		}
		// (ab)·P = a·(b·P)
		lhs.ScalarMult(new(Scalar).Multiply(a, b), P)
		if rhs := new(Element).ScalarMult(a, new(Element).ScalarMult(b, P)); lhs.Equal(rhs) != 1 {
			t.Fatalf("(ab)·P ≠ a·(b·P)")
		}
		// (−a)·P = −(a·P)
		lhs.ScalarMult(new(Scalar).Negate(a), P)
		if rhs := new(Element).Negate(aP); lhs.Equal(rhs) != 1 {
			t.Fatalf("(−a)·P ≠ −(a·P)")
		}
		// a·g computed three ways
		base := new(Element).ScalarBaseMult(a)
		if base.Equal(new(Element).ScalarMult(a, g)) != 1 ||
			base.Equal(new(Element).VarTimeDoubleScalarBaseMult(new(Scalar), P, a)) != 1 {
			t.Fatalf("ScalarBaseMult(a) ≠ ScalarMult(a, g)")
		}
		// P − Q + Q = P
		Q := randomElement(rng)
		if d := new(Element).Subtract(P, Q); d.Add(d, Q).Equal(P) != 1 {
			t.Fatalf("P − Q + Q ≠ P")
		}
	}
}

func TestMultiScalarMultLengthMismatch(t *testing.T) {
	for name, f := range map[string]func(){
		"MultiScalarMult": func() {
			new(Element).MultiScalarMult([]*Scalar{new(Scalar)}, nil)
		},
		"VarTimeMultiScalarMult": func() {
			new(Element).VarTimeMultiScalarMult(nil, []*Element{NewGeneratorElement()})
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with different lengths did not panic", name)
				}
			}()
			f()
		}()
	}
}

// TestHashDSTLimits checks the documented domain separation tag bounds:
// 1 to 255 bytes work, anything else panics (DSTs are constants, so this is
// a programming error, not an input error).
func TestHashDSTLimits(t *testing.T) {
	for _, n := range []int{1, 255} {
		dst := bytes.Repeat([]byte{'d'}, n)
		if HashToGroup(dst, []byte("msg")) == nil || HashToScalar(dst, []byte("msg")) == nil {
			t.Errorf("%d-byte DST returned nil", n)
		}
	}
	for _, n := range []int{0, 256, 1000} {
		dst := bytes.Repeat([]byte{'d'}, n)
		for name, f := range map[string]func(){
			"HashToGroup":  func() { HashToGroup(dst, nil) },
			"HashToScalar": func() { HashToScalar(dst, nil) },
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s with a %d-byte DST did not panic", name, n)
					}
				}()
				f()
			}()
		}
	}
}

// testAllocationsSink keeps results alive so the compiler cannot drop the
// operations measured by TestAllocations.
var testAllocationsSink byte

// TestAllocations asserts zero allocations where the implementation achieves
// it, and logs the count of everything else.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	rng := newTestRand(t)
	P, Q := randomElement(rng), randomElement(rng)
	a, b := randomScalar(rng), randomScalar(rng)
	enc, scalarEnc := P.Bytes(), a.Bytes()
	uniform := randomBytes(rng, UniformBytesSize)
	buf := make([]byte, 0, 2*ElementSize)
	var v Element
	var s Scalar
	scalars := []*Scalar{a, b}
	elements := []*Element{P, Q}
	batch := []*Element{P, Q, P, Q}
	batchBuf := make([]byte, 0, len(batch)*ElementSize)

	tests := []struct {
		name string
		zero bool
		f    func()
	}{
		{"Element.Add", true, func() { v.Add(P, Q) }},
		{"Element.Subtract", true, func() { v.Subtract(P, Q) }},
		{"Element.Negate", true, func() { v.Negate(P) }},
		{"Element.Equal", true, func() { testAllocationsSink ^= byte(P.Equal(Q)) }},
		{"Element.IsIdentity", true, func() { testAllocationsSink ^= byte(P.IsIdentity()) }},
		{"Element.ScalarMult", true, func() { v.ScalarMult(a, P) }},
		{"Element.ScalarBaseMult", true, func() { v.ScalarBaseMult(a) }},
		{"Element.VarTimeDoubleScalarBaseMult", true, func() { v.VarTimeDoubleScalarBaseMult(a, P, b) }},
		{"Element.AppendBytes with capacity", true, func() { buf = P.AppendBytes(buf[:0]) }},
		{"Element.SetCanonicalBytes", true, func() { v.SetCanonicalBytes(enc) }},
		{"Element.SetUniformBytes", true, func() { v.SetUniformBytes(uniform) }},
		{"Scalar arithmetic", true, func() {
			s.MultiplyAdd(a, b, a)
			s.Add(&s, b).Subtract(&s, a).Negate(&s).Invert(&s).Select(a, &s, 1)
		}},
		{"Scalar.AppendBytes with capacity", true, func() { buf = s.AppendBytes(buf[:0]) }},
		{"Scalar.SetCanonicalBytes", true, func() { s.SetCanonicalBytes(scalarEnc) }},
		{"Element.Bytes", false, func() { testAllocationsSink ^= P.Bytes()[0] }},
		{"Scalar.Bytes", false, func() { testAllocationsSink ^= a.Bytes()[0] }},
		{"Element.MultiScalarMult(2)", false, func() { v.MultiScalarMult(scalars, elements) }},
		{"Element.VarTimeMultiScalarMult(2)", false, func() { v.VarTimeMultiScalarMult(scalars, elements) }},
		{"AppendDoubledEncodings(4) with capacity", false, func() { batchBuf = AppendDoubledEncodings(batchBuf[:0], batch) }},
		{"HashToGroup", false, func() { HashToGroup([]byte("dst"), enc) }},
		{"HashToScalar", false, func() { HashToScalar([]byte("dst"), enc) }},
	}
	for _, tt := range tests {
		allocs := testing.AllocsPerRun(100, tt.f)
		t.Logf("%-42s %v allocs/op", tt.name, allocs)
		if tt.zero && allocs != 0 {
			t.Errorf("%s: %v allocations, want 0", tt.name, allocs)
		}
	}
}

// TestConcurrentUse shares elements and scalars between goroutines that
// only read them; under -race it checks that no operation writes package
// state or its arguments.
func TestConcurrentUse(t *testing.T) {
	rng := newTestRand(t)
	const n = 8
	elements := make([]*Element, n)
	scalars := make([]*Scalar, n)
	for i := range n {
		elements[i], scalars[i] = randomElement(rng), randomScalar(rng)
	}
	want := make([][]byte, n)
	for i := range n {
		e := new(Element).ScalarMult(scalars[i], elements[i])
		e.Add(e, HashToGroup([]byte("concurrent"), elements[i].Bytes()))
		want[i] = AppendDoubledEncodings(e.Bytes(), elements)
	}
	var wg sync.WaitGroup
	for w := range 4 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range rounds(20) {
				i := (w + j) % n
				d, err := new(Element).SetCanonicalBytes(elements[i].Bytes())
				if err != nil {
					t.Error(err)
					return
				}
				e := new(Element).ScalarMult(scalars[i], d)
				e.Add(e, HashToGroup([]byte("concurrent"), elements[i].Bytes()))
				if got := AppendDoubledEncodings(e.Bytes(), elements); !bytes.Equal(got, want[i]) {
					t.Errorf("goroutine %d: result %d differs", w, i)
					return
				}
			}
		}()
	}
	wg.Wait()
}
