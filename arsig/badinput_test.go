package arsig

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"testing"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

// groupOrder is q in little-endian: the smallest non-canonical scalar.
var groupOrder = []byte{
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
}

// TestBadLengths grows and shrinks every encoding by one byte.
func TestBadLengths(t *testing.T) {
	f := newFixture(t, 6, 31)
	o := f.open(t)
	parsers := map[string]struct {
		enc   []byte
		parse func([]byte) error
	}{
		"public key":        {f.privs[0].Public().Bytes(), func(b []byte) error { _, err := ParsePublicKey(b); return err }},
		"private key":       {f.privs[0].Bytes(), func(b []byte) error { _, err := ParsePrivateKey(b); return err }},
		"opener key":        {f.opener.Bytes(), func(b []byte) error { _, err := ParseOpenerKey(b); return err }},
		"opener public key": {f.opener.Public().Bytes(), func(b []byte) error { _, err := ParseOpenerPublicKey(b); return err }},
		"ring":              {f.ring.Bytes(), func(b []byte) error { _, err := ParseRing(b); return err }},
		"signature":         {f.sig.Bytes(), func(b []byte) error { _, err := ParseSignature(b); return err }},
		"opening":           {o.Bytes(), func(b []byte) error { _, err := ParseOpening(b); return err }},
	}
	for name, p := range parsers {
		if err := p.parse(p.enc); err != nil {
			t.Fatalf("%s: valid encoding refused: %v", name, err)
		}
		for _, b := range [][]byte{p.enc[:len(p.enc)-1], append(bytes.Clone(p.enc), 0), nil} {
			if err := p.parse(b); !errors.Is(err, ErrMalformed) {
				t.Errorf("%s of %d bytes: %v", name, len(b), err)
			}
		}
	}
}

