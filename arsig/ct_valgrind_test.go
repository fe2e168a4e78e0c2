//go:build valgrind

package arsig

// Constant-time check of signing and opening under valgrind memcheck. Run
// from the repository root with the command of the package documentation:
//
//	GODEBUG=asyncpreemptoff=1 go test -tags valgrind -ldflags='-s=false -w=false -compressdwarf=false' -exec 'valgrind -q --leak-check=no --error-exitcode=1 --suppressions=../trs/testdata/valgrind.supp' -run TestValgrind ./arsig/
//
// (needs cgo, valgrind and valgrind/memcheck.h; package internal/memcheck
// marks the memory; the suppressions are trs's, for two branches in
// filippo.io/edwards25519 whose outcome is the same for every valid
// secret; --leak-check=no because valgrind 3.19's leak check at exit trips
// over the Go runtime's heap annotations). The tests mark as undefined memory the member's private key and
// the public key it derives (hence the signer's position, which Sign finds
// by comparing it with every ring key), and for Open the opener key;
// memcheck then reports any conditional jump, memory index or system call
// that depends on them. Values that are published (the ciphertext, the
// commitments, the responses, the decrypted signer key and the opening's
// proof) are declassified inside Sign and Open. A clean run exits 0; any
// report exits 1.
//
// TestValgrindControl holds deliberate leaks (a variable-time scalar
// multiplication by the key, an early-exit search for the position, and a
// secret bit turned into a scalar through SetUint64, the path NewProver
// used to take); it shows that the method catches them, and is skipped
// unless ARSIG_VALGRIND_CONTROL=1.

import (
	"math/rand"
	"os"
	"testing"
	"unsafe"

	"github.com/ringtrace/ringtrace/internal/memcheck"
	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

func classifyKey(k *PrivateKey) {
	memcheck.Classify(unsafe.Pointer(&k.sk), unsafe.Sizeof(k.sk))
	memcheck.Classify(unsafe.Pointer(k.pub), unsafe.Sizeof(*k.pub))
}

func declassifyKey(k *PrivateKey) {
	memcheck.Declassify(unsafe.Pointer(&k.sk), unsafe.Sizeof(k.sk))
	memcheck.Declassify(unsafe.Pointer(k.pub), unsafe.Sizeof(*k.pub))
}

// TestValgrindSign signs at every position of rings of several sizes, in
// the default base and in base 2 (the most digits, and padding for every
// size that is not a power of two).
func TestValgrindSign(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	opener := testOpener(rng)
	msg := []byte("valgrind")
	for _, n := range []int{1, 3, 7} {
		privs, ring := testRing(t, rng, n)
		for _, base := range []int{ring.params.Base, 2} {
			for slot, p := range privs {
				// A private copy, so that the ring's public keys stay defined.
				k := newPrivateKey(&p.sk)
				var rnd [transcript.RandomSize]byte
				rng.Read(rnd[:])
				classifyKey(k)
				sig, err := sign(k, ring, opener.Public(), msg, &rnd, oneofmany.Params{Base: base})
				declassifyKey(k)
				if err != nil {
					t.Fatal(err)
				}
				if err := Verify(ring, opener.Public(), msg, sig); err != nil {
					t.Fatalf("n=%d base %d slot %d: %v", n, base, slot, err)
				}
			}
		}
	}
	// Sign itself, with its own randomness, once.
	privs, ring := testRing(t, rng, 5)
	k := newPrivateKey(&privs[2].sk)
	classifyKey(k)
	sig, err := Sign(k, ring, opener.Public(), msg)
	declassifyKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(ring, opener.Public(), msg, sig); err != nil {
		t.Fatal(err)
	}
}

// TestValgrindOpen opens signatures by several members with the opener key
// marked undefined, and checks each opening.
func TestValgrindOpen(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	privs, ring := testRing(t, rng, 6)
	dk := testScalar(rng)
	opener := newOpenerKey(dk)
	msg := []byte("valgrind open")
	for _, slot := range []int{0, 3, 5} {
		sig := testSign(t, rng, privs[slot], ring, opener.Public(), msg)
		memcheck.Classify(unsafe.Pointer(&opener.dk), unsafe.Sizeof(opener.dk))
		o, err := opener.Open(ring, msg, sig)
		memcheck.Declassify(unsafe.Pointer(&opener.dk), unsafe.Sizeof(opener.dk))
		if err != nil {
			t.Fatal(err)
		}
		if o.Index() != slot {
			t.Fatalf("opened slot %d, signed in %d", o.Index(), slot)
		}
		if err := VerifyOpening(ring, opener.Public(), msg, sig, o); err != nil {
			t.Fatal(err)
		}
	}
}

func TestValgrindControl(t *testing.T) {
	if os.Getenv("ARSIG_VALGRIND_CONTROL") != "1" {
		t.Skip("set ARSIG_VALGRIND_CONTROL=1 to run the deliberate leaks")
	}
	rng := rand.New(rand.NewSource(18))
	privs, ring := testRing(t, rng, 4)
	k := newPrivateKey(&privs[1].sk)
	classifyKey(k)
	// Leak 1: a variable-time scalar multiplication by the key.
	var zero ristretto.Scalar
	new(ristretto.Element).VarTimeDoubleScalarBaseMult(&k.sk, generator, &zero)
	// Leak 2: the early-exit search for the position that Sign must not do.
	ring.IndexOf(k.pub)
	// Leak 3: a secret bit made a scalar through SetUint64, whose
	// SetCanonicalBytes branches on it.
	bit := uint64(k.pub.enc[0] & 1)
	new(ristretto.Scalar).SetUint64(bit)
	declassifyKey(k)
}
