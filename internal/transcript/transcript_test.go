package transcript

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"testing"

	"github.com/cloudflare/circl/group"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

func lp(b []byte) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(len(b))), b...)
}

func testElement(i uint64) *ristretto.Element {
	return new(ristretto.Element).ScalarBaseMult(new(ristretto.Scalar).SetUint64(i))
}

// fill absorbs one value of every kind, changing the value numbered flip.
func fill(tr *Transcript, flip int) {
	b := []byte("message")
	if flip == 0 {
		b = []byte("messagf")
	}
	tr.AppendBytes("m", b)
	v := uint64(7)
	if flip == 1 {
		v = 8
	}
	tr.AppendUint64("n", v)
	e := testElement(2)
	if flip == 2 {
		e = testElement(3)
	}
	tr.AppendElement("A", e)
	s := new(ristretto.Scalar).SetUint64(5)
	if flip == 3 {
		s.SetUint64(6)
	}
	tr.AppendScalar("z", s)
	es := []*ristretto.Element{testElement(4), testElement(5)}
	if flip == 4 {
		es[1] = testElement(6)
	}
	if flip == 5 {
		es = es[:1]
	}
	tr.AppendElements("list", es)
	ds := []*ristretto.Element{testElement(8), testElement(9)}
	if flip == 6 {
		ds[0] = testElement(10)
	}
	if flip == 7 {
		ds = append(ds, ristretto.NewIdentityElement())
	}
	tr.AppendDoubledElements("dlist", ds)
}

func TestLayout(t *testing.T) {
	tr := New("ringtrace-v1-test")
	fill(tr, -1)

	// The documented layout, assembled independently.
	var want []byte
	want = append(want, lp([]byte("m"))...)
	want = append(want, lp([]byte("message"))...)
	want = append(want, lp([]byte("n"))...)
	want = binary.BigEndian.AppendUint64(want, 7)
	want = append(want, lp([]byte("A"))...)
	want = append(want, testElement(2).Bytes()...)
	want = append(want, lp([]byte("z"))...)
	want = append(want, new(ristretto.Scalar).SetUint64(5).Bytes()...)
	want = append(want, lp([]byte("list"))...)
	want = binary.BigEndian.AppendUint64(want, 2)
	want = append(want, testElement(4).Bytes()...)
	want = append(want, testElement(5).Bytes()...)
	want = append(want, lp([]byte("dlist"))...)
	want = binary.BigEndian.AppendUint64(want, 2)
	want = append(want, testElement(16).Bytes()...) // 2·(8·g)
	want = append(want, testElement(18).Bytes()...) // 2·(9·g)
	if got := tr.Bytes(); !bytes.Equal(got, want) {
		t.Fatalf("layout mismatch:\n got %x\nwant %x", got, want)
	}

	// The challenge is RFC 9497's HashToScalar of those bytes; circl is an
	// independent implementation of it.
	oracle := group.Ristretto255.HashToScalar(want, []byte("ringtrace-v1-test"))
	ob, _ := oracle.MarshalBinary()
	if got := tr.Challenge().Bytes(); !bytes.Equal(got, ob) {
		t.Fatalf("challenge %x, circl says %x", got, ob)
	}
}

// TestKnownAnswer freezes the challenge of a fixed transcript, so an
// accidental change of the layout or of the hash shows up here.
func TestKnownAnswer(t *testing.T) {
	tr := New("ringtrace-v1-test")
	fill(tr, -1)
	const want = "5b25343917539e07644f703afa09e2f61dac947cb3241e82899bf558f633b60e"
	got := hex.EncodeToString(tr.Challenge().Bytes())
	if got != want {
		t.Fatalf("challenge = %s, want %s", got, want)
	}
}

func TestEveryFieldChangesTheChallenge(t *testing.T) {
	base := New("ringtrace-v1-test")
	fill(base, -1)
	c0 := base.Challenge()
	for flip := 0; flip <= 7; flip++ {
		tr := New("ringtrace-v1-test")
		fill(tr, flip)
		if tr.Challenge().Equal(c0) == 1 {
			t.Errorf("changing field %d does not change the challenge", flip)
		}
	}
	// Another DST, same content.
	other := New("ringtrace-v1-other")
	fill(other, -1)
	if other.Challenge().Equal(c0) == 1 {
		t.Error("the DST does not change the challenge")
	}
	// Another label, same content.
	relabelled := New("ringtrace-v1-test")
	relabelled.AppendBytes("M", []byte("message"))
	plain := New("ringtrace-v1-test")
	plain.AppendBytes("m", []byte("message"))
	if relabelled.Challenge().Equal(plain.Challenge()) == 1 {
		t.Error("the label does not change the challenge")
	}
}

func TestNoBoundaryAmbiguity(t *testing.T) {
	a := New("ringtrace-v1-test")
	a.AppendBytes("x", []byte("ab"))
	a.AppendBytes("y", []byte("c"))
	b := New("ringtrace-v1-test")
	b.AppendBytes("x", []byte("a"))
	b.AppendBytes("y", []byte("bc"))
	if a.Challenge().Equal(b.Challenge()) == 1 {
		t.Fatal("moving a byte across a field boundary keeps the challenge")
	}
	// Splitting a list in two must not collide with one list.
	l := []*ristretto.Element{testElement(1), testElement(2)}
	c := New("ringtrace-v1-test")
	c.AppendElements("l", l)
	d := New("ringtrace-v1-test")
	d.AppendElements("l", l[:1])
	d.AppendElements("l", l[1:])
	if c.Challenge().Equal(d.Challenge()) == 1 {
		t.Fatal("splitting a list keeps the challenge")
	}
}

func TestChallengeDoesNotConsume(t *testing.T) {
	tr := New("ringtrace-v1-test")
	tr.AppendUint64("n", 1)
	c1 := tr.Challenge()
	if tr.Challenge().Equal(c1) != 1 {
		t.Fatal("Challenge is not repeatable")
	}
	tr.AppendUint64("n", 2)
	if tr.Challenge().Equal(c1) == 1 {
		t.Fatal("later absorbs do not change the challenge")
	}
}

func TestBadDST(t *testing.T) {
	for _, dst := range []string{"", string(make([]byte, 256))} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New accepted a %d-byte DST", len(dst))
				}
			}()
			New(dst)
		}()
	}
}

func BenchmarkChallenge(b *testing.B) {
	// The shape of a TRS challenge at n = 50: 100 doubled elements.
	es := make([]*ristretto.Element, 100)
	for i := range es {
		es[i] = testElement(uint64(i + 1))
	}
	b.ReportAllocs()
	for b.Loop() {
		tr := New("ringtrace-v1-bench")
		tr.AppendDoubledElements("ab", es)
		tr.Challenge()
	}
}

func BenchmarkNonces(b *testing.B) {
	secret := new(ristretto.Scalar).SetUint64(7)
	b.ReportAllocs()
	for b.Loop() {
		s := NewNonces("d", secret, []byte("statement"))
		for range 100 {
			s.Next()
		}
	}
}
