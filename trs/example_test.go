package trs_test

import (
	"context"
	"fmt"

	"github.com/ringtrace/ringtrace/trs"
)

// newRing makes n members and returns their keys and canonical ring.
func newRing(n int) ([]*trs.PrivateKey, *trs.Ring) {
	privs := make([]*trs.PrivateKey, n)
	pubs := make([]*trs.PublicKey, n)
	for i := range privs {
		k, err := trs.GenerateKey()
		if err != nil {
			panic(err)
		}
		privs[i], pubs[i] = k, k.Public()
	}
	ring, err := trs.NewRing(pubs)
	if err != nil {
		panic(err)
	}
	return privs, ring
}

func Example() {
	privs, ring := newRing(5)
	tag := trs.NewTag([]byte("sale-2026-11-21/7"), ring)

	sig, err := trs.Sign(privs[2], tag, []byte("exit plaza 12"))
	if err != nil {
		panic(err)
	}
	fmt.Println("signature bytes:", len(sig.Bytes()) == trs.SignatureSize(ring.Len()))

	if err := trs.Verify(tag, []byte("exit plaza 12"), sig); err == nil {
		fmt.Println("valid")
	}
	if err := trs.Verify(tag, []byte("exit plaza 13"), sig); err != nil {
		fmt.Println(err)
	}
	// Output:
	// signature bytes: true
	// valid
	// trs: invalid signature: challenge does not match the sum of the c_j
}

func ExampleTrace() {
	privs, ring := newRing(5)
	tag := trs.NewTag([]byte("sale-2026-11-21/7"), ring)
	cheat := privs[3]

	sig1, _ := trs.Sign(cheat, tag, []byte("trip to A"))
	sig2, _ := trs.Sign(cheat, tag, []byte("trip to B"))
	res, err := trs.Trace(tag, []byte("trip to A"), sig1, []byte("trip to B"), sig2)
	if err != nil {
		panic(err)
	}
	fmt.Println("kind:", res.Kind)
	fmt.Println("revealed:", res.Key.Equal(cheat.Public()))
	// Output:
	// kind: revealed
	// revealed: true
}

func ExampleIndex() {
	privs, ring := newRing(4)
	tag := trs.NewTag([]byte("sale-9"), ring)
	spent := trs.NewIndex(trs.NewMemoryStore())
	ctx := context.Background()

	ticket, _ := trs.Sign(privs[0], tag, []byte("exit 1"))
	res, _ := spent.CheckAndAdd(ctx, tag, []byte("exit 1"), ticket)
	fmt.Println("first use:", res.Kind)

	res, _ = spent.CheckAndAdd(ctx, tag, []byte("exit 1"), ticket)
	fmt.Println("replay:", res.Kind)

	again, _ := trs.Sign(privs[0], tag, []byte("exit 2"))
	res, _ = spent.CheckAndAdd(ctx, tag, []byte("exit 2"), again)
	fmt.Println("second use:", res.Kind, res.Key.Equal(privs[0].Public()))
	// Output:
	// first use: fresh
	// replay: linked
	// second use: revealed true
}
