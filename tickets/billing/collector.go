package billing

import (
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A Collector is the bill collector: it holds the arsig opener key that
// names the signer of any usage record, and the ECDSA key that signs
// invoices and receipts. It runs the periods, opens their usage into
// invoices, records payments and enforces unpaid invoices from deposits.
type Collector struct {
	book   *Book
	signer *ecdsa.PrivateKey
	opener *arsig.OpenerKey
}

// SetUp appends the Parameters record of a new billing system to book —
// the collector's public keys and the deposit every user must lock — and
// returns its collector.
func SetUp(book *Book, signer *ecdsa.PrivateKey, opener *arsig.OpenerKey, deposit money.Amount) (*Collector, error) {
	_, err := book.Append(&Parameters{Collector: signer.Public(), Opener: opener.Public(), Deposit: deposit})
	if err != nil {
		return nil, err
	}
	return &Collector{book: book, signer: signer, opener: opener}, nil
}

// NewCollector returns the collector of a book that is already set up, for
// keys that match its parameters.
func NewCollector(book *Book, signer *ecdsa.PrivateKey, opener *arsig.OpenerKey) (*Collector, error) {
	p := book.Parameters()
	if p == nil {
		return nil, ErrNotSetUp
	}
	if !p.Collector.Equal(signer.Public()) || !p.Opener.Equal(opener.Public()) {
		return nil, fmt.Errorf("billing: keys do not match the ledger's parameters")
	}
	return &Collector{book: book, signer: signer, opener: opener}, nil
}

// OpenPeriod opens the next period, for usage at start <= time < end, over
// the ring of every currently registered key with a full deposit.
func (c *Collector) OpenPeriod(start, end int64) (*PeriodOpen, error) {
	ring, err := c.book.NextRing()
	if err != nil {
		return nil, err
	}
	r := &PeriodOpen{ID: c.book.CurrentPeriod() + 1, Start: start, End: end,
		RingSize: uint32(ring.Len()), RingDigest: RingDigest(ring)}
	if _, err := c.book.Append(r); err != nil {
		return nil, err
	}
	return r, nil
}

// ClosePeriod closes the current period at time t (not before its end).
func (c *Collector) ClosePeriod(t int64) error {
	id := c.book.CurrentPeriod()
	info, err := c.book.Period(id)
	if err != nil {
		return err
	}
	_, err = c.book.Append(&PeriodClose{ID: id, Time: t, Usages: uint32(info.Usages)})
	return err
}

// Open opens usage records of a period in parallel, on
// runtime.GOMAXPROCS(0) workers, and returns one opening or error per
// record.
func (c *Collector) Open(period uint32, us []*Usage) ([]*arsig.Opening, []error) {
	openings := make([]*arsig.Opening, len(us))
	errs := make([]error, len(us))
	info, err := c.book.Period(period)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return openings, errs
	}
	parallel.For(len(us), func(i int) {
		msg, err := us[i].Message()
		if err == nil {
			openings[i], err = c.opener.Open(info.Ring, msg, us[i].Signature)
		}
		errs[i] = err
	})
	return openings, errs
}

// DraftInvoices opens every unbilled usage record of a closed period and
// returns one signed invoice per signer, lines in ledger order, not yet on
// the ledger. A record that does not open (which a record on the ledger
// cannot fail to do) is an error.
func (c *Collector) DraftInvoices(period uint32, issued, due int64) ([]*Invoice, error) {
	info, err := c.book.Period(period)
	if err != nil {
		return nil, err
	}
	if !info.Closed {
		return nil, fmt.Errorf("%w: period %d is not closed", ErrPeriod, period)
	}
	ids, us, err := c.book.Usages(period, true)
	if err != nil {
		return nil, err
	}
	openings, errs := c.Open(period, us)
	byUser := make(map[string]*Invoice)
	var order []*Invoice
	for i, o := range openings {
		if errs[i] != nil {
			return nil, fmt.Errorf("billing: opening usage %x: %w", ids[i][:8], errs[i])
		}
		k := string(o.Signer().Bytes())
		inv := byUser[k]
		if inv == nil {
			inv = &Invoice{Period: period, User: o.Signer(), Issued: issued, Due: due, Total: money.Zero(us[i].Amount.Currency())}
			byUser[k] = inv
			order = append(order, inv)
		}
		if inv.Total, err = inv.Total.Add(us[i].Amount); err != nil {
			return nil, fmt.Errorf("billing: invoice total: %w", err)
		}
		inv.Lines = append(inv.Lines, Line{Usage: ids[i], Opening: o})
	}
	for _, inv := range order {
		if len(inv.Lines) > MaxLines {
			return nil, fmt.Errorf("billing: %d records for one user exceed %d lines", len(inv.Lines), MaxLines)
		}
		if err := inv.Sign(c.signer); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// Issue signs inv and appends it.
func (c *Collector) Issue(inv *Invoice) (Digest, error) {
	if err := inv.Sign(c.signer); err != nil {
		return Digest{}, err
	}
	if _, err := c.book.Append(inv); err != nil {
		return Digest{}, err
	}
	return inv.Digest()
}

// IssueInvoices drafts and issues the invoices of a closed period.
func (c *Collector) IssueInvoices(period uint32, issued, due int64) ([]*Invoice, error) {
	invs, err := c.DraftInvoices(period, issued, due)
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		if _, err := c.book.Append(inv); err != nil {
			return nil, err
		}
	}
	return invs, nil
}

// Pay records the payment of the amount still owed on an invoice at time t
// and returns the signed receipt. Paying an invoice twice is refused with
// ErrAlreadyPaid.
func (c *Collector) Pay(invoice Digest, amount money.Amount, t int64) (*Receipt, error) {
	info, err := c.book.Invoice(invoice)
	if err != nil {
		return nil, err
	}
	r := &Receipt{Invoice: invoice, Amount: amount, Payer: info.Invoice.User, Time: t}
	if err := r.Sign(c.signer); err != nil {
		return nil, err
	}
	if _, err := c.book.Append(r); err != nil {
		return nil, err
	}
	return r, nil
}

// Forfeit enforces an unpaid invoice at time t, after its due date: it takes
// the owed amount (or what remains of the deposit, if less) from the user's
// deposit, with fresh openings of the owed lines as public evidence.
func (c *Collector) Forfeit(invoice Digest, t int64) (*Forfeiture, error) {
	info, err := c.book.Invoice(invoice)
	if err != nil {
		return nil, err
	}
	inv := info.Invoice
	acct, err := c.book.Account(inv.User)
	if err != nil {
		return nil, err
	}
	struck := make(map[int]bool, len(info.Struck))
	for _, i := range info.Struck {
		struck[i] = true
	}
	var lines []Line
	var us []*Usage
	for i, l := range inv.Lines {
		if struck[i] {
			continue
		}
		u, err := c.book.Usage(l.Usage)
		if err != nil {
			return nil, err
		}
		lines = append(lines, Line{Usage: l.Usage})
		us = append(us, u)
	}
	openings, errs := c.Open(inv.Period, us)
	for i := range lines {
		if errs[i] != nil {
			return nil, fmt.Errorf("billing: opening evidence: %w", errs[i])
		}
		lines[i].Opening = openings[i]
	}
	amount := info.Owed
	if c, err := amount.Cmp(acct.Deposit); err == nil && c > 0 {
		amount = acct.Deposit
	}
	f := &Forfeiture{Invoice: invoice, User: inv.User, Amount: amount, Time: t, Evidence: lines}
	if _, err := c.book.Append(f); err != nil {
		return nil, err
	}
	return f, nil
}
