package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A Collector is the bill collector. It holds the ECDSA key that signs the
// system's records and the arsig opener key that names the signer of any
// usage record, and it keeps the [Book] on its ledger. It takes records
// from users and edges as bytes ([Collector.Accept], [Collector.Collect])
// and hands out its own records (parameters, period descriptors, invoices,
// receipts, forfeitures), whose Bytes are all another role needs. A
// Collector is safe for concurrent use.
type Collector struct {
	book   *Book
	signer *ecdsa.PrivateKey
	opener *arsig.OpenerKey
}

// NewCollector returns the collector of the billing system on l. On a
// ledger without billing records it appends the system's [Parameters]:
// signer's public key, opener's public key and deposit, the amount every
// user locks to register (its currency is the system's). On a ledger with
// them it rebuilds the book ([Open]), and the keys and deposit must be the
// ones on the ledger.
func NewCollector(ctx context.Context, l ledger.Ledger, signer *ecdsa.PrivateKey, opener *arsig.OpenerKey, deposit money.Amount) (*Collector, error) {
	if l == nil || signer == nil || opener == nil {
		return nil, malformed("collector", "missing ledger or key")
	}
	book, err := Open(ctx, l, signer.Public())
	if err != nil {
		return nil, err
	}
	c := &Collector{book: book, signer: signer, opener: opener}
	if p := book.Parameters(); p != nil {
		if !p.opener.Equal(opener.Public()) {
			return nil, fmt.Errorf("%w: the ledger's parameters name another opener key", errAlreadySetUp)
		}
		if p.deposit != deposit {
			return nil, fmt.Errorf("%w: with a deposit of %v", errAlreadySetUp, p.deposit)
		}
		return c, nil
	}
	params, err := newParameters(signer, opener.Public(), deposit)
	if err != nil {
		return nil, err
	}
	if err := book.append(ctx, params); err != nil {
		return nil, err
	}
	return c, nil
}

// Book returns the collector's book.
func (c *Collector) Book() *Book {
	if c == nil {
		return nil
	}
	return c.book
}

// errNoCollector is returned by the methods of a Collector not made by
// NewCollector.
var errNoCollector = fmt.Errorf("%w: collector not made by NewCollector", ErrMalformed)

func (c *Collector) ready() bool {
	return c != nil && c.book != nil && c.signer != nil && c.opener != nil
}

