package arsig

import (
	"math/rand"
	"testing"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// testScalar returns a non-zero scalar from a deterministic source.
func testScalar(rng *rand.Rand) *ristretto.Scalar {
	var b [64]byte
	for {
		rng.Read(b[:])
		x, _ := new(ristretto.Scalar).SetUniformBytes(b[:])
		if x.IsZero() == 0 {
			return x
		}
	}
}

func testKey(rng *rand.Rand) *PrivateKey { return newPrivateKey(testScalar(rng)) }

func testOpener(rng *rand.Rand) *OpenerKey { return newOpenerKey(testScalar(rng)) }

// testRing returns n deterministic keys and their canonical ring; privs[k]
// is the key in slot k of the ring.
func testRing(tb testing.TB, rng *rand.Rand, n int) ([]*PrivateKey, *Ring) {
	tb.Helper()
	privs := make([]*PrivateKey, n)
	pubs := make([]*PublicKey, n)
	for i := range privs {
		privs[i] = testKey(rng)
		pubs[i] = privs[i].Public()
	}
	ring, err := NewRing(pubs)
	if err != nil {
		tb.Fatal(err)
	}
	bySlot := make([]*PrivateKey, n)
	for _, p := range privs {
		k, ok := ring.IndexOf(p.Public())
		if !ok {
			tb.Fatal("key missing from ring")
		}
		bySlot[k] = p
	}
	return bySlot, ring
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	rng.Read(b)
	return b
}

// testSign signs with nonce randomness from rng and the default base.
func testSign(tb testing.TB, rng *rand.Rand, priv *PrivateKey, ring *Ring, opener *OpenerPublicKey, msg []byte) *Signature {
	tb.Helper()
	return testSignBase(tb, rng, priv, ring, opener, msg, ring.params.Base)
}

// testSignBase signs in base n.
func testSignBase(tb testing.TB, rng *rand.Rand, priv *PrivateKey, ring *Ring, opener *OpenerPublicKey, msg []byte, n int) *Signature {
	tb.Helper()
	var rnd [transcript.RandomSize]byte
	rng.Read(rnd[:])
	sig, err := sign(priv, ring, opener, msg, &rnd, oneofmany.Params{Base: n})
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}

// fixture is one signed message under a deterministic ring.
type fixture struct {
	rng    *rand.Rand
	privs  []*PrivateKey
	ring   *Ring
	opener *OpenerKey
	slot   int
	msg    []byte
	sig    *Signature
}

func newFixture(tb testing.TB, n int, seed int64) *fixture {
	tb.Helper()
	f := &fixture{rng: rand.New(rand.NewSource(seed))}
	f.privs, f.ring = testRing(tb, f.rng, n)
	f.opener = testOpener(f.rng)
	f.slot = f.rng.Intn(n)
	f.msg = randomBytes(f.rng, f.rng.Intn(40))
	f.sig = testSign(tb, f.rng, f.privs[f.slot], f.ring, f.opener.Public(), f.msg)
	return f
}

func (f *fixture) open(tb testing.TB) *Opening {
	tb.Helper()
	var rnd [transcript.RandomSize]byte
	f.rng.Read(rnd[:])
	o, err := f.opener.open(f.ring, f.msg, f.sig, &rnd)
	if err != nil {
		tb.Fatal(err)
	}
	return o
}
