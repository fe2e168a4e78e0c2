package trs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"testing"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// q is the group order, little-endian.
var orderLE = []byte{
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
}

func TestParsePrivateKeyRejects(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty": nil, "short": make([]byte, 31), "long": make([]byte, 33),
		"zero": make([]byte, 32), "order": orderLE, "all ones": bytes.Repeat([]byte{0xff}, 32),
	} {
		if k, err := ParsePrivateKey(b); k != nil || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, %v", name, k, err)
		}
	}
}

func TestParsePublicKeyRejects(t *testing.T) {
	g := ristretto.NewGeneratorElement().Bytes()
	negS := bytes.Clone(g)
	negS[0] |= 1 // odd s is negative
	for name, b := range map[string][]byte{
		"empty": nil, "short": g[:31], "long": append(bytes.Clone(g), 0),
		"identity": make([]byte, 32), "negative s": negS, "non-canonical": bytes.Repeat([]byte{0xff}, 32),
	} {
		if k, err := ParsePublicKey(b); k != nil || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, %v", name, k, err)
		}
	}
}

func TestParseRingRejects(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	_, ring := testRing(t, rng, 3)
	good := ring.Bytes()
	swapped := bytes.Clone(good)
	copy(swapped[4:36], good[36:68])
	copy(swapped[36:68], good[4:36])
	dup := bytes.Clone(good)
	copy(dup[36:68], good[4:36])
	count := func(n uint32) []byte { b := bytes.Clone(good); binary.BigEndian.PutUint32(b, n); return b }
	withIdentity := bytes.Clone(good)
	copy(withIdentity[4:36], make([]byte, 32))
	for name, b := range map[string][]byte{
		"empty": nil, "count only": good[:4], "zero count": count(0), "count too big": count(4),
		"count too small": count(2), "huge count": count(MaxRingSize + 1), "truncated": good[:len(good)-1],
		"trailing": append(bytes.Clone(good), 0), "unsorted": swapped, "duplicate": dup,
		"identity key": withIdentity,
	} {
		if r, err := ParseRing(b); r != nil || err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewRing(nil); err == nil {
		t.Error("empty ring accepted")
	}
	if _, err := NewRing([]*PublicKey{ring.Key(0), nil}); err == nil {
		t.Error("nil key accepted")
	}
	big := make([]*PublicKey, MaxRingSize+1)
	for i := range big {
		big[i] = ring.Key(0)
	}
	if _, err := NewRing(big); err == nil {
		t.Error("oversized ring accepted")
	}
}

func TestParseSignatureRejects(t *testing.T) {
	f := newFixture(t, 2, 10)
	good := f.sig.Bytes()
	with := func(off int, v []byte) []byte { b := bytes.Clone(good); copy(b[off:], v); return b }
	for name, b := range map[string][]byte{
		"empty": nil, "A1 only": good[:32], "odd length": good[:len(good)-1],
		"half pair": good[:len(good)-32], "trailing": append(bytes.Clone(good), 0),
		"identity A1":   with(0, make([]byte, 32)),
		"bad A1":        with(0, bytes.Repeat([]byte{0xff}, 32)),
		"c_1 = q":       with(32, orderLE),
		"z_2 = q":       with(32+3*32, orderLE),
		"too many keys": make([]byte, SignatureSize(MaxRingSize+1)),
	} {
		if s, err := ParseSignature(b); s != nil || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestNilAndForeignInputs(t *testing.T) {
	f := newFixture(t, 2, 11)
	nilRingTag := NewTag([]byte("x"), nil)
	if _, err := Sign(nil, f.tag, nil); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if _, err := Sign(f.privs[0], nil, nil); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if _, err := Sign(f.privs[0], nilRingTag, nil); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if err := Verify(nil, f.msg, f.sig); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if err := Verify(f.tag, f.msg, nil); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if err := Verify(f.tag, f.msg, &Signature{}); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if _, err := Sign(new(PrivateKey), f.tag, nil); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if _, err := NewRing([]*PublicKey{new(PublicKey)}); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if _, err := new(Index).CheckAndAdd(ctx, f.tag, f.msg, f.sig); !errors.Is(err, ErrInvalidInput) {
		t.Error(err)
	}
	if _, err := Sign(f.privs[0], NewTag(nil, new(Ring)), nil); !errors.Is(err, ErrNotInRing) {
		t.Error(err)
	}
	if err := Verify(NewTag(nil, new(Ring)), f.msg, f.sig); !errors.Is(err, ErrRingMismatch) {
		t.Error(err)
	}
	if _, err := Sign(testKey(f.rng), f.tag, nil); !errors.Is(err, ErrNotInRing) {
		t.Error(err)
	}
	if _, err := Trace(f.tag, f.msg, f.sig, f.msg, nil); err == nil {
		t.Error("Trace with a nil signature")
	}
	errs := VerifyBatch([]BatchItem{{}, {Tag: f.tag, Message: f.msg, Signature: f.sig}})
	if errs[0] == nil || errs[1] != nil {
		t.Error(errs)
	}
	if len(VerifyBatch(nil)) != 0 {
		t.Error("VerifyBatch(nil)")
	}
}

func TestWrongRingSize(t *testing.T) {
	f := newFixture(t, 3, 12)
	_, ring4 := testRing(t, f.rng, 4)
	if err := Verify(NewTag(f.issue, ring4), f.msg, f.sig); !errors.Is(err, ErrRingMismatch) {
		t.Fatalf("got %v", err)
	}
}

func TestVerifyBatchReportsFailures(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	privs, ring := testRing(t, rng, 4)
	tag := NewTag([]byte("b"), ring)
	items := make([]BatchItem, 23)
	for i := range items {
		msg := []byte{byte(i)}
		items[i] = BatchItem{Tag: tag, Message: msg, Signature: testSign(t, rng, privs[i%4], tag, msg)}
	}
	bad := map[int]bool{0: true, 7: true, 22: true}
	for i := range bad {
		items[i].Message = []byte("tampered")
	}
	for i, err := range VerifyBatch(items) {
		if (err != nil) != bad[i] {
			t.Errorf("item %d: %v", i, err)
		}
		if bad[i] && !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("item %d: %v", i, err)
		}
	}
}

func TestGenerateKey(t *testing.T) {
	k1, err1 := GenerateKey()
	k2, err2 := GenerateKey()
	if err1 != nil || err2 != nil || k1.Public().Equal(k2.Public()) {
		t.Fatal("GenerateKey")
	}
	if k1.Public().Equal(nil) || !(*PublicKey)(nil).Equal(nil) {
		t.Fatal("Equal with nil")
	}
}

func TestKindString(t *testing.T) {
	for k, s := range map[Kind]string{Indep: "indep", Linked: "linked", Revealed: "revealed", Fresh: "fresh", 0: "Kind(0)"} {
		if k.String() != s {
			t.Errorf("%d: %q", int(k), k.String())
		}
	}
}
