package billing

import (
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// maxLines is the most lines an invoice or a forfeiture may have.
const maxLines = 4096

const labelInvoice = "ringtrace/billing/invoice-id/v1"

// A Line of an invoice or of a forfeiture's evidence: a usage record and the
// collector's opening of it, which names the signer with a proof anyone can
// check against the period's descriptor (arsig.VerifyOpening).
type Line struct {
	Usage   *Usage
	Opening *arsig.Opening
}

// Invoice bills one user for usage records of one closed period, signed by
// the collector. Every line carries the whole usage record and its opening,
// so the invoice can be checked with the period's descriptor alone
// ([Invoice.Check]): the user checks that every line is really theirs before
// paying, and disputes any line that is not ([NewDispute]).
//
// Its obligation is readable from the record: the user (payer) owes the
// collector (the period's collector key) the total, less struck lines, by
// the due date. Layout: docs/spec/billing.md.
type Invoice struct {
	period      uint32
	user        *arsig.PublicKey
	issued, due time.Time
	total       money.Amount
	lines       []Line
	signed
	id [32]byte
}

func (*Invoice) kind() ledger.Kind { return kindInvoice }

// NewInvoice returns the invoice, signed with signer, billing user for the
// usage records of lines (all of period p, each with its opening), issued
// at issued and due at due (after issued). Its total is the sum of the
// lines' amounts. The book accepts it only from the collector, for records
// not yet billed; it does not check the openings, which is each user's
// check (most collectors use [Collector.DraftInvoices] instead).
func NewInvoice(signer *ecdsa.PrivateKey, p *Period, user *arsig.PublicKey, issued, due time.Time, lines []Line) (*Invoice, error) {
	if p == nil || p.enc == nil || !validUser(user) {
		return nil, malformed("invoice", "missing period or user")
	}
	total, err := linesTotal(p, lines)
	if err != nil {
		return nil, err
	}
	return newInvoice(signer, p.id, user, issued, due, total, lines)
}

// linesTotal checks that lines are usage records of p with openings and
// returns the sum of their amounts.
func linesTotal(p *Period, lines []Line) (money.Amount, error) {
	total := money.Zero(p.deposit.Currency())
	for i, l := range lines {
		if l.Usage == nil || l.Usage.enc == nil || l.Opening == nil {
			return money.Amount{}, malformed("invoice", fmt.Sprintf("line %d lacks its usage or opening", i))
		}
		if err := p.fits(l.Usage); err != nil {
			return money.Amount{}, fmt.Errorf("line %d: %w", i, err)
		}
		var err error
		if total, err = total.Add(l.Usage.amount); err != nil {
			return money.Amount{}, fmt.Errorf("%w: invoice total: %w", ErrMalformed, err)
		}
	}
	return total, nil
}

// newInvoice signs an invoice with the given total, which the book checks.
func newInvoice(signer *ecdsa.PrivateKey, period uint32, user *arsig.PublicKey, issued, due time.Time, total money.Amount, lines []Line) (*Invoice, error) {
	inv := &Invoice{period: period, user: user, total: total, lines: append([]Line(nil), lines...)}
	var err error
	if inv.issued, err = seconds(issued, "invoice issue time"); err != nil {
		return nil, err
	}
	if inv.due, err = seconds(due, "invoice due date"); err != nil {
		return nil, err
	}
	if err := inv.sign(signer, contextInvoice, "invoice", inv.body); err != nil {
		return nil, err
	}
	inv.id = wire.Digest(labelInvoice, inv.signedBody())
	return inv, nil
}

func writeLines(w *wire.Writer, lines []Line) {
	if len(lines) == 0 || len(lines) > maxLines {
		w.Fail(fmt.Errorf("%d lines, want 1 to %d", len(lines), maxLines))
	}
	w.Count(len(lines))
	for _, l := range lines {
		if l.Usage == nil || l.Usage.enc == nil {
			w.Fail(errors.New("line without a usage record"))
			return
		}
		w.Bytes(l.Usage.enc)
		writeOpening(w, l.Opening)
	}
}

// minLineSize bounds a line's encoding from below: a usage record's length
// prefix, its header and its fixed-size fields, and an opening.
const minLineSize = 4 + wire.HeaderSize + 4 + 32 + 4 + 12 + 8 + nonceSize + 4 + 4 + arsig.OpeningSize

func readLines(r *wire.Reader) []Line {
	n := r.Count("lines", minLineSize)
	if r.Err() == nil && (n == 0 || n > maxLines) {
		r.Fail("lines", fmt.Sprintf("%d lines, want 1 to %d", n, maxLines))
	}
	if r.Err() != nil {
		return nil
	}
	lines := make([]Line, n)
	for i := range lines {
		lines[i] = Line{Usage: wire.Value(r, "line usage", parseUsage), Opening: readOpening(r)}
		if r.Err() != nil {
			return nil
		}
	}
	return lines
}

func (inv *Invoice) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindInvoice))
	w.U32(inv.period)
	writeUserKey(w, inv.user)
	w.Time(inv.issued)
	if !inv.due.After(inv.issued) {
		w.Fail(errors.New("due date not after issue"))
	}
	w.Time(inv.due)
	if !positive(inv.total) {
		w.Fail(fmt.Errorf("total %v is not positive", inv.total))
	}
	w.Amount(inv.total)
	writeLines(w, inv.lines)
	return finish(w, "invoice")
}

func (inv *Invoice) encode() ([]byte, error) { return inv.reencode(inv.body()) }

