package billing

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A Book is the billing state kept on a ledger: every record goes through
// [Book.Append], which checks it against the state the ledger's records
// build, appends it, and applies it. The state is never stored elsewhere;
// [Open] rebuilds it from the ledger.
//
// A Book is safe for concurrent use. Appends are serialised, so two
// conflicting records (two receipts for one invoice, a refund racing a
// forfeiture) cannot both be accepted. Records returned by a Book are
// copies; arsig and ecdsa values inside them are immutable and shared.
type Book struct {
	mu sync.RWMutex
	l  ledger.Ledger
	st *state
}

// ErrLedger wraps errors of a ledger whose billing records do not replay:
// a record the state machine refuses, or a usage signature that does not
// verify. Such a ledger was not written through a Book.
var ErrLedger = errors.New("billing: ledger does not replay")

// Open replays the billing records of l (records of other kinds are
// skipped) and returns a Book appending to it. Usage signatures are checked
// in batches with arsig.VerifyBatch.
func Open(l ledger.Ledger) (*Book, error) {
	st := newState()
	var pending []arsig.BatchItem
	var pendingSeq []uint64
	flush := func() error {
		for i, err := range arsig.VerifyBatch(pending) {
			if err != nil {
				return fmt.Errorf("%w: entry %d: %w: %v", ErrLedger, pendingSeq[i], ErrInvalidUsage, err)
			}
		}
		pending, pendingSeq = pending[:0], pendingSeq[:0]
		return nil
	}
	err := l.Scan(context.Background(), 0, func(e ledger.Entry) error {
		if e.Kind <= KindBase || e.Kind > maxRecordType.Kind() {
			return nil
		}
		rec, err := ParseRecord(e.Payload)
		if err != nil {
			return fmt.Errorf("%w: entry %d: %w", ErrLedger, e.Seq, err)
		}
		if rec.Type().Kind() != e.Kind {
			return fmt.Errorf("%w: entry %d: kind %#x holds a %v record", ErrLedger, e.Seq, e.Kind, rec.Type())
		}
		apply, err := st.check(rec)
		if err != nil {
			return fmt.Errorf("%w: entry %d: %w", ErrLedger, e.Seq, err)
		}
		if u, ok := rec.(*Usage); ok {
			msg, _ := u.Message()
			pending = append(pending, arsig.BatchItem{
				Ring: st.period(u.Period).ring, Opener: st.params.Opener, Message: msg, Signature: u.Signature,
			})
			pendingSeq = append(pendingSeq, e.Seq)
			if len(pending) == replayBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		apply()
		st.applied[recordDigest(e.Payload)] = e.Seq
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, err
	}
	return &Book{l: l, st: st}, nil
}

const replayBatch = 256

// Append checks rec against the state, appends it to the ledger and applies
// it. A usage record's ring signature is verified here.
//
// Appending a record whose exact encoding is already on the ledger changes
// nothing and returns the entry it is in, so a retry after an unknown outcome
// is safe. Any other record that conflicts with the state is refused with an
// error wrapping one of the package's sentinels.
func (bk *Book) Append(rec Record) (ledger.Entry, error) {
	if u, ok := rec.(*Usage); ok {
		if err := bk.verifyUsage(u); err != nil {
			return ledger.Entry{}, err
		}
	}
	return bk.append(rec)
}

// verifyUsage checks a usage record's ring signature against its period.
func (bk *Book) verifyUsage(u *Usage) error {
	bk.mu.RLock()
	p, _, msg, err := bk.st.usageContext(u)
	var opener *arsig.OpenerPublicKey
	if err == nil {
		opener = bk.st.params.Opener
	}
	bk.mu.RUnlock()
	if err != nil {
		return err
	}
	if err := arsig.Verify(p.ring, opener, msg, u.Signature); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidUsage, err)
	}
	return nil
}

