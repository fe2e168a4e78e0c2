package credits

import (
	"bytes"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
)

// TestSpend: a credit ticket's message is a canonical spend, and two
// spends of one credit at one machine and second differ.
func TestSpend(t *testing.T) {
	s := newShop(t, 2)
	at := t0.Add(90*time.Minute + 300*time.Millisecond)
	b := s.spend(t, 0, "parking-2", at)
	tk, err := tickets.ParseTicket(b)
	must(t, err)
	sp, err := ParseSpend(tk.Message())
	must(t, err)
	if sp.Machine() != "parking-2" || !sp.Time().Equal(at.Truncate(time.Second)) || !bytes.Equal(sp.Bytes(), tk.Message()) {
		t.Fatal("spend fields")
	}
	again, err := tickets.ParseTicket(s.spend(t, 0, "parking-2", at))
	must(t, err)
	if bytes.Equal(again.Message(), tk.Message()) {
		t.Fatal("two spends with one message: a double spend would not be revealed")
	}
	var nilSpend *Spend
	if nilSpend.Bytes() != nil || nilSpend.Machine() != "" || !nilSpend.Time().IsZero() {
		t.Fatal("nil spend accessors")
	}
}

// TestSpendCanonical: the parser refuses every truncation, a trailing
// byte, another version or kind, and a machine identifier out of range.
func TestSpendCanonical(t *testing.T) {
	good := (&Spend{machine: "vending-1", time: t0}).mustEncode(t)
	for n := range len(good) {
		if _, err := ParseSpend(good[:n]); err == nil {
			t.Errorf("accepted %d of %d bytes", n, len(good))
		}
	}
	for _, b := range [][]byte{
		append(bytes.Clone(good), 0),
		append([]byte{2}, good[1:]...),
		append([]byte{1, 0x0d, 0x01}, good[3:]...),
		append([]byte{1, 0x0d, 0x81, 0, 0, 0, 0}, good[3+4+9:]...),       // an empty machine
		append([]byte{1, 0x0d, 0x81, 0, 0, 0, 1, 0xff}, good[3+4+9:]...), // not UTF-8
	} {
		if _, err := ParseSpend(b); err == nil {
			t.Errorf("accepted %x", b)
		} else {
			wantErr(t, err, ErrMalformed)
		}
	}
	if _, err := (&Spend{machine: string(make([]byte, 65)), time: t0}).encode(); err == nil {
		t.Error("encoded a machine identifier of 65 bytes")
	}
}

func (s *Spend) mustEncode(t testing.TB) []byte {
	t.Helper()
	b, err := s.encode()
	must(t, err)
	return b
}
