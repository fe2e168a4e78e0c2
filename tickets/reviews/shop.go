package reviews

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// Shop sells products and the review rights that come with them: it is the
// [tickets.Issuer] of one class per product, whose sales are the review
// rings, and it keeps its customers' orders and signs the [Roster]s of its
// customers. Its state is on a private ledger (orders and purchase records
// link rights to buyers) and rebuilt from it by [OpenShop]; the sales and
// rosters it returns are public and go to the [Board]. It is safe for
// concurrent use; sales are serialised.
type Shop struct {
	key       *ecdsa.PrivateKey
	moderator *arsig.OpenerPublicKey
	l         ledger.Ledger
	journal   *journal.Journal // appends to l; refuses the rest after an append of unknown outcome
	issuer    *tickets.Issuer

	mu        sync.Mutex
	orders    map[[32]byte]*Order
	customers map[[arsig.PublicKeySize]byte]*arsig.PublicKey
	rosters   uint64 // the next roster's number
}

// OpenShop returns the shop that signs with key, names moderator as the
// opener of its rosters, forms sales under policy and keeps its state in
// l, replaying what l holds: every order, purchase record, sale and roster
// is verified against the key that must have signed it, and one that does
// not verify makes OpenShop fail. Entries of other packages are skipped;
// a review or disclosure on l is refused, since the shop's ledger is
// private and the board's is public.
func OpenShop(ctx context.Context, key *ecdsa.PrivateKey, moderator *arsig.OpenerPublicKey, l ledger.Ledger, policy tickets.Policy) (*Shop, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if key == nil || moderator == nil || l == nil {
		return nil, fmt.Errorf("%w: shop needs a key, a moderator and a ledger", ErrMalformed)
	}
	issuer, err := tickets.OpenIssuer(ctx, key, l, policy)
	if err != nil {
		return nil, fmt.Errorf("reviews: shop: %w", err)
	}
	s := &Shop{key: key, moderator: moderator, l: l, journal: journal.New(l, "reviews: the shop"), issuer: issuer,
		orders: make(map[[32]byte]*Order), customers: make(map[[arsig.PublicKeySize]byte]*arsig.PublicKey)}
	if err := s.journal.Replay(ctx, s.replay); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Shop) replay(e ledger.Entry) error {
	switch e.Kind {
	case kindOrder:
		o, err := s.check(e.Payload)
		if err != nil {
			return err
		}
		s.addOrder(o)
	case kindRoster:
		r, err := ParseRoster(e.Payload)
		if err != nil {
			return err
		}
		if err := r.Verify(s.key.Public()); err != nil {
			return err
		}
		s.rosters = max(s.rosters, r.number+1)
	default:
		if ownKind(e.Kind) {
			return fmt.Errorf("%w: kind %#04x on the shop's ledger", ErrMalformed, uint16(e.Kind))
		}
	}
	return nil
}

// check parses an order and checks that it is for this shop and proved by
// its customer.
func (s *Shop) check(b []byte) (*Order, error) {
	o, err := ParseOrder(b)
	if err != nil {
		return nil, err
	}
	if !o.shop.Equal(s.key.Public()) {
		return nil, fmt.Errorf("%w: order for another shop", ErrRefused)
	}
	if err := o.verify(s.moderator); err != nil {
		return nil, err
	}
	return o, nil
}

func (s *Shop) addOrder(o *Order) {
	s.orders[o.id] = o
	s.customers[[arsig.PublicKeySize]byte(o.customer.Bytes())] = o.customer
}

// Sell records an order and its purchase of a review right. The
// application must have checked that the order's product is one it sells
// at that price, and that it is paid. When the product's ring of
// policy.RingSize purchases fills, Sell signs and returns its sale, which
// goes to the board and to the buyers; otherwise it returns nil. A right
// is sold once. After an error, selling the order again completes it if
// its purchase was not recorded, and is refused as sold if it was; after
// an error of unknown outcome the shop refuses until it is reopened, and
// the reopened shop's [Shop.Sales] holds a sale recorded but never
// returned.
func (s *Shop) Sell(ctx context.Context, order []byte, at time.Time) (*tickets.Sale, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	o, err := s.check(order)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, sold := s.issuer.Buyer(o.right); sold {
		return nil, fmt.Errorf("%w: the order's right is already sold", ErrRefused)
	}
	if _, recorded := s.orders[o.id]; !recorded {
		if err := s.journal.Append(ctx, kindOrder, o.enc, ErrRefused); err != nil {
			return nil, fmt.Errorf("reviews: recording the order: %w", err)
		}
		s.addOrder(o)
	}
	sale, err := s.issuer.Purchase(ctx, o.product, o.right, o.id[:], at)
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	return sale, nil
}

// Flush sells the waiting purchases of product as a smaller ring, if
// policy.MinRingSize of them are waiting ([tickets.Issuer.Flush]).
func (s *Shop) Flush(ctx context.Context, product tickets.Class, at time.Time) (*tickets.Sale, error) {
	sale, err := s.issuer.Flush(ctx, product, at)
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	return sale, nil
}

// Sales returns the shop's sales numbered from on, in order
// ([tickets.Issuer.Sales]): the application gives the board and the
// buyers those it has not given them, among them, after an error from
// Sell or Flush, a sale recorded but never returned.
func (s *Shop) Sales(from uint64) []*tickets.Sale { return s.issuer.Sales(from) }

// PublishRoster signs and records the roster of every customer who has
// ordered so far, the next in number, at time at.
func (s *Shop) PublishRoster(ctx context.Context, at time.Time) (*Roster, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	t, err := wire.Seconds(at)
	if err != nil {
		return nil, fmt.Errorf("%w: roster time: %w", ErrMalformed, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]*arsig.PublicKey, 0, len(s.customers))
	for _, k := range s.customers {
		keys = append(keys, k)
	}
	ring, err := arsig.NewRing(keys)
	if err != nil {
		return nil, fmt.Errorf("reviews: roster of %d customers: %w", len(keys), err)
	}
	r, err := newRoster(s.key, s.rosters, s.moderator, t, ring)
	if err != nil {
		return nil, err
	}
	if err := s.journal.Append(ctx, kindRoster, r.Bytes(), ErrRefused); err != nil {
		return nil, fmt.Errorf("reviews: recording the roster: %w", err)
	}
	s.rosters++
	return r, nil
}

// Buyer returns the order that bought the right k: the buyer of a right
// that a second review revealed ([tickets.ReuseError]).
func (s *Shop) Buyer(k *trs.PublicKey) (*Order, bool) {
	id, ok := s.issuer.Buyer(k)
	if !ok || len(id) != 32 {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[[32]byte(id)]
	return o, ok
}
