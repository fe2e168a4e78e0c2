package ristretto

import (
	"bytes"
	"encoding/hex"
	"hash/fnv"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// groupOrder is q = 2^252 + 27742317777372353535851937790883648493, the
// oracle every scalar result is checked against.
var groupOrder = func() *big.Int {
	q, ok := new(big.Int).SetString("27742317777372353535851937790883648493", 10)
	if !ok {
		panic("bad constant")
	}
	return q.Add(q, new(big.Int).Lsh(big.NewInt(1), 252))
}()

// rounds scales an iteration count down by ten under -short.
func rounds(n int) int {
	if testing.Short() {
		return max(n/10, 1)
	}
	return n
}

// newTestRand returns a generator seeded from the test name, so that each
// test draws its own reproducible sequence whatever else runs.
func newTestRand(t testing.TB) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return rand.New(rand.NewPCG(h.Sum64(), 0x72696e6774726163))
}

// testSeed is the fixed gopter seed of every property test.
const testSeed = 0x5249535452455454

func propertyParameters() *gopter.TestParameters {
	params := gopter.DefaultTestParametersWithSeed(testSeed)
	params.MinSuccessfulTests = rounds(1000)
	return params
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func decodeHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// bigFromLE interprets b as a little-endian unsigned integer.
func bigFromLE(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

// leFromBig returns the n-byte little-endian encoding of x, which must fit.
func leFromBig(x *big.Int, n int) []byte {
	le := x.FillBytes(make([]byte, n))
	for i := 0; i < n/2; i++ {
		le[i], le[n-1-i] = le[n-1-i], le[i]
	}
	return le
}

func bigFromScalar(s *Scalar) *big.Int { return bigFromLE(s.Bytes()) }

// scalarFromBig returns x mod q as a Scalar.
func scalarFromBig(x *big.Int) *Scalar {
	r := new(big.Int).Mod(x, groupOrder)
	s, err := new(Scalar).SetCanonicalBytes(leFromBig(r, ScalarSize))
	if err != nil {
		panic(err)
	}
	return s
}

// edgeScalar maps a selector byte and 64 random bytes to a scalar, weighted
// towards the values where reductions go wrong: 0, 1, −1, 2, −2, small
// values, values just below q, and powers of two. About two thirds of the
// results are uniform.
func edgeScalar(kind byte, r []byte) *Scalar {
	x := new(big.Int)
	switch kind % 32 {
	case 0:
	case 1:
		x.SetInt64(1)
	case 2:
		x.Sub(groupOrder, big.NewInt(1))
	case 3:
		x.SetInt64(2)
	case 4:
		x.Sub(groupOrder, big.NewInt(2))
	case 5, 6:
		x = bigFromLE(r[:8])
	case 7, 8:
		x.Sub(groupOrder, big.NewInt(1)).Sub(x, bigFromLE(r[:8]))
	case 9:
		x.Lsh(big.NewInt(1), uint(r[8])%253)
	default:
		x = bigFromLE(r[:64])
	}
	return scalarFromBig(x)
}

func randomScalar(rng *rand.Rand) *Scalar {
	return edgeScalar(byte(rng.Uint32()), randomBytes(rng, 64))
}

// genScalar is the gopter generator behind edgeScalar.
func genScalar() gopter.Gen {
	return gen.SliceOfN(65, gen.UInt8()).Map(func(b []byte) *Scalar {
		return edgeScalar(b[0], b[1:])
	})
}

func TestScalarGenerator(t *testing.T) {
	// The edge cases must actually be drawn, or the properties below
	// would only ever see uniform scalars.
	rng := newTestRand(t)
	minusOne := new(big.Int).Sub(groupOrder, big.NewInt(1))
	var zero, one, negOne, small int
	for range 2000 {
		x := bigFromScalar(randomScalar(rng))
		if x.Cmp(groupOrder) >= 0 {
			t.Fatalf("generated unreduced scalar %v", x)
		}
		switch {
		case x.Sign() == 0:
			zero++
		case x.Cmp(big.NewInt(1)) == 0:
			one++
		case x.Cmp(minusOne) == 0:
			negOne++
		case x.BitLen() <= 64:
			small++
		}
	}
	if zero == 0 || one == 0 || negOne == 0 || small == 0 {
		t.Errorf("edge values not drawn: 0×%d 1×%d −1×%d small×%d", zero, one, negOne, small)
	}
}

func TestScalarArithmeticProperties(t *testing.T) {
	q := groupOrder
	mod := func(x *big.Int) *big.Int { return x.Mod(x, q) }
	is := func(s *Scalar, want *big.Int) bool {
		return bigFromScalar(s).Cmp(mod(want)) == 0 && isCanonicalScalar(s.Bytes())
	}

	properties := gopter.NewProperties(propertyParameters())
	properties.Property("Add", prop.ForAll(func(x, y *Scalar) bool {
		return is(new(Scalar).Add(x, y), new(big.Int).Add(bigFromScalar(x), bigFromScalar(y)))
	}, genScalar(), genScalar()))
	properties.Property("Subtract", prop.ForAll(func(x, y *Scalar) bool {
		return is(new(Scalar).Subtract(x, y), new(big.Int).Sub(bigFromScalar(x), bigFromScalar(y)))
	}, genScalar(), genScalar()))
	properties.Property("Negate", prop.ForAll(func(x *Scalar) bool {
		return is(new(Scalar).Negate(x), new(big.Int).Neg(bigFromScalar(x)))
	}, genScalar()))
	properties.Property("Multiply", prop.ForAll(func(x, y *Scalar) bool {
		return is(new(Scalar).Multiply(x, y), new(big.Int).Mul(bigFromScalar(x), bigFromScalar(y)))
	}, genScalar(), genScalar()))
	properties.Property("MultiplyAdd", prop.ForAll(func(x, y, z *Scalar) bool {
		want := new(big.Int).Mul(bigFromScalar(x), bigFromScalar(y))
		return is(new(Scalar).MultiplyAdd(x, y, z), want.Add(want, bigFromScalar(z)))
	}, genScalar(), genScalar(), genScalar()))
	properties.Property("Invert", prop.ForAll(func(x *Scalar) bool {
		inv := new(Scalar).Invert(x)
		if x.IsZero() == 1 {
			return inv.IsZero() == 1
		}
		one := new(Scalar).SetUint64(1)
		return is(inv, new(big.Int).ModInverse(bigFromScalar(x), q)) &&
			new(Scalar).Multiply(x, inv).Equal(one) == 1
	}, genScalar()))
	properties.Property("x − y + y = x and x + (−x) = 0", prop.ForAll(func(x, y *Scalar) bool {
		d := new(Scalar).Subtract(x, y)
		return d.Add(d, y).Equal(x) == 1 &&
			new(Scalar).Add(x, new(Scalar).Negate(x)).IsZero() == 1
	}, genScalar(), genScalar()))
	properties.Property("Equal and IsZero agree with the integers", prop.ForAll(func(x, y *Scalar, same bool) bool {
		if same {
			// An equal value computed differently: (x + y) − y.
			y = new(Scalar).Subtract(new(Scalar).Add(x, y), y)
		}
		bx, by := bigFromScalar(x), bigFromScalar(y)
		return (x.Equal(y) == 1) == (bx.Cmp(by) == 0) && (x.IsZero() == 1) == (bx.Sign() == 0)
	}, genScalar(), genScalar(), gen.Bool()))
	properties.Property("Bytes round-trips through SetCanonicalBytes", prop.ForAll(func(x *Scalar, prefix []byte) bool {
		enc := x.Bytes()
		y, err := new(Scalar).SetCanonicalBytes(enc)
		app := x.AppendBytes(bytes.Clone(prefix))
		return err == nil && y.Equal(x) == 1 && len(enc) == ScalarSize &&
			bytes.Equal(app, append(bytes.Clone(prefix), enc...))
	}, genScalar(), gen.SliceOf(gen.UInt8())))
	properties.Property("SetUniformBytes reduces 512 bits modulo q", prop.ForAll(func(b []byte) bool {
		s, err := new(Scalar).SetUniformBytes(b)
		return err == nil && is(s, bigFromLE(b))
	}, gen.SliceOfN(UniformBytesSize, gen.UInt8())))
	properties.Property("Select", prop.ForAll(func(a, b *Scalar) bool {
		return new(Scalar).Select(a, b, 1).Equal(a) == 1 &&
			new(Scalar).Select(a, b, 0).Equal(b) == 1
	}, genScalar(), genScalar()))
	properties.TestingRun(t)
}

// isCanonicalScalar reports whether b is a 32-byte little-endian integer
// below q, computed without the code under test.
func isCanonicalScalar(b []byte) bool {
	return len(b) == ScalarSize && bigFromLE(b).Cmp(groupOrder) < 0
}

func TestScalarCanonicalEdges(t *testing.T) {
	pow2 := func(k uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), k) }
	add := func(x *big.Int, k int64) *big.Int { return new(big.Int).Add(x, big.NewInt(k)) }
	q := groupOrder
	tests := []struct {
		name  string
		value *big.Int
		ok    bool
	}{
		{"0", big.NewInt(0), true},
		{"1", big.NewInt(1), true},
		{"2^252", pow2(252), true},
		{"q−1", add(q, -1), true},
		{"q", q, false},
		{"q+1", add(q, 1), false},
		{"2q", new(big.Int).Lsh(q, 1), false},
		{"2^253", pow2(253), false},
		{"2^255−19", add(pow2(255), -19), false},
		{"2^255−1", add(pow2(255), -1), false},
		{"(q−1)+2^255", new(big.Int).Add(add(q, -1), pow2(255)), false},
		{"1+2^255", add(pow2(255), 1), false},
		{"2^256−1 (all 0xff)", add(pow2(256), -1), false},
	}
	sentinel := new(Scalar).SetUint64(0x5eed)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := leFromBig(tt.value, ScalarSize)
			s := new(Scalar).Set(sentinel)
			out, err := s.SetCanonicalBytes(in)
			switch {
			case tt.ok && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.ok && (out != s || !bytes.Equal(s.Bytes(), in)):
				t.Fatalf("accepted as %x, want %x", s.Bytes(), in)
			case !tt.ok && err == nil:
				t.Fatalf("accepted non-canonical %x", in)
			case !tt.ok && out != nil:
				t.Fatalf("returned non-nil with an error")
			case !tt.ok && s.Equal(sentinel) != 1:
				t.Fatalf("modified the receiver on error")
			}
		})
	}
}

