package tickets

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

func TestPurchaseMakesSale(t *testing.T) {
	s := newShop(t)
	sale := s.sale
	if err := sale.Verify(s.key.Public()); err != nil {
		t.Fatal(err)
	}
	if sale.Ring().Len() != testPolicy.RingSize || sale.Class() != pass || sale.Number() != 0 {
		t.Errorf("sale: %d keys, class %v, number %d", sale.Ring().Len(), sale.Class(), sale.Number())
	}
	if !sale.ValidFrom().Equal(t0) || !sale.ValidUntil().Equal(t0.Add(testPolicy.Validity)) {
		t.Errorf("validity %v..%v", sale.ValidFrom(), sale.ValidUntil())
	}
	for i, k := range s.keys {
		if _, ok := sale.Ring().IndexOf(k.Public()); !ok {
			t.Errorf("key %d not in the ring", i)
		}
		b, ok := s.issuer.Buyer(k.Public())
		if !ok || string(b) != fmt.Sprintf("buyer %d", i) {
			t.Errorf("buyer of key %d: %q %v", i, b, ok)
		}
	}
	if _, ok := s.issuer.Buyer(mustTRS(t).Public()); ok {
		t.Error("a key nobody bought has a buyer")
	}
	if _, err := s.issuer.Purchase(ctx, pass, s.keys[0].Public(), nil, t0); err == nil {
		t.Error("a key was sold twice")
	}
}

