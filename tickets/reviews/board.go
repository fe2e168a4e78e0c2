package reviews

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// tickets' record kinds that a board's ledger holds or must not hold.
const (
	kindTicketsPurchase ledger.Kind = 0x0101 // private: links a right to its buyer
	kindTicketsSale     ledger.Kind = 0x0102
)

// Board is the public board of one shop's reviews: it applies the shop's
// sales and rosters, verifies every review against them, accepts one
// review per right, and applies the moderator's disclosures. Its state is
// on a public ledger and rebuilt from it by [OpenBoard], verifying every
// signature, so anyone with a copy of the ledger checks every review. It
// is safe for concurrent use.
type Board struct {
	shop      *ecdsa.PublicKey
	moderator *arsig.OpenerPublicKey
	l         ledger.Ledger
	journal   *journal.Journal // appends to l; refuses the rest after an append of unknown outcome
	redeemer  *tickets.Redeemer

	mu          sync.RWMutex
	rosters     map[[32]byte]*Roster
	latest      *Roster
	reviews     map[[32]byte]*Review
	rights      map[[32]byte]bool // the ticket IDs of the posted reviews
	byProduct   map[string][]*Review
	disclosures map[[32]byte]*Disclosure
}

// OpenBoard returns the board of the shop whose key is shop, with
// moderator as the only opener it accepts rosters for, spending review
// rights in spent and keeping its records in l. It replays l: every sale
// and roster is verified against the shop's key, every review as [Board.Post]
// verifies it and spent again, every disclosure checked; anything that
// does not verify, a second review of one right, or a private record (an
// order or a purchase record) makes OpenBoard fail. The reviews'
// signatures are verified on runtime.GOMAXPROCS(0) goroutines. spent must be a store
// only this board spends in: a fresh one (trs.NewMemoryStore) to rebuild
// a board from a copy of its ledger, or the board's own persistent one.
func OpenBoard(ctx context.Context, shop *ecdsa.PublicKey, moderator *arsig.OpenerPublicKey, l ledger.Ledger, spent trs.Store) (*Board, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if shop == nil || moderator == nil || l == nil || spent == nil {
		return nil, fmt.Errorf("%w: board needs the shop's key, the moderator's, a ledger and a spent store", ErrMalformed)
	}
	redeemer, err := tickets.NewRedeemer(spent, shop)
	if err != nil {
		return nil, fmt.Errorf("reviews: board: %w", err)
	}
	b := &Board{shop: shop, moderator: moderator, l: l, journal: journal.New(l, "reviews: the board"), redeemer: redeemer,
		rosters: make(map[[32]byte]*Roster), reviews: make(map[[32]byte]*Review), rights: make(map[[32]byte]bool),
		byProduct: make(map[string][]*Review), disclosures: make(map[[32]byte]*Disclosure)}
	if err := b.replay(ctx, l); err != nil {
		return nil, fmt.Errorf("reviews: board: %w", err)
	}
	return b, nil
}

// replay rebuilds the board from l in three passes: the sales and rosters,
// in ledger order; the signatures of every review, the tickets on every
// core and the author signatures in one batch; then, in ledger order, each
// review's right spent and each disclosure checked. A
// review counts only if its sale and roster come before it.
func (b *Board) replay(ctx context.Context, l ledger.Ledger) error {
	var entries []ledger.Entry
	if err := l.Scan(ctx, 0, func(e ledger.Entry) error { entries = append(entries, e); return nil }); err != nil {
		return err
	}
	at := make(map[[32]byte]uint64) // where each sale and roster was applied
	var reviewEntries []ledger.Entry
	for _, e := range entries {
		if err := b.replayPublic(e, at); err != nil {
			return fmt.Errorf("ledger entry %d: %w", e.Seq, err)
		}
		if e.Kind == kindReview {
			reviewEntries = append(reviewEntries, e)
		}
	}
	type checked struct {
		r   *Review
		acc *tickets.Accepted
		err error
	}
	results := make([]checked, len(reviewEntries))
	parallel.For(len(results), func(i int) {
		r, acc, err := b.checkRight(reviewEntries[i].Payload)
		results[i] = checked{r, acc, err}
	})
	// The author signatures in one batch: those under one roster share
	// its ring's terms.
	var batch []arsig.BatchItem
	var of []int
	for i, c := range results {
		if c.err == nil {
			roster, _ := b.Roster(c.r.roster)
			batch = append(batch, arsig.BatchItem{Ring: roster.ring, Opener: roster.opener, Message: c.r.authorMessage(), Signature: c.r.author})
			of = append(of, i)
		}
	}
	for k, err := range arsig.VerifyBatch(batch) {
		results[of[k]].err = authorError(err)
	}
	for _, e := range entries {
		var err error
		switch e.Kind {
		case kindReview:
			c := results[0]
			results = results[1:]
			err = c.err
			if err == nil {
				err = b.replayReview(ctx, e, c.r, c.acc, at)
			}
		case kindDisclosure:
			var d *Disclosure
			if d, err = b.checkDisclosure(e.Payload); err == nil {
				b.disclosures[d.review] = d
			}
		}
		if err != nil {
			return fmt.Errorf("ledger entry %d: %w", e.Seq, err)
		}
	}
	return nil
}

