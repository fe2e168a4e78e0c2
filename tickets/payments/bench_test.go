package payments

import (
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
)

// BenchmarkPay is a customer signing a payment under a roster of N funded
// customers.
func BenchmarkPay(b *testing.B) {
	for _, n := range []int{200} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			w := newWorld(b, n)
			b.ReportAllocs()
			for b.Loop() {
				w.pay(b, n/2, 3990, "order 42")
			}
			b.ReportMetric(float64(len(w.pay(b, 0, 3990, "order 42").Bytes())), "B/payment")
		})
	}
}

// BenchmarkAccept is a merchant checking and accepting a payment under a
// roster of N funded customers (a fresh used set per payment, and the
// roster applied already, so only the check and one Use are measured).
func BenchmarkAccept(b *testing.B) {
	for _, n := range []int{200} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			w := newWorld(b, n)
			rec := w.pay(b, n/2, 3990, "order 42").Bytes()
			b.ReportAllocs()
			for b.Loop() {
				m := must(NewMerchant(w.shopKey.Public(), w.procKey.Public(), tickets.NewMemoryUsedSet()))
				m.rosters[w.roster.id] = w.roster
				if _, err := m.Accept(ctx, rec, t0.Add(time.Hour)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
