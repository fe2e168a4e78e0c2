package payments

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// TestDispute: the processor opens a disputed payment; the merchant and
// the customer check the disclosure from public data, and it names the
// payer, whom the processor maps to the account. The payer's other payment
// is not opened by it.
func TestDispute(t *testing.T) {
	w := newWorld(t, 4)
	disputed := w.pay(t, 2, 4990, "order 9")
	other := w.pay(t, 2, 990, "order 10")
	for _, p := range []*Payment{disputed, other} {
		if err := w.accept(p.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	d := must(w.proc.Open(ctx, disputed.Bytes(), "chargeback: goods not delivered", t0.Add(2*time.Hour)))
	got := must(ParseDisclosure(d.Bytes())) // what the merchant and the customer receive
	if err := got.Check(w.procKey.Public(), w.roster); err != nil {
		t.Fatalf("the merchant's check: %v", err)
	}
	if !got.Customer().Equal(w.customers[2].Public()) {
		t.Fatal("the disclosure does not name the payer")
	}
	if got.Payment().ID() != disputed.ID() || got.Reason() != "chargeback: goods not delivered" || !got.Time().Equal(t0.Add(2*time.Hour)) {
		t.Fatal("the disclosure's fields differ")
	}
	en, ok := w.proc.Enrollment(got.Customer())
	if !ok || string(en.Account()) != "account-2" {
		t.Fatal("the processor does not map the payer to its account")
	}
	// The opening is about the disputed payment only.
	if err := arsig.VerifyOpening(w.roster.ring, w.roster.opener, other.id[:], other.sig, got.opening); err == nil {
		t.Fatal("the disclosure's opening also opens the payer's other payment")
	}
	if again := must(w.proc.Open(ctx, disputed.Bytes(), "again", t0.Add(3*time.Hour))); !bytes.Equal(again.Bytes(), d.Bytes()) {
		t.Fatal("opening a payment again made another disclosure")
	}
}

// TestDisclosureForgeries: not even the processor, signing with its own
// key, makes a disclosure that names anyone but the payer or moves an
// opening to another payment; a disclosure not signed by the processor is
// refused.
func TestDisclosureForgeries(t *testing.T) {
	w := newWorld(t, 4)
	p := w.pay(t, 0, 100, "a")
	q := w.pay(t, 1, 100, "b")
	d := must(w.proc.Open(ctx, p.Bytes(), "dispute", t0))
	signed := func(pay *Payment, opening []byte) *Disclosure {
		f := &Disclosure{payment: pay, opening: must(arsig.ParseOpening(opening)), reason: "dispute", time: t0}
		body := must(f.body())
		f.sig = must(wire.Sign(w.procKey, contextDisclosure, body))[len(body):]
		return f
	}
	framed := d.opening.Bytes()
	copy(framed, w.customers[3].Public().Bytes())
	resigned := must(ParseDisclosure(d.Bytes()))
	resigned.reason = "changed"
	for _, c := range []struct {
		name string
		d    *Disclosure
		want error
	}{
		{"naming another customer", signed(p, framed), arsig.ErrInvalidOpening},
		{"p's opening for q", signed(q, d.opening.Bytes()), arsig.ErrInvalidOpening},
		{"a reason changed after signing", resigned, ErrBadSignature},
	} {
		if err := must(ParseDisclosure(c.d.Bytes())).Check(w.procKey.Public(), w.roster); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if err := d.Check(w.shopKey.Public(), w.roster); err == nil {
		t.Error("a disclosure checked under a key that is not the processor's")
	}
	other := newWorld(t, 2)
	if err := d.Check(other.procKey.Public(), other.roster); err == nil {
		t.Error("a disclosure checked against another processor's roster")
	}
	if _, err := other.proc.Open(ctx, p.Bytes(), "dispute", t0); !errors.Is(err, ErrUnknown) {
		t.Errorf("another processor opened the payment: %v", err)
	}
}
