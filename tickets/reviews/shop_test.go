package reviews

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestOrderRefused: the shop sells only orders for itself, proved by the
// customer for the shop's moderator key, with a right not sold yet.
func TestOrderRefused(t *testing.T) {
	w := newWorld(t, kettle)
	c := w.customers[0]
	otherShop := must(ecdsa.GenerateKey())
	otherModerator := must(arsig.GenerateOpenerKey())
	forOther, _ := must2(NewOrder(c, otherShop.Public(), w.moderator.Public(), lamp, t0))
	wrongOpener, _ := must2(NewOrder(c, w.shopKey.Public(), otherModerator.Public(), lamp, t0))
	honest, _ := must2(NewOrder(c, w.shopKey.Public(), w.moderator.Public(), lamp, t0))
	// Customer 1 claims customer 0's order: its key in place of 0's.
	stolen := honest.Bytes()
	i := bytes.Index(stolen, c.Public().Bytes())
	copy(stolen[i:], w.customers[1].Public().Bytes())
	for _, tc := range []struct {
		name  string
		order []byte
		want  error
	}{
		{"for another shop", forOther.Bytes(), ErrRefused},
		{"proved for another moderator key", wrongOpener.Bytes(), ErrBadSignature},
		{"in another customer's name", stolen, ErrBadSignature},
		{"of a right already sold", w.purchases[0].order.Bytes(), ErrRefused},
		{"truncated", honest.Bytes()[:40], ErrMalformed},
	} {
		if _, err := w.shop.Sell(ctx, tc.order, t0); !errors.Is(err, tc.want) {
			t.Errorf("order %s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := w.shop.Sell(ctx, honest.Bytes(), t0); err != nil {
		t.Fatalf("honest order: %v", err)
	}
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// TestShopReplay: a shop rebuilt from its ledger maps every right to its
// order, continues the roster numbers and sells on.
func TestShopReplay(t *testing.T) {
	w := newWorld(t, kettle)
	s := must(OpenShop(ctx, w.shopKey, w.moderator.Public(), w.shopL, policy))
	for _, p := range w.purchases {
		o, ok := s.Buyer(p.right.Public())
		if !ok || o.ID() != p.order.ID() {
			t.Fatal("rebuilt shop lost a buyer")
		}
	}
	r := must(s.PublishRoster(ctx, t0))
	if r.Number() != w.roster.Number()+1 || r.Ring().Len() != len(w.customers) {
		t.Fatalf("rebuilt shop's roster %d of %d customers", r.Number(), r.Ring().Len())
	}
	if _, ok := s.Buyer(must(trs.GenerateKey()).Public()); ok {
		t.Fatal("a key nobody bought has a buyer")
	}
}

// TestShopSellRetry: an order whose recording failed is refused until the
// shop is opened again from its ledger (the failed append may have stored
// it), then completed when sold again, and only once.
func TestShopSellRetry(t *testing.T) {
	key := must(ecdsa.GenerateKey())
	mod := must(arsig.GenerateOpenerKey())
	fl := &failingLedger{Ledger: ledger.NewMemory()}
	s := must(OpenShop(ctx, key, mod.Public(), fl, policy))
	o, right := must2(NewOrder(must(arsig.GenerateKey()), key.Public(), mod.Public(), kettle, t0))
	fl.fail = true
	if _, err := s.Sell(ctx, o.Bytes(), t0); err == nil {
		t.Fatal("sold on a failing ledger")
	}
	if _, ok := s.Buyer(right.Public()); ok {
		t.Fatal("a failed sale has a buyer")
	}
	if _, err := s.Sell(ctx, o.Bytes(), t0); !errors.Is(err, ErrRefused) {
		t.Fatalf("sold after an append of unknown outcome: %v", err)
	}
	s = must(OpenShop(ctx, key, mod.Public(), fl, policy))
	if _, err := s.Sell(ctx, o.Bytes(), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, o.Bytes(), t0); !errors.Is(err, ErrRefused) {
		t.Fatalf("order sold twice: %v", err)
	}
	if got, ok := s.Buyer(right.Public()); !ok || got.ID() != o.ID() {
		t.Fatal("retried sale has no buyer")
	}
}

// TestSaleAfterUnsureAppend: the order that fills a ring is recorded, and
// so is its sale, but the shop hears an error. Sold again, the order is
// refused as sold; the reopened shop's Sales hands out the recorded sale,
// which the board takes.
func TestSaleAfterUnsureAppend(t *testing.T) {
	key := must(ecdsa.GenerateKey())
	mod := must(arsig.GenerateOpenerKey())
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	p := tickets.Policy{RingSize: 2, Validity: policy.Validity}
	s := must(OpenShop(ctx, key, mod.Public(), l, p))
	var orders []*Order
	for i := range 2 {
		o, _ := must2(NewOrder(must(arsig.GenerateKey()), key.Public(), mod.Public(), kettle, t0))
		orders = append(orders, o)
		if i == 1 {
			l.Fail = kindTicketsSale
		}
		_, err := s.Sell(ctx, o.Bytes(), t0)
		if i == 1 && !errors.Is(err, recordtest.ErrLostReply) {
			t.Fatalf("sale with a lost reply: %v", err)
		}
	}
	s = must(OpenShop(ctx, key, mod.Public(), l, p))
	if _, err := s.Sell(ctx, orders[1].Bytes(), t0); !errors.Is(err, ErrRefused) {
		t.Fatalf("order sold again after its sale was recorded: %v", err)
	}
	sales := s.Sales(0)
	if len(sales) != 1 {
		t.Fatalf("reopened shop has %d sales, want the 1 recorded", len(sales))
	}
	for _, o := range orders {
		if _, in := sales[0].Ring().IndexOf(o.right); !in {
			t.Error("the recorded sale lacks an order's right")
		}
	}
	if err := sales[0].Verify(key.Public()); err != nil {
		t.Fatal(err)
	}
}

// TestRosterAfterUnsureAppend: a roster whose append reported an error
// may be on the shop's ledger though the shop never returned it, so the
// board never got it. The shop opened again numbers its next roster after
// it, and the board applies that one and posts reviews under it.
func TestRosterAfterUnsureAppend(t *testing.T) {
	w := newWorld(t, kettle)
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	w.shopL.Scan(ctx, 0, func(e ledger.Entry) error {
		_, err := l.Append(ctx, e.Kind, e.Payload)
		return err
	})
	s := must(OpenShop(ctx, w.shopKey, w.moderator.Public(), l, policy))
	l.Fail = kindRoster
	if _, err := s.PublishRoster(ctx, t0); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("roster with a lost reply: %v", err)
	}
	s = must(OpenShop(ctx, w.shopKey, w.moderator.Public(), l, policy))
	next := must(s.PublishRoster(ctx, t0))
	if _, err := w.board.AddRoster(ctx, next.Bytes()); err != nil {
		t.Fatalf("the shop's roster after one it recorded but never returned: %v", err)
	}
	p := w.purchases[0]
	r := must(NewReview(w.customers[p.customer], p.right, p.sale, next, 5, "x", t0.Add(time.Minute)))
	if err := w.post(r); err != nil {
		t.Fatalf("review under the new roster: %v", err)
	}
	reader := w.newBoard(t, copyLedger(t, w.boardL), trs.NewMemoryStore())
	if _, ok := reader.Review(r.ID()); !ok {
		t.Fatal("a reader's board lacks the review")
	}
}

// TestFlush sells a ring that has not filled.
func TestFlush(t *testing.T) {
	key := must(ecdsa.GenerateKey())
	mod := must(arsig.GenerateOpenerKey())
	s := must(OpenShop(ctx, key, mod.Public(), ledger.NewMemory(), tickets.Policy{RingSize: 4, MinRingSize: 2, Validity: policy.Validity}))
	for range 2 {
		o, _ := must2(NewOrder(must(arsig.GenerateKey()), key.Public(), mod.Public(), kettle, t0))
		if sale := must(s.Sell(ctx, o.Bytes(), t0)); sale != nil {
			t.Fatal("a sale before the ring filled")
		}
	}
	sale := must(s.Flush(ctx, kettle, t0))
	if sale.Ring().Len() != 2 {
		t.Fatalf("flushed ring of %d", sale.Ring().Len())
	}
	if _, err := s.Flush(ctx, kettle, t0); err == nil {
		t.Fatal("flushed an empty class")
	}
}
