package arsig

import "testing"

func TestQuick(t *testing.T) {
	op, _ := GenerateOpenerKey()
	for _, n := range []int{1, 2, 3, 5, 16, 17, 70} {
		var privs []*PrivateKey
		var pubs []*PublicKey
		for range n {
			k, _ := GenerateKey()
			privs = append(privs, k)
			pubs = append(pubs, k.Public())
		}
		ring, err := NewRing(pubs)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range privs {
			sig, err := Sign(k, ring, op.Public(), []byte("hi"))
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(ring, op.Public(), []byte("hi"), sig); err != nil {
				t.Fatalf("N=%d: %v", n, err)
			}
			if err := Verify(ring, op.Public(), []byte("ho"), sig); err == nil {
				t.Fatalf("N=%d: wrong msg verified", n)
			}
			s2, err := ParseSignature(sig.Bytes())
			if err != nil || Verify(ring, op.Public(), []byte("hi"), s2) != nil {
				t.Fatal("parse", err)
			}
		}
		t.Logf("N=%d n=%d m=%d size=%d", n, ring.params.Base, ring.params.Digits, len(privs))
	}
}

func TestQuickOpen(t *testing.T) {
	op, _ := GenerateOpenerKey()
	var privs []*PrivateKey
	var pubs []*PublicKey
	for range 10 {
		k, _ := GenerateKey()
		privs = append(privs, k)
		pubs = append(pubs, k.Public())
	}
	ring, _ := NewRing(pubs)
	var items []BatchItem
	for i, k := range privs {
		msg := []byte{byte(i)}
		sig, _ := Sign(k, ring, op.Public(), msg)
		o, err := op.Open(ring, msg, sig)
		if err != nil || !o.Signer().Equal(k.Public()) {
			t.Fatal(err)
		}
		if err := VerifyOpening(ring, op.Public(), msg, sig, o); err != nil {
			t.Fatal(err)
		}
		o2, _ := ParseOpening(o.Bytes())
		if err := VerifyOpening(ring, op.Public(), msg, sig, o2); err != nil {
			t.Fatal(err)
		}
		bad := &Opening{signer: privs[(i+1)%10].Public(), e: o.e, s: o.s}
		if err := VerifyOpening(ring, op.Public(), msg, sig, bad); err == nil {
			t.Fatal("framed")
		}
		items = append(items, BatchItem{ring, op.Public(), msg, sig})
	}
	for _, e := range VerifyBatch(items) {
		if e != nil {
			t.Fatal(e)
		}
	}
	items[3].Message = []byte("x")
	items[7].Message = []byte("x")
	errs := VerifyBatch(items)
	for i, e := range errs {
		if (e != nil) != (i == 3 || i == 7) {
			t.Fatal(i, e)
		}
	}
}