// TestClassesHaveTheirOwnRings: purchases of another price wait for a ring
// of their own, and the next sale of a class gets the next number.
func TestClassesHaveTheirOwnRings(t *testing.T) {
	s := newShop(t)
	var sales []*Sale
	for i := range 2 * testPolicy.RingSize {
		c := pass
		if i%2 == 1 {
			c = cheap
		}
		sale, err := s.issuer.Purchase(ctx, c, mustTRS(t).Public(), nil, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if sale != nil {
			sales = append(sales, sale)
		}
	}
	if len(sales) != 2 || sales[0].Class() == sales[1].Class() || sales[0].Number() != 1 || sales[1].Number() != 2 {
		t.Fatalf("sales: %+v", sales)
	}
}

func TestFlush(t *testing.T) {
	s := newShop(t)
	k := mustTRS(t)
	if _, err := s.issuer.Purchase(ctx, pass, k.Public(), []byte("late"), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.issuer.Flush(ctx, pass, t0); err == nil {
		t.Error("flushed a ring of one below the minimum of two")
	}
	if _, err := s.issuer.Flush(ctx, cheap, t0); err == nil {
		t.Error("flushed an empty class")
	}
	k2 := mustTRS(t)
	s.issuer.Purchase(ctx, pass, k2.Public(), []byte("later"), t0)
	sale, err := s.issuer.Flush(ctx, pass, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if sale.Ring().Len() != 2 || sale.Verify(s.key.Public()) != nil {
		t.Fatalf("flushed sale of %d keys", sale.Ring().Len())
	}
	if _, err := s.issuer.Flush(ctx, pass, t0.Add(time.Hour)); err == nil {
		t.Error("flushed the same purchases twice")
	}
	// MinRingSize 0 means a ring is never sold below RingSize.
	is, err := OpenIssuer(ctx, mustECDSA(t), ledger.NewMemory(), Policy{RingSize: 3, Validity: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		is.Purchase(ctx, pass, mustTRS(t).Public(), nil, t0)
	}
	if _, err := is.Flush(ctx, pass, t0); err == nil {
		t.Error("flushed below RingSize with MinRingSize 0")
	}
}

// TestIssuerRebuild reopens an issuer from its ledger: same buyers, same
// waiting purchases, numbering continues.
func TestIssuerRebuild(t *testing.T) {
	s := newShop(t)
	waiting := mustTRS(t)
	s.issuer.Purchase(ctx, pass, waiting.Public(), []byte("waiting"), t0)
	is2, err := OpenIssuer(ctx, s.key, s.l, testPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := is2.Buyer(s.keys[2].Public()); !ok || string(b) != "buyer 2" {
		t.Errorf("rebuilt buyer: %q %v", b, ok)
	}
	var sale *Sale
	for range testPolicy.RingSize - 1 {
		if sale, err = is2.Purchase(ctx, pass, mustTRS(t).Public(), nil, t0); err != nil {
			t.Fatal(err)
		}
	}
	if sale == nil || sale.Number() != 1 {
		t.Fatalf("rebuilt issuer's next sale: %v", sale)
	}
	if _, in := sale.Ring().IndexOf(waiting.Public()); !in {
		t.Error("the waiting purchase was not sold after the rebuild")
	}
}

// TestIssuerReplayVerifies: a ledger whose chain was recomputed after a
// purchase record or a sale was changed, or that holds another key's
// purchase, does not open.
func TestIssuerReplayVerifies(t *testing.T) {
	s := newShop(t)
	var entries []ledger.Entry
	s.l.Scan(ctx, 0, func(e ledger.Entry) error { entries = append(entries, e); return nil })

	rewrite := func(change func(e *ledger.Entry) bool) *ledger.Memory {
		l := ledger.NewMemory()
		for _, e := range entries {
			e.Payload = bytes.Clone(e.Payload)
			if !change(&e) {
				continue
			}
			if _, err := l.Append(ctx, e.Kind, e.Payload); err != nil {
				t.Fatal(err)
			}
		}
		return l
	}
	flipped := 0
	otherKey := mustECDSA(t)
	foreign, _ := (&purchase{class: pass, key: mustTRS(t).Public(), time: t0}).sign(otherKey)
	for name, l := range map[string]*ledger.Memory{
		"purchase buyer changed": rewrite(func(e *ledger.Entry) bool {
			if e.Kind == kindPurchase && flipped == 0 {
				e.Payload[len(e.Payload)-wireSig-9] ^= 1 // inside the buyer field
				flipped++
			}
			return true
		}),
		"sale validity extended": rewrite(func(e *ledger.Entry) bool {
			if e.Kind == kindSale {
				sale, _ := ParseSale(e.Payload)
				longer, _ := newSale(sale.issuer, sale.number, sale.class, sale.validFrom, sale.validUntil.Add(time.Hour), sale.ring)
				longer.sig = sale.sig
				e.Payload = longer.Bytes()
			}
			return true
		}),
		"another key's purchase": func() *ledger.Memory {
			l := rewrite(func(*ledger.Entry) bool { return true })
			l.Append(ctx, kindPurchase, foreign)
			return l
		}(),
		"unknown kind in range": func() *ledger.Memory {
			l := rewrite(func(*ledger.Entry) bool { return true })
			l.Append(ctx, 0x01ff, []byte{1})
			return l
		}(),
	} {
		if _, err := OpenIssuer(ctx, s.key, l, testPolicy); err == nil {
			t.Errorf("%s: the issuer opened", name)
		} else if name != "unknown kind in range" && !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: %v, want a bad signature", name, err)
		}
	}
	// Other packages' records, and sales of other issuers, are skipped.
	l := rewrite(func(*ledger.Entry) bool { return true })
	l.Append(ctx, 0x0b01, []byte("billing"))
	other := newShop(t)
	l.Append(ctx, kindSale, other.sale.Bytes())
	if _, err := OpenIssuer(ctx, s.key, l, testPolicy); err != nil {
		t.Errorf("shared ledger: %v", err)
	}
}

// TestIssuerReplayRefusesCopies: someone who can write the issuer's
// ledger appends a copy of a purchase record that is already in a sale.
// Each record still verifies, and a checkpoint taken before the copy
// still checks (it covers the entries up to it), but replaying the copy
// would put the key back among the waiting purchases and sell it in a
// second ring: the buyer would hold two unlinked tickets. The issuer
// refuses such a ledger. An identical copy of a sale, which an operator
// can record when its own sale is echoed back to it, is harmless.
func TestIssuerReplayRefusesCopies(t *testing.T) {
	s := newShop(t)
	cp, err := ledger.NewCheckpoint(s.l, s.key, t0)
	if err != nil {
		t.Fatal(err)
	}
	var purchase, sale []byte
	s.l.Scan(ctx, 0, func(e ledger.Entry) error {
		switch {
		case e.Kind == kindPurchase && purchase == nil:
			purchase = e.Payload
		case e.Kind == kindSale:
			sale = e.Payload
		}
		return nil
	})
	copyOf := func(extra ...[]byte) *ledger.Memory {
		l := ledger.NewMemory()
		s.l.Scan(ctx, 0, func(e ledger.Entry) error { _, err := l.Append(ctx, e.Kind, e.Payload); return err })
		for _, p := range extra {
			kind, _ := wireKind(p)
			l.Append(ctx, kind, p)
		}
		return l
	}
	l := copyOf(purchase)
	if err := cp.Check(ctx, l); err != nil {
		t.Fatalf("the checkpoint does not check: %v", err)
	}
	if _, err := OpenIssuer(ctx, s.key, l, testPolicy); !errors.Is(err, ledger.ErrCorrupt) {
		t.Errorf("a copied purchase record: %v, want ledger.ErrCorrupt", err)
	}
	if _, err := OpenIssuer(ctx, s.key, copyOf(sale), testPolicy); err != nil {
		t.Errorf("a copied sale: %v", err)
	}
	// A sale of keys nobody bought, or of keys already sold, signed by
	// the issuer (as an issuer that went on after a failed append did):
	// refused too.
	other := newShop(t)
	resold, _ := newSale(s.key.Public(), 1, pass, t0, t0.Add(time.Hour), s.sale.Ring())
	body, _ := resold.body()
	signed, _ := wire.Sign(s.key, contextSale, body)
	if _, err := OpenIssuer(ctx, s.key, copyOf(signed), testPolicy); !errors.Is(err, ledger.ErrCorrupt) {
		t.Errorf("a second sale of the same keys: %v, want ledger.ErrCorrupt", err)
	}
	unbought, _ := newSale(s.key.Public(), 1, pass, t0, t0.Add(time.Hour), other.sale.Ring())
	body, _ = unbought.body()
	signed, _ = wire.Sign(s.key, contextSale, body)
	if _, err := OpenIssuer(ctx, s.key, copyOf(signed), testPolicy); !errors.Is(err, ledger.ErrCorrupt) {
		t.Errorf("a sale of keys nobody bought: %v, want ledger.ErrCorrupt", err)
	}
}

func wireKind(b []byte) (ledger.Kind, bool) {
	k, ok := wire.KindOf(b)
	return ledger.Kind(k), ok
}

const wireSig = 64

func TestIssuerBadInputs(t *testing.T) {
	l := ledger.NewMemory()
	key := mustECDSA(t)
	for name, p := range map[string]Policy{
		"ring 0":       {RingSize: 0, Validity: time.Hour},
		"ring too big": {RingSize: trs.MaxRingSize + 1, Validity: time.Hour},
		"min above":    {RingSize: 3, MinRingSize: 4, Validity: time.Hour},
		"no validity":  {RingSize: 3},
		"negative min": {RingSize: 3, MinRingSize: -1, Validity: time.Hour},
	} {
		if _, err := OpenIssuer(ctx, key, l, p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := OpenIssuer(ctx, nil, l, testPolicy); err == nil {
		t.Error("nil key accepted")
	}
	if _, err := OpenIssuer(ctx, key, nil, testPolicy); err == nil {
		t.Error("nil ledger accepted")
	}
	is, _ := OpenIssuer(ctx, key, l, testPolicy)
	k := mustTRS(t).Public()
	for name, c := range map[string]Class{
		"empty label": {Price: pass.Price},
		"long label":  {Label: string(make([]byte, 65)), Price: pass.Price},
		"bad utf-8":   {Label: "\xff", Price: pass.Price},
		"zero price":  {Label: "x", Price: money.MustNew(0, eur)},
		"no currency": {Label: "x"},
	} {
		if _, err := is.Purchase(ctx, c, k, nil, t0); err == nil {
			t.Errorf("%s: purchase accepted", name)
		}
	}
	if _, err := is.Purchase(ctx, pass, nil, nil, t0); err == nil {
		t.Error("nil key purchase accepted")
	}
	if _, err := is.Purchase(ctx, pass, k, nil, time.Unix(-1, 0)); err == nil {
		t.Error("purchase before 1970 accepted")
	}
	if _, ok := is.Buyer(nil); ok {
		t.Error("nil key has a buyer")
	}
}

// TestBuyerIsACopy: the issuer keeps its own copy of the buyer record a
// purchase names. An application that reuses the buffer it passed (a
// network read buffer) must not change whom a revealed key maps to.
func TestBuyerIsACopy(t *testing.T) {
	is, err := OpenIssuer(ctx, mustECDSA(t), ledger.NewMemory(), testPolicy)
	if err != nil {
		t.Fatal(err)
	}
	k := mustTRS(t).Public()
	buf := []byte("buyer A")
	if _, err := is.Purchase(ctx, pass, k, buf, t0); err != nil {
		t.Fatal(err)
	}
	copy(buf, "buyer B")
	if b, ok := is.Buyer(k); !ok || string(b) != "buyer A" {
		t.Errorf("buyer after the caller reused its buffer: %q %v, want \"buyer A\"", b, ok)
	}
}

// TestPurchaseRefusesZeroKey: a zero-value one-time key is an error, not a
// purchase. Recorded, it could never be sold (no ring takes it), so its
// class would never sell again, and its purchase record would not parse,
// so the issuer's ledger would no longer open.
func TestPurchaseRefusesZeroKey(t *testing.T) {
	key, l := mustECDSA(t), ledger.NewMemory()
	is, err := OpenIssuer(ctx, key, l, testPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := is.Purchase(ctx, pass, new(trs.PublicKey), []byte("zero"), t0); err == nil {
		t.Error("a purchase of the zero-value key was accepted")
	}
	var sale *Sale
	for i := range testPolicy.RingSize {
		if sale, err = is.Purchase(ctx, pass, mustTRS(t).Public(), nil, t0); err != nil {
			t.Fatalf("purchase %d after the zero key: %v", i, err)
		}
	}
	if sale == nil {
		t.Error("the class did not sell after the zero key")
	}
	if _, err := OpenIssuer(ctx, key, l, testPolicy); err != nil {
		t.Errorf("the issuer's ledger no longer opens: %v", err)
	}
}