// ParseInvoice parses an invoice and checks that collector signed it.
// Errors wrap [ErrMalformed] or [ErrBadSignature]. It does not check the
// lines: that is [Invoice.Check].
func ParseInvoice(b []byte, collector *ecdsa.PublicKey) (*Invoice, error) {
	return parseSigned(b, collector, contextInvoice, "invoice", parseInvoice)
}

func parseInvoice(b []byte) (*Invoice, error) {
	r := newReader(b, kindInvoice, "invoice")
	inv := &Invoice{period: r.U32("period"), user: readUserKey(r, "user")}
	inv.issued, inv.due = r.Time("issued"), r.Time("due")
	if r.Err() == nil && !inv.due.After(inv.issued) {
		r.Fail("due", "not after issue")
	}
	inv.total = readPositive(r, "total")
	inv.lines = readLines(r)
	inv.sig = readSignature(r)
	if err := r.Done(); err != nil {
		return nil, err
	}
	inv.enc = clone(b)
	inv.id = wire.Digest(labelInvoice, inv.signedBody())
	return inv, nil
}

// Check checks the invoice as its payer does before paying, with public
// data only: that p's collector signed it for period p, that it is
// addressed to payer, that the total is the sum of the lines, and every
// line — that its usage record is of period p, on no other line, and that
// its opening proves, with arsig.VerifyOpening against p's ring and opener
// key, that payer signed it. It returns an error about the invoice as a whole, or one entry
// per line: nil where the line verifies, otherwise an error wrapping
// [ErrInvalidLine] (or [ErrPeriod]), which a dispute of that line cures.
//
// It cannot tell, from the invoice alone, whether the invoice is on the
// collector's book or whether another invoice bills the same records: the
// book refuses both, and what it says is owed ([Book.Owed], on a replica
// rebuilt with [Open]) is what the user owes.
func (inv *Invoice) Check(p *Period, payer *arsig.PublicKey) ([]error, error) {
	if inv == nil || inv.enc == nil || p == nil || p.enc == nil || !validUser(payer) {
		return nil, malformed("invoice check", "missing invoice, period or payer")
	}
	if inv.period != p.id {
		return nil, fmt.Errorf("%w: invoice of period %d checked against period %d", ErrPeriod, inv.period, p.id)
	}
	if err := verifyCollector(p.collector, contextInvoice, inv.enc, "invoice"); err != nil {
		return nil, err
	}
	if !inv.user.Equal(payer) {
		return nil, fmt.Errorf("%w: invoice addressed to another key", ErrRefused)
	}
	if err := distinct(inv.lines); err != nil {
		return nil, err
	}
	total := money.Zero(p.deposit.Currency())
	errs := make([]error, len(inv.lines))
	for i, l := range inv.lines {
		errs[i] = verifyLine(p, inv.user, l)
		// A line in another currency fails verifyLine and is left out
		// of the sum; a sum beyond the range of money refuses the whole.
		t, err := total.Add(l.Usage.amount)
		if errors.Is(err, money.ErrOverflow) {
			return nil, fmt.Errorf("%w: the lines add up beyond the range of money: %w", ErrRefused, err)
		}
		if err == nil {
			total = t
		}
	}
	if total != inv.total {
		return nil, fmt.Errorf("%w: total %v, the lines add up to %v", ErrRefused, inv.total, total)
	}
	return errs, nil
}

// distinct checks that no usage record appears on two lines: each line
// would verify, and the record would be paid twice.
func distinct(lines []Line) error {
	seen := make(map[[32]byte]bool, len(lines))
	for i, l := range lines {
		if seen[l.Usage.id] {
			return fmt.Errorf("%w: line %d repeats a usage record", ErrRefused, i)
		}
		seen[l.Usage.id] = true
	}
	return nil
}

// verifyLine reports whether l's opening proves that user signed l's usage
// record under period p. It is the check behind every invoice line, dispute
// and forfeiture, and it needs only public data.
func verifyLine(p *Period, user *arsig.PublicKey, l Line) error {
	if err := p.fits(l.Usage); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidLine, err)
	}
	if !l.Opening.Signer().Equal(user) {
		return fmt.Errorf("%w: opening names another key", ErrInvalidLine)
	}
	if err := arsig.VerifyOpening(p.ring, p.opener, l.Usage.id[:], l.Usage.sig, l.Opening); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidLine, err)
	}
	return nil
}

// Bytes returns the invoice's encoding.
func (inv *Invoice) Bytes() []byte {
	if inv == nil {
		return nil
	}
	return clone(inv.enc)
}

// ID returns the invoice's identity, the digest of its signed body, by
// which receipts, disputes and forfeitures name it.
func (inv *Invoice) ID() [32]byte {
	if inv == nil {
		return [32]byte{}
	}
	return inv.id
}

// Period returns the number of the invoice's period.
func (inv *Invoice) Period() uint32 {
	if inv == nil {
		return 0
	}
	return inv.period
}

// User returns the key of the invoiced user, the payer.
func (inv *Invoice) User() *arsig.PublicKey {
	if inv == nil {
		return nil
	}
	return inv.user
}

// Due returns the due date: after it an unpaid invoice is taken from the
// deposit.
func (inv *Invoice) Due() time.Time {
	if inv == nil {
		return time.Time{}
	}
	return inv.due
}

// Total returns the sum of the lines' amounts.
func (inv *Invoice) Total() money.Amount {
	if inv == nil {
		return money.Amount{}
	}
	return inv.total
}

// Lines returns a copy of the invoice's lines, in order.
func (inv *Invoice) Lines() []Line {
	if inv == nil {
		return nil
	}
	return append([]Line(nil), inv.lines...)
}
