package charging

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var ctx = context.Background()

var eur = money.MustCurrency("EUR")

func eurs(cents int64) money.Amount { return money.MustNew(cents, eur) }

// rate is the chargers' price of a kWh in the tests: 0.39 EUR.
var rate = eurs(39)

var (
	tStart = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	tEnd   = tStart.Add(7 * 24 * time.Hour)
)

// world is a billing system with cars registered and period 1 open. Its
// fields are what each role holds: the collector its keys and book, each
// car its key, everyone the public records as bytes.
type world struct {
	t         testing.TB
	signer    *ecdsa.PrivateKey
	opener    *arsig.OpenerKey
	collector *billing.Collector
	book      ledger.Ledger // the collector's ledger
	params    *billing.Parameters
	period    []byte // the open period's descriptor
	cars      []*arsig.PrivateKey
}

func newWorld(t testing.TB, cars int) *world {
	t.Helper()
	w := &world{t: t}
	var err error
	w.signer, err = ecdsa.GenerateKey()
	must(t, err)
	w.opener, err = arsig.GenerateOpenerKey()
	must(t, err)
	for range cars {
		k, err := arsig.GenerateKey()
		must(t, err)
		w.cars = append(w.cars, k)
	}
	w.restart()
	return w
}

// restart starts the system again from nothing, on a new ledger, with the
// same keys and the same cars registered: period 1 has the same descriptor
// body, so sessions signed under the old one are sessions of the new one.
func (w *world) restart() {
	w.t.Helper()
	var err error
	w.book = ledger.NewMemory()
	w.collector, err = billing.NewCollector(ctx, w.book, w.signer, w.opener, eurs(10000))
	must(w.t, err)
	w.params = w.collector.Book().Parameters()
	for _, k := range w.cars {
		r, err := billing.NewRegistration(k, w.params, eurs(10000), tStart.Add(-time.Hour))
		must(w.t, err)
		must(w.t, w.collector.Accept(ctx, r.Bytes()))
	}
	p, err := w.collector.OpenPeriod(ctx, tStart, tEnd)
	must(w.t, err)
	w.period = p.Bytes()
}

// reopenCollector starts the collector again from its ledger, as after a
// crash.
func (w *world) reopenCollector() {
	w.t.Helper()
	var err error
	w.collector, err = billing.NewCollector(ctx, w.book, w.signer, w.opener, eurs(10000))
	must(w.t, err)
}

// next closes the open period and opens the one after it, of the same
// length.
func (w *world) next() {
	w.t.Helper()
	p := w.descriptor()
	must(w.t, w.collector.ClosePeriod(ctx, p.End()))
	q, err := w.collector.OpenPeriod(ctx, p.End(), p.End().Add(p.End().Sub(p.Start())))
	must(w.t, err)
	w.period = q.Bytes()
}

// descriptor is the open period as a car parses it.
func (w *world) descriptor() *billing.Period {
	p, err := billing.ParsePeriod(w.period, w.signer.Public())
	must(w.t, err)
	return p
}

// charger opens a charger on l holding the open period.
func (w *world) charger(l ledger.Ledger, id string) *Charger {
	w.t.Helper()
	c, err := OpenCharger(ctx, l, id, w.signer.Public(), rate)
	must(w.t, err)
	_, err = c.AddPeriod(ctx, w.period)
	must(w.t, err)
	return c
}

// session has car i sign a session of energy Wh at charger, ending at t.
func (w *world) session(i int, charger string, energy uint64, t time.Time) *Session {
	w.t.Helper()
	s, err := NewSession(w.cars[i], w.descriptor(), charger, energy, rate, t)
	must(w.t, err)
	return s
}

// sessions has the cars sign n sessions at charger, one a minute from the
// period's start, round the cars.
func (w *world) sessions(n int, charger string) []*Session {
	out := make([]*Session, n)
	p := w.descriptor()
	for i := range out {
		out[i] = w.session(i%len(w.cars), charger, uint64(1000+37*i), p.Start().Add(time.Duration(i)*time.Minute))
	}
	return out
}

// bill closes the open period and returns its invoices, checked by the
// collector's book and issued.
func (w *world) bill() []*billing.Invoice {
	w.t.Helper()
	p := w.descriptor()
	must(w.t, w.collector.ClosePeriod(ctx, p.End()))
	invs, err := w.collector.DraftInvoices(p.ID(), p.End().Add(time.Hour), p.End().Add(15*24*time.Hour))
	must(w.t, err)
	for _, inv := range invs {
		must(w.t, w.collector.Issue(ctx, inv))
	}
	return invs
}

// billedTo maps each billed record's ID to the key its invoice names, and
// fails if a record is on two lines.
func billedTo(t testing.TB, invs []*billing.Invoice) map[[32]byte]string {
	t.Helper()
	out := make(map[[32]byte]string)
	for _, inv := range invs {
		for _, l := range inv.Lines() {
			id := l.Usage.ID()
			if _, twice := out[id]; twice {
				t.Fatalf("record %x billed twice", id[:4])
			}
			out[id] = string(inv.User().Bytes())
		}
	}
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
	if err == nil {
		t.Fatalf("no error, want %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("got error %v, want %v", err, target)
		}
	}
}

// records returns the encodings of sessions.
func records(ss []*Session) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = s.Bytes()
	}
	return out
}