// TestScalarBadLengths checks that decoders given a wrong-length input fail
// cleanly and leave the receiver unchanged.
func TestScalarBadLengths(t *testing.T) {
	sentinel := new(Scalar).SetUint64(0x5eed)
	for _, n := range []int{0, 1, 31, 33, 63, 64, 65} {
		for _, in := range [][]byte{make([]byte, n), bytes.Repeat([]byte{0xff}, n)} {
			s := new(Scalar).Set(sentinel)
			if out, err := s.SetCanonicalBytes(in); err == nil || out != nil || s.Equal(sentinel) != 1 {
				t.Errorf("SetCanonicalBytes(%d bytes) = %v, %v; receiver changed: %v", n, out, err, s.Equal(sentinel) != 1)
			}
		}
	}
	if out, err := new(Scalar).SetCanonicalBytes(nil); err == nil || out != nil {
		t.Errorf("SetCanonicalBytes(nil) = %v, %v", out, err)
	}
	for _, n := range []int{0, 1, 31, 32, 33, 63, 65, 128} {
		s := new(Scalar).Set(sentinel)
		if out, err := s.SetUniformBytes(make([]byte, n)); err == nil || out != nil || s.Equal(sentinel) != 1 {
			t.Errorf("SetUniformBytes(%d bytes) = %v, %v; receiver changed: %v", n, out, err, s.Equal(sentinel) != 1)
		}
	}
}

