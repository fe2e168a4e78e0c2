package arsig_test

import (
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
)

// A service accepts usage signed by "some registered user"; the bill
// collector opens it and anyone can check the opening.
func Example() {
	// The bill collector (opener) and three registered users.
	collector, _ := arsig.GenerateOpenerKey()
	alice, _ := arsig.GenerateKey()
	bob, _ := arsig.GenerateKey()
	carol, _ := arsig.GenerateKey()
	ring, _ := arsig.NewRing([]*arsig.PublicKey{alice.Public(), bob.Public(), carol.Public()})

	// Bob signs a usage record. The service learns only that a member of
	// the ring signed it.
	record := []byte("service=storage amount=12 units=GiB-day time=2026-11-21T10:00Z nonce=7f3a")
	sig, err := arsig.Sign(bob, ring, collector.Public(), record)
	if err != nil {
		panic(err)
	}
	fmt.Println("service accepts:", arsig.Verify(ring, collector.Public(), record, sig) == nil)

	// The collector names the signer, with a proof.
	opening, err := collector.Open(ring, record, sig)
	if err != nil {
		panic(err)
	}
	fmt.Println("opened to Bob:", opening.Signer().Equal(bob.Public()))

	// Anyone (Bob, a judge) checks the invoice's opening.
	fmt.Println("opening verifies:", arsig.VerifyOpening(ring, collector.Public(), record, sig, opening) == nil)

	// Nobody can move the opening to another record.
	other := []byte("service=storage amount=999 units=GiB-day time=2026-11-21T10:00Z nonce=7f3a")
	err = arsig.VerifyOpening(ring, collector.Public(), other, sig, opening)
	fmt.Println("on another record:", errors.Is(err, arsig.ErrInvalidSignature))
	// Output:
	// service accepts: true
	// opened to Bob: true
	// opening verifies: true
	// on another record: true
}

// Signatures and openings travel as bytes; parsers are strict.
func ExampleParseSignature() {
	collector, _ := arsig.GenerateOpenerKey()
	user, _ := arsig.GenerateKey()
	other, _ := arsig.GenerateKey()
	ring, _ := arsig.NewRing([]*arsig.PublicKey{user.Public(), other.Public()})
	msg := []byte("usage record")

	sig, _ := arsig.Sign(user, ring, collector.Public(), msg)
	wire := sig.Bytes()
	fmt.Println("size:", len(wire) == arsig.SignatureSize(ring.Len()))

	parsed, err := arsig.ParseSignature(wire)
	fmt.Println("parsed:", err == nil, arsig.Verify(ring, collector.Public(), msg, parsed) == nil)

	_, err = arsig.ParseSignature(wire[:len(wire)-1])
	fmt.Println("truncated:", errors.Is(err, arsig.ErrMalformed))
	// Output:
	// size: true
	// parsed: true true
	// truncated: true
}

// Many usage records on one ring are checked together; the result says
// which ones failed.
func ExampleVerifyBatch() {
	collector, _ := arsig.GenerateOpenerKey()
	var users []*arsig.PrivateKey
	var pubs []*arsig.PublicKey
	for range 4 {
		u, _ := arsig.GenerateKey()
		users = append(users, u)
		pubs = append(pubs, u.Public())
	}
	ring, _ := arsig.NewRing(pubs)
	var items []arsig.BatchItem
	for i, u := range users {
		msg := fmt.Appendf(nil, "record %d", i)
		sig, _ := arsig.Sign(u, ring, collector.Public(), msg)
		items = append(items, arsig.BatchItem{Ring: ring, Opener: collector.Public(), Message: msg, Signature: sig})
	}
	items[2].Message = []byte("tampered")
	for i, err := range arsig.VerifyBatch(items) {
		fmt.Println(i, err)
	}
	// Output:
	// 0 <nil>
	// 1 <nil>
	// 2 arsig: invalid signature
	// 3 <nil>
}
