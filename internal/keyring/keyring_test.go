package keyring

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

type key struct {
	e   ristretto.Element
	enc Encoding
}

func encOf(k *key) *Encoding {
	if k == nil {
		return nil
	}
	return &k.enc
}

func parseKey(b []byte) (*key, error) {
	k := new(key)
	if err := ParseElement(&k.e, b); err != nil {
		return nil, err
	}
	copy(k.enc[:], b)
	return k, nil
}

func testKeys(n int) []*key {
	keys := make([]*key, n)
	for i := range keys {
		k := new(key)
		k.e.ScalarBaseMult(new(ristretto.Scalar).SetUint64(uint64(1000 + 7*i)))
		copy(k.enc[:], k.e.Bytes())
		keys[i] = k
	}
	return keys
}

func TestCanonicalSortsAndIgnoresInputOrder(t *testing.T) {
	keys := testKeys(20)
	before := slices.Clone(keys)
	a, err := Canonical(keys, 100, encOf)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(a); i++ {
		if bytes.Compare(a[i-1].enc[:], a[i].enc[:]) >= 0 {
			t.Fatal("not strictly increasing")
		}
	}
	rev := slices.Clone(keys)
	slices.Reverse(rev)
	b, _ := Canonical(rev, 100, encOf)
	if !slices.Equal(a, b) {
		t.Fatal("the order of the input changes the canonical ring")
	}
	if !slices.Equal(keys, before) {
		t.Fatal("Canonical reordered its input")
	}
}

func TestCanonicalRefuses(t *testing.T) {
	keys := testKeys(3)
	for name, tc := range map[string]struct {
		keys []*key
		max  int
		want error
	}{
		"empty":     {nil, 10, ErrEmpty},
		"too large": {keys, 2, ErrTooLarge},
		"nil key":   {[]*key{keys[0], nil}, 10, ErrUninitialised},
		"zero key":  {[]*key{keys[0], new(key)}, 10, ErrUninitialised},
		"duplicate": {[]*key{keys[0], keys[1], keys[0]}, 10, ErrDuplicate},
		"equal enc": {[]*key{keys[2], {enc: keys[2].enc}}, 10, ErrDuplicate},
	} {
		if _, err := Canonical(tc.keys, tc.max, encOf); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

func TestParseRoundTrip(t *testing.T) {
	ring, _ := Canonical(testKeys(5), 10, encOf)
	b := Append(nil, ring, encOf)
	if len(b) != EncodingSize(5) {
		t.Fatalf("encoding is %d bytes, want %d", len(b), EncodingSize(5))
	}
	got, err := Parse(b, 10, parseKey, encOf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Append(nil, got, encOf), b) {
		t.Fatal("parsed ring re-encodes differently")
	}
}

func TestParseRefuses(t *testing.T) {
	ring, _ := Canonical(testKeys(3), 10, encOf)
	good := Append(nil, ring, encOf)
	swapped := slices.Clone(good)
	copy(swapped[4:36], good[36:68])
	copy(swapped[36:68], good[4:36])
	dup := slices.Clone(good)
	copy(dup[36:68], good[4:36])
	identity := slices.Clone(good)
	clear(identity[4:36])
	nonCanonical := slices.Clone(good)
	copy(nonCanonical[68:], bytes.Repeat([]byte{0xff}, 32))
	zeroCount := []byte{0, 0, 0, 0}
	for name, tc := range map[string]struct {
		b    []byte
		max  int
		want error
	}{
		"short":         {good[:3], 10, ErrLength},
		"truncated":     {good[:len(good)-1], 10, ErrLength},
		"trailing":      {append(slices.Clone(good), 0), 10, ErrLength},
		"zero count":    {zeroCount, 10, ErrEmpty},
		"over max":      {good, 2, ErrTooLarge},
		"unsorted":      {swapped, 10, ErrNotSorted},
		"duplicate":     {dup, 10, ErrNotSorted},
		"identity":      {identity, 10, ErrKeyIdentity},
		"non-canonical": {nonCanonical, 10, ErrKeyNotCanonical},
	} {
		got, err := Parse(tc.b, tc.max, parseKey, encOf)
		if !errors.Is(err, tc.want) || got != nil {
			t.Errorf("%s: got (%v, %v), want error %v", name, got, err, tc.want)
		}
	}
}

func TestSearch(t *testing.T) {
	ring, _ := Canonical(testKeys(9), 10, encOf)
	for i, k := range ring {
		if j, ok := Search(ring, &k.enc, encOf); !ok || j != i {
			t.Fatalf("Search(slot %d) = %d, %v", i, j, ok)
		}
	}
	other := testKeys(10)[9]
	if j, ok := Search(ring, &other.enc, encOf); ok || j != -1 {
		t.Fatalf("Search(non-member) = %d, %v", j, ok)
	}
}

func TestParseElement(t *testing.T) {
	var e ristretto.Element
	if err := ParseElement(&e, make([]byte, 31)); !errors.Is(err, ErrLength) {
		t.Errorf("31 bytes: %v", err)
	}
	if err := ParseElement(&e, make([]byte, 32)); !errors.Is(err, ErrKeyIdentity) {
		t.Errorf("identity: %v", err)
	}
	if err := ParseElement(&e, bytes.Repeat([]byte{0xff}, 32)); !errors.Is(err, ErrKeyNotCanonical) {
		t.Errorf("non-canonical: %v", err)
	}
	g := ristretto.NewGeneratorElement()
	if err := ParseElement(&e, g.Bytes()); err != nil || e.Equal(g) != 1 {
		t.Errorf("generator: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	a, err := GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateSecret()
	if a.IsZero() == 1 || a.Equal(b) == 1 {
		t.Fatal("GenerateSecret returned zero or repeated itself")
	}
	got, err := ParseSecret(a.Bytes())
	if err != nil || got.Equal(a) != 1 {
		t.Fatalf("round trip: %v", err)
	}
	q := []byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10} // the group order, RFC 9496 §4
	for name, tc := range map[string]struct {
		b    []byte
		want error
	}{
		"short":  {make([]byte, 31), ErrLength},
		"long":   {make([]byte, 33), ErrLength},
		"zero":   {make([]byte, 32), ErrSecretZero},
		"q":      {q, ErrSecretNotCanonical},
		"all ff": {bytes.Repeat([]byte{0xff}, 32), ErrSecretNotCanonical},
	} {
		if s, err := ParseSecret(tc.b); !errors.Is(err, tc.want) || s != nil {
			t.Errorf("%s: got (%v, %v), want %v", name, s, err, tc.want)
		}
	}
}
