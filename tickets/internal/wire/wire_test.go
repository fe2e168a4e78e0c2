package wire

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var errTest = errors.New("test: malformed")

const testKind = 0x0abc

type sample struct {
	n    uint64
	t    time.Time
	b    []byte
	amt  money.Amount
	key  *ecdsa.PublicKey
	list []uint32
}

func (s *sample) encode() ([]byte, error) {
	w := NewWriter(testKind)
	w.U64(s.n)
	w.Time(s.t)
	w.Bytes(s.b)
	w.Amount(s.amt)
	w.ECDSAKey(s.key)
	w.Count(len(s.list))
	for _, v := range s.list {
		w.U32(v)
	}
	return w.Finish()
}

func parseSample(b []byte) (*sample, error) {
	r := NewReader(b, testKind, "sample", errTest)
	s := &sample{n: r.U64("n"), t: r.Time("t"), b: r.Bytes("b"), amt: r.Amount("amount"), key: r.ECDSAKey("key")}
	for range r.Count("list", 4) {
		s.list = append(s.list, r.U32("item"))
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return s, nil
}

func testSample(t *testing.T) *sample {
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &sample{
		n: 7, t: time.Unix(1_800_000_000, 0).UTC(), b: []byte("hello"),
		amt: money.MustNew(-250, money.MustCurrency("EUR")), key: k.Public(), list: []uint32{1, 2, 3},
	}
}

func TestRoundTripAndLayout(t *testing.T) {
	s := testSample(t)
	enc, err := s.encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc[:3], []byte{Version, 0x0a, 0xbc}) {
		t.Fatalf("header %x", enc[:3])
	}
	if !bytes.Equal(enc[3:11], []byte{0, 0, 0, 0, 0, 0, 0, 7}) {
		t.Fatalf("u64 is not big-endian: %x", enc[3:11])
	}
	if !bytes.Equal(enc[19:28], []byte{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}) {
		t.Fatalf("length prefix: %x", enc[19:28])
	}
	got, err := parseSample(enc)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := got.encode()
	if !bytes.Equal(again, enc) || !got.t.Equal(s.t) || got.amt != s.amt || got.key.Equal(s.key) != true {
		t.Fatal("round trip changed the record")
	}
}

func TestReaderRejects(t *testing.T) {
	enc, err := testSample(t).encode()
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"empty":     nil,
		"version":   append([]byte{2}, enc[1:]...),
		"kind":      append([]byte{1, 0x0a, 0xbd}, enc[3:]...),
		"truncated": enc[:len(enc)-1],
		"trailing":  append(append([]byte(nil), enc...), 0),
	}
	// A length prefix pointing past the end, and a count larger than the
	// bytes left.
	long := append([]byte(nil), enc...)
	long[19] = 0xff
	bad["length"] = long
	count := append([]byte(nil), enc...)
	count[len(count)-16] = 0x7f
	bad["count"] = count
	// A time above MaxInt64.
	tm := append([]byte(nil), enc...)
	tm[11] = 0x80
	bad["time"] = tm
	for name, b := range bad {
		if _, err := parseSample(b); !errors.Is(err, errTest) {
			t.Errorf("%s: got %v, want the caller's sentinel", name, err)
		}
	}
}

func TestReaderWrapsCause(t *testing.T) {
	errCause := errors.New("cause")
	w := NewWriter(testKind)
	w.Bytes([]byte("x"))
	enc, _ := w.Finish()
	r := NewReader(enc, testKind, "sample", errTest)
	Value(r, "field", func([]byte) (int, error) { return 0, errCause })
	if err := r.Done(); !errors.Is(err, errTest) || !errors.Is(err, errCause) || !strings.Contains(err.Error(), "sample: field") {
		t.Fatalf("got %v", err)
	}
	r = NewReader(enc, testKind, "sample", errTest)
	if v := Value(r, "field", func(b []byte) (string, error) { return string(b), nil }); v != "x" || r.Done() != nil {
		t.Fatalf("Value: %q, %v", v, r.Done())
	}
}

