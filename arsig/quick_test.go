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