// append appends rec, whose signature (for a usage record) the caller has
// verified.
func (bk *Book) append(rec Record) (ledger.Entry, error) {
	enc, err := rec.MarshalBinary()
	if err != nil {
		return ledger.Entry{}, err
	}
	// The state keeps its own copy, decoded from the canonical bytes, so
	// callers cannot change a record after it is accepted, and what is
	// checked is exactly what replays.
	stored, err := ParseRecord(enc)
	if err != nil {
		return ledger.Entry{}, err
	}
	d := recordDigest(enc)

	bk.mu.Lock()
	defer bk.mu.Unlock()
	if seq, ok := bk.st.applied[d]; ok {
		return bk.entry(seq)
	}
	apply, err := bk.st.check(stored)
	if err != nil {
		return ledger.Entry{}, err
	}
	e, err := bk.l.Append(context.Background(), rec.Type().Kind(), enc)
	if err != nil {
		return ledger.Entry{}, fmt.Errorf("billing: appending %v: %w", rec.Type(), err)
	}
	apply()
	bk.st.applied[d] = e.Seq
	return e, nil
}

var errFound = errors.New("found")

func (bk *Book) entry(seq uint64) (ledger.Entry, error) {
	var out ledger.Entry
	err := bk.l.Scan(context.Background(), seq, func(e ledger.Entry) error {
		out = e
		return errFound
	})
	if err != errFound {
		return ledger.Entry{}, fmt.Errorf("billing: reading entry %d: %v", seq, err)
	}
	return out, nil
}

// Ledger returns the ledger the book appends to.
func (bk *Book) Ledger() ledger.Ledger { return bk.l }

// Digest returns a digest of the whole billing state. Two books built from
// the same records have the same digest.
func (bk *Book) Digest() Digest {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	return bk.st.digest()
}

// Parameters returns the system parameters, or nil before they are set.
func (bk *Book) Parameters() *Parameters {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	if bk.st.params == nil {
		return nil
	}
	p := *bk.st.params
	return &p
}

// PeriodInfo describes a billing period.
type PeriodInfo struct {
	Open     PeriodOpen
	Closed   bool
	Close    PeriodClose // zero while open
	Ring     *arsig.Ring
	Usages   int // usage records accepted
	Unbilled int // usage records not on an invoice (or struck)
}

// CurrentPeriod returns the ID of the latest period, 0 if there is none.
func (bk *Book) CurrentPeriod() uint32 {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	return uint32(len(bk.st.periods))
}

// Period returns period id.
func (bk *Book) Period(id uint32) (PeriodInfo, error) {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	p := bk.st.period(id)
	if p == nil {
		return PeriodInfo{}, fmt.Errorf("%w: no period %d", ErrPeriod, id)
	}
	info := PeriodInfo{Open: *p.open, Ring: p.ring, Usages: len(p.usages), Unbilled: p.unbilled}
	if p.close != nil {
		info.Closed, info.Close = true, *p.close
	}
	return info, nil
}

// NextRing returns the ring the next period would have: the canonical ring
// of every registered key with a full deposit.
func (bk *Book) NextRing() (*arsig.Ring, error) {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	if bk.st.params == nil {
		return nil, ErrNotSetUp
	}
	keys := bk.st.ringMembers()
	if len(keys) < MinRingSize {
		return nil, fmt.Errorf("%w: %d registered keys, need %d for a ring", ErrPeriod, len(keys), MinRingSize)
	}
	return arsig.NewRing(keys)
}

func copyUsage(u *Usage) *Usage { c := *u; return &c }

// Usage returns the usage record with the given ID.
func (bk *Book) Usage(id Digest) (*Usage, error) {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	u := bk.st.usages[id]
	if u == nil {
		return nil, fmt.Errorf("billing: no usage record %x", id[:8])
	}
	return copyUsage(u.rec), nil
}

// Usages returns the usage records of a period in ledger order with their
// IDs; if unbilled is set, only those on no invoice (or struck from one).
func (bk *Book) Usages(period uint32, unbilled bool) ([]Digest, []*Usage, error) {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	p := bk.st.period(period)
	if p == nil {
		return nil, nil, fmt.Errorf("%w: no period %d", ErrPeriod, period)
	}
	var ids []Digest
	var us []*Usage
	for _, id := range p.usages {
		u := bk.st.usages[id]
		if unbilled && u.billedBy != nil {
			continue
		}
		ids = append(ids, id)
		us = append(us, copyUsage(u.rec))
	}
	return ids, us, nil
}

