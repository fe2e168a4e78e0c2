package trs

import (
	"bytes"
	"math/rand"
	"testing"
)

// Each target checks that a parser never panics, returns nothing with an
// error, and re-encodes accepted bytes identically (no malleability).

func seedCorpus(f *testing.F) *fixture { return newFixture(f, 3, 15) }

func FuzzParsePublicKey(f *testing.F) {
	fx := seedCorpus(f)
	f.Add(fx.ring.Key(0).Bytes())
	f.Add(make([]byte, 32))
	f.Add(orderLE)
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePublicKey(b)
		if (k == nil) == (err == nil) {
			t.Fatal("exactly one of key and error must be nil")
		}
		if k != nil && !bytes.Equal(k.Bytes(), b) {
			t.Fatal("accepted bytes do not re-encode identically")
		}
	})
}

func FuzzParsePrivateKey(f *testing.F) {
	fx := seedCorpus(f)
	f.Add(fx.privs[0].Bytes())
	f.Add(make([]byte, 32))
	f.Add(orderLE)
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePrivateKey(b)
		if (k == nil) == (err == nil) {
			t.Fatal("exactly one of key and error must be nil")
		}
		if k != nil && !bytes.Equal(k.Bytes(), b) {
			t.Fatal("accepted bytes do not re-encode identically")
		}
	})
}

func FuzzParseRing(f *testing.F) {
	fx := seedCorpus(f)
	f.Add(fx.ring.Bytes())
	f.Add([]byte{0, 0, 0, 1})
	_, one := testRing(f, rand.New(rand.NewSource(1)), 1)
	f.Add(one.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRing(b)
		if (r == nil) == (err == nil) {
			t.Fatal("exactly one of ring and error must be nil")
		}
		if r == nil {
			return
		}
		if !bytes.Equal(r.Bytes(), b) {
			t.Fatal("accepted bytes do not re-encode identically")
		}
		keys := make([]*PublicKey, r.Len())
		for i := range keys {
			keys[i] = r.Key(i)
		}
		r2, err := NewRing(keys)
		if err != nil || !bytes.Equal(r2.Bytes(), b) {
			t.Fatal("a parsed ring is not canonical")
		}
	})
}

func FuzzParseSignature(f *testing.F) {
	fx := seedCorpus(f)
	f.Add(fx.sig.Bytes())
	f.Add(make([]byte, SignatureSize(1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSignature(b)
		if (s == nil) == (err == nil) {
			t.Fatal("exactly one of signature and error must be nil")
		}
		if s == nil {
			return
		}
		if !bytes.Equal(s.Bytes(), b) || SignatureSize(s.RingSize()) != len(b) {
			t.Fatal("accepted bytes do not re-encode identically")
		}
		// Verifying arbitrary bytes must not panic, and nothing but the
		// seed signature verifies (anything else would be a forgery).
		if Verify(fx.tag, fx.msg, s) == nil && !bytes.Equal(b, fx.sig.Bytes()) {
			t.Fatal("a mutated signature verifies")
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	fx := seedCorpus(f)
	a, err := Accept(fx.tag, fx.msg, fx.sig)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(a.Record().Bytes())
	f.Add(make([]byte, RecordSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRecord(b)
		if err != nil {
			if r != (Record{}) {
				t.Fatal("a rejected record is not the zero value")
			}
			return
		}
		if !bytes.Equal(r.Bytes(), b) {
			t.Fatal("accepted bytes do not re-encode identically")
		}
		if _, err := r.Fingerprints(3); err != nil {
			t.Fatal("an accepted record has no fingerprints:", err)
		}
	})
}
