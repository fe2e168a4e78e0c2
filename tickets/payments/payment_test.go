package payments

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestPayOnce: a payment is accepted once, and so is a copy re-signed by
// another customer (the same message, so the same ID); a payment to
// another merchant sharing the used set is refused without using it up.
func TestPayOnce(t *testing.T) {
	w := newWorld(t, 4)
	p := w.pay(t, 1, 1250, "order 17")
	got := must(w.merchant.Accept(ctx, p.Bytes(), t0.Add(time.Hour)))
	if got.ID() != p.ID() || got.Amount() != eurs(1250) || string(got.Reference()) != "order 17" || !got.Time().Equal(t0.Add(time.Minute)) {
		t.Fatal("accepted payment differs")
	}
	if err := w.accept(p.Bytes()); !errors.Is(err, ErrUsed) {
		t.Fatalf("payment accepted twice: %v", err)
	}
	resigned := *p
	resigned.sig = must(arsig.Sign(w.customers[2], w.roster.ring, w.roster.opener, p.id[:]))
	if resigned.ID() != p.ID() || bytes.Equal(resigned.Bytes(), p.Bytes()) {
		t.Fatal("test setup: the re-signed copy should differ in its signature only")
	}
	if err := w.accept(resigned.Bytes()); !errors.Is(err, ErrUsed) {
		t.Fatalf("re-signed copy: %v", err)
	}

	// Two payments alike in every stated field are two payments.
	twin1, twin2 := w.pay(t, 3, 500, "coffee"), w.pay(t, 3, 500, "coffee")
	if twin1.ID() == twin2.ID() {
		t.Fatal("two payments with the same fields share an ID")
	}
	for _, p := range []*Payment{twin1, twin2} {
		if err := w.accept(p.Bytes()); err != nil {
			t.Fatalf("one of two alike payments: %v", err)
		}
	}

	other := must(NewMerchant(must(ecdsa.GenerateKey()).Public(), w.procKey.Public(), w.used))
	must(other.AddRoster(w.roster.Bytes()))
	q := w.pay(t, 0, 100, "")
	if _, err := other.Accept(ctx, q.Bytes(), t0.Add(time.Hour)); !errors.Is(err, ErrRefused) {
		t.Fatalf("payment to another merchant: %v", err)
	}
	if err := w.accept(q.Bytes()); err != nil {
		t.Fatalf("payment after another merchant refused it: %v", err)
	}
}

