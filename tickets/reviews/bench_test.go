package reviews

import (
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// benchSizes are the sale ring sizes; the roster has as many customers.
var benchSizes = []int{50}

// BenchmarkPostReview is a buyer writing a review (a TRS signature over the
// sale's ring, an arsig signature over the roster) and the board posting it
// (verifying both, spending the right, recording the review). Each round of
// N reviews uses a fresh board, so every right is fresh.
func BenchmarkPostReview(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			w := newWorldN(b, n, kettle)
			var board *Board
			now := t0.Add(time.Hour)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i%n == 0 {
					board = w.newBoard(b, ledger.NewMemory(), trs.NewMemoryStore())
					must(board.AddSale(ctx, w.sales[0].Bytes()))
					must(board.AddRoster(ctx, w.roster.Bytes()))
				}
				r := w.review(b, w.purchases[i%n], 4, "a decent kettle, boils fast")
				if _, err := board.Post(ctx, r.Bytes(), now); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(len(w.review(b, w.purchases[0], 4, "a decent kettle, boils fast").Bytes())), "B/review")
		})
	}
}

// BenchmarkVerifyReview is the board's verification of a review, what every
// reader pays per review to rebuild the board: the sale's ticket (TRS over
// N) and the author signature (arsig over the roster of N), without the
// spent store.
func BenchmarkVerifyReview(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			w := newWorldN(b, n, kettle)
			rec := w.review(b, w.purchases[n/2], 4, "a decent kettle, boils fast").Bytes()
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := w.board.check(rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReference measures, in the same run, the primitives a review is
// made of: a TRS signature and verification over the sale's ring and an
// arsig signature and verification over the roster, both of N.
func BenchmarkReference(b *testing.B) {
	for _, n := range benchSizes {
		w := newWorldN(b, n, kettle)
		p := w.purchases[n/2]
		r := w.review(b, p, 4, "a decent kettle, boils fast")
		tag, msg, sig := p.sale.Tag(), r.ticket.Message(), r.ticket.Signature()
		ring, opener, am := w.roster.Ring(), w.roster.Opener(), r.authorMessage()
		customer := w.customers[p.customer]
		b.Run(fmt.Sprintf("trs-sign/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				must(trs.Sign(p.right, tag, msg))
			}
		})
		b.Run(fmt.Sprintf("trs-verify/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := trs.Verify(tag, msg, sig); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("arsig-sign/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				must(arsig.Sign(customer, ring, opener, am))
			}
		})
		b.Run(fmt.Sprintf("arsig-verify/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := arsig.Verify(ring, opener, am, r.author); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
