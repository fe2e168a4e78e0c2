package billing

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// BenchmarkUsage measures the collector taking one delivered usage record
// in a ring of N users: parsing, ring-signature verification and the ledger
// append.
func BenchmarkUsage(b *testing.B) {
	for _, n := range []int{16, 256} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			w := newWorld(b, ledger.NewMemory(), n)
			// Distinct records (a record already on the book is not
			// appended again), signed ahead of the timing.
			us := make([][]byte, 256)
			for i := range us {
				us[i] = w.sign(i%n, "svc", 100, tStart.Add(time.Duration(i)*time.Second)).Bytes()
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i == len(us) {
					b.StopTimer()
					w = rebase(b, w)
					i = 0
					b.StartTimer()
				}
				if err := w.collector.Accept(ctx, us[i]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkEdgeAccept measures an edge checking one usage record from the
// period's descriptor alone, in a ring of N users.
func BenchmarkEdgeAccept(b *testing.B) {
	const n = 256
	b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
		w := newWorld(b, ledger.NewMemory(), n)
		edge, err := NewEdge(w.period, "svc")
		must(b, err)
		u := w.sign(0, "svc", 100, tStart).Bytes()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := edge.Accept(u); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// rebase returns a world on a fresh ledger holding the same set-up as w, so
// the same usage records can be taken again.
func rebase(b *testing.B, w *world) *world {
	fresh := copyLedger(b, w.l, func(_ uint64, k ledger.Kind, p []byte) []byte {
		if k == kindUsage {
			return nil
		}
		return p
	})
	c, err := NewCollector(ctx, fresh, w.signer, w.opener, w.params.Deposit())
	if err != nil && !errors.Is(err, errAlreadySetUp) {
		b.Fatal(err)
	}
	r := *w
	r.l, r.collector, r.book = fresh, c, c.Book()
	return &r
}

// BenchmarkInvoice measures the collector opening and proving k usage
// records of a ring of N users (in parallel) into signed invoices.
func BenchmarkInvoice(b *testing.B) {
	const n, k = 256, 100
	b.Run(fmt.Sprintf("N=%d,k=%d", n, k), func(b *testing.B) {
		w := newWorld(b, ledger.NewMemory(), n)
		us := make([][]byte, k)
		for i := range us {
			us[i] = w.sign(i%16, "svc", 100, tStart.Add(time.Duration(i)*time.Second)).Bytes()
		}
		for _, err := range w.collector.Collect(ctx, us) {
			must(b, err)
		}
		w.close()
		b.ReportAllocs()
		for b.Loop() {
			invs, err := w.collector.DraftInvoices(1, tIssued, tDue)
			if err != nil || len(invs) != 16 {
				b.Fatal(len(invs), err)
			}
		}
	})
}