func TestMalformedSignatures(t *testing.T) {
	f := newFixture(t, 17, 32) // n=5, m=2 by default
	enc := f.sig.Bytes()
	nPoints := elementCount(f.sig.digits)
	mutate := func(fn func(b []byte)) []byte {
		b := bytes.Clone(enc)
		fn(b)
		return b
	}
	cases := map[string][]byte{
		"version 0":              mutate(func(b []byte) { b[0] = 0 }),
		"version 2":              mutate(func(b []byte) { b[0] = 2 }),
		"base 1":                 mutate(func(b []byte) { b[1] = 1 }),
		"base 17":                mutate(func(b []byte) { b[1] = 17 }),
		"base 4 (wrong f count)": mutate(func(b []byte) { b[1] = 4 }),
		"m 0":                    mutate(func(b []byte) { b[2] = 0 }),
		"m 3 (wrong G count)":    mutate(func(b []byte) { b[2] = 3 }),
		"m 255":                  mutate(func(b []byte) { b[2] = 255 }),
		"identity c1":            mutate(func(b []byte) { clear(b[headerSize : headerSize+32]) }),
		"identity T2": mutate(func(b []byte) {
			o := headerSize + (nPoints-1)*32
			clear(b[o : o+32])
		}),
		"non-canonical point": mutate(func(b []byte) { copy(b[headerSize:], bytes.Repeat([]byte{0xff}, 32)) }),
		"scalar = q":          mutate(func(b []byte) { copy(b[len(b)-32:], groupOrder) }),
		"first f = 2^256 − 1": mutate(func(b []byte) { copy(b[headerSize+nPoints*32:], bytes.Repeat([]byte{0xff}, 32)) }),
		"f dropped":           enc[:len(enc)-32],
		"G_t dropped":         append(bytes.Clone(enc[:headerSize+6*32]), enc[headerSize+8*32:]...),
		"header only":         enc[:headerSize],
	}
	for name, b := range cases {
		s, err := ParseSignature(b)
		if err == nil || s != nil || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: ParseSignature = %v, %v", name, s, err)
		}
	}
	// A well-formed signature whose n, m do not fit the ring is refused
	// before any heavy work.
	small, err := NewRing([]*PublicKey{f.ring.Key(0), f.ring.Key(1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(small, f.opener.Public(), f.msg, f.sig); !errors.Is(err, ErrRingMismatch) {
		t.Errorf("signature for 17 members on a ring of 2: %v", err)
	}
	// m larger than needed (n=2, m=5 fits 17..32; make it m=6 on 17 members).
	var rnd [transcript.RandomSize]byte
	sig2, err := sign(f.privs[0], f.ring, f.opener.Public(), f.msg, &rnd, oneofmany.Params{Base: 2})
	if err != nil {
		t.Fatal(err)
	}
	big := make([]*PublicKey, 33)
	rng := rand.New(rand.NewSource(33))
	for i := range big {
		big[i] = testKey(rng).Public()
	}
	bigRing, _ := NewRing(big)
	if err := Verify(bigRing, f.opener.Public(), f.msg, sig2); !errors.Is(err, ErrRingMismatch) {
		t.Errorf("n=2 m=5 signature on 33 members: %v", err)
	}
}

func TestMalformedKeysAndRings(t *testing.T) {
	rng := rand.New(rand.NewSource(34))
	zero := make([]byte, 32)
	for name, err := range map[string]error{
		"identity public key":        second(ParsePublicKey(zero)),
		"identity opener public key": second(ParseOpenerPublicKey(zero)),
		"zero private key":           second(ParsePrivateKey(zero)),
		"zero opener key":            second(ParseOpenerKey(zero)),
		"private key = q":            second(ParsePrivateKey(groupOrder)),
		"opener key = q":             second(ParseOpenerKey(groupOrder)),
		"non-canonical public key":   second(ParsePublicKey(bytes.Repeat([]byte{0xff}, 32))),
	} {
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}

	_, ring := testRing(t, rng, 3)
	enc := ring.Bytes()
	unsorted := bytes.Clone(enc)
	copy(unsorted[4:36], enc[36:68])
	copy(unsorted[36:68], enc[4:36])
	dup := bytes.Clone(enc)
	copy(dup[36:68], enc[4:36])
	tooMany := binary.BigEndian.AppendUint32(nil, MaxRingSize+1)
	for name, b := range map[string][]byte{
		"unsorted":       unsorted,
		"duplicate":      dup,
		"count 0":        {0, 0, 0, 0},
		"count too big":  tooMany,
		"count mismatch": append([]byte{0, 0, 0, 4}, enc[4:]...),
		"identity key":   append([]byte{0, 0, 0, 1}, zero...),
	} {
		if _, err := ParseRing(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("ring %s: %v", name, err)
		}
	}

	k := testKey(rng).Public()
	for name, keys := range map[string][]*PublicKey{
		"empty":      nil,
		"nil key":    {k, nil},
		"zero value": {k, new(PublicKey)},
		"duplicate":  {k, k},
	} {
		if _, err := NewRing(keys); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("NewRing %s: %v", name, err)
		}
	}
	tooBig := make([]*PublicKey, MaxRingSize+1)
	for i := range tooBig {
		tooBig[i] = k
	}
	if _, err := NewRing(tooBig); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NewRing of MaxRingSize+1 keys: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestSignRefusesIdentityOpener: with pk_O = O the ciphertext would be
// (g^0, vk), the signer's key in clear.
func TestSignRefusesIdentityOpener(t *testing.T) {
	f := newFixture(t, 4, 35)
	identity := &OpenerPublicKey{}
	identity.e.Set(ristretto.NewIdentityElement())
	copy(identity.enc[:], identity.e.Bytes())
	for name, op := range map[string]*OpenerPublicKey{"identity": identity, "nil": nil, "zero value": new(OpenerPublicKey)} {
		if _, err := Sign(f.privs[0], f.ring, op, f.msg); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Sign with %s opener key: %v", name, err)
		}
		if err := Verify(f.ring, op, f.msg, f.sig); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Verify with %s opener key: %v", name, err)
		}
	}
}

