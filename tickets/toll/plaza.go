package toll

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// Plaza is a toll plaza: it signs entry proofs and checks tickets at exit.
// It holds its key, the public records it has received (its operator's
// plaza registrations and fare tables, the sales of its operator and of
// the partners) and the stores it shares with every other exit. It is
// safe for concurrent use.
type Plaza struct {
	key      *ecdsa.PrivateKey
	operator *ecdsa.PublicKey
	self     plazaRef
	// journal refuses every append after one of unknown outcome: a
	// table the ledger holds but the plaza does not know could otherwise
	// be followed by an older one, and the ledger would no longer replay.
	journal *journal.Journal
	used    tickets.UsedSet
	dir     *directory

	applyMu sync.Mutex
}

// OpenPlaza returns plaza id of the operator whose key is operator,
// signing with key and accepting tickets sold by the operator and by
// partners. st.Spent and st.Used are the stores shared by every exit;
// st.Ledger holds the records the plaza applies, which OpenPlaza replays,
// verifying each against its operator's key (registrations, fare tables)
// or its issuer's (sales); as for an operator ([Config.Partners]), a sale
// of a partner no longer listed makes the replay fail. The plaza works
// once its own registration has been applied.
func OpenPlaza(ctx context.Context, key *ecdsa.PrivateKey, id PlazaID, operator *ecdsa.PublicKey, partners []*ecdsa.PublicKey, st Stores) (*Plaza, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	switch {
	case key == nil || operator == nil:
		return nil, errors.New("toll: plaza needs its key and its operator's")
	case st.Ledger == nil || st.Spent == nil || st.Used == nil:
		return nil, errors.New("toll: plaza needs a ledger, the spent store and the used set")
	}
	issuers := append([]*ecdsa.PublicKey{operator}, partners...)
	if slices.Contains(issuers, nil) {
		return nil, errors.New("toll: nil partner key")
	}
	dir, err := newDirectory(st.Spent, []*ecdsa.PublicKey{operator}, issuers)
	if err != nil {
		return nil, err
	}
	p := &Plaza{key: key, operator: operator, self: plazaRef{idOf(operator), id}, journal: journal.New(st.Ledger, "toll: plaza"), used: st.Used, dir: dir}
	err = p.journal.Replay(ctx, func(e ledger.Entry) error {
		switch {
		case e.Kind == kindPlaza || e.Kind == kindFares || e.Kind == kindSale:
			return dir.replay(e)
		case unknownKind(e.Kind):
			return fmt.Errorf("%w: unknown kind %#04x", ErrMalformed, uint16(e.Kind))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Apply verifies and records a public record: a plaza registration or fare
// table of the plaza's operator, or a sale of the operator or a partner.
// Applying a record again is a no-op. If recording fails, the ledger may
// hold the record anyway (a lost database connection), so every later
// Apply fails until the plaza is reopened from its ledger.
func (p *Plaza) Apply(ctx context.Context, record []byte) error {
	if ctx == nil {
		return errNilContext
	}
	p.applyMu.Lock()
	defer p.applyMu.Unlock()
	kind, apply, err := p.dir.check(record)
	if err != nil || apply == nil {
		return err
	}
	if err := p.journal.Append(ctx, kind, record, nil); err != nil {
		return fmt.Errorf("toll: plaza: recording: %w", err)
	}
	return apply()
}

// registered checks that the plaza's own registration is applied, with
// its key.
func (p *Plaza) registered() error {
	r, ok := p.dir.plaza(p.self)
	if !ok || !r.key.Equal(p.key.Public()) {
		return fmt.Errorf("%w: this plaza (%v) is not registered with its key", ErrUnknownPlaza, p.self)
	}
	return nil
}

// Enter signs an entry proof for a vehicle showing commitment at time now,
// for the vehicle's [Trip.SetEntryProof]. The plaza learns nothing about
// the vehicle or its ticket.
func (p *Plaza) Enter(commitment [32]byte, now time.Time) ([]byte, error) {
	at, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("toll: entry time: %w", err)
	}
	if err := p.registered(); err != nil {
		return nil, err
	}
	e := &entryProof{plaza: p.self, operator: p.operator, time: at, commitment: commitment}
	body, err := e.body()
	if err != nil {
		return nil, err
	}
	if e.sig, err = signRecord(p.key, contextEntry, body); err != nil {
		return nil, err
	}
	return e.bytes(), nil
}

// Exit checks a ticket presented at this plaza at time now and, if it is
// accepted, spends it and returns the signed usage request to file with
// the operator. The checks and their errors are in the package
// documentation; a ticket whose one-time key was already spent is refused
// with a [*tickets.ReuseError] (Linked for a replay, Revealed for a second
// ticket: send it to the operator that sold it, [Operator.Reveal]).
//
// The entry proof's commitment is recorded as used before the ticket is
// spent, so a crash in between leaves the proof used and the ticket
// unspent, never the reverse: the vehicle keeps its pass but cannot exit
// on that entry proof (ErrEntryReused). A crash after the spend and
// before the request is returned, or a spend whose outcome the store
// could not report (a connection lost after the commit was sent), loses
// the request: Exit gives the plaza none to claim the fare with, and the
// same ticket presented again is refused as Linked, since a retry cannot
// be told from a replay; a new ticket of the pass would reveal it. A ticket presenting
// a used entry proof is refused with [ErrEntryReused] after a check
// against the spent store that stores nothing: whoever raced an overheard
// proof and secret to an exit must not use up, or later reveal, the
// honest pass. Two copies of one trip presented at once may therefore see
// ErrEntryReused rather than Linked; exactly one is accepted either way.
func (p *Plaza) Exit(ctx context.Context, ticketBytes []byte, now time.Time) ([]byte, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	exitTime, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("toll: exit time: %w", err)
	}
	if err := p.registered(); err != nil {
		return nil, err
	}
	t, err := parseTicket(ticketBytes)
	if err != nil {
		return nil, err
	}
	chk, err := p.dir.checkTicket(t, p.self, exitTime)
	if err != nil {
		return nil, err
	}
	first, err := p.used.Use(ctx, wire.Digest(labelEntryID, t.entry.commitment[:]), chk.entryUntil)
	if err != nil {
		return nil, fmt.Errorf("toll: entry commitments: %w", err)
	}
	if first {
		if err := p.dir.redeemer.Spend(ctx, chk.acc); err != nil {
			return nil, err
		}
	} else {
		res, err := p.dir.redeemer.Check(ctx, chk.acc)
		if err != nil {
			return nil, err
		}
		if res.Kind == trs.Fresh {
			return nil, fmt.Errorf("%w: commitment %x", ErrEntryReused, t.entry.commitment[:8])
		}
		return nil, &tickets.ReuseError{Sale: chk.acc.Sale(), TraceResult: res}
	}
	r := &usageRequest{operator: p.operator, plaza: p.self, exitTime: exitTime, ticket: t}
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	if r.sig, err = signRecord(p.key, contextUsage, body); err != nil {
		return nil, err
	}
	return r.bytes(), nil
}
