package reviews

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// TestPostAndReplay posts a review of every right and rebuilds the board
// from a copy of its ledger, as a reader would: the same reviews, each
// verified again.
func TestPostAndReplay(t *testing.T) {
	w := newWorld(t, kettle, lamp)
	var order [][32]byte
	for i, p := range w.purchases {
		r := w.review(t, p, 1+i%5, fmt.Sprintf("review %d", i))
		if err := w.post(r); err != nil {
			t.Fatalf("review %d: %v", i, err)
		}
		order = append(order, r.ID())
	}
	for i, r := range w.board.Reviews(kettle.Label) { // the kettle's come first
		if r.ID() != order[i] {
			t.Fatalf("kettle review %d out of posting order", i)
		}
	}
	n := w.boardL.Len()
	must(w.board.AddSale(ctx, w.sales[0].Bytes()))
	must(w.board.AddRoster(ctx, w.roster.Bytes()))
	if w.boardL.Len() != n {
		t.Fatal("adding a sale or roster again recorded it again")
	}
	for _, product := range []string{kettle.Label, lamp.Label} {
		if got := len(w.board.Reviews(product)); got != policy.RingSize {
			t.Errorf("%d reviews of %s, want %d", got, product, policy.RingSize)
		}
	}
	reader := w.newBoard(t, copyLedger(t, w.boardL), trs.NewMemoryStore())
	for _, product := range []string{kettle.Label, lamp.Label} {
		got, want := reader.Reviews(product), w.board.Reviews(product)
		if len(got) != len(want) {
			t.Fatalf("reader has %d reviews of %s, board %d", len(got), product, len(want))
		}
		for i := range got {
			if got[i].ID() != want[i].ID() || got[i].Text() != want[i].Text() || got[i].Rating() != want[i].Rating() {
				t.Errorf("reader's review %d of %s differs", i, product)
			}
		}
	}
}

// TestReplayWithPersistentStore reopens a board whose spent store is on
// its own ledger: the reviews are spent already, and the board is rebuilt.
func TestReplayWithPersistentStore(t *testing.T) {
	w := newWorld(t, kettle)
	l := ledger.NewMemory()
	store := must(tickets.OpenSpentStore(ctx, l))
	b := w.newBoard(t, l, store)
	must(b.AddSale(ctx, w.sales[0].Bytes()))
	must(b.AddRoster(ctx, w.roster.Bytes()))
	r := w.review(t, w.purchases[0], 4, "solid")
	must(b.Post(ctx, r.Bytes(), t0.Add(time.Hour)))

	store = must(tickets.OpenSpentStore(ctx, l))
	b = w.newBoard(t, l, store)
	if got := b.Reviews(kettle.Label); len(got) != 1 || got[0].ID() != r.ID() {
		t.Fatalf("reopened board has %d reviews", len(got))
	}
	second := w.review(t, w.purchases[0], 1, "changed my mind")
	if _, err := b.Post(ctx, second.Bytes(), t0.Add(time.Hour)); !errors.Is(err, tickets.ErrReused) {
		t.Fatalf("second review after reopening: %v", err)
	}
}

// TestSecondReviewRevealed: a right that posts a second, different review
// is revealed and mapped by the shop to its order; the same review again is
// linked. Neither is recorded.
func TestSecondReviewRevealed(t *testing.T) {
	w := newWorld(t, kettle)
	p := w.purchases[2]
	first := w.review(t, p, 5, "great kettle")
	if err := w.post(first); err != nil {
		t.Fatal(err)
	}
	var reuse *tickets.ReuseError
	err := w.post(w.review(t, p, 1, "terrible kettle"))
	if !errors.As(err, &reuse) || reuse.Kind != trs.Revealed {
		t.Fatalf("second review: %v, want revealed", err)
	}
	if !reuse.Key.Equal(p.right.Public()) {
		t.Fatal("revealed key is not the right's")
	}
	o, ok := w.shop.Buyer(reuse.Key)
	if !ok || o.ID() != p.order.ID() || !o.Customer().Equal(w.customers[p.customer].Public()) {
		t.Fatal("the shop does not map the revealed right to its buyer")
	}
	if err := w.post(first); !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
		t.Fatalf("replayed review: %v, want linked", err)
	}
	if got := w.board.Reviews(kettle.Label); len(got) != 1 {
		t.Fatalf("%d reviews on the board, want 1", len(got))
	}
	if n := w.boardL.Len(); n != 3 { // sale, roster, review
		t.Fatalf("board ledger has %d entries, want 3", n)
	}
}