// TestNilAndZeroValues: no panic on nil or zero-value arguments.
func TestNilAndZeroValues(t *testing.T) {
	f := newFixture(t, 3, 36)
	pub := f.opener.Public()
	o := f.open(t)
	outsider := testKey(f.rng)
	if _, err := Sign(outsider, f.ring, pub, f.msg); !errors.Is(err, ErrNotInRing) {
		t.Errorf("Sign by an outsider: %v", err)
	}
	checks := map[string]error{
		"Sign nil key":           second(Sign(nil, f.ring, pub, f.msg)),
		"Sign zero key":          second(Sign(new(PrivateKey), f.ring, pub, f.msg)),
		"Sign nil ring":          second(Sign(f.privs[0], nil, pub, f.msg)),
		"Sign zero ring":         second(Sign(f.privs[0], new(Ring), pub, f.msg)),
		"Verify nil ring":        Verify(nil, pub, f.msg, f.sig),
		"Verify nil signature":   Verify(f.ring, pub, f.msg, nil),
		"Verify zero signature":  Verify(f.ring, pub, f.msg, new(Signature)),
		"Open nil key":           second((*OpenerKey)(nil).Open(f.ring, f.msg, f.sig)),
		"Open zero key":          second(new(OpenerKey).Open(f.ring, f.msg, f.sig)),
		"Open nil signature":     second(f.opener.Open(f.ring, f.msg, nil)),
		"VerifyOpening nil":      VerifyOpening(f.ring, pub, f.msg, f.sig, nil),
		"VerifyOpening zero":     VerifyOpening(f.ring, pub, f.msg, f.sig, new(Opening)),
		"VerifyOpening nil ring": VerifyOpening(nil, pub, f.msg, f.sig, o),
	}
	for name, err := range checks {
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
	errs := VerifyBatch([]BatchItem{{}, {Ring: f.ring, Opener: pub, Message: f.msg, Signature: f.sig}})
	if !errors.Is(errs[0], ErrInvalidInput) || errs[1] != nil {
		t.Errorf("VerifyBatch with an empty item: %v", errs)
	}
	if errs := VerifyBatch(nil); len(errs) != 0 {
		t.Errorf("VerifyBatch(nil) = %v", errs)
	}
}

// TestNonceSafety: with a broken random source (all zeros) nonces still
// differ whenever the statement differs.
func TestNonceSafety(t *testing.T) {
	f := newFixture(t, 5, 37)
	var zero [transcript.RandomSize]byte
	sigFor := func(ring *Ring, op *OpenerPublicKey, msg []byte) *Signature {
		s, err := sign(f.privs[f.slot], ring, op, msg, &zero, ring.params)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := sigFor(f.ring, f.opener.Public(), f.msg)
	others := map[string]*Signature{
		"message": sigFor(f.ring, f.opener.Public(), append(bytes.Clone(f.msg), 1)),
		"opener":  sigFor(f.ring, testOpener(f.rng).Public(), f.msg),
	}
	pubs := []*PublicKey{f.privs[f.slot].Public(), testKey(f.rng).Public()}
	ring2, _ := NewRing(pubs)
	others["ring"] = sigFor(ring2, f.opener.Public(), f.msg)
	for name, s := range others {
		if s.c1.Equal(&base.c1) == 1 {
			t.Errorf("a different %s reused the ElGamal nonce", name)
		}
	}
}

// TestBatchReportsExactlyTheInvalid mixes rings, openers and invalid items.
func TestBatchReportsExactlyTheInvalid(t *testing.T) {
	rng := rand.New(rand.NewSource(38))
	var items []BatchItem
	var want []bool
	for r := range 3 {
		privs, ring := testRing(t, rng, 3+5*r)
		op := testOpener(rng)
		for i := range 7 {
			msg := randomBytes(rng, 10)
			sig := testSign(t, rng, privs[rng.Intn(len(privs))], ring, op.Public(), msg)
			bad := (i+r)%4 == 0
			if bad {
				msg = append(msg, 1)
			}
			items = append(items, BatchItem{ring, op.Public(), msg, sig})
			want = append(want, bad)
			// A copy of the ring from its encoding shares terms with ring.
			if i == 3 {
				copyRing, _ := ParseRing(ring.Bytes())
				items = append(items, BatchItem{copyRing, op.Public(), msg, sig})
				want = append(want, bad)
			}
		}
	}
	// One item whose signature does not fit its ring.
	items = append(items, BatchItem{items[0].Ring, items[0].Opener, items[0].Message, items[len(items)-1].Signature})
	want = append(want, true)
	errs := VerifyBatch(items)
	for i, err := range errs {
		if (err != nil) != want[i] {
			t.Errorf("item %d: %v, want invalid=%v", i, err, want[i])
		}
		if err == nil && Verify(items[i].Ring, items[i].Opener, items[i].Message, items[i].Signature) != nil {
			t.Errorf("item %d: batch accepts what Verify refuses", i)
		}
	}
}
