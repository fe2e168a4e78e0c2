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
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Config is an operator's policy and whom it trusts.
type Config struct {
	// Authority is the registration authority's key; the operator sells
	// only to vehicles it registered.
	Authority *ecdsa.PublicKey
	// Partners are the operators that interoperate with this one: its
	// plazas accept their tickets and it settles their plazas' exits of
	// its tickets. The list can only grow over a ledger's life: replay
	// refuses the records of an operator no longer trusted
	// ([ErrUnknownPlaza], [tickets.ErrUnknownSale]), so an operator (or
	// plaza) that ends a partnership cannot reopen a ledger holding the
	// former partner's records.
	Partners []*ecdsa.PublicKey
	// Currency of every price and fare.
	Currency money.Currency
	// Policy forms sales: RingSize purchases of one price per ring (the
	// paper uses 50), the smallest ring Flush sells, and how long a
	// sale's tickets can be used.
	tickets.Policy
}

// Stores are a role's storage: its own ledger, and the stores every exit
// shares.
type Stores struct {
	// Ledger holds the role's records; the role rebuilds itself from it.
	Ledger ledger.Ledger
	// Spent holds the spent tickets, shared by every exit of every
	// interoperating operator, and read by settlement.
	Spent trs.Store
	// Used holds the consumed entry commitments, shared by every exit
	// (plazas only).
	Used tickets.UsedSet
}

// Operator is a toll operator, the paper's toll service provider: it
// registers its plazas, publishes its fares, sells tickets and settles. It
// holds its key, its policy, the public records it has received and its
// stores, and nothing of any other role. Its state is on its ledger and
// rebuilt from it by [OpenOperator]; after a ledger append of unknown
// outcome (an error from the ledger) it appends nothing more — no plaza
// registration, fare table or settlement — until it is reopened. It is
// safe for concurrent use.
type Operator struct {
	key  *ecdsa.PrivateKey
	self keyID
	cfg  Config
	// journal refuses every append after one of unknown outcome: a retried
	// plaza registration or fare table, signed afresh, could otherwise
	// reach the ledger twice and make the operator's replay fail, and a
	// retried settlement could pay its tickets twice.
	journal *journal.Journal
	issuer  *tickets.Issuer
	dir     *directory

	applyMu sync.Mutex // serialises check, append and apply of records

	settleMu      sync.Mutex
	paid          map[[32]byte]bool // IDs of paid tickets
	paidRequests  map[[32]byte]bool // digests of the requests that paid them
	statements    []*Statement
	nextBatch     uint64
	nextStatement uint64
}

// OpenOperator returns the operator that signs with key under cfg, keeping
// its state in st.Ledger and reading spent tickets from st.Spent (st.Used
// is not used). It replays what the ledger holds, verifying every signed
// record against the key that must have signed it — its own for its
// purchases, sales, plazas, fares and settlements, a partner's for the
// partner's records it received — and refuses a ledger with a record that
// does not verify, or with a settlement or sale out of turn (a copy
// appended by someone who can write the ledger; an error wrapping
// [ledger.ErrCorrupt]).
func OpenOperator(ctx context.Context, key *ecdsa.PrivateKey, cfg Config, st Stores) (*Operator, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	switch {
	case key == nil || cfg.Authority == nil:
		return nil, errors.New("toll: operator needs its key and the authority's")
	case st.Ledger == nil || st.Spent == nil:
		return nil, errors.New("toll: operator needs a ledger and the spent store")
	case !cfg.Currency.Valid():
		return nil, errors.New("toll: operator: invalid currency")
	}
	cfg.Partners = slices.Clone(cfg.Partners)
	trusted := append([]*ecdsa.PublicKey{key.Public()}, cfg.Partners...)
	for _, k := range trusted {
		if k == nil {
			return nil, errors.New("toll: nil partner key")
		}
	}
	issuer, err := tickets.OpenIssuer(ctx, key, st.Ledger, cfg.Policy)
	if err != nil {
		return nil, err
	}
	dir, err := newDirectory(st.Spent, trusted, trusted)
	if err != nil {
		return nil, err
	}
	o := &Operator{key: key, self: idOf(key.Public()), cfg: cfg, journal: journal.New(st.Ledger, "toll: operator"), issuer: issuer, dir: dir, paid: make(map[[32]byte]bool), paidRequests: make(map[[32]byte]bool)}
	if err := o.journal.Replay(ctx, o.replay); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *Operator) replay(e ledger.Entry) error {
	switch {
	case e.Kind == kindPlaza || e.Kind == kindFares || e.Kind == kindSale:
		return o.dir.replay(e)
	case e.Kind == kindSettlement:
		b, err := parseBatch(e.Payload, o.key.Public())
		if err != nil {
			return err
		}
		if err := o.inTurn(b); err != nil {
			return err
		}
		o.commit(b)
	case unknownKind(e.Kind):
		return fmt.Errorf("%w: unknown kind %#04x", ErrMalformed, uint16(e.Kind))
	}
	return nil
}

