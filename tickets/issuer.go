package tickets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// Policy is how an issuer forms sales.
type Policy struct {
	// RingSize is the number of purchases of one class that make a sale:
	// the anonymity set of each of its tickets.
	RingSize int
	// MinRingSize is the smallest sale [Issuer.Flush] makes of a class
	// whose ring has not filled; 0 means RingSize (Flush never sells a
	// smaller ring).
	MinRingSize int
	// Validity is how long a sale's tickets can be used, from the sale.
	Validity time.Duration
}

func (p Policy) check() error {
	switch {
	case p.RingSize < 1 || p.RingSize > trs.MaxRingSize:
		return fmt.Errorf("tickets: ring size %d outside 1..%d", p.RingSize, trs.MaxRingSize)
	case p.MinRingSize < 0 || p.MinRingSize > p.RingSize:
		return fmt.Errorf("tickets: minimum ring size %d outside 0..%d", p.MinRingSize, p.RingSize)
	case p.Validity < time.Second:
		return errors.New("tickets: sale validity must be at least a second")
	}
	return nil
}

// Issuer sells tickets: it records purchases privately, groups the waiting
// purchases of each class into rings and signs the sales. Its state is on
// a ledger and rebuilt from it by [OpenIssuer]. It is safe for concurrent
// use; purchases are serialised. If recording a purchase or sale fails,
// the ledger may hold it anyway (a lost database connection), so the
// issuer refuses every later Purchase and Flush until it is reopened; the
// reopened issuer's [Issuer.Sales] holds a sale that reached the ledger
// though it was never returned.
type Issuer struct {
	key    *ecdsa.PrivateKey
	l      ledger.Ledger
	policy Policy

	mu      sync.Mutex
	journal *journal.Journal // refuses every append after one of unknown outcome
	next    uint64
	buyers  map[[trs.PublicKeySize]byte][]byte // private purchase records
	waiting map[Class][]*trs.PublicKey         // purchase order
	sold    map[SaleID]bool
	sales   []*Sale // own sales; sales[i] is numbered i
}

