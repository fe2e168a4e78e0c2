package reviews

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestBadLengths: every record with a byte cut off or added is refused as
// malformed.
func TestBadLengths(t *testing.T) {
	w := newWorldN(t, 2, kettle)
	r := w.review(t, w.purchases[0], 1, "abuse")
	d := must(NewDisclosure(w.moderator, r, w.roster))
	parsers := map[string]struct {
		rec   []byte
		parse func([]byte) error
	}{
		"order":      {w.purchases[0].order.Bytes(), func(b []byte) error { _, err := ParseOrder(b); return err }},
		"roster":     {w.roster.Bytes(), func(b []byte) error { _, err := ParseRoster(b); return err }},
		"review":     {r.Bytes(), func(b []byte) error { _, err := ParseReview(b); return err }},
		"disclosure": {d.Bytes(), func(b []byte) error { _, err := ParseDisclosure(b); return err }},
	}
	for name, p := range parsers {
		if err := p.parse(p.rec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, b := range [][]byte{p.rec[:len(p.rec)-1], append(append([]byte(nil), p.rec...), 0), nil} {
			if err := p.parse(b); !errors.Is(err, ErrMalformed) {
				t.Errorf("%s of %d bytes (valid: %d): %v", name, len(b), len(p.rec), err)
			}
		}
	}
}

// TestContentRules: ratings outside 1..5 and texts that are too long or not
// UTF-8 are refused when writing, and a ticket over such content is
// refused when parsing.
func TestContentRules(t *testing.T) {
	w := newWorldN(t, 2, kettle)
	p := w.purchases[0]
	long := string(make([]byte, MaxTextLen+1))
	for _, c := range []struct {
		rating int
		text   string
	}{{0, "x"}, {6, "x"}, {-1, "x"}, {5, long}, {5, "\xff"}} {
		if _, err := NewReview(w.customers[0], p.right, p.sale, w.roster, c.rating, c.text, t0); !errors.Is(err, ErrMalformed) {
			t.Errorf("rating %d, text of %d bytes: %v", c.rating, len(c.text), err)
		}
		bad := &Review{roster: w.roster.ID(), product: kettle.Label, rating: c.rating, text: c.text, time: t0}
		content := encodeContentUnchecked(t, bad)
		tk := must(tickets.NewTicket(p.right, p.sale, content))
		if _, err := ParseReview(assemble(t, w.roster.ID(), tk.Bytes(), w.review(t, p, 3, "x").author.Bytes())); !errors.Is(err, ErrMalformed) {
			t.Errorf("parsed a review of rating %d, text of %d bytes: %v", c.rating, len(c.text), err)
		}
	}
	if _, err := NewReview(w.customers[0], p.right, p.sale, w.roster, 5, string(make([]byte, MaxTextLen)), t0); err != nil {
		t.Errorf("text of MaxTextLen bytes: %v", err)
	}
}

// TestNilInputs: nil and zero-value arguments are errors, not panics.
func TestNilInputs(t *testing.T) {
	w := newWorldN(t, 2, kettle)
	p := w.purchases[0]
	mod := w.moderator.Public()
	shop := w.shopKey.Public()
	r := w.review(t, p, 3, "x")
	var nilCtx context.Context
	errs := []error{
		third(NewOrder(nil, shop, mod, kettle, t0)),
		third(NewOrder(w.customers[0], nil, mod, kettle, t0)),
		third(NewOrder(w.customers[0], shop, nil, kettle, t0)),
		third(NewOrder(w.customers[0], shop, mod, tickets.Class{}, t0)),
		third(NewOrder(w.customers[0], shop, mod, kettle, time.Unix(-1, 0))),
		second(NewReview(nil, p.right, p.sale, w.roster, 3, "x", t0)),
		second(NewReview(w.customers[0], nil, p.sale, w.roster, 3, "x", t0)),
		second(NewReview(w.customers[0], p.right, nil, w.roster, 3, "x", t0)),
		second(NewReview(w.customers[0], p.right, p.sale, nil, 3, "x", t0)),
		second(NewReview(w.customers[0], p.right, &tickets.Sale{}, w.roster, 3, "x", t0)),
		second(NewReview(w.customers[0], p.right, p.sale, &Roster{}, 3, "x", t0)),
		second(NewDisclosure(nil, r, w.roster)),
		second(NewDisclosure(w.moderator, nil, w.roster)),
		second(NewDisclosure(w.moderator, r, nil)),
		second(NewDisclosure(w.moderator, &Review{}, w.roster)),
		(&Disclosure{}).Check(r, w.roster),
		must(NewDisclosure(w.moderator, r, w.roster)).Check(nil, w.roster),
		must(NewDisclosure(w.moderator, r, w.roster)).Check(&Review{}, w.roster),
		(&Roster{}).Verify(shop),
		w.roster.Verify(nil),
		second(OpenShop(ctx, nil, mod, ledger.NewMemory(), policy)),
		second(OpenShop(ctx, w.shopKey, nil, ledger.NewMemory(), policy)),
		second(OpenShop(ctx, w.shopKey, mod, nil, policy)),
		second(OpenShop(nilCtx, w.shopKey, mod, ledger.NewMemory(), policy)),
		second(OpenBoard(ctx, nil, mod, ledger.NewMemory(), trs.NewMemoryStore())),
		second(OpenBoard(ctx, shop, nil, ledger.NewMemory(), trs.NewMemoryStore())),
		second(OpenBoard(ctx, shop, mod, nil, trs.NewMemoryStore())),
		second(OpenBoard(ctx, shop, mod, ledger.NewMemory(), nil)),
		second(OpenBoard(nilCtx, shop, mod, ledger.NewMemory(), trs.NewMemoryStore())),
		second(w.shop.Sell(nilCtx, p.order.Bytes(), t0)),
		second(w.shop.Sell(ctx, nil, t0)),
		second(w.shop.PublishRoster(nilCtx, t0)),
		second(w.shop.Flush(nilCtx, kettle, t0)),
		second(w.board.Post(nilCtx, r.Bytes(), t0)),
		second(w.board.Post(ctx, nil, t0)),
		second(w.board.AddSale(nilCtx, p.sale.Bytes())),
		second(w.board.AddSale(ctx, nil)),
		second(w.board.AddRoster(nilCtx, w.roster.Bytes())),
		second(w.board.AddRoster(ctx, nil)),
		second(w.board.Disclose(nilCtx, nil)),
		second(w.board.Disclose(ctx, nil)),
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	if _, ok := w.shop.Buyer(nil); ok {
		t.Error("nil key has a buyer")
	}
	var zr Review
	var zd Disclosure
	var zo Order
	var zro Roster
	_ = []any{zr.Bytes(), zr.Sale(), zd.Customer(), zd.Bytes(), zo.Bytes(), zo.Right(), zro.Bytes(), zro.Ring()}
}

func second[A any](_ A, err error) error { return err }

func third[A, B any](_ A, _ B, err error) error { return err }

// encodeContentUnchecked encodes r's content without the rating and text
// checks, as a forger would.
func encodeContentUnchecked(tb testing.TB, r *Review) []byte {
	tb.Helper()
	rating, text := r.rating, r.text
	r.rating, r.text = 3, ""
	b := must(r.content())
	r.rating, r.text = rating, text
	// content = header || lp(product) || u8(rating) || lp(text) || time
	i := 3 + 4 + len(r.product)
	out := append([]byte(nil), b[:i]...)
	out = append(out, byte(rating))
	out = append(out, byte(len(text)>>24), byte(len(text)>>16), byte(len(text)>>8), byte(len(text)))
	out = append(out, text...)
	return append(out, b[i+1+4:]...)
}