func TestScalarZeroValue(t *testing.T) {
	var s Scalar
	if s.IsZero() != 1 || !bytes.Equal(s.Bytes(), make([]byte, ScalarSize)) {
		t.Errorf("zero Scalar is %x, want 0", s.Bytes())
	}
	if NewScalar().Equal(&s) != 1 {
		t.Errorf("NewScalar() is not 0")
	}
}

func TestScalarInvertZero(t *testing.T) {
	var zero Scalar
	s := new(Scalar).SetUint64(3)
	if s.Invert(&zero).IsZero() != 1 {
		t.Errorf("Invert(0) = %x, want 0", s.Bytes())
	}
}

func TestScalarSetUint64(t *testing.T) {
	rng := newTestRand(t)
	values := []uint64{0, 1, 2, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, 1<<64 - 1}
	for range 100 {
		values = append(values, rng.Uint64())
	}
	for _, v := range values {
		s := new(Scalar).SetUint64(v)
		if got := bigFromScalar(s); !got.IsUint64() || got.Uint64() != v {
			t.Errorf("SetUint64(%d) = %v", v, got)
		}
	}
}

func TestScalarSelectEdges(t *testing.T) {
	minusOne := new(Scalar).Negate(new(Scalar).SetUint64(1))
	values := []*Scalar{new(Scalar), new(Scalar).SetUint64(1), minusOne, new(Scalar).SetUint64(1 << 63)}
	for _, a := range values {
		for _, b := range values {
			if got := new(Scalar).Select(a, b, 1); got.Equal(a) != 1 {
				t.Errorf("Select(%x, %x, 1) = %x", a.Bytes(), b.Bytes(), got.Bytes())
			}
			if got := new(Scalar).Select(a, b, 0); got.Equal(b) != 1 {
				t.Errorf("Select(%x, %x, 0) = %x", a.Bytes(), b.Bytes(), got.Bytes())
			}
		}
	}
}
