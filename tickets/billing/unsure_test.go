package billing

import (
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestBookAfterUnsureAppend: a ledger that stores a record and still
// reports an error (a database connection lost after the insert) leaves
// the book without the record. Appending on from there built on a wrong
// state: the retried registration went on the ledger twice, and the ledger
// could no longer be opened. Now the book refuses every later append, and a
// collector made again from the ledger has the record.
func TestBookAfterUnsureAppend(t *testing.T) {
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	w := newWorld(t, l, 2)
	k, err := arsig.GenerateKey()
	must(t, err)
	w.users = append(w.users, k)
	l.Fail = kindRegistration
	at := tStart.Add(-time.Hour)
	if err := w.register(2, eurs(5000), at); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("first attempt: %v", err)
	}
	if err := w.register(2, eurs(5000), at); err == nil {
		t.Fatal("the book appended on after an append of unknown outcome")
	}
	c, err := NewCollector(ctx, l, w.signer, w.opener, eurs(5000))
	if err != nil {
		t.Fatalf("reopening the ledger: %v", err)
	}
	if d, err := c.Book().Deposit(k.Public()); err != nil || d != eurs(5000) {
		t.Fatalf("the stored registration is missing after reopening: %v %v", d, err)
	}
}