// InvoiceInfo is where an invoice stands on the ledger.
type InvoiceInfo struct {
	Invoice    *Invoice
	Digest     Digest
	Status     InvoiceStatus
	Owed       money.Amount // the total less struck lines
	Struck     []int        // indices of struck lines
	Receipt    *Receipt     // set once paid
	Forfeiture *Forfeiture  // set once forfeited
}

func (is *invoiceState) info() InvoiceInfo {
	inv := *is.rec
	inv.Lines = append([]Line(nil), inv.Lines...)
	info := InvoiceInfo{Invoice: &inv, Digest: is.digest, Status: is.status, Owed: is.owed}
	for i, s := range is.struck {
		if s {
			info.Struck = append(info.Struck, i)
		}
	}
	if is.receipt != nil {
		r := *is.receipt
		info.Receipt = &r
	}
	if is.forfeiture != nil {
		f := *is.forfeiture
		f.Evidence = append([]Line(nil), f.Evidence...)
		info.Forfeiture = &f
	}
	return info
}

// Invoice returns the invoice with digest d.
func (bk *Book) Invoice(d Digest) (InvoiceInfo, error) {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	is := bk.st.invoices[d]
	if is == nil {
		return InvoiceInfo{}, ErrUnknownInvoice
	}
	return is.info(), nil
}

// Invoices returns every invoice of a period, in ledger order.
func (bk *Book) Invoices(period uint32) []InvoiceInfo {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	var out []InvoiceInfo
	for _, d := range bk.st.invoiceOrder {
		if is := bk.st.invoices[d]; is.rec.Period == period {
			out = append(out, is.info())
		}
	}
	return out
}

// AccountInfo is where a registered key stands.
type AccountInfo struct {
	Deposit      money.Amount // what remains locked
	Retired      bool         // refunded; in no later ring
	OpenInvoices int          // invoices still owed
}

// Account returns the account of a registered key.
func (bk *Book) Account(user *arsig.PublicKey) (AccountInfo, error) {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	a := bk.st.accounts[string(user.Bytes())]
	if a == nil {
		return AccountInfo{}, ErrUnregistered
	}
	return AccountInfo{Deposit: a.deposit, Retired: a.retired, OpenInvoices: a.open}, nil
}

// VerifyLine checks line i of an invoice against the public ledger: that
// its opening proves the invoiced user signed the named usage record of the
// invoice's period. It needs no secret; it is what a user runs on each line
// before paying and what decides a dispute.
func (bk *Book) VerifyLine(inv *Invoice, i int) error {
	if i < 0 || i >= len(inv.Lines) {
		return fmt.Errorf("%w: %w", ErrInvalidLine, errNoSuchLine)
	}
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	if bk.st.params == nil {
		return ErrNotSetUp
	}
	if bk.st.period(inv.Period) == nil {
		return fmt.Errorf("%w: %w: no period %d", ErrInvalidLine, ErrPeriod, inv.Period)
	}
	return bk.st.verifyInvoiceLine(inv, inv.Lines[i])
}

// VerifyForfeiture checks a forfeiture on the ledger as anyone can: its
// evidence lists the invoice's owed lines, and every opening proves against
// the period's public ring that the forfeiting user signed the record.
func (bk *Book) VerifyForfeiture(f *Forfeiture) error {
	bk.mu.RLock()
	defer bk.mu.RUnlock()
	is := bk.st.invoices[f.Invoice]
	if is == nil {
		return ErrUnknownInvoice
	}
	if !f.User.Equal(is.rec.User) {
		return fmt.Errorf("%w: names another user", ErrInvalidEvidence)
	}
	if f.Time <= is.rec.Due {
		return ErrNotDue
	}
	return bk.st.verifyEvidence(is, f.Evidence)
}
