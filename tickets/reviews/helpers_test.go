package reviews

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

var (
	ctx    = context.Background()
	t0     = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	eur    = money.MustCurrency("EUR")
	kettle = tickets.Class{Label: "kettle", Price: money.MustNew(3990, eur)}
	lamp   = tickets.Class{Label: "lamp", Price: money.MustNew(2500, eur)}
	policy = tickets.Policy{RingSize: 4, Validity: 90 * 24 * time.Hour}
)

// purchase is one bought review right, as its buyer holds it.
type purchase struct {
	customer int // index into world.customers
	order    *Order
	right    *trs.PrivateKey
	sale     *tickets.Sale
}

// world is a shop whose customers each bought every product once, so that
// each product has one sale of policy.RingSize rights, with the roster of
// all customers and a board that applied the sales and the roster.
type world struct {
	shopKey   *ecdsa.PrivateKey
	moderator *arsig.OpenerKey
	shopL     ledger.Ledger
	shop      *Shop
	customers []*arsig.PrivateKey
	purchases []*purchase // product-major: purchases[p*n+i] is customer i's of product p
	sales     []*tickets.Sale
	roster    *Roster
	boardL    ledger.Ledger
	board     *Board
}

// must returns v, and panics (failing the test) on a setup error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newWorld(tb testing.TB, products ...tickets.Class) *world {
	tb.Helper()
	return newWorldN(tb, policy.RingSize, products...)
}

// newWorldN is newWorld with rings of n.
func newWorldN(tb testing.TB, n int, products ...tickets.Class) *world {
	tb.Helper()
	pol := policy
	pol.RingSize = n
	w := &world{shopKey: must(ecdsa.GenerateKey()), moderator: must(arsig.GenerateOpenerKey()), shopL: ledger.NewMemory()}
	w.shop = must(OpenShop(ctx, w.shopKey, w.moderator.Public(), w.shopL, pol))
	for range n {
		w.customers = append(w.customers, must(arsig.GenerateKey()))
	}
	for _, p := range products {
		var sale *tickets.Sale
		var bought []*purchase
		for i, c := range w.customers {
			o, right, err := NewOrder(c, w.shopKey.Public(), w.moderator.Public(), p, t0)
			if err != nil {
				tb.Fatal(err)
			}
			if s := must(w.shop.Sell(ctx, o.Bytes(), t0)); s != nil {
				sale = s
			}
			bought = append(bought, &purchase{customer: i, order: o, right: right})
		}
		if sale == nil {
			tb.Fatalf("no sale of %s", p.Label)
		}
		for _, b := range bought {
			b.sale = sale
		}
		w.purchases = append(w.purchases, bought...)
		w.sales = append(w.sales, sale)
	}
	w.roster = must(w.shop.PublishRoster(ctx, t0))
	w.boardL = ledger.NewMemory()
	w.board = w.newBoard(tb, w.boardL, trs.NewMemoryStore())
	for _, s := range w.sales {
		must(w.board.AddSale(ctx, s.Bytes()))
	}
	must(w.board.AddRoster(ctx, w.roster.Bytes()))
	return w
}

func (w *world) newBoard(tb testing.TB, l ledger.Ledger, spent trs.Store) *Board {
	tb.Helper()
	return must(OpenBoard(ctx, w.shopKey.Public(), w.moderator.Public(), l, spent))
}

// review writes a review with purchase p at t0 plus a minute.
func (w *world) review(tb testing.TB, p *purchase, rating int, text string) *Review {
	tb.Helper()
	return must(NewReview(w.customers[p.customer], p.right, p.sale, w.roster, rating, text, t0.Add(time.Minute)))
}

// post posts r an hour after t0.
func (w *world) post(r *Review) error {
	_, err := w.board.Post(ctx, r.Bytes(), t0.Add(time.Hour))
	return err
}

// copyLedger returns a memory ledger holding l's entries, as a reader
// that received them would.
func copyLedger(tb testing.TB, l ledger.Ledger) ledger.Ledger {
	tb.Helper()
	c := ledger.NewMemory()
	err := l.Scan(ctx, 0, func(e ledger.Entry) error {
		_, err := c.Append(ctx, e.Kind, e.Payload)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// assemble encodes a review from its parts, as a forger would.
func assemble(tb testing.TB, roster [32]byte, ticket []byte, author []byte) []byte {
	tb.Helper()
	w := wire.NewWriter(uint16(kindReview))
	w.Fixed(roster[:])
	w.Bytes(ticket)
	w.Bytes(author)
	return must(w.Finish())
}

// parts returns a review's ticket and author signature encodings.
func parts(r *Review) (ticket, author []byte) { return r.ticket.Bytes(), r.author.Bytes() }

func containsAny(haystack []byte, needles ...[]byte) bool {
	for _, n := range needles {
		if bytes.Contains(haystack, n) {
			return true
		}
	}
	return false
}

// resign returns an author signature by customer c over r's ticket, under
// the world's roster: what a customer who got hold of another's ticket
// could attach to it.
func resign(tb testing.TB, w *world, c int, r *Review) []byte {
	tb.Helper()
	forged := *r
	forged.roster = w.roster.ID()
	return must(arsig.Sign(w.customers[c], w.roster.Ring(), w.roster.Opener(), forged.authorMessage())).Bytes()
}
