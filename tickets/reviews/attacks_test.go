package reviews

import (
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestSignaturesBound: neither of a review's signatures can be moved to
// another review, nor the author signature to another roster.
func TestSignaturesBound(t *testing.T) {
	w := newWorld(t, kettle)
	a := w.review(t, w.purchases[0], 5, "mine")
	b := w.review(t, w.purchases[1], 1, "theirs")
	ta, sa := parts(a)
	tb, sb := parts(b)
	for name, rec := range map[string][]byte{
		"a's ticket with b's author": assemble(t, w.roster.ID(), ta, sb),
		"b's ticket with a's author": assemble(t, w.roster.ID(), tb, sa),
		"a's author under roster 2":  assemble(t, w.secondRoster(t).ID(), ta, sa),
	} {
		if _, err := w.board.Post(ctx, rec, t0.Add(time.Hour)); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: %v, want a bad signature", name, err)
		}
	}
	// The genuine reviews are untouched by the attempts.
	for _, r := range []*Review{a, b} {
		if err := w.post(r); err != nil {
			t.Fatal(err)
		}
	}
}

// secondRoster publishes another roster of the same customers and applies
// it to the board.
func (w *world) secondRoster(tb testing.TB) *Roster {
	tb.Helper()
	r := must(w.shop.PublishRoster(ctx, t0))
	must(w.board.AddRoster(ctx, r.Bytes()))
	return r
}

// forge signs a review of product with purchase p's right, whatever its
// sale's product, and written at at.
func (w *world) forge(tb testing.TB, p *purchase, product string, at time.Time) []byte {
	tb.Helper()
	r := &Review{roster: w.roster.ID(), product: product, rating: 5, text: "forged", time: at}
	r.ticket = must(tickets.NewTicket(p.right, p.sale, must(r.content())))
	author := must(arsig.Sign(w.customers[p.customer], w.roster.Ring(), w.roster.Opener(), r.authorMessage()))
	return assemble(tb, r.roster, r.ticket.Bytes(), author.Bytes())
}

