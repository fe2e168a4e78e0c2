package billing

import (
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestReplayFile runs a cycle on the crash-safe file ledger, reopens the
// file and checks the rebuilt state equals the one that wrote it, and that
// the reopened book carries on.
func TestReplayFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.ledger")
	l, err := ledger.OpenFile(path)
	must(t, err)
	w := newWorld(t, l, 3)
	for i := range w.users {
		w.use(i, 2, 100)
	}
	w.close()
	_, err = w.collector.IssueInvoices(1, tIssued, tDue)
	must(t, err)
	paid := w.invoiceFor(0)
	_, err = w.collector.Pay(paid.Digest, paid.Owed, tIssued+1)
	must(t, err)
	want := w.book.Digest()
	n := l.Len()
	must(t, l.Close())

	l2, err := ledger.OpenFile(path)
	must(t, err)
	defer l2.Close()
	if l2.Len() != n {
		t.Fatalf("reopened ledger has %d entries, want %d", l2.Len(), n)
	}
	book, err := Open(l2)
	must(t, err)
	if book.Digest() != want {
		t.Fatal("state rebuilt from the file differs")
	}
	c, err := NewCollector(book, w.signer, w.opener)
	must(t, err)
	_, err = c.Pay(paid.Digest, paid.Owed, tIssued+2)
	wantErr(t, err, ErrAlreadyPaid)
	late := w.invoiceFor(1)
	_, err = c.Forfeit(late.Digest, tDue+1)
	must(t, err)
}

// TestReplayRefusesForeignRecords: a ledger holding a billing record that
// was never checked (appended behind the book's back) does not open; records
// of other kinds are skipped.
func TestReplayRefusesForeignRecords(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	us := w.use(0, 1, 100)
	_, err := w.l.Append(ctx, 0x0101, []byte("a toll record"))
	must(t, err)
	if _, err := Open(w.l); err != nil {
		t.Fatalf("foreign kinds not skipped: %v", err)
	}
	bad := *us[0]
	bad.Nonce[0] ^= 1 // the signature no longer matches
	enc, err := bad.MarshalBinary()
	must(t, err)
	_, err = w.l.Append(ctx, TypeUsage.Kind(), enc)
	must(t, err)
	_, err = Open(w.l)
	wantErr(t, err, ErrLedger)
	wantErr(t, err, ErrInvalidUsage)

	w2 := newWorld(t, ledger.NewMemory(), 2)
	_, err = w2.l.Append(ctx, TypeDispute.Kind(), enc) // a usage record under the dispute kind
	must(t, err)
	_, err = Open(w2.l)
	wantErr(t, err, ErrLedger)
}

// TestConcurrentSettlement races payments, forfeitures and refunds of one
// invoice and deposit from many goroutines: exactly one settlement wins.
func TestConcurrentSettlement(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.use(0, 2, 100)
	w.use(1, 1, 100)
	w.close()
	_, err := w.collector.IssueInvoices(1, tIssued, tDue)
	must(t, err)
	info := w.invoiceFor(0)
	var wg sync.WaitGroup
	var paid, forfeited atomic.Int32
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				_, err = w.collector.Pay(info.Digest, info.Owed, tDue+int64(i))
				if err == nil {
					paid.Add(1)
				}
			} else {
				_, err = w.collector.Forfeit(info.Digest, tDue+int64(i))
				if err == nil {
					forfeited.Add(1)
				}
			}
			if err != nil && !errors.Is(err, ErrAlreadyPaid) && !errors.Is(err, ErrAlreadyForfeited) {
				t.Error(err)
			}
			_ = w.book.Digest()
			_ = w.book.Invoices(1)
		}()
	}
	wg.Wait()
	if paid.Load()+forfeited.Load() != 1 {
		t.Fatalf("%d payments and %d forfeitures", paid.Load(), forfeited.Load())
	}
}