// TestPaymentRefused: payments that do not fit the merchant's rosters are
// refused with the sentinel callers branch on.
func TestPaymentRefused(t *testing.T) {
	w := newWorld(t, 3)
	other := newWorld(t, 3)
	c := w.customers[0]
	mk := func(r *Roster, amount int64, at time.Time) []byte {
		p := &Payment{roster: r.id, merchant: w.shopKey.Public(), amount: eurs(amount), time: at}
		p.id = wire.Digest(labelPaymentID, must(p.message()))
		p.sig = must(arsig.Sign(c, r.ring, r.opener, p.id[:]))
		return p.Bytes()
	}
	in := t0.Add(time.Minute)
	now := t0.Add(time.Hour)
	flipped := w.pay(t, 0, 100, "x").Bytes()
	flipped[len(flipped)-40] ^= 1
	for _, tc := range []struct {
		name string
		b    []byte
		at   time.Time
		want error
	}{
		{"above the limit", mk(w.roster, limit.Units()+1, in), now, ErrRefused},
		{"made before the roster", mk(w.roster, 100, t0.Add(-time.Second)), now, ErrRefused},
		{"made after it is received", mk(w.roster, 100, now.Add(time.Second)), now, ErrRefused},
		{"received after the roster", w.pay(t, 0, 100, "").Bytes(), w.roster.ValidUntil().Add(time.Second), ErrRefused},
		{"under another processor's roster", must(NewPayment(other.customers[0], other.roster, w.shopKey.Public(), eurs(5), nil, in)).Bytes(), now, ErrUnknown},
		{"a changed signature", flipped, now, ErrBadSignature},
		{"truncated", flipped[:50], now, ErrMalformed},
	} {
		_, err := w.merchant.Accept(ctx, tc.b, tc.at)
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	yen := must(NewPayment(c, w.roster, w.shopKey.Public(), eurs(1), nil, in))
	yen.amount = must(yenAmount())
	if err := w.accept(yen.Bytes()); !errors.Is(err, ErrRefused) {
		t.Errorf("payment in another currency: %v", err)
	}
	if _, err := NewPayment(must(arsig.GenerateKey()), w.roster, w.shopKey.Public(), eurs(1), nil, in); !errors.Is(err, ErrRefused) {
		t.Errorf("a customer outside the roster paid: %v", err)
	}
}

// TestMerchantRosters: a merchant applies only rosters signed by its
// processor.
func TestMerchantRosters(t *testing.T) {
	w := newWorld(t, 2)
	other := newWorld(t, 2)
	if _, err := w.merchant.AddRoster(other.roster.Bytes()); !errors.Is(err, ErrUnknown) {
		t.Errorf("another processor's roster: %v", err)
	}
	b := w.roster.Bytes()
	body := b[:len(b)-wire.SignatureSize]
	if _, err := w.merchant.AddRoster(must(wire.Sign(must(ecdsa.GenerateKey()), contextRoster, body))); !errors.Is(err, ErrBadSignature) {
		t.Errorf("roster re-signed by another key: %v", err)
	}
	if again := must(w.merchant.AddRoster(w.roster.Bytes())); again.ID() != w.roster.ID() {
		t.Error("adding a roster again changed it")
	}
}

// TestPaymentFieldsBound: every stated field of a payment is under its ring
// signature (through its ID): the payment with its roster, merchant,
// amount, reference, time or nonce changed and its signature kept is
// refused as a bad signature, also by the merchant it is redirected to.
func TestPaymentFieldsBound(t *testing.T) {
	w := newWorld(t, 3)
	var keys []*arsig.PublicKey
	for _, c := range w.customers {
		keys = append(keys, c.Public())
	}
	r2 := must(w.proc.PublishRoster(ctx, keys, limit, t0, t0.Add(24*time.Hour)))
	must(w.merchant.AddRoster(r2.Bytes()))
	other := must(ecdsa.GenerateKey())
	m2 := must(NewMerchant(other.Public(), w.procKey.Public(), w.used))
	must(m2.AddRoster(w.roster.Bytes()))
	p := w.pay(t, 0, 1250, "order 17")
	for name, edit := range map[string]func(q *Payment){
		"roster":    func(q *Payment) { q.roster = r2.ID() },
		"merchant":  func(q *Payment) { q.merchant = other.Public() },
		"amount":    func(q *Payment) { q.amount = eurs(1251) },
		"reference": func(q *Payment) { q.reference = []byte("order 18") },
		"time":      func(q *Payment) { q.time = q.time.Add(time.Second) },
		"nonce":     func(q *Payment) { q.nonce[0] ^= 1 },
	} {
		q := *p
		edit(&q)
		m := w.merchant
		if name == "merchant" {
			m = m2
		}
		if _, err := m.Accept(ctx, q.Bytes(), t0.Add(time.Hour)); !errors.Is(err, ErrBadSignature) {
			t.Errorf("payment with its %s changed: %v", name, err)
		}
	}
	if err := w.accept(p.Bytes()); err != nil {
		t.Fatalf("the payment after the forgeries: %v", err)
	}
}

// TestRosterBoundsIncluded: a roster covers a payment of exactly its limit,
// made at the first second of its validity and received at the last
// (ValidUntil is included), and no payment made a second later.
func TestRosterBoundsIncluded(t *testing.T) {
	w := newWorld(t, 2)
	from, until := w.roster.ValidFrom(), w.roster.ValidUntil()
	first := must(NewPayment(w.customers[0], w.roster, w.shopKey.Public(), limit, nil, from))
	last := must(NewPayment(w.customers[1], w.roster, w.shopKey.Public(), eurs(1), nil, until))
	for name, p := range map[string]*Payment{"at the limit, made at ValidFrom": first, "made at ValidUntil": last} {
		if _, err := w.merchant.Accept(ctx, p.Bytes(), until); err != nil {
			t.Errorf("payment %s, received at ValidUntil: %v", name, err)
		}
	}
	if _, err := NewPayment(w.customers[0], w.roster, w.shopKey.Public(), eurs(1), nil, until.Add(time.Second)); !errors.Is(err, ErrRefused) {
		t.Errorf("payment made after ValidUntil: %v", err)
	}
}

// TestAcceptedOnceAcrossRestart: with a used set on a ledger, a payment
// accepted before the merchant restarts is refused after it; and one whose
// use reported an unknown outcome (the identifier stored, the reply lost) is
// not accepted, neither again before the set is reopened nor after.
func TestAcceptedOnceAcrossRestart(t *testing.T) {
	w := newWorld(t, 2)
	const kindUsed = 0x0105 // package tickets' used identifier (docs/spec/tickets.md)
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	open := func() *Merchant {
		m := must(NewMerchant(w.shopKey.Public(), w.procKey.Public(), must(tickets.OpenUsedSet(ctx, l))))
		must(m.AddRoster(w.roster.Bytes()))
		return m
	}
	now := t0.Add(time.Hour)
	m := open()
	p, q := w.pay(t, 0, 100, "before the restart"), w.pay(t, 1, 200, "lost reply")
	must(m.Accept(ctx, p.Bytes(), now))
	l.Fail = kindUsed
	if _, err := m.Accept(ctx, q.Bytes(), now); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("payment whose use lost its reply: %v", err)
	}
	if _, err := m.Accept(ctx, q.Bytes(), now); err == nil {
		t.Fatal("payment accepted after its use had an unknown outcome")
	}
	m = open()
	for name, b := range map[string][]byte{"accepted before the restart": p.Bytes(), "whose use lost its reply": q.Bytes()} {
		if _, err := m.Accept(ctx, b, now); !errors.Is(err, ErrUsed) {
			t.Errorf("payment %s, after the restart: %v", name, err)
		}
	}
}