func TestWriterRejects(t *testing.T) {
	s := testSample(t)
	s.t = s.t.Add(time.Millisecond)
	if _, err := s.encode(); err == nil {
		t.Error("sub-second time encoded")
	}
	s = testSample(t)
	s.t = time.Unix(-1, 0)
	if _, err := s.encode(); err == nil {
		t.Error("time before 1970 encoded")
	}
	s = testSample(t)
	s.amt = money.Amount{}
	if _, err := s.encode(); err == nil {
		t.Error("zero amount encoded")
	}
	s = testSample(t)
	s.key = nil
	if _, err := s.encode(); err == nil {
		t.Error("nil key encoded")
	}
	s = testSample(t)
	s.key = new(ecdsa.PublicKey)
	if _, err := s.encode(); err == nil {
		t.Error("zero-value key encoded")
	}
	for _, n := range []int{-1, MaxField + 1} {
		w := NewWriter(1)
		w.Count(n)
		if _, err := w.Finish(); err == nil {
			t.Errorf("list of %d items encoded", n)
		}
	}
	w := NewWriter(1)
	w.Count(MaxField)
	if _, err := w.Finish(); err != nil {
		t.Errorf("list of MaxField items: %v", err)
	}
	if got, err := Seconds(time.Unix(5, 999).In(time.FixedZone("x", 3600))); err != nil || !got.Equal(time.Unix(5, 0)) || got.Location() != time.UTC {
		t.Errorf("Seconds: %v %v", got, err)
	}
}

func TestSignVerify(t *testing.T) {
	k, _ := ecdsa.GenerateKey()
	other, _ := ecdsa.GenerateKey()
	body, _ := testSample(t).encode()
	signed, err := Sign(k, "ringtrace/test/v1", body)
	if err != nil || len(signed) != len(body)+SignatureSize {
		t.Fatal(err)
	}
	got, err := Verify(k.Public(), "ringtrace/test/v1", signed)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatal(err)
	}
	for name, check := range map[string]func() error{
		"other key":     func() error { _, err := Verify(other.Public(), "ringtrace/test/v1", signed); return err },
		"other context": func() error { _, err := Verify(k.Public(), "ringtrace/test/v2", signed); return err },
		"changed body": func() error {
			c := append([]byte(nil), signed...)
			c[5] ^= 1
			_, err := Verify(k.Public(), "ringtrace/test/v1", c)
			return err
		},
		"short":   func() error { _, err := Verify(k.Public(), "ringtrace/test/v1", signed[:10]); return err },
		"nil key": func() error { _, err := Verify(nil, "ringtrace/test/v1", signed); return err },
	} {
		if check() == nil {
			t.Errorf("%s: verified", name)
		}
	}
	if _, err := Sign(nil, "c", body); err == nil {
		t.Error("signed with a nil key")
	}
}

func TestDigestIsLengthPrefixed(t *testing.T) {
	if Digest("a", []byte("bc")) == Digest("ab", []byte("c")) || Digest("l", []byte("ab"), nil) == Digest("l", []byte("a"), []byte("b")) {
		t.Fatal("digest inputs are ambiguous")
	}
}

func FuzzReader(f *testing.F) {
	k, _ := ecdsa.GenerateKey()
	s := &sample{t: time.Unix(0, 0).UTC(), amt: money.MustNew(1, money.MustCurrency("KRW")), key: k.Public()}
	enc, _ := s.encode()
	f.Add(enc)
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseSample(b)
		if err != nil {
			if s != nil {
				t.Fatal("value returned with an error")
			}
			return
		}
		again, err := s.encode()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("accepted bytes re-encode differently: %v", err)
		}
	})
}

func TestKindOf(t *testing.T) {
	enc, err := testSample(t).encode()
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := KindOf(enc); !ok || k != testKind {
		t.Errorf("KindOf = %#x, %v", k, ok)
	}
	for _, b := range [][]byte{nil, enc[:2], append([]byte{2}, enc[1:]...)} {
		if _, ok := KindOf(b); ok {
			t.Errorf("KindOf(%x) accepted", b)
		}
	}
}

func TestSignedReader(t *testing.T) {
	k, _ := ecdsa.GenerateKey()
	body, _ := testSample(t).encode()
	signed, _ := Sign(k, "ringtrace/test/v1", body)
	r, sig := NewSignedReader(signed, testKind, "sample", errTest)
	if !bytes.Equal(sig, signed[len(body):]) || r.U64("n") != 7 || r.Err() != nil {
		t.Fatalf("signed reader: %x %v", sig, r.Err())
	}
	r, sig = NewSignedReader(signed[:HeaderSize+SignatureSize-1], testKind, "sample", errTest)
	if sig != nil || !errors.Is(r.Done(), errTest) {
		t.Errorf("short record: %x %v", sig, r.Done())
	}
}