// RegisterPlaza signs and records the registration of plaza id with its
// display name (1 to 64 bytes of UTF-8) and key, and returns the record to
// send to the plaza and to the partners. An ID and a key are registered
// once.
func (o *Operator) RegisterPlaza(ctx context.Context, id PlazaID, name string, key *ecdsa.PublicKey) ([]byte, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if key == nil {
		return nil, errors.New("toll: nil plaza key")
	}
	r := &plazaRegistration{operator: o.key.Public(), id: id, name: name, key: key}
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	if r.sig, err = signRecord(o.key, contextPlaza, body); err != nil {
		return nil, err
	}
	o.applyMu.Lock()
	defer o.applyMu.Unlock()
	if _, dup := o.dir.plaza(r.ref()); dup {
		return nil, fmt.Errorf("toll: plaza %d is already registered", id)
	}
	if err := o.record(ctx, r.bytes()); err != nil {
		return nil, err
	}
	return r.bytes(), nil
}

// PublishFares signs and records a fare table in force for trips that
// enter from now on, with maxTrip (whole seconds) the longest trip
// allowed; trips that entered earlier keep the table in force when they
// entered, at the exit and in settlement. Fares must be positive, in the
// operator's currency, one per route, and now later than the current
// table's issue time. It returns the record to send to the plazas and the
// partners.
func (o *Operator) PublishFares(ctx context.Context, fares []Fare, maxTrip time.Duration, now time.Time) ([]byte, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	issued, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("toll: fares: %w", err)
	}
	sorted := slices.Clone(fares)
	slices.SortFunc(sorted, compareRoutes)
	t := &fareTable{operator: o.key.Public(), issued: issued, maxTrip: maxTrip, fares: sorted}
	body, err := t.body()
	if err != nil {
		return nil, err
	}
	if c := sorted[0].Amount.Currency(); c != o.cfg.Currency {
		return nil, fmt.Errorf("toll: fares in %v, want %v: %w", c, o.cfg.Currency, money.ErrCurrencyMismatch)
	}
	if t.sig, err = signRecord(o.key, contextFares, body); err != nil {
		return nil, err
	}
	o.applyMu.Lock()
	defer o.applyMu.Unlock()
	if last, ok := o.dir.latestFares(o.self); ok && !issued.After(last) {
		return nil, fmt.Errorf("toll: fares issued at %v, not after the current table (%v)", issued, last)
	}
	if err := o.record(ctx, t.bytes()); err != nil {
		return nil, err
	}
	return t.bytes(), nil
}

// record checks, appends and applies a public record. The caller holds
// applyMu.
func (o *Operator) record(ctx context.Context, b []byte) error {
	kind, apply, err := o.dir.check(b)
	if err != nil || apply == nil {
		return err
	}
	if err := o.journal.Append(ctx, kind, b, nil); err != nil {
		return fmt.Errorf("toll: recording: %w", err)
	}
	return apply()
}

// Apply verifies and records a public record of a partner (or of this
// operator): a plaza registration or a fare table, which the partner must
// have signed, or a sale, which its issuer must have signed. Applying a
// record again is a no-op.
func (o *Operator) Apply(ctx context.Context, record []byte) error {
	if ctx == nil {
		return errNilContext
	}
	o.applyMu.Lock()
	defer o.applyMu.Unlock()
	return o.record(ctx, record)
}