// OpenIssuer returns the issuer that signs with key under policy and keeps
// its state in l, replaying what l holds: every purchase record and sale
// of this issuer is verified against key, and a record that does not
// verify makes OpenIssuer fail, as does a sequence of records the issuer
// cannot have written (a key bought twice, a sale out of turn or of keys
// that were not waiting), with an error wrapping [ledger.ErrCorrupt]. Sales of other issuers (a redeemer's, on a
// shared ledger) and other packages' entries are skipped.
func OpenIssuer(ctx context.Context, key *ecdsa.PrivateKey, l ledger.Ledger, p Policy) (*Issuer, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if key == nil || l == nil {
		return nil, errors.New("tickets: issuer needs a key and a ledger")
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	is := &Issuer{key: key, l: l, journal: journal.New(l, "tickets: issuer"), policy: p, buyers: make(map[[trs.PublicKeySize]byte][]byte), waiting: make(map[Class][]*trs.PublicKey), sold: make(map[SaleID]bool)}
	if err := is.journal.Replay(ctx, is.replay); err != nil {
		return nil, err
	}
	return is, nil
}

func (is *Issuer) replay(e ledger.Entry) error {
	switch e.Kind {
	case kindPurchase:
		p, err := parsePurchase(e.Payload, is.key.Public())
		if err != nil {
			return err
		}
		if _, dup := is.buyers[keyBytes(p.key)]; dup {
			return fmt.Errorf("%w: a second purchase of one ticket key", ledger.ErrCorrupt)
		}
		is.addPurchase(p)
	case kindSale:
		s, err := ParseSale(e.Payload)
		if err != nil {
			return err
		}
		if !s.issuer.Equal(is.key.Public()) {
			return nil // a received sale, kept by a redeemer on the same ledger
		}
		if err := s.Verify(s.issuer); err != nil {
			return err
		}
		if is.sold[s.id] {
			return nil // recorded again, as a received copy of an own sale
		}
		if err := is.sellable(s); err != nil {
			return err
		}
		is.addSale(s)
	case kindSpent, kindUsed:
	default:
		if ownKind(uint16(e.Kind)) {
			return fmt.Errorf("%w: unknown kind %#04x", ErrMalformed, uint16(e.Kind))
		}
	}
	return nil
}

// Purchase records that buyer bought a ticket of class c with the one-time
// key. buyer is the application's private record of who bought (at most
// 16 MiB); the issuer keeps it, signed, and gives it back from
// [Issuer.Buyer] if the key is ever revealed. The application must have
// authenticated the buyer. When RingSize purchases of c are waiting,
// Purchase signs and records their sale and returns it; otherwise it
// returns nil. A key is sold once.
func (is *Issuer) Purchase(ctx context.Context, c Class, key *trs.PublicKey, buyer []byte, now time.Time) (*Sale, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	if key == nil {
		return nil, errors.New("tickets: nil ticket key")
	}
	// A key no ring takes (the zero value) would stop its class from
	// selling and its purchase record from replaying.
	if _, err := trs.ParsePublicKey(key.Bytes()); err != nil {
		return nil, fmt.Errorf("tickets: ticket key: %w", err)
	}
	at, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("tickets: purchase time: %w", err)
	}
	// The issuer keeps its own copy: the caller may reuse its buffer.
	p := &purchase{class: c, key: key, buyer: bytes.Clone(buyer), time: at}
	rec, err := p.sign(is.key)
	if err != nil {
		return nil, err
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	if _, dup := is.buyers[keyBytes(key)]; dup {
		return nil, errors.New("tickets: ticket key already sold")
	}
	if err := is.journal.Append(ctx, kindPurchase, rec, nil); err != nil {
		return nil, err
	}
	is.addPurchase(p)
	if w := is.waiting[c]; len(w) >= is.policy.RingSize {
		return is.sell(ctx, c, w[:is.policy.RingSize], at)
	}
	return nil, nil
}

// Flush sells every waiting purchase of class c as one sale, smaller than
// RingSize, and returns it, if at least MinRingSize are waiting (see the
// package documentation on why a ring must not be too small); otherwise
// it sells nothing and returns an error.
func (is *Issuer) Flush(ctx context.Context, c Class, now time.Time) (*Sale, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	at, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("tickets: sale time: %w", err)
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	w := is.waiting[c]
	min := is.policy.MinRingSize
	if min == 0 {
		min = is.policy.RingSize
	}
	if len(w) == 0 || len(w) < min {
		return nil, fmt.Errorf("tickets: %d purchases of %q waiting, fewer than the minimum ring of %d", len(w), c.Label, min)
	}
	return is.sell(ctx, c, w, at)
}

// sell signs and records the sale of keys. The caller holds is.mu.
func (is *Issuer) sell(ctx context.Context, c Class, keys []*trs.PublicKey, at time.Time) (*Sale, error) {
	ring, err := trs.NewRing(keys)
	if err != nil {
		return nil, err
	}
	s, err := newSale(is.key.Public(), is.next, c, at, at.Add(is.policy.Validity), ring)
	if err != nil {
		return nil, err
	}
	body, err := s.body()
	if err != nil {
		return nil, err
	}
	signed, err := wire.Sign(is.key, contextSale, body)
	if err != nil {
		return nil, err
	}
	s.sig = signed[len(body):]
	if err := is.journal.Append(ctx, kindSale, signed, nil); err != nil {
		return nil, err
	}
	is.addSale(s)
	return s, nil
}

func (is *Issuer) addPurchase(p *purchase) {
	is.buyers[keyBytes(p.key)] = p.buyer
	is.waiting[p.class] = append(is.waiting[p.class], p.key)
}

// sellable checks that a recorded sale is one the issuer could have made
// next: its number is the next one and every key of its ring is a waiting
// purchase of its class. Each record of a rewritten or extended ledger
// verifies; only their sequence shows that a key would be sold twice.
func (is *Issuer) sellable(s *Sale) error {
	if s.number != is.next {
		return fmt.Errorf("%w: sale %d recorded where sale %d is next", ledger.ErrCorrupt, s.number, is.next)
	}
	waiting := make(map[[trs.PublicKeySize]byte]bool, len(is.waiting[s.class]))
	for _, k := range is.waiting[s.class] {
		waiting[keyBytes(k)] = true
	}
	for i := range s.ring.Len() {
		if !waiting[keyBytes(s.ring.Key(i))] {
			return fmt.Errorf("%w: sale %d sells key %d of its ring, not a waiting purchase of its class", ledger.ErrCorrupt, s.number, i)
		}
	}
	return nil
}

// addSale takes the sale's keys off its class's waiting list.
func (is *Issuer) addSale(s *Sale) {
	is.sold[s.id] = true
	is.sales = append(is.sales, s)
	is.next = max(is.next, s.number+1)
	w := slices.DeleteFunc(is.waiting[s.class], func(k *trs.PublicKey) bool {
		_, in := s.ring.IndexOf(k)
		return in
	})
	if len(w) == 0 {
		delete(is.waiting, s.class)
	} else {
		is.waiting[s.class] = w
	}
}

// Sales returns the issuer's sales numbered from on, in number order. An
// application that publishes its sales asks it, after reopening the
// issuer, for those it has not published: a sale recorded by a Purchase or
// Flush that returned an error is among them, and would otherwise never
// reach its buyers. Publishing a sale again is harmless: its recipients
// apply it once.
func (is *Issuer) Sales(from uint64) []*Sale {
	is.mu.Lock()
	defer is.mu.Unlock()
	if from >= uint64(len(is.sales)) {
		return nil
	}
	return slices.Clone(is.sales[from:])
}

// Buyer returns the private purchase record of the one-time key k (the
// buyer argument of its [Issuer.Purchase]).
func (is *Issuer) Buyer(k *trs.PublicKey) ([]byte, bool) {
	if k == nil {
		return nil, false
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	b, ok := is.buyers[keyBytes(k)]
	return slices.Clone(b), ok
}