// TestReviewRefused: reviews that do not fit the board are refused with
// the sentinel callers branch on, and spend nothing.
func TestReviewRefused(t *testing.T) {
	w := newWorld(t, kettle)
	other := newWorld(t, kettle)
	p := w.purchases[0]
	now := t0.Add(time.Hour)
	for _, c := range []struct {
		name string
		rec  []byte
		want error
	}{
		{"a kettle right reviewing a lamp", w.forge(t, p, lamp.Label, t0.Add(time.Minute)), ErrRefused},
		{"written after it is posted", w.forge(t, p, kettle.Label, now.Add(time.Second)), ErrRefused},
		{"written after the sale's validity", w.forge(t, p, kettle.Label, p.sale.ValidUntil().Add(time.Second)), tickets.ErrExpired},
		{"written before the sale", w.forge(t, p, kettle.Label, p.sale.ValidFrom().Add(-time.Second)), ErrRefused},
		{"a right of another shop", other.review(t, other.purchases[0], 5, "x").Bytes(), ErrUnknown},
	} {
		if _, err := w.board.Post(ctx, c.rec, now); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if err := w.post(w.review(t, p, 4, "honest")); err != nil {
		t.Fatalf("the right was spent by a refused review: %v", err)
	}
}

// TestUnknownRoster: a review under a roster the board has not applied is
// refused, and a customer outside the roster cannot sign one.
func TestUnknownRoster(t *testing.T) {
	w := newWorld(t, kettle)
	other := newWorld(t, kettle)
	p := w.purchases[0]
	r := must(NewReview(other.customers[0], p.right, p.sale, other.roster, 5, "x", t0))
	if err := w.post(r); !errors.Is(err, ErrUnknown) {
		t.Errorf("review under an unknown roster: %v", err)
	}
	if _, err := NewReview(other.customers[0], p.right, p.sale, w.roster, 5, "x", t0); !errors.Is(err, ErrRefused) {
		t.Errorf("a customer outside the roster signed: %v", err)
	}
	if _, err := NewReview(w.customers[0], w.purchases[1].right, p.sale, w.roster, 5, "x", t0); err != nil {
		t.Errorf("customer 0 with customer 1's right (a right given away): %v", err)
	}
	if _, err := NewReview(w.customers[0], other.purchases[0].right, p.sale, w.roster, 5, "x", t0); !errors.Is(err, ErrRefused) {
		t.Errorf("a right outside the sale's ring signed: %v", err)
	}
}

// TestInterceptedTicket: a customer who gets hold of another's review
// before it is posted and signs its ticket as author answers for it: the
// moderator's opening names the re-signer, and the original is then a
// replay. This is the documented limit of binding a ticket to its author.
func TestInterceptedTicket(t *testing.T) {
	w := newWorld(t, kettle)
	orig := w.review(t, w.purchases[0], 1, "abuse")
	ticket, _ := parts(orig)
	stolen := must(w.board.Post(ctx, assemble(t, w.roster.ID(), ticket, resign(t, w, 3, orig)), t0.Add(time.Hour)))
	d := must(NewDisclosure(w.moderator, stolen, w.roster))
	if !d.Customer().Equal(w.customers[3].Public()) {
		t.Fatal("the opening of the re-signed review does not name the re-signer")
	}
	if err := w.post(orig); !errors.Is(err, tickets.ErrReused) {
		t.Fatalf("the original after the re-signed copy: %v", err)
	}
}

// TestDishonestShopRecords: the board refuses rosters and sales that the
// shop did not sign, and rosters for an opener that is not its moderator
// (a shop that could then open reviews itself).
func TestDishonestShopRecords(t *testing.T) {
	w := newWorld(t, kettle)
	other := newWorld(t, kettle)
	shopsOwnOpener := must(arsig.GenerateOpenerKey())
	ownRoster := must(newRoster(w.shopKey, 7, shopsOwnOpener.Public(), t0, w.roster.Ring()))
	impostor := must(ecdsa.GenerateKey())
	body := w.roster.Bytes()[:len(w.roster.Bytes())-wire.SignatureSize]
	resigned := must(wire.Sign(impostor, contextRoster, body))

	if _, err := w.board.AddRoster(ctx, ownRoster.Bytes()); !errors.Is(err, ErrRefused) {
		t.Errorf("roster for the shop's own opener: %v", err)
	}
	if _, err := w.board.AddRoster(ctx, resigned); !errors.Is(err, ErrBadSignature) {
		t.Errorf("roster signed by another key: %v", err)
	}
	if _, err := w.board.AddRoster(ctx, other.roster.Bytes()); !errors.Is(err, ErrUnknown) {
		t.Errorf("another shop's roster: %v", err)
	}
	if _, err := w.board.AddSale(ctx, other.sales[0].Bytes()); !errors.Is(err, ErrUnknown) {
		t.Errorf("another shop's sale: %v", err)
	}
	sale := w.sales[0].Bytes()
	sale[len(sale)-1] ^= 1
	if _, err := w.board.AddSale(ctx, sale); !errors.Is(err, ErrBadSignature) {
		t.Errorf("sale with a bad signature: %v", err)
	}
	if _, err := NewDisclosure(shopsOwnOpener, w.review(t, w.purchases[0], 1, "x"), w.roster); !errors.Is(err, ErrBadSignature) {
		t.Errorf("an opener key that is not the moderator's opened a review: %v", err)
	}
}

// TestByteFlips: a review with any one byte changed is refused.
func TestByteFlips(t *testing.T) {
	w := newWorld(t, kettle)
	rec := w.review(t, w.purchases[0], 4, "a decent kettle").Bytes()
	step := 1
	if testing.Short() {
		step = 13
	}
	for i := 0; i < len(rec); i += step {
		b := append([]byte(nil), rec...)
		b[i] ^= 0x01
		if _, err := w.board.Post(ctx, b, t0.Add(time.Hour)); err == nil {
			t.Fatalf("review with byte %d flipped accepted", i)
		}
	}
	if _, err := w.board.Post(ctx, rec, t0.Add(time.Hour)); err != nil {
		t.Fatalf("genuine review after the flips: %v", err)
	}
}

// TestRosterPartition: a shop that wants to tell its customers apart
// cannot publish a roster for a few of them after a roster of all: each
// roster must come after the latest applied and keep every customer of it.
func TestRosterPartition(t *testing.T) {
	w := newWorld(t, kettle)
	target := must(arsig.NewRing([]*arsig.PublicKey{w.customers[0].Public()}))
	small := must(newRoster(w.shopKey, w.roster.Number()+1, w.moderator.Public(), t0, target))
	renumbered := must(newRoster(w.shopKey, w.roster.Number(), w.moderator.Public(), t0.Add(time.Second), w.roster.Ring()))
	for name, r := range map[string]*Roster{"a roster of one customer": small, "a roster numbered like the latest": renumbered} {
		if _, err := w.board.AddRoster(ctx, r.Bytes()); !errors.Is(err, ErrRefused) {
			t.Errorf("%s: %v", name, err)
		}
		l := rewrite(t, w.boardL, firstOf(kindRoster, func(e ledger.Entry) []ledger.Entry {
			return []ledger.Entry{e, {Kind: kindRoster, Payload: r.Bytes()}}
		}))
		if _, err := OpenBoard(ctx, w.shopKey.Public(), w.moderator.Public(), l, trs.NewMemoryStore()); !errors.Is(err, ErrRefused) {
			t.Errorf("ledger with %s: %v", name, err)
		}
	}
	grown := must(w.shop.PublishRoster(ctx, t0))
	if _, err := w.board.AddRoster(ctx, grown.Bytes()); err != nil {
		t.Fatalf("the shop's next roster: %v", err)
	}
}
