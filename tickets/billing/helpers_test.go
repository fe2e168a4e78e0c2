package billing

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// ctx is the context of every ledger call in the tests.
var ctx = context.Background()

var eur = money.MustCurrency("EUR")

func eurs(cents int64) money.Amount { return money.MustNew(cents, eur) }

const (
	tStart  = 1_800_000_000
	tEnd    = tStart + 30*86400
	tIssued = tEnd + 3600
	tDue    = tIssued + 14*86400
)

// world is a billing system on one ledger with n registered users and an
// open period.
type world struct {
	t         testing.TB
	l         ledger.Ledger
	book      *Book
	signer    *ecdsa.PrivateKey
	opener    *arsig.OpenerKey
	collector *Collector
	provider  *Provider
	users     []*User
}

func newWorld(t testing.TB, l ledger.Ledger, n int) *world {
	t.Helper()
	book, err := Open(l)
	must(t, err)
	w := &world{t: t, l: l, book: book}
	w.signer, err = ecdsa.GenerateKey()
	must(t, err)
	w.opener, err = arsig.GenerateOpenerKey()
	must(t, err)
	w.collector, err = SetUp(book, w.signer, w.opener, eurs(5000))
	must(t, err)
	w.provider = NewProvider(book)
	for i := range n {
		u, err := NewUser(book)
		must(t, err)
		must(t, u.Register(eurs(5000), tStart-86400+int64(i)))
		w.users = append(w.users, u)
	}
	_, err = w.collector.OpenPeriod(tStart, tEnd)
	must(t, err)
	return w
}

// use has user i sign k usage records of amount cents each and the provider
// accept them in one batch.
func (w *world) use(i, k int, cents int64) []*Usage {
	w.t.Helper()
	var us []*Usage
	for j := range k {
		u, err := w.users[i].Use(fmt.Sprintf("svc-%d", j%3), eurs(cents), tStart+int64(1000*i+j))
		must(w.t, err)
		us = append(us, u)
	}
	for j, err := range w.provider.AcceptBatch(us) {
		if err != nil {
			w.t.Fatalf("accepting usage %d of user %d: %v", j, i, err)
		}
	}
	return us
}

func (w *world) close() {
	w.t.Helper()
	must(w.t, w.collector.ClosePeriod(tEnd))
}

// invoiceFor returns the invoice of period 1 addressed to user i.
func (w *world) invoiceFor(i int) InvoiceInfo {
	w.t.Helper()
	for _, info := range w.book.Invoices(w.book.CurrentPeriod()) {
		if info.Invoice.User.Equal(w.users[i].Public()) {
			return info
		}
	}
	w.t.Fatalf("no invoice for user %d", i)
	return InvoiceInfo{}
}

// refund returns user i's refund of amount at time t, proved with the
// user's key.
func (w *world) refund(i int, amount money.Amount, t int64) *Refund {
	w.t.Helper()
	r := &Refund{User: w.users[i].Public(), Amount: amount, Time: t}
	must(w.t, r.Prove(w.users[i].key, w.book.Parameters()))
	return r
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}
