package billing

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// ctx is the context of every ledger call in the tests.
var ctx = context.Background()

var eur = money.MustCurrency("EUR")

func eurs(cents int64) money.Amount { return money.MustNew(cents, eur) }

// at returns the time sec seconds after the Unix epoch.
func at(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

var (
	tStart  = at(1_800_000_000)
	tEnd    = tStart.Add(30 * 24 * time.Hour)
	tIssued = tEnd.Add(time.Hour)
	tDue    = tIssued.Add(14 * 24 * time.Hour)
)

// world is a billing system on one ledger with n registered users and an
// open period. Its fields are what each role holds: the collector its keys
// and book, each user its key, everyone the public records.
type world struct {
	t         testing.TB
	l         ledger.Ledger
	signer    *ecdsa.PrivateKey
	opener    *arsig.OpenerKey
	collector *Collector
	book      *Book
	params    *Parameters
	period    *Period
	users     []*arsig.PrivateKey
}

func newWorld(t testing.TB, l ledger.Ledger, n int) *world {
	t.Helper()
	w := &world{t: t, l: l}
	var err error
	w.signer, err = ecdsa.GenerateKey()
	must(t, err)
	w.opener, err = arsig.GenerateOpenerKey()
	must(t, err)
	w.collector, err = NewCollector(ctx, l, w.signer, w.opener, eurs(5000))
	must(t, err)
	w.book = w.collector.Book()
	w.params = w.book.Parameters()
	for i := range n {
		k, err := arsig.GenerateKey()
		must(t, err)
		w.users = append(w.users, k)
		must(t, w.register(i, eurs(5000), tStart.Add(-24*time.Hour+time.Duration(i)*time.Second)))
	}
	w.period, err = w.collector.OpenPeriod(ctx, tStart, tEnd)
	must(t, err)
	return w
}

// register files user i's registration with the collector, as bytes.
func (w *world) register(i int, deposit money.Amount, t time.Time) error {
	r, err := NewRegistration(w.users[i], w.params, deposit, t)
	if err != nil {
		return err
	}
	return w.collector.Accept(ctx, r.Bytes())
}

// refund files user i's refund of amount at time t.
func (w *world) refund(i int, amount money.Amount, t time.Time) error {
	r, err := NewRefund(w.users[i], w.params, amount, t)
	if err != nil {
		return err
	}
	return w.collector.Accept(ctx, r.Bytes())
}

// refundAll files user i's refund of whatever remains of the deposit.
func (w *world) refundAll(i int, t time.Time) error {
	left, err := w.book.Deposit(w.users[i].Public())
	if err != nil {
		return err
	}
	return w.refund(i, left, t)
}

// sign has user i sign a usage record of the current period.
func (w *world) sign(i int, edge string, cents int64, t time.Time) *Usage {
	w.t.Helper()
	u, err := NewUsage(w.users[i], w.period, edge, eurs(cents), t, []byte("detail"))
	must(w.t, err)
	return u
}

// use has user i sign k usage records of amount cents each and delivers
// them to the collector in one batch.
func (w *world) use(i, k int, cents int64) []*Usage {
	w.t.Helper()
	var us []*Usage
	var enc [][]byte
	for j := range k {
		u := w.sign(i, fmt.Sprintf("svc-%d", j%3), cents, w.period.Start().Add(time.Duration(1000*i+j)*time.Second))
		us = append(us, u)
		enc = append(enc, u.Bytes())
	}
	for j, err := range w.collector.Collect(ctx, enc) {
		if err != nil {
			w.t.Fatalf("collecting usage %d of user %d: %v", j, i, err)
		}
	}
	return us
}

func (w *world) close() {
	w.t.Helper()
	must(w.t, w.collector.ClosePeriod(ctx, w.period.End()))
}

// issueAll drafts and issues the invoices of the current period.
func (w *world) issueAll(issued, due time.Time) []*Invoice {
	w.t.Helper()
	invs, err := w.collector.DraftInvoices(w.period.ID(), issued, due)
	must(w.t, err)
	for _, inv := range invs {
		must(w.t, w.collector.Issue(ctx, inv))
	}
	return invs
}

// invoiceFor returns the latest invoice on the book addressed to user i.
func (w *world) invoiceFor(i int) *invoiceState {
	w.t.Helper()
	w.book.mu.RLock()
	defer w.book.mu.RUnlock()
	for j := len(w.book.st.invoiceOrder) - 1; j >= 0; j-- {
		is := w.book.st.invoices[w.book.st.invoiceOrder[j]]
		if is.rec.user.Equal(w.users[i].Public()) {
			return is
		}
	}
	w.t.Fatalf("no invoice for user %d", i)
	return nil
}

// owed returns what the book says is owed on inv.
func (w *world) owed(inv *Invoice) money.Amount {
	w.t.Helper()
	a, err := w.book.Owed(inv.ID())
	must(w.t, err)
	return a
}

// account returns the book's account of user i.
func (w *world) account(i int) account {
	w.t.Helper()
	w.book.mu.RLock()
	defer w.book.mu.RUnlock()
	a := w.book.st.accounts[keyOf(w.users[i].Public())]
	if a == nil {
		w.t.Fatalf("user %d has no account", i)
	}
	return *a
}

// copyLedger returns a new memory ledger holding l's entries, with
// edit(seq, kind, payload) deciding each entry's payload (nil drops it):
// the chain is recomputed, as by someone rewriting the file whole.
func copyLedger(t testing.TB, l ledger.Ledger, edit func(seq uint64, k ledger.Kind, payload []byte) []byte) *ledger.Memory {
	t.Helper()
	out := ledger.NewMemory()
	must(t, l.Scan(ctx, 0, func(e ledger.Entry) error {
		p := e.Payload
		if edit != nil {
			p = edit(e.Seq, e.Kind, p)
		}
		if p == nil {
			return nil
		}
		_, err := out.Append(ctx, e.Kind, p)
		return err
	}))
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err error, targets ...error) {
	t.Helper()
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("got error %v, want %v", err, target)
		}
	}
}