// failingLedger fails the next Append while fail is set.
type failingLedger struct {
	ledger.Ledger
	fail bool
}

func (f *failingLedger) Append(ctx context.Context, k ledger.Kind, p []byte) (ledger.Entry, error) {
	if f.fail {
		f.fail = false
		return ledger.Entry{}, errors.New("disk full")
	}
	return f.Ledger.Append(ctx, k, p)
}

// TestPostAfterFailedAppend: a review whose right was spent but which the
// ledger failed to record is refused again until the board is opened again
// from its ledger (a failed append may have stored the record); then it is
// posted when sent again, and only then; another author signature on its
// ticket is still refused as a replay.
func TestPostAfterFailedAppend(t *testing.T) {
	w := newWorld(t, kettle)
	fl := &failingLedger{Ledger: ledger.NewMemory()}
	spent := trs.NewMemoryStore()
	b := w.newBoard(t, fl, spent)
	must(b.AddSale(ctx, w.sales[0].Bytes()))
	must(b.AddRoster(ctx, w.roster.Bytes()))
	r := w.review(t, w.purchases[0], 3, "fine")
	fl.fail = true
	if _, err := b.Post(ctx, r.Bytes(), t0.Add(time.Hour)); err == nil {
		t.Fatal("post succeeded on a failing ledger")
	}
	if len(b.Reviews(kettle.Label)) != 0 {
		t.Fatal("a review the ledger did not record is on the board")
	}
	if _, err := b.Post(ctx, r.Bytes(), t0.Add(time.Hour)); !errors.Is(err, ErrRefused) {
		t.Fatalf("post on a board whose last append has an unknown outcome: %v", err)
	}
	b = w.newBoard(t, fl, spent)
	if _, err := b.Post(ctx, r.Bytes(), t0.Add(time.Hour)); err != nil {
		t.Fatalf("post after the failed append: %v", err)
	}
	if _, err := b.Post(ctx, r.Bytes(), t0.Add(time.Hour)); !errors.Is(err, tickets.ErrReused) {
		t.Fatalf("third post: %v, want a replay", err)
	}
	ticket, _ := parts(r)
	other := resign(t, w, 1, r)
	var reuse *tickets.ReuseError
	if _, err := b.Post(ctx, assemble(t, w.roster.ID(), ticket, other), t0.Add(time.Hour)); !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
		t.Fatalf("the ticket with another author signature: %v, want linked", err)
	}
}

// TestRefusedUnspentAfterFailedAppend: once an append has failed, the
// board refuses every review until it is opened again, and spends none of
// their rights: a buyer refused then may write its review anew after the
// board is reopened, and is not revealed for it.
func TestRefusedUnspentAfterFailedAppend(t *testing.T) {
	w := newWorld(t, kettle)
	fl := &failingLedger{Ledger: ledger.NewMemory()}
	spent := trs.NewMemoryStore()
	b := w.newBoard(t, fl, spent)
	must(b.AddSale(ctx, w.sales[0].Bytes()))
	must(b.AddRoster(ctx, w.roster.Bytes()))
	fl.fail = true
	if _, err := b.Post(ctx, w.review(t, w.purchases[0], 3, "fine").Bytes(), t0.Add(time.Hour)); err == nil {
		t.Fatal("post succeeded on a failing ledger")
	}
	p := w.purchases[1]
	if _, err := b.Post(ctx, w.review(t, p, 2, "first draft").Bytes(), t0.Add(time.Hour)); !errors.Is(err, ErrRefused) {
		t.Fatalf("post on a board whose last append has an unknown outcome: %v", err)
	}
	b = w.newBoard(t, fl, spent)
	if _, err := b.Post(ctx, w.review(t, p, 4, "second draft").Bytes(), t0.Add(time.Hour)); err != nil {
		t.Fatalf("a review written anew after the board refused the first: %v", err)
	}
}