// replayPublic applies a sale or roster of the ledger, noting where, and
// refuses the kinds a board's ledger must not hold.
func (b *Board) replayPublic(e ledger.Entry, at map[[32]byte]uint64) error {
	switch e.Kind {
	case kindTicketsSale:
		s, err := b.applySale(e.Payload)
		if err != nil {
			return err
		}
		if _, seen := at[s.ID()]; !seen {
			at[s.ID()] = e.Seq
		}
	case kindRoster:
		r, err := b.checkRoster(e.Payload)
		if err != nil {
			return err
		}
		if _, seen := b.rosters[r.id]; seen {
			return nil
		}
		if err := b.follows(r); err != nil {
			return err
		}
		at[r.id] = e.Seq
		b.addRoster(r)
	case kindReview, kindDisclosure:
	case kindOrder, kindTicketsPurchase:
		return fmt.Errorf("%w: a private record (kind %#04x) on the board's public ledger", ErrMalformed, uint16(e.Kind))
	default:
		if ownKind(e.Kind) {
			return fmt.Errorf("%w: kind %#04x on the board's ledger", ErrMalformed, uint16(e.Kind))
		}
	}
	return nil
}

// replayReview spends and adds a review of the ledger whose signatures
// verify.
func (b *Board) replayReview(ctx context.Context, e ledger.Entry, r *Review, acc *tickets.Accepted, at map[[32]byte]uint64) error {
	if s, ok := at[r.Sale()]; !ok || s > e.Seq {
		return fmt.Errorf("%w: a review before its sale", ErrUnknown)
	}
	if s, ok := at[r.roster]; !ok || s > e.Seq {
		return fmt.Errorf("%w: a review before its roster", ErrUnknown)
	}
	if b.rights[acc.ID()] {
		return fmt.Errorf("%w: a second review of one right", ErrMalformed)
	}
	if err := b.spend(ctx, acc); err != nil {
		return err
	}
	b.add(r, acc.ID())
	return nil
}

