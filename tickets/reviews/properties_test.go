package reviews

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

const propertySeed = 0x72657669657773 // "reviews"

func properties(full, short int) *gopter.Properties {
	params := gopter.DefaultTestParametersWithSeed(propertySeed)
	params.MinSuccessfulTests = full
	if testing.Short() {
		params.MinSuccessfulTests = short
	}
	return gopter.NewProperties(params)
}

// attempt is one review sent to the board in a random run.
type attempt struct {
	Purchase int  // whose right
	Resend   bool // send the right's last review again instead of a new one
	Rating   int
}

// TestEveryRightReviewsOnce runs random sequences of reviews and resent
// reviews against a fresh board and checks each outcome against a model:
// a right's first review is accepted; the same review again is linked; any
// other review with the right reveals the right's key, which the shop maps
// to the right's order.
func TestEveryRightReviewsOnce(t *testing.T) {
	w := newWorld(t, kettle, lamp)
	genAttempt := gen.Struct(reflect.TypeFor[attempt](), map[string]gopter.Gen{
		"Purchase": gen.IntRange(0, len(w.purchases)-1),
		"Resend":   gen.Bool(),
		"Rating":   gen.IntRange(MinRating, MaxRating),
	})
	props := properties(20, 4)
	props.Property("review outcomes follow the model", prop.ForAll(
		func(attempts []attempt) string {
			b := w.newBoard(t, ledger.NewMemory(), trs.NewMemoryStore())
			for _, s := range w.sales {
				must(b.AddSale(ctx, s.Bytes()))
			}
			must(b.AddRoster(ctx, w.roster.Bytes()))
			accepted := make([]*Review, len(w.purchases))
			last := make([]*Review, len(w.purchases))
			for k, a := range attempts {
				p := w.purchases[a.Purchase]
				r := last[a.Purchase]
				if !a.Resend || r == nil {
					r = w.review(t, p, a.Rating, fmt.Sprintf("attempt %d", k))
				}
				last[a.Purchase] = r
				_, err := b.Post(ctx, r.Bytes(), t0.Add(time.Hour))
				var reuse *tickets.ReuseError
				switch {
				case accepted[a.Purchase] == nil:
					if err != nil {
						return fmt.Sprintf("attempt %d: first review of the right refused: %v", k, err)
					}
					accepted[a.Purchase] = r
				case accepted[a.Purchase] == r:
					if !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
						return fmt.Sprintf("attempt %d: resent review: %v, want linked", k, err)
					}
				default:
					if !errors.As(err, &reuse) || reuse.Kind != trs.Revealed || !reuse.Key.Equal(p.right.Public()) {
						return fmt.Sprintf("attempt %d: second review: %v, want the right revealed", k, err)
					}
					if o, ok := w.shop.Buyer(reuse.Key); !ok || o.ID() != p.order.ID() {
						return fmt.Sprintf("attempt %d: revealed right not mapped to its order", k)
					}
				}
			}
			posted := 0
			for _, r := range accepted {
				if r != nil {
					posted++
				}
			}
			if got := len(b.Reviews(kettle.Label)) + len(b.Reviews(lamp.Label)); got != posted {
				return fmt.Sprintf("%d reviews on the board, %d rights used", got, posted)
			}
			return ""
		},
		gen.SliceOfN(24, genAttempt),
	))
	props.TestingRun(t)
}

