package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/charging"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// The collector: its keys and its ledger never leave it.

type collector struct {
	l      *ledger.File
	c      *billing.Collector
	signer *ecdsa.PrivateKey
}

func newCollector(dir string) (*collector, error) {
	l, err := ledger.OpenFile(filepath.Join(dir, "collector.ledger"))
	if err != nil {
		return nil, err
	}
	signer, err := ecdsa.GenerateKey()
	if err != nil {
		return nil, err
	}
	opener, err := arsig.GenerateOpenerKey()
	if err != nil {
		return nil, err
	}
	c, err := billing.NewCollector(ctx, l, signer, opener, deposit)
	if err != nil {
		return nil, err
	}
	return &collector{l: l, c: c, signer: signer}, nil
}

func (co *collector) close() { co.l.Close() }

// hello publishes the collector's key (out of band in a deployment) and
// the system's parameters.
func (co *collector) hello() (key, params []byte) {
	return co.signer.Public().Bytes(), co.c.Book().Parameters().Bytes()
}

// file takes a record a car files: a registration.
func (co *collector) file(rec []byte) error { return co.c.Accept(ctx, rec) }

func (co *collector) open(from, to time.Time) ([]byte, error) {
	p, err := co.c.OpenPeriod(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return p.Bytes(), nil
}

func (co *collector) period(desc []byte) (*billing.Period, error) {
	return billing.ParsePeriod(desc, co.signer.Public())
}

func (co *collector) closePeriod(t time.Time) error { return co.c.ClosePeriod(ctx, t) }

// collect takes a charger's delivery and answers with one byte string per
// record: empty if it is on the book, otherwise the index of billing's
// sentinel (0 for none) and the message.
func (co *collector) collect(recs [][]byte) [][]byte {
	answers := make([][]byte, len(recs))
	for i, err := range co.c.Collect(ctx, recs) {
		if err == nil {
			continue
		}
		code := byte(0)
		for k, s := range billingSentinels {
			if errors.Is(err, s) {
				code = byte(k + 1)
				break
			}
		}
		answers[i] = append([]byte{code}, err.Error()...)
	}
	return answers
}

// bill drafts and issues the invoices of the period just closed and
// returns them by addressee.
func (co *collector) bill(issued, due time.Time) (map[string][][]byte, error) {
	p, err := co.c.Book().Period(0)
	if err != nil {
		return nil, err
	}
	invs, err := co.c.DraftInvoices(p.ID(), issued, due)
	if err != nil {
		return nil, err
	}
	mail := make(map[string][][]byte)
	for _, inv := range invs {
		if err := co.c.Issue(ctx, inv); err != nil {
			return nil, err
		}
		k := string(inv.User().Bytes())
		mail[k] = append(mail[k], inv.Bytes())
	}
	return mail, nil
}

// pay records a payment and returns the receipt.
func (co *collector) pay(invoice []byte, amount []byte, t time.Time) ([]byte, error) {
	a, err := money.Parse(amount)
	if err != nil {
		return nil, err
	}
	inv, err := billing.ParseInvoice(invoice, co.signer.Public())
	if err != nil {
		return nil, err
	}
	r, err := co.c.Pay(ctx, inv.ID(), a, t)
	if err != nil {
		return nil, err
	}
	return r.Bytes(), nil
}

// forfeit enforces an invoice one second after its due date.
func (co *collector) forfeit(invoice []byte) ([]byte, error) {
	inv, err := billing.ParseInvoice(invoice, co.signer.Public())
	if err != nil {
		return nil, err
	}
	if _, err := co.c.Forfeit(ctx, inv.ID(), inv.Due()); err == nil {
		return nil, errors.New("a forfeiture on the due date was accepted")
	}
	f, err := co.c.Forfeit(ctx, inv.ID(), inv.Due().Add(time.Second))
	if err != nil {
		return nil, err
	}
	return f.Bytes(), nil
}

// A car: its arsig key, the collector's public records, and a prepaid
// credit (see credits.go).

type car struct {
	index  int
	key    *arsig.PrivateKey
	ckey   *ecdsa.PublicKey
	params *billing.Parameters
	credit *wallet

	mu      sync.Mutex
	periods map[uint32]*billing.Period // the descriptors it signed under
}

func carName(i int) string { return fmt.Sprintf("car-%d", i) }

func newCar(i int, key, params []byte) (*car, error) {
	ck, err := ecdsa.ParsePublicKey(key)
	if err != nil {
		return nil, err
	}
	p, err := billing.ParseParameters(params, ck)
	if err != nil {
		return nil, err
	}
	k, err := arsig.GenerateKey()
	if err != nil {
		return nil, err
	}
	return &car{index: i, key: k, ckey: ck, params: p, periods: make(map[uint32]*billing.Period)}, nil
}

// name is how the collector's mail finds the car: its public key.
func (c *car) name() string { return string(c.key.Public().Bytes()) }

func (c *car) registration() []byte {
	r, err := billing.NewRegistration(c.key, c.params, deposit, start.Add(-24*time.Hour))
	if err != nil {
		return nil
	}
	return r.Bytes()
}

// sign signs a session at the charger's rate under the descriptor.
func (c *car) sign(desc []byte, chargerID string, rate money.Amount, energy uint64, at time.Time) ([]byte, error) {
	p, err := billing.ParsePeriod(desc, c.ckey)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.periods[p.ID()] = p
	c.mu.Unlock()
	s, err := charging.NewSession(c.key, p, chargerID, energy, rate, at)
	if err != nil {
		return nil, err
	}
	return s.Bytes(), nil
}

// check checks every line of an invoice with public data, and reads each
// as a charging session.
func (c *car) check(b []byte) (int, error) {
	inv, err := billing.ParseInvoice(b, c.ckey)
	if err != nil {
		return 0, err
	}
	p, err := c.descriptor(inv.Period())
	if err != nil {
		return 0, err
	}
	lineErrs, err := inv.Check(p, c.key.Public())
	if err != nil {
		return 0, err
	}
	if err := errors.Join(lineErrs...); err != nil {
		return 0, fmt.Errorf("invoice lines: %w", err)
	}
	for _, l := range inv.Lines() {
		if _, err := charging.SessionOf(l.Usage); err != nil {
			return 0, err
		}
	}
	return len(inv.Lines()), nil
}

func (c *car) descriptor(id uint32) (*billing.Period, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.periods[id]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("a bill for period %d, in which the car did not charge", id)
}

func (c *car) pay(col *collector, b []byte, t time.Time) error {
	inv, err := billing.ParseInvoice(b, c.ckey)
	if err != nil {
		return err
	}
	rb, err := col.pay(b, inv.Total().Bytes(), t)
	if err != nil {
		return err
	}
	r, err := billing.ParseReceipt(rb, c.ckey)
	if err != nil {
		return err
	}
	return r.Check(inv, inv.Total())
}

// checkForfeiture checks the evidence of a forfeiture of one of the car's
// invoices.
func (c *car) checkForfeiture(b []byte) (money.Amount, error) {
	f, err := billing.ParseForfeiture(b, c.ckey)
	if err != nil {
		return money.Amount{}, err
	}
	p, err := c.descriptor(1)
	if err != nil {
		return money.Amount{}, err
	}
	if err := f.Check(p); err != nil {
		return money.Amount{}, err
	}
	return f.Amount(), nil
}

// A charger: its identifier, rate, ledger file and the collector's key.

type charger struct {
	id        string
	rate      money.Amount
	path      string
	ckey      *ecdsa.PublicKey
	l         *ledger.File
	c         *charging.Charger
	dishonest bool // inflates the first amount it delivers
	inflated  bool
}

// newCharger starts charger j of n; the last two are the connectors of
// one station and share its identifier.
func newCharger(dir string, j, n int, key []byte) (*charger, error) {
	ck, err := ecdsa.ParsePublicKey(key)
	if err != nil {
		return nil, err
	}
	id, rate := fmt.Sprintf("charger-%d", j), money.MustNew(int64(35+j%5), eur)
	if j >= n-2 {
		id, rate = "station-1", money.MustNew(45, eur)
	}
	c := &charger{id: id, rate: rate, path: filepath.Join(dir, fmt.Sprintf("charger-%d.ledger", j)), ckey: ck}
	return c, c.restart()
}

// restart (re)opens the charger from its ledger file, as after a crash.
func (c *charger) restart() error {
	if c.l != nil {
		c.l.Close()
	}
	var err error
	if c.l, err = ledger.OpenFile(c.path); err != nil {
		return err
	}
	c.c, err = charging.OpenCharger(ctx, c.l, c.id, c.ckey, c.rate)
	return err
}

func (c *charger) close() { c.l.Close() }

func (c *charger) addPeriod(desc []byte) error {
	_, err := c.c.AddPeriod(ctx, desc)
	return err
}

// take accepts a car's session at time now; a charger that does not know
// the period yet takes the descriptor the car signed under.
func (c *charger) take(rec, desc []byte, now time.Time, st *stats) error {
	_, err := c.c.Accept(ctx, rec, now)
	if errors.Is(err, charging.ErrUnknownPeriod) && desc != nil {
		if err = c.addPeriod(desc); err == nil {
			st.add(func(st *stats) { st.learnt++ })
			_, err = c.c.Accept(ctx, rec, now)
		}
	}
	if err == nil {
		st.add(func(st *stats) { st.accepted++ })
	}
	return err
}

// deliver sends the queue to the collector, as bytes both ways.
func (c *charger) deliver(col *collector, st *stats) error {
	if len(c.c.Pending()) == 0 {
		return nil
	}
	honest := !c.inflated
	n, err := c.c.Deliver(ctx, c.transport(col, false))
	st.add(func(st *stats) { st.delivered += n })
	if honest && c.inflated {
		st.add(func(st *stats) { st.inflated++ })
		// The collector refuses the record for good: it leaves the queue,
		// unbilled.
		if errors.Is(err, charging.ErrRefused) && errors.Is(err, billing.ErrBadSignature) {
			st.add(func(st *stats) { st.refused++ })
			return nil
		}
	}
	return err
}

// deliverLosingAnswers delivers, but the answers never come back.
func (c *charger) deliverLosingAnswers(col *collector) error {
	_, err := c.c.Deliver(ctx, c.transport(col, true))
	if !errors.Is(err, errLost) {
		return fmt.Errorf("a delivery whose answers were lost: %v", err)
	}
	return nil
}

var errLost = errors.New("connection lost")

// transport is the charger's link to the collector: bytes out, bytes
// back. A dishonest charger inflates the first amount it sends tenfold;
// with lose, the answers never arrive.
func (c *charger) transport(col *collector, lose bool) func(context.Context, [][]byte) []error {
	return func(_ context.Context, recs [][]byte) []error {
		if c.dishonest && !c.inflated && len(recs) > 0 {
			recs = append([][]byte(nil), recs...)
			recs[0] = bytes.Clone(recs[0])
			inflate(recs[0])
			c.inflated = true
		}
		answers := col.collect(recs)
		errs := make([]error, len(recs))
		for i, a := range answers {
			switch {
			case lose:
				errs[i] = errLost
			case len(a) > 0:
				e := &remoteError{msg: string(a[1:])}
				if k := int(a[0]); k > 0 && k <= len(billingSentinels) {
					e.sentinel = billingSentinels[k-1]
				}
				errs[i] = e
			}
		}
		return errs
	}
}

// A remoteError is the collector's answer as the charger receives it: its
// message, and the sentinel errors.Is finds.
type remoteError struct {
	sentinel error
	msg      string
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.sentinel }

// inflate multiplies the amount of a usage record by ten in place
// (docs/spec/billing.md: the amount follows the period, its digest and the
// edge).
func inflate(rec []byte) {
	at := 3 + 4 + 32
	at += 4 + int(binary.BigEndian.Uint32(rec[at:]))
	units := binary.BigEndian.Uint64(rec[at+4:])
	binary.BigEndian.PutUint64(rec[at+4:], units*10)
}
