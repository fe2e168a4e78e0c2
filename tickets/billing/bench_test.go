package billing

import (
	"fmt"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// BenchmarkUsage measures the provider accepting one usage record,
// verification and ledger append included, in a ring of N users.
func BenchmarkUsage(b *testing.B) {
	for _, n := range []int{16, 256} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			w := newWorld(b, ledger.NewMemory(), n)
			// Distinct records (the provider refuses repeats), signed
			// ahead of the timing.
			us := make([]*Usage, 256)
			for i := range us {
				u, err := w.users[i%n].Use("svc", eurs(100), tStart+int64(i))
				must(b, err)
				us[i] = u
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i == len(us) {
					b.StopTimer()
					w = rebase(b, w, us)
					i = 0
					b.StartTimer()
				}
				if err := w.provider.Accept(us[i]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// rebase returns a book on a fresh ledger holding the same setup as w, so
// the same usage records can be accepted again.
func rebase(b *testing.B, w *world, us []*Usage) *world {
	fresh := ledger.NewMemory()
	n := 0
	err := w.l.Scan(ctx, 0, func(e ledger.Entry) error {
		if e.Kind == TypeUsage.Kind() {
			return errStopScan
		}
		n++
		_, err := fresh.Append(ctx, e.Kind, e.Payload)
		return err
	})
	if err != nil && err != errStopScan {
		b.Fatal(err)
	}
	book, err := Open(fresh)
	must(b, err)
	c := *w
	c.l, c.book, c.provider = fresh, book, NewProvider(book)
	return &c
}

var errStopScan = fmt.Errorf("stop")

// BenchmarkInvoice measures the collector opening and proving k usage
// records of a ring of N users (in parallel) into signed invoices.
func BenchmarkInvoice(b *testing.B) {
	const n, k = 256, 100
	b.Run(fmt.Sprintf("N=%d,k=%d", n, k), func(b *testing.B) {
		w := newWorld(b, ledger.NewMemory(), n)
		us := make([]*Usage, k)
		for i := range us {
			u, err := w.users[i%16].Use("svc", eurs(100), tStart+int64(i))
			must(b, err)
			us[i] = u
		}
		for _, err := range w.provider.AcceptBatch(us) {
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
