//go:build valgrind

package trs

// Constant-time check of signing under valgrind memcheck. Run from the
// repository root with the command of the package documentation:
//
//	GODEBUG=asyncpreemptoff=1 go test -tags valgrind -ldflags='-s=false -w=false -compressdwarf=false' -exec 'valgrind -q --error-exitcode=1 --suppressions=testdata/valgrind.supp' -run TestValgrind ./trs/
//
// (needs cgo, valgrind and its headers, valgrind/memcheck.h; package
// internal/memcheck marks the memory). The build tag also switches on the
// Go runtime's valgrind support. The test marks the
// private key, and the public key it derives (hence the signer's position,
// which Sign finds by comparing it with the ring), as undefined memory;
// memcheck then reports any conditional jump, memory index or system call
// that depends on them. Values that are published (A1, the signature) or
// random and independent of the secrets (the simulated c_j, z_j) are
// declassified inside sign. A clean run exits 0; any report exits 1.
//
// TestValgrindControl holds deliberate leaks (variable-time scalar
// multiplications by the key, with and without a fixed-base table, and an
// early-exit search for the position); it
// shows that the method catches them, and is skipped unless
// TRS_VALGRIND_CONTROL=1.

import (
	"math/rand"
	"os"
	"runtime/debug"
	"testing"
	"unsafe"

	"github.com/ringtrace/ringtrace/internal/memcheck"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// TestMain turns the garbage collector off. With the Go runtime's valgrind
// support, memcheck's leak check at exit aborts ("Block … overlaps with
// block …", "the 'impossible' happened") once a collection has let an
// allocation reuse a freed block, which a few dozen signatures cause; the
// check allocates little, so it runs without collections.
func TestMain(m *testing.M) {
	debug.SetGCPercent(-1)
	os.Exit(m.Run())
}

func classifyKey(k *PrivateKey) {
	memcheck.Classify(unsafe.Pointer(&k.x), unsafe.Sizeof(k.x))
	memcheck.Classify(unsafe.Pointer(k.pub), unsafe.Sizeof(*k.pub))
}

func declassifyKey(k *PrivateKey) {
	declassify(unsafe.Pointer(&k.x), unsafe.Sizeof(k.x))
	declassify(unsafe.Pointer(k.pub), unsafe.Sizeof(*k.pub))
}

// TestValgrindSign signs at every slot of rings whose commitments take
// each path of commitments.go: Straus' method (n = 1, 2, 7 on a fresh
// tag), fixed-base tables of h, A0 and A1 (n = 12), and tables of A0 and
// A1 with the tag's own table of h (n = 7 once the tag has been used
// enough to build it, which the test makes happen under a secret key).
func TestValgrindSign(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	signAt := func(tag *Tag, p *PrivateKey, slot int) {
		t.Helper()
		// A private copy, so that the ring's public keys stay defined.
		k := newPrivateKey(&p.x)
		classifyKey(k)
		sig, err := Sign(k, tag, []byte("message"))
		declassifyKey(k)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(tag, []byte("message"), sig); err != nil {
			t.Fatalf("n=%d slot %d: %v", tag.ring.Len(), slot, err)
		}
	}
	for _, n := range []int{1, 2, 7, 12} {
		privs, ring := testRing(t, rng, n)
		tag := NewTag([]byte("valgrind"), ring)
		for slot, p := range privs {
			signAt(tag, p, slot)
		}
		if n == 7 {
			for tag.hBase.Load() == nil {
				signAt(tag, privs[3], 3)
			}
			for slot, p := range privs {
				signAt(tag, p, slot)
			}
		}
	}
}

func TestValgrindControl(t *testing.T) {
	if os.Getenv("TRS_VALGRIND_CONTROL") != "1" {
		t.Skip("set TRS_VALGRIND_CONTROL=1 to run the deliberate leak")
	}
	k := testKey(rand.New(rand.NewSource(17)))
	classifyKey(k)
	var zero ristretto.Scalar
	// Leak 1: a variable-time scalar multiplication by the key.
	new(ristretto.Element).VarTimeDoubleScalarBaseMult(&k.x, ristretto.NewGeneratorElement(), &zero)
	// Leak 2: a multiplication by the key through a fixed-base table,
	// the variable-time path Sign keeps for public values.
	new(ristretto.Element).VarTimeMultiScalarMultTables([]*ristretto.Scalar{&k.x}, []*ristretto.BaseTable{ristretto.GeneratorTable()})
	// Leak 3: the early-exit search Sign must not do.
	_, ring := testRing(t, rand.New(rand.NewSource(18)), 4)
	for j := range ring.keys {
		if ring.keys[j].ctEqual(&k.pub.enc) == 1 {
			break
		}
	}
	declassifyKey(k)
}