// shopView is everything the shop sees when review rec is posted to a
// fresh board of its own: the bytes received, the board's and the spent
// store's ledger entries, and what Post returns; with the review's two
// ring signatures, and the values the spent store derives from the
// ticket's signature, replaced by zeros. Those are the only parts that
// depend on the signer, and by the anonymity of trs and arsig (DDH) they
// are distributed alike for every signer of the ring.
func (w *world) shopView(tb testing.TB, rec []byte) []byte {
	tb.Helper()
	boardL, spentL := ledger.NewMemory(), ledger.NewMemory()
	b := w.newBoard(tb, boardL, must(tickets.OpenSpentStore(ctx, spentL)))
	for _, s := range w.sales {
		must(b.AddSale(ctx, s.Bytes()))
	}
	must(b.AddRoster(ctx, w.roster.Bytes()))
	from := boardL.Len()
	r, err := b.Post(ctx, rec, t0.Add(time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	view := [][]byte{rec, []byte(fmt.Sprint(r.Product(), r.Rating(), r.Text(), r.Time(), r.Sale()))}
	for _, l := range []ledger.Ledger{boardL, spentL} {
		start := uint64(0)
		if l == boardL {
			start = from
		}
		l.Scan(ctx, start, func(e ledger.Entry) error {
			view = append(view, binary.BigEndian.AppendUint16(nil, uint16(e.Kind)), e.Payload)
			return nil
		})
	}
	all := bytes.Join(view, []byte{0})
	sig := r.ticket.Signature()
	a1 := sig.Bytes()[:32]
	acc := must(trs.Accept(r.ticketSale(w).Tag(), r.ticket.Message(), sig))
	masked := [][]byte{sig.Bytes(), r.author.Bytes(), a1}
	for _, fp := range must(acc.Record().Fingerprints(sig.RingSize())) {
		masked = append(masked, binary.BigEndian.AppendUint64(nil, fp))
	}
	for _, m := range masked {
		all = bytes.ReplaceAll(all, m, make([]byte, len(m)))
	}
	return all
}

// ticketSale returns the world's sale of r's right.
func (r *Review) ticketSale(w *world) *tickets.Sale {
	for _, s := range w.sales {
		if s.ID() == r.Sale() {
			return s
		}
	}
	return nil
}

// TestShopCannotTellBuyersApart swaps the buyer of a review for another
// buyer of the same sale: the shop's whole view of posting it is the same
// but for the ring signatures, and it contains none of either buyer's keys.
// Swapping two reviews by one customer (different purchases) for reviews
// by two customers leaves it the same too.
func TestShopCannotTellBuyersApart(t *testing.T) {
	w := newWorld(t, kettle, lamp)
	n := policy.RingSize
	keys := func(ps ...*purchase) [][]byte {
		var k [][]byte
		for _, p := range ps {
			k = append(k, p.right.Public().Bytes(), w.customers[p.customer].Public().Bytes(), p.order.Bytes())
		}
		return k
	}
	props := properties(12, 3)
	props.Property("one buyer's review looks like another's", prop.ForAll(
		func(i, j, rating int, text string) string {
			j = (i + 1 + j%(n-1)) % n // another buyer of the kettle sale
			pi, pj := w.purchases[i], w.purchases[j]
			vi := w.shopView(t, w.review(t, pi, rating, text).Bytes())
			vj := w.shopView(t, w.review(t, pj, rating, text).Bytes())
			if !bytes.Equal(vi, vj) {
				return "the shop's views of two buyers' reviews differ beyond their signatures"
			}
			if containsAny(vi, keys(pi, pj)...) {
				return "the shop's view contains a buyer's key or order"
			}
			return ""
		},
		gen.IntRange(0, n-1), gen.IntRange(0, n-2), gen.IntRange(MinRating, MaxRating), gen.AlphaString(),
	))
	props.Property("two reviews by one customer look like reviews by two", prop.ForAll(
		func(c, d int) string {
			d = (c + 1 + d%(n-1)) % n
			kc, lc, ld := w.purchases[c], w.purchases[n+c], w.purchases[n+d]
			same := append(w.shopView(t, w.review(t, kc, 4, "kettle").Bytes()), w.shopView(t, w.review(t, lc, 2, "lamp").Bytes())...)
			two := append(w.shopView(t, w.review(t, kc, 4, "kettle").Bytes()), w.shopView(t, w.review(t, ld, 2, "lamp").Bytes())...)
			if !bytes.Equal(same, two) {
				return "the views differ beyond the signatures"
			}
			if containsAny(same, keys(kc, lc, ld)...) {
				return "the view contains a customer's key"
			}
			return ""
		},
		gen.IntRange(0, n-1), gen.IntRange(0, n-2),
	))
	props.TestingRun(t)
}