// Purchase takes a vehicle's purchase request (from [Vehicle.Order]): it
// checks the vehicle's registration against the authority
// ([ErrNotRegistered]) and the request's signature, and records the
// request privately as the buyer of its one-time key. When RingSize
// requests of one price are waiting it returns the sale's record, to
// publish to the vehicles, the plazas and the partners; otherwise nil.
func (o *Operator) Purchase(ctx context.Context, request []byte, now time.Time) ([]byte, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	req, err := parsePurchaseRequest(request)
	if err != nil {
		return nil, err
	}
	if err := req.reg.verify(o.cfg.Authority); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotRegistered, err)
	}
	if err := verifyRecord(req.reg.key, contextPurchase, "purchase request", req.bytes()); err != nil {
		return nil, err
	}
	if idOf(req.operator) != o.self {
		return nil, errors.New("toll: purchase request is for another operator")
	}
	if req.price.Currency() != o.cfg.Currency {
		return nil, fmt.Errorf("toll: price %v is not in %v", req.price, o.cfg.Currency)
	}
	sale, err := o.issuer.Purchase(ctx, tickets.Class{Label: classLabel, Price: req.price}, req.ticketKey, request, now)
	if err != nil || sale == nil {
		return nil, err
	}
	return o.publish(sale)
}

// Flush sells the waiting purchases at price as one smaller sale, if at
// least MinRingSize are waiting, and returns its record; see
// [tickets.Issuer.Flush].
func (o *Operator) Flush(ctx context.Context, price money.Amount, now time.Time) ([]byte, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	sale, err := o.issuer.Flush(ctx, tickets.Class{Label: classLabel, Price: price}, now)
	if err != nil {
		return nil, err
	}
	return o.publish(sale)
}

// Sales returns the records of the operator's sales numbered from on, in
// order. After an error from Purchase or Flush, the reopened operator's
// include any sale that was recorded though never returned: publish those
// it has not published to the vehicles, the plazas and the partners
// (applying a sale again is a no-op for them). See
// [tickets.Issuer.Sales].
func (o *Operator) Sales(from uint64) [][]byte {
	var recs [][]byte
	for _, s := range o.issuer.Sales(from) {
		recs = append(recs, s.Bytes())
	}
	return recs
}

// publish makes an own sale, already on the ledger, redeemable here.
func (o *Operator) publish(s *tickets.Sale) ([]byte, error) {
	if _, err := o.dir.redeemer.AddSale(s.Bytes()); err != nil {
		return nil, err
	}
	return s.Bytes(), nil
}

// Reveal maps a refused ticket of this operator's to its buyer: it
// verifies the ticket against its sale and asks the spent store, which
// must reveal the ticket's one-time key (a different ticket of the key is
// spent); the buyer comes from the private purchase records. A plaza that
// refuses a ticket as revealed sends it to the operator that sold it.
func (o *Operator) Reveal(ctx context.Context, ticket []byte) (VehicleID, error) {
	if ctx == nil {
		return 0, errNilContext
	}
	t, err := parseTicket(ticket)
	if err != nil {
		return 0, err
	}
	sale, ok := o.dir.redeemer.Sale(t.generic.Sale())
	if !ok || idOf(sale.Issuer()) != o.self {
		return 0, fmt.Errorf("%w: not a sale of this operator", tickets.ErrUnknownSale)
	}
	acc, err := o.dir.redeemer.Accept(t.generic, t.entry.time)
	if err != nil {
		return 0, err
	}
	res, err := o.dir.redeemer.Check(ctx, acc)
	if err != nil {
		return 0, err
	}
	if res.Kind != trs.Revealed {
		return 0, fmt.Errorf("toll: the spent store does not reveal the ticket's key (%v)", res.Kind)
	}
	b, ok := o.issuer.Buyer(res.Key)
	if !ok {
		return 0, errors.New("toll: no purchase record for the revealed key")
	}
	req, err := parsePurchaseRequest(b)
	if err != nil {
		return 0, err
	}
	return req.reg.vehicle, nil
}

// Statements returns every statement the operator has signed, in order.
func (o *Operator) Statements() []*Statement {
	o.settleMu.Lock()
	defer o.settleMu.Unlock()
	return slices.Clone(o.statements)
}
