package billing

import (
	"context"
	"fmt"
	"sync"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A Book is the billing state kept on a ledger: the one place that holds
// all of it. Every record is checked against the state the ledger's records
// build before it is appended, and [Open] rebuilds the state from the
// ledger, verifying every record again, so a replica or an auditor with the
// collector's public key holds the same book as the collector.
//
// A Book is safe for concurrent use. Appends are serialised, so two
// conflicting records (two receipts for one invoice, a refund racing a
// forfeiture) cannot both be accepted. Only its [Collector] appends. An
// append whose outcome the ledger could not report (an error from a
// database ledger may come after the record was stored) leaves the book
// refusing every later append until the collector is made again from the
// ledger with [NewCollector], which replays whatever was stored.
type Book struct {
	mu sync.RWMutex
	l  ledger.Ledger
	j  *journal.Journal
	st *state
}

// replayBatch is the most usage signatures Open verifies at once; it
// verifies each run of consecutive usage records together.
const replayBatch = 256

// Open rebuilds the book of l, whose collector's ECDSA key is collector.
// Records of kinds outside 0x0b00–0x0bff are skipped. Every billing record is
// verified against the key that must have signed it: the parameters and
// every collector record against collector, the proof of every
// registration and refund against its key, usage ring signatures in batches
// (arsig.VerifyBatch) against their period's ring, and the openings a
// forfeiture or dispute relies on. A ledger with a record that does not
// verify or does not fit the state is refused, with an error naming the
// entry and wrapping the reason's sentinel.
func Open(ctx context.Context, l ledger.Ledger, collector *ecdsa.PublicKey) (*Book, error) {
	if ctx == nil || l == nil || collector == nil {
		return nil, malformed("open", "missing context, ledger or collector key")
	}
	st := newState(collector)
	var pending []arsig.BatchItem
	var pendingSeq []uint64
	flush := func() error {
		for i, err := range arsig.VerifyBatch(pending) {
			if err != nil {
				return fmt.Errorf("billing: ledger entry %d: %w: usage: %w", pendingSeq[i], ErrBadSignature, err)
			}
		}
		pending, pendingSeq = pending[:0], pendingSeq[:0]
		return nil
	}
	err := l.Scan(ctx, 0, func(e ledger.Entry) error {
		if e.Kind < kindFirst || e.Kind > kindLast {
			return nil
		}
		rec, err := parseRecord(e.Payload)
		if _, ok := rec.(*Usage); !ok && len(pending) > 0 {
			// Later records may rely on the usage records before them.
			if err := flush(); err != nil {
				return err
			}
		}
		if err == nil && rec.kind() != e.Kind {
			err = fmt.Errorf("%w: a %#04x record under kind %#04x", ErrMalformed, uint16(rec.kind()), uint16(e.Kind))
		}
		var apply func()
		if err == nil {
			apply, err = st.check(rec)
		}
		if err != nil {
			return fmt.Errorf("billing: ledger entry %d: %w", e.Seq, err)
		}
		if u, ok := rec.(*Usage); ok {
			p := st.period(u.period).desc
			pending = append(pending, arsig.BatchItem{Ring: p.ring, Opener: p.opener, Message: u.id[:], Signature: u.sig})
			pendingSeq = append(pendingSeq, e.Seq)
			if len(pending) == replayBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		apply()
		st.applied[recordDigest(e.Payload)] = true
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, err
	}
	return &Book{l: l, j: journal.New(l, "billing: the book"), st: st}, nil
}

// append checks rec against the state, appends it and applies it. A usage
// record's ring signature must have been verified by the caller. Appending
// the exact bytes of a record already on the ledger changes nothing: a
// retry after an unknown outcome is safe.
func (b *Book) append(ctx context.Context, rec record) error {
	enc := rec.Bytes()
	d := recordDigest(enc)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.st.applied[d] {
		return nil
	}
	apply, err := b.st.check(rec)
	if err != nil {
		return err
	}
	return b.commit(ctx, rec.kind(), enc, d, apply)
}

// commit appends a checked record and applies it; b.mu is held.
func (b *Book) commit(ctx context.Context, k ledger.Kind, enc []byte, d [32]byte, apply func()) error {
	if err := b.j.Append(ctx, k, enc, ErrRefused); err != nil {
		return err
	}
	apply()
	b.st.applied[d] = true
	return nil
}

// appendUsage appends a usage record whose signature the caller verified.
// A record whose ID is already on the book is billed once: appending it
// again, with these or other signature bytes, changes nothing.
func (b *Book) appendUsage(ctx context.Context, u *Usage) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.st.usages[u.id] != nil {
		return nil
	}
	apply, err := b.st.check(u)
	if err != nil {
		return err
	}
	return b.commit(ctx, kindUsage, u.enc, recordDigest(u.enc), apply)
}

// errNoBook is returned by the methods of a Book not made by Open.
var errNoBook = fmt.Errorf("%w: book not made by Open", ErrMalformed)

func (b *Book) ready() bool { return b != nil && b.st != nil }

// Parameters returns the system's parameters, or nil before they are on
// the ledger.
func (b *Book) Parameters() *Parameters {
	if !b.ready() {
		return nil
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.st.params
}

// Period returns the descriptor of period id, or of the latest period if
// id is 0.
func (b *Book) Period(id uint32) (*Period, error) {
	if !b.ready() {
		return nil, errNoBook
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if id == 0 {
		id = uint32(len(b.st.periods))
	}
	p := b.st.period(id)
	if p == nil {
		return nil, fmt.Errorf("%w: no period %d", ErrPeriod, id)
	}
	return p.desc, nil
}

// Owed returns what is still owed on the invoice with the given ID: its
// total less struck lines while it is open; zero once it is paid, enforced
// from the deposit or every line is struck.
func (b *Book) Owed(invoice [32]byte) (money.Amount, error) {
	if !b.ready() {
		return money.Amount{}, errNoBook
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	is := b.st.invoices[invoice]
	if is == nil {
		return money.Amount{}, errUnknownInvoice
	}
	if is.status != invoiceOpen {
		return money.Zero(is.owed.Currency()), nil
	}
	return is.owed, nil
}

// Deposit returns what remains of the deposit of a registered key (zero
// once refunded).
func (b *Book) Deposit(user *arsig.PublicKey) (money.Amount, error) {
	if !b.ready() {
		return money.Amount{}, errNoBook
	}
	if !validUser(user) {
		return money.Amount{}, malformed("deposit", "missing key")
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	a := b.st.accounts[keyOf(user)]
	if a == nil {
		return money.Amount{}, errUnregistered
	}
	return a.deposit, nil
}