// OpenPeriod opens the next period, for usage at start <= time < end, over
// the ring of every registered key with a whole deposit, and returns its
// descriptor for users and edges.
func (c *Collector) OpenPeriod(ctx context.Context, start, end time.Time) (*Period, error) {
	if !c.ready() {
		return nil, errNoCollector
	}
	c.book.mu.RLock()
	params, id := c.book.st.params, uint32(len(c.book.st.periods))+1
	var ring *arsig.Ring
	err := errNotSetUp
	if params != nil {
		ring, err = c.book.st.nextRing()
	}
	c.book.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	p, err := newPeriod(c.signer, id, params, start, end, ring)
	if err != nil {
		return nil, err
	}
	if err := c.book.append(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// ClosePeriod closes the open period at time t, no earlier than its end.
// Usage of the period is refused afterwards, so a deployment whose edges
// deliver late closes a period only once they have delivered.
func (c *Collector) ClosePeriod(ctx context.Context, t time.Time) error {
	if !c.ready() {
		return errNoCollector
	}
	b := c.book
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.st.period(uint32(len(b.st.periods)))
	if p == nil {
		return fmt.Errorf("%w: no period to close", ErrPeriod)
	}
	rec, err := newPeriodClose(c.signer, p.desc.id, t, uint32(len(p.usages)))
	if err != nil {
		return err
	}
	apply, err := b.st.check(rec)
	if err != nil {
		return err
	}
	return b.commit(ctx, kindPeriodClose, rec.enc, recordDigest(rec.enc), apply)
}

// Accept takes a record a user files — a [Registration], [Refund],
// [Dispute] or [Usage] — checks it against the book and appends it.
// Accepting the bytes of a record already on the book again is a retry and
// changes nothing. Errors wrap [ErrMalformed], [ErrBadSignature],
// [ErrPeriod] or [ErrRefused]. Money moves outside the package: the
// deposit a registration states is the user's word, so accept one only
// once that deposit is received, and pay a refund once it is accepted.
func (c *Collector) Accept(ctx context.Context, rec []byte) error {
	if !c.ready() {
		return errNoCollector
	}
	var r record
	var err error
	switch recordKind(rec) {
	case kindRegistration:
		r, err = asRecord(parseRegistration(rec))
	case kindRefund:
		r, err = asRecord(parseRefund(rec))
	case kindDispute:
		r, err = asRecord(parseDispute(rec))
	case kindUsage:
		return c.Collect(ctx, [][]byte{rec})[0]
	default:
		err = malformed("accept", "not a record users file")
	}
	if err != nil {
		return err
	}
	return c.book.append(ctx, r)
}

// Collect takes usage records delivered by edges, verifies their ring
// signatures together (arsig.VerifyBatch, which shares the work per ring)
// and appends those that are new. It returns one error per record, nil for
// each record on the book afterwards: a record whose [Usage.ID] is already
// on the book — delivered twice, or by two edges — is billed once and
// returns nil. A record of a closed period that is not on the book is
// refused with [ErrPeriod].
func (c *Collector) Collect(ctx context.Context, usages [][]byte) []error {
	errs := make([]error, len(usages))
	if !c.ready() {
		for i := range errs {
			errs[i] = errNoCollector
		}
		return errs
	}
	recs := make([]*Usage, len(usages))
	items := make([]arsig.BatchItem, 0, len(usages))
	which := make([]int, 0, len(usages))
	c.book.mu.RLock()
	for i, b := range usages {
		u, err := parseUsage(b)
		var p *Period
		if err == nil {
			p, err = c.book.st.usagePeriod(u)
		}
		if err != nil {
			errs[i] = err
			continue
		}
		recs[i] = u
		items = append(items, arsig.BatchItem{Ring: p.ring, Opener: p.opener, Message: u.id[:], Signature: u.sig})
		which = append(which, i)
	}
	c.book.mu.RUnlock()

	for j, err := range arsig.VerifyBatch(items) {
		i := which[j]
		if err != nil {
			errs[i] = fmt.Errorf("%w: usage: %w", ErrBadSignature, err)
			continue
		}
		// The state may have moved on since (the period closed); the
		// append checks everything but the signature again.
		errs[i] = c.book.appendUsage(ctx, recs[i])
	}
	return errs
}

// DraftInvoices opens every unbilled usage record of a closed period and
// returns one signed invoice per signer (or several: at most 4096 lines
// each, and a new one where the total would leave the range of money),
// lines in ledger order, not yet on the ledger ([Collector.Issue] appends
// them). The records are opened in parallel on runtime.GOMAXPROCS(0)
// goroutines.
func (c *Collector) DraftInvoices(period uint32, issued, due time.Time) ([]*Invoice, error) {
	if !c.ready() {
		return nil, errNoCollector
	}
	return c.draft(period, issued, due, maxLines)
}

// draft drafts the invoices of a closed period, at most perInvoice lines
// each.
func (c *Collector) draft(period uint32, issued, due time.Time, perInvoice int) ([]*Invoice, error) {
	b := c.book
	b.mu.RLock()
	ps := b.st.period(period)
	closed := ps != nil && ps.close != nil
	var us []*Usage
	if closed {
		for _, id := range ps.usages {
			if u := b.st.usages[id]; u.billedBy == nil {
				us = append(us, u.rec)
			}
		}
	}
	b.mu.RUnlock()
	if !closed {
		return nil, fmt.Errorf("%w: period %d is not closed", ErrPeriod, period)
	}
	openings, err := c.open(ps.desc, us)
	if err != nil {
		return nil, err
	}
	byUser := make(map[keyID][]Line)
	var order []*arsig.PublicKey
	for i, o := range openings {
		k := keyOf(o.Signer())
		if byUser[k] == nil {
			order = append(order, o.Signer())
		}
		byUser[k] = append(byUser[k], Line{Usage: us[i], Opening: o})
	}
	invs := make([]*Invoice, 0, len(order))
	for _, user := range order {
		for _, lines := range invoiceLines(byUser[keyOf(user)], perInvoice) {
			inv, err := NewInvoice(c.signer, ps.desc, user, issued, due, lines)
			if err != nil {
				return nil, err
			}
			invs = append(invs, inv)
		}
	}
	return invs, nil
}

// invoiceLines splits a user's lines, in order, into the lines of its
// invoices: a user with more records than an invoice holds, or whose
// amounts add up beyond the range of money, gets several invoices.
func invoiceLines(lines []Line, perInvoice int) [][]Line {
	var out [][]Line
	for len(lines) > 0 {
		n, total := 1, lines[0].Usage.amount
		for ; n < len(lines) && n < perInvoice; n++ {
			t, err := total.Add(lines[n].Usage.amount)
			if err != nil {
				break
			}
			total = t
		}
		out = append(out, lines[:n])
		lines = lines[n:]
	}
	return out
}

// open opens usage records of period p in parallel.
func (c *Collector) open(p *Period, us []*Usage) ([]*arsig.Opening, error) {
	openings := make([]*arsig.Opening, len(us))
	errs := make([]error, len(us))
	parallel.For(len(us), func(i int) {
		openings[i], errs[i] = c.opener.Open(p.ring, us[i].id[:], us[i].sig)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("billing: opening usage: %w", err)
	}
	return openings, nil
}

// Issue appends an invoice: one from [Collector.DraftInvoices], or any the
// collector signed with [NewInvoice]. The book checks that the collector
// signed it, that its user is in the period's ring, that its lines are
// unbilled records of the closed period and its total their sum; not the
// openings, which are each user's check.
func (c *Collector) Issue(ctx context.Context, inv *Invoice) error {
	if !c.ready() {
		return errNoCollector
	}
	if inv == nil || inv.enc == nil {
		return malformed("issue", "missing invoice")
	}
	return c.book.append(ctx, inv)
}

// Pay records the payment of the amount still owed on an invoice at time t
// and returns the signed receipt. A payment of anything else, or of an
// invoice paid, enforced or void, is refused with [ErrRefused].
func (c *Collector) Pay(ctx context.Context, invoice [32]byte, amount money.Amount, t time.Time) (*Receipt, error) {
	if !c.ready() {
		return nil, errNoCollector
	}
	c.book.mu.RLock()
	is := c.book.st.invoices[invoice]
	c.book.mu.RUnlock()
	if is == nil {
		return nil, errUnknownInvoice
	}
	r, err := newReceipt(c.signer, is.rec, amount, t)
	if err != nil {
		return nil, err
	}
	if err := c.book.append(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// Forfeit enforces an unpaid invoice at time t, after its due date: it takes
// the owed amount, or what remains of the deposit if that is less, from
// the user's deposit, with fresh openings of the owed lines as public
// evidence, and returns the signed forfeiture.
func (c *Collector) Forfeit(ctx context.Context, invoice [32]byte, t time.Time) (*Forfeiture, error) {
	if !c.ready() {
		return nil, errNoCollector
	}
	b := c.book
	b.mu.RLock()
	is, err := b.st.owedInvoice(invoice)
	var inv *Invoice
	var p *Period
	var amount money.Amount
	var owed []*Usage
	if err == nil {
		inv = is.rec
		p = b.st.period(inv.period).desc
		amount = forfeitable(is, b.st.accounts[keyOf(inv.user)])
		for i, l := range inv.lines {
			if !is.struck[i] {
				owed = append(owed, l.Usage)
			}
		}
	}
	b.mu.RUnlock()
	switch {
	case err != nil:
		return nil, err
	case !t.Truncate(time.Second).After(inv.due):
		return nil, fmt.Errorf("%w: due %v", errNotDue, inv.due)
	case amount.Sign() == 0:
		return nil, fmt.Errorf("%w: nothing left of the deposit", errDepositMismatch)
	}
	openings, err := c.open(p, owed)
	if err != nil {
		return nil, err
	}
	evidence := make([]Line, len(owed))
	for i := range owed {
		evidence[i] = Line{Usage: owed[i], Opening: openings[i]}
	}
	f, err := newForfeiture(c.signer, inv, amount, t, evidence)
	if err != nil {
		return nil, err
	}
	if err := c.book.append(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}