// applySale applies a sale of the shop to the redeemer.
func (b *Board) applySale(rec []byte) (*tickets.Sale, error) {
	s, err := b.redeemer.AddSale(rec)
	switch {
	case errors.Is(err, tickets.ErrMalformed):
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	case errors.Is(err, tickets.ErrUnknownSale):
		return nil, fmt.Errorf("%w: %w", ErrUnknown, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return s, nil
}

// AddSale applies a sale record of the shop, so that reviews of its rights
// can be posted, and records it. Adding a sale again is a no-op; after an
// append of unknown outcome AddSale refuses, until the board is opened
// again from its ledger.
func (b *Board) AddSale(ctx context.Context, rec []byte) (*tickets.Sale, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	// The redeemer applies a sale before it is recorded: after a failed
	// append, a sale it holds may not be on the ledger, so adding it again
	// must not report it recorded.
	if err := b.journal.Ready(ctx, ErrRefused); err != nil {
		return nil, fmt.Errorf("reviews: recording the sale: %w", err)
	}
	s, err := tickets.ParseSale(rec)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	_, had := b.redeemer.Sale(s.ID())
	if s, err = b.applySale(rec); err != nil || had {
		return s, err
	}
	if err := b.journal.Append(ctx, kindTicketsSale, s.Bytes(), ErrRefused); err != nil {
		return nil, fmt.Errorf("reviews: recording the sale: %w", err)
	}
	return s, nil
}

func (b *Board) checkRoster(rec []byte) (*Roster, error) {
	r, err := ParseRoster(rec)
	if err != nil {
		return nil, err
	}
	if err := r.Verify(b.shop); err != nil {
		return nil, err
	}
	if !r.opener.Equal(b.moderator) {
		return nil, fmt.Errorf("%w: roster %d names another moderator", ErrRefused, r.number)
	}
	return r, nil
}

// follows checks that r is numbered after the latest roster applied and
// keeps every customer of it: a shop cannot shrink the anonymity set of
// later reviews by publishing a smaller roster, such as one for a few
// customers it wants to tell apart. Numbers may skip: a roster whose
// append had an unknown outcome may be on the shop's ledger though the
// shop never returned it, and the shop opened again numbers on after it.
// The caller holds b.mu, or replays.
func (b *Board) follows(r *Roster) error {
	prev := b.latest
	if prev == nil {
		return nil
	}
	if r.number <= prev.number {
		return fmt.Errorf("%w: roster %d after roster %d", ErrRefused, r.number, prev.number)
	}
	for i := range prev.ring.Len() {
		if _, in := r.ring.IndexOf(prev.ring.Key(i)); !in {
			return fmt.Errorf("%w: roster %d leaves out a customer of roster %d", ErrRefused, r.number, prev.number)
		}
	}
	return nil
}

func (b *Board) addRoster(r *Roster) {
	b.rosters[r.id] = r
	b.latest = r
}

// AddRoster applies a roster signed by the shop for the board's moderator,
// so that reviews can be signed under it, and records it. Each roster must
// be numbered after the latest applied and list every customer of it.
// Adding a roster again is a no-op.
func (b *Board) AddRoster(ctx context.Context, rec []byte) (*Roster, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	r, err := b.checkRoster(rec)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if old, ok := b.rosters[r.id]; ok {
		return old, nil
	}
	if err := b.follows(r); err != nil {
		return nil, err
	}
	if err := b.journal.Append(ctx, kindRoster, r.Bytes(), ErrRefused); err != nil {
		return nil, fmt.Errorf("reviews: recording the roster: %w", err)
	}
	b.addRoster(r)
	return r, nil
}

// Roster returns an applied roster.
func (b *Board) Roster(id [32]byte) (*Roster, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	r, ok := b.rosters[id]
	return r, ok
}

// check parses a review and verifies it: its sale and roster are applied
// ([ErrUnknown]), it was written within the sale's validity and is of the
// sale's product ([ErrRefused]), and both its signatures verify
// ([ErrBadSignature]). It does not look at the spent store.
func (b *Board) check(rec []byte) (*Review, *tickets.Accepted, error) {
	r, acc, err := b.checkRight(rec)
	if err != nil {
		return nil, nil, err
	}
	roster, _ := b.Roster(r.roster)
	if err := authorError(arsig.Verify(roster.ring, roster.opener, r.authorMessage(), r.author)); err != nil {
		return nil, nil, err
	}
	return r, acc, nil
}

// checkRight is check without the author signature.
func (b *Board) checkRight(rec []byte) (*Review, *tickets.Accepted, error) {
	r, err := ParseReview(rec)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := b.Roster(r.roster); !ok {
		return nil, nil, fmt.Errorf("%w: the review's roster", ErrUnknown)
	}
	acc, err := b.redeemer.Accept(r.ticket, r.time)
	switch {
	case errors.Is(err, tickets.ErrUnknownSale):
		return nil, nil, fmt.Errorf("%w: %w", ErrUnknown, err)
	case errors.Is(err, tickets.ErrExpired):
		return nil, nil, fmt.Errorf("%w: %w", ErrRefused, err)
	case err != nil:
		return nil, nil, fmt.Errorf("%w: the review's right: %w", ErrBadSignature, err)
	}
	if acc.Sale().Class().Label != r.product {
		return nil, nil, fmt.Errorf("%w: a review of %q with a right to review %q", ErrRefused, r.product, acc.Sale().Class().Label)
	}
	return r, acc, nil
}

func authorError(err error) error {
	if err != nil {
		return fmt.Errorf("%w: the review's author: %w", ErrBadSignature, err)
	}
	return nil
}

// spend spends a review's right. An identical ticket already spent but not
// posted is one whose earlier Post spent it and then failed to record it:
// the review is posted now. The caller holds b.mu.
func (b *Board) spend(ctx context.Context, acc *tickets.Accepted) error {
	err := b.redeemer.Spend(ctx, acc)
	var reuse *tickets.ReuseError
	if errors.As(err, &reuse) && reuse.Kind == trs.Linked && !b.rights[acc.ID()] {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reviews: review refused: %w", err)
	}
	return nil
}

func (b *Board) add(r *Review, right [32]byte) {
	b.reviews[r.id] = r
	b.rights[right] = true
	b.byProduct[r.product] = append(b.byProduct[r.product], r)
}

// Post verifies a review received at time now (see below), spends its right
// and records it. A review is accepted if its sale and roster are applied
// ([ErrUnknown]); it is of its sale's product, was written within the
// sale's validity and not after now ([ErrRefused]); its ticket and author
// signature verify ([ErrBadSignature]); and its right has reviewed nothing
// yet. Otherwise it is refused and nothing is recorded: a review with a
// right that has posted a different review reveals the right (a
// [*tickets.ReuseError] of kind trs.Revealed, whose Key the shop maps to
// the buyer with [Shop.Buyer]); the same ticket again is Linked. After an
// append of unknown outcome the board refuses every review, spending
// nothing, until it is opened again from its ledger.
//
// Verification costs a TRS verification over the sale's ring and an arsig
// verification over the roster's; it runs outside the board's lock.
func (b *Board) Post(ctx context.Context, rec []byte, now time.Time) (*Review, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	r, acc, err := b.check(rec)
	if err != nil {
		return nil, err
	}
	if r.time.After(now) {
		return nil, fmt.Errorf("%w: review written at %v, after %v", ErrRefused, r.time, now.UTC())
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	// Spending cannot be undone: a board that will refuse the append
	// refuses before it, or the right would be used up by a review that is
	// not posted, and the buyer's next, different review would reveal it.
	if err := b.journal.Ready(ctx, ErrRefused); err != nil {
		return nil, fmt.Errorf("reviews: recording the review: %w", err)
	}
	if err := b.spend(ctx, acc); err != nil {
		return nil, err
	}
	if err := b.journal.Append(ctx, kindReview, r.enc, ErrRefused); err != nil {
		return nil, fmt.Errorf("reviews: recording the review: %w", err)
	}
	b.add(r, acc.ID())
	return r, nil
}

func (b *Board) checkDisclosure(rec []byte) (*Disclosure, error) {
	d, err := ParseDisclosure(rec)
	if err != nil {
		return nil, err
	}
	b.mu.RLock()
	r, ok := b.reviews[d.review]
	b.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: the disclosed review is not on the board", ErrUnknown)
	}
	roster, _ := b.Roster(r.roster)
	if err := d.Check(r, roster); err != nil {
		return nil, err
	}
	return d, nil
}

// Disclose applies the moderator's disclosure of a posted review: the
// review is taken off [Board.Reviews] and the disclosure, which names its
// author, is recorded for anyone to check. Disclosing a review again is a
// no-op.
func (b *Board) Disclose(ctx context.Context, rec []byte) (*Disclosure, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	d, err := b.checkDisclosure(rec)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if old, ok := b.disclosures[d.review]; ok {
		return old, nil
	}
	if err := b.journal.Append(ctx, kindDisclosure, d.enc, ErrRefused); err != nil {
		return nil, fmt.Errorf("reviews: recording the disclosure: %w", err)
	}
	b.disclosures[d.review] = d
	return d, nil
}

// Review returns a posted review, whether or not the moderator has opened
// it.
func (b *Board) Review(id [32]byte) (*Review, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	r, ok := b.reviews[id]
	return r, ok
}

// Disclosure returns the disclosure of a posted review, if the moderator
// has opened it.
func (b *Board) Disclosure(review [32]byte) (*Disclosure, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d, ok := b.disclosures[review]
	return d, ok
}

// Reviews returns the posted reviews of product that the moderator has not
// opened, in the order they were posted.
func (b *Board) Reviews(product string) []*Review {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []*Review
	for _, r := range b.byProduct[product] {
		if _, removed := b.disclosures[r.id]; !removed {
			out = append(out, r)
		}
	}
	return out
}