// TestAddSaleAfterFailedAppend: a sale whose recording failed is not
// reported added when it is added again before the board is opened again;
// the board opened again records it.
func TestAddSaleAfterFailedAppend(t *testing.T) {
	w := newWorld(t, kettle)
	fl := &failingLedger{Ledger: ledger.NewMemory()}
	b := w.newBoard(t, fl, trs.NewMemoryStore())
	fl.fail = true
	if _, err := b.AddSale(ctx, w.sales[0].Bytes()); err == nil {
		t.Fatal("sale added on a failing ledger")
	}
	if _, err := b.AddSale(ctx, w.sales[0].Bytes()); !errors.Is(err, ErrRefused) {
		t.Fatalf("the unrecorded sale added again: %v", err)
	}
	b = w.newBoard(t, fl, trs.NewMemoryStore())
	must(b.AddSale(ctx, w.sales[0].Bytes()))
	if n := fl.Len(); n != 1 {
		t.Fatalf("%d entries on the board's ledger, want the sale", n)
	}
}

// TestRevealedThoughNotPosted: a right's second, different review reveals
// it even when the first was never posted (the board spent the right and
// failed to record the review), to the board and to anyone holding both
// reviews; the first sent again is posted.
func TestRevealedThoughNotPosted(t *testing.T) {
	w := newWorld(t, kettle)
	fl := &failingLedger{Ledger: ledger.NewMemory()}
	spent := trs.NewMemoryStore()
	b := w.newBoard(t, fl, spent)
	must(b.AddSale(ctx, w.sales[0].Bytes()))
	must(b.AddRoster(ctx, w.roster.Bytes()))
	p := w.purchases[0]
	first := w.review(t, p, 5, "first")
	now := t0.Add(time.Hour)
	fl.fail = true
	if _, err := b.Post(ctx, first.Bytes(), now); err == nil {
		t.Fatal("post succeeded on a failing ledger")
	}
	second := w.review(t, p, 1, "written anew")
	res := must(trs.Trace(p.sale.Tag(), first.ticket.Message(), first.ticket.Signature(), second.ticket.Message(), second.ticket.Signature()))
	if res.Kind != trs.Revealed || !res.Key.Equal(p.right.Public()) {
		t.Fatalf("the two reviews trace as %v", res.Kind)
	}
	b = w.newBoard(t, fl, spent)
	var reuse *tickets.ReuseError
	if _, err := b.Post(ctx, second.Bytes(), now); !errors.As(err, &reuse) || reuse.Kind != trs.Revealed {
		t.Fatalf("the second review of a right whose first was not posted: %v, want revealed", err)
	}
	if _, err := b.Post(ctx, first.Bytes(), now); err != nil {
		t.Fatalf("the first review sent again: %v", err)
	}
}

// TestTwoRightsOfOneCustomer: a customer who bought twice in one sale
// reviews twice, and the two reviews are independent, not a reuse.
func TestTwoRightsOfOneCustomer(t *testing.T) {
	w := newWorld(t, lamp) // customers who bought a lamp each
	var rights []*trs.PrivateKey
	var sale *tickets.Sale
	for _, c := range []int{0, 0, 1, 2} {
		o, right := must2(NewOrder(w.customers[c], w.shopKey.Public(), w.moderator.Public(), kettle, t0))
		rights = append(rights, right)
		sale = must(w.shop.Sell(ctx, o.Bytes(), t0))
	}
	roster := must(w.shop.PublishRoster(ctx, t0))
	must(w.board.AddSale(ctx, sale.Bytes()))
	must(w.board.AddRoster(ctx, roster.Bytes()))
	var posted []*Review
	for i := range 2 {
		r := must(NewReview(w.customers[0], rights[i], sale, roster, 4, "same words", t0))
		posted = append(posted, must(w.board.Post(ctx, r.Bytes(), t0.Add(time.Hour))))
	}
	res := must(trs.Trace(sale.Tag(), posted[0].ticket.Message(), posted[0].ticket.Signature(), posted[1].ticket.Message(), posted[1].ticket.Signature()))
	if res.Kind != trs.Indep {
		t.Fatalf("two rights of one customer trace as %v", res.Kind)
	}
}
