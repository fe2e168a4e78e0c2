package trs_test

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/gtank/ristretto255"

	"github.com/ringtrace/ringtrace/trs"
)

// capturingStore records the fingerprints an Index hands its store.
type capturingStore struct {
	trs.Store
	fps []uint64
}

func (s *capturingStore) CheckAndAdd(ctx context.Context, r trs.Record, fps []uint64, decide func([]trs.Match) (bool, error)) error {
	s.fps = slices.Clone(fps)
	return s.Store.CheckAndAdd(ctx, r, fps, decide)
}

// TestStoreFormatFingerprints recomputes the fingerprints of StoreFormat 1
// (docs/spec/trs.md §8.2) from a record's A0 and A1 with
// gtank/ristretto255, an implementation independent of this module's:
//
//	σ_j = A0 + j·A1,  fp_j = LE64(enc(2·σ_j)[0:8]) XOR (j · 0x9e3779b97f4a7c15 mod 2^64)
//
// They must equal what an Index hands its store and Record.Fingerprints.
// A change here is a new StoreFormat.
func TestStoreFormatFingerprints(t *testing.T) {
	if trs.StoreFormat != 1 {
		t.Fatalf("StoreFormat %d: docs/spec/trs.md §8 and this test describe 1", trs.StoreFormat)
	}
	const n = 9
	pubs := make([]*trs.PublicKey, n)
	var signer *trs.PrivateKey
	for i := range pubs {
		k, err := trs.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		pubs[i], signer = k.Public(), k
	}
	ring, err := trs.NewRing(pubs)
	if err != nil {
		t.Fatal(err)
	}
	tag := trs.NewTag([]byte("store format"), ring)
	msg := []byte("exit")
	sig, err := trs.Sign(signer, tag, msg)
	if err != nil {
		t.Fatal(err)
	}
	store := &capturingStore{Store: trs.NewMemoryStore()}
	if _, err := trs.NewIndex(store).CheckAndAdd(context.Background(), tag, msg, sig); err != nil {
		t.Fatal(err)
	}
	a, err := trs.Accept(tag, msg, sig)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Record()
	if len(r.Bytes()) != trs.RecordSize || trs.RecordSize != 128 || r.Tag != tag.Digest() {
		t.Fatal("record is not tagDigest[64] || enc(A0)[32] || enc(A1)[32]")
	}
	if a1 := sig.Bytes()[:32]; !slices.Equal(r.A1[:], a1) {
		t.Fatal("record A1 is not the signature's A1")
	}

	a0, err := ristretto255.NewIdentityElement().SetCanonicalBytes(r.A0[:])
	if err != nil {
		t.Fatal(err)
	}
	a1, err := ristretto255.NewIdentityElement().SetCanonicalBytes(r.A1[:])
	if err != nil {
		t.Fatal(err)
	}
	want := make([]uint64, n)
	sigma := ristretto255.NewIdentityElement().Set(a0)
	for j := 1; j <= n; j++ {
		sigma.Add(sigma, a1) // σ_j = A0 + j·A1
		doubled := ristretto255.NewIdentityElement().Add(sigma, sigma)
		want[j-1] = binary.LittleEndian.Uint64(doubled.Bytes()[:8]) ^ uint64(j)*0x9e3779b97f4a7c15
	}
	if !slices.Equal(store.fps, want) {
		t.Fatalf("Index fingerprints\n got %x\nwant %x", store.fps, want)
	}
	if fps, err := r.Fingerprints(n); err != nil || !slices.Equal(fps, want) {
		t.Fatalf("Record.Fingerprints: %x, %v", fps, err)
	}
}
