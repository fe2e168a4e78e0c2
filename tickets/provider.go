package tickets

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Config is the provider's policy.
type Config struct {
	// Currency of every price and fare.
	Currency money.Currency
	// RingSize is the number of purchases of one price that form a sale's
	// ring, the anonymity set of each of its tickets (the paper uses 50).
	RingSize int
	// SaleValidity is how long a sale's tickets can be used, from the
	// moment the ring is complete.
	SaleValidity time.Duration
	// MaxTrip bounds the time from entry to exit.
	MaxTrip time.Duration
}

func (c *Config) check() error {
	switch {
	case !c.Currency.Valid():
		return errors.New("tickets: config: invalid currency")
	case c.RingSize < 1 || c.RingSize > trs.MaxRingSize:
		return fmt.Errorf("tickets: config: ring size %d outside 1..%d", c.RingSize, trs.MaxRingSize)
	case c.SaleValidity < time.Second || c.MaxTrip < time.Second:
		return errors.New("tickets: config: validity and maximum trip must be at least a second")
	}
	return nil
}

// Provider is the toll service provider: it registers plazas, publishes
// the fare table, sells tickets in rings, runs the spent index the exit
// plazas share (the paper's contracts), and settles usage requests. All
// its state is on a ledger and rebuilt from it by [OpenProvider].
//
// It is safe for concurrent use: exits run concurrently; purchases and
// settlements are serialised.
type Provider struct {
	key       *ecdsa.PrivateKey
	authority *ecdsa.PublicKey
	l         ledger.Ledger
	cfg       Config

	mu        sync.RWMutex // guards the registry below
	plazas    map[PlazaID]*PlazaRegistration
	fares     []*FareTable // every table published, by increasing Issued
	sales     map[SaleID]*Sale
	nextSale  SaleID
	buyers    map[[trs.PublicKeySize]byte]VehicleID // private purchase records
	pending   map[money.Amount][]*PurchaseRequest
	purchases int

	// Exits. entryLocks serialise the presentations of one entry proof.
	entryLocks [64]sync.Mutex
	entryMu    sync.Mutex
	consumed   map[[sha256.Size]byte]struct{}
	exitStore  *SpentStore
	exitIndex  *trs.Index

	revealMu sync.Mutex
	reveals  []*Reveal

	// Settlement, guarded by settleMu.
	settleMu       sync.Mutex
	settleStore    *batchStore
	settleIndex    *trs.Index
	settled        map[[sha256.Size]byte]Outcome
	settledEntries map[[sha256.Size]byte]struct{} // entry commitments of paid tickets
	balances       map[PlazaID]money.Amount
	statements     []*PayoutStatement
	nextBatch      uint64
	nextStatement  uint64
}

// OpenProvider returns the provider that signs with key, trusts vehicle
// registrations from authority, and keeps its state in l, replaying
// whatever l already holds. Ledger entries whose kinds this package does
// not own are skipped, so l may be shared.
func OpenProvider(key *ecdsa.PrivateKey, authority *ecdsa.PublicKey, l ledger.Ledger, cfg Config) (*Provider, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	p := &Provider{
		key: key, authority: authority, l: l, cfg: cfg,
		plazas:         make(map[PlazaID]*PlazaRegistration),
		sales:          make(map[SaleID]*Sale),
		buyers:         make(map[[trs.PublicKeySize]byte]VehicleID),
		pending:        make(map[money.Amount][]*PurchaseRequest),
		consumed:       make(map[[sha256.Size]byte]struct{}),
		exitStore:      &SpentStore{l: l, kind: KindExitSpent},
		settleStore:    &batchStore{},
		settled:        make(map[[sha256.Size]byte]Outcome),
		settledEntries: make(map[[sha256.Size]byte]struct{}),
		balances:       make(map[PlazaID]money.Amount),
	}
	p.exitIndex = trs.NewIndex(p.exitStore)
	p.settleIndex = trs.NewIndex(p.settleStore)
	if err := l.Scan(context.Background(), 0, p.replay); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Provider) replay(e ledger.Entry) error {
	var err error
	switch e.Kind {
	case KindPlaza:
		var r *PlazaRegistration
		if r, err = ParsePlazaRegistration(e.Payload); err == nil {
			p.plazas[r.Plaza] = r
		}
	case KindFares:
		var t *FareTable
		if t, err = ParseFareTable(e.Payload); err == nil {
			p.fares = append(p.fares, t)
		}
	case KindPurchase:
		var r *PurchaseRequest
		if r, err = ParsePurchaseRequest(e.Payload); err == nil {
			p.addPurchase(r)
		}
	case KindSale:
		var s *Sale
		if s, err = ParseSale(e.Payload); err == nil {
			p.addSale(s)
		}
	case KindEntryConsumed:
		var c [sha256.Size]byte
		if c, err = parseEntryConsumed(e.Payload); err == nil {
			p.consumed[c] = struct{}{}
		}
	case KindExitSpent:
		err = p.exitStore.replay(e)
	case KindReveal:
		var r *Reveal
		if r, err = ParseReveal(e.Payload); err == nil {
			p.reveals = append(p.reveals, r)
		}
	case KindSettlement:
		var b *settlementBatch
		if b, err = parseSettlementBatch(e.Payload); err == nil {
			for _, se := range b.spent {
				p.settleStore.table.insert(se.record, se.fps)
			}
			err = p.applyBatch(b)
		}
	default:
		if e.Kind >= 0x0100 && e.Kind <= 0x01ff {
			return fmt.Errorf("tickets: ledger entry %d has unknown kind %#04x", e.Seq, uint16(e.Kind))
		}
	}
	if err != nil {
		return fmt.Errorf("tickets: replaying ledger entry %d: %w", e.Seq, err)
	}
	return nil
}

// PublicKey returns the key sales, plaza registrations, fare tables and
// payout statements verify under.
func (p *Provider) PublicKey() *ecdsa.PublicKey { return p.key.Public() }

// Config returns the provider's policy.
func (p *Provider) Config() Config { return p.cfg }

// RegisterPlaza registers a plaza's ID, display name and key.
func (p *Provider) RegisterPlaza(id PlazaID, name string, key *ecdsa.PublicKey) (*PlazaRegistration, error) {
	if !validPlazaName(name) {
		return nil, fmt.Errorf("tickets: plaza name must be 1..%d bytes of UTF-8", MaxPlazaNameLen)
	}
	r := &PlazaRegistration{Plaza: id, Name: name, Key: key}
	if err := signRecord(p.key, contextPlaza, r.body(), &r.sig); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.plazas[id]; dup {
		return nil, fmt.Errorf("tickets: plaza %d is already registered", id)
	}
	if _, err := p.l.Append(context.Background(), KindPlaza, r.Bytes()); err != nil {
		return nil, err
	}
	p.plazas[id] = r
	return r.clone(), nil
}

// Plaza returns the registration of plaza id.
func (p *Provider) Plaza(id PlazaID) (*PlazaRegistration, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	r, ok := p.plazas[id]
	if !ok {
		return nil, false
	}
	return r.clone(), true
}

// PublishFares signs and records a fare table, in force from now on for
// trips that enter from now on; trips that entered earlier keep the fares
// in force when they entered, at the exit and in settlement. Fares must be
// positive, in the provider's currency, one per route, and now must be
// later than the current table's issue time.
func (p *Provider) PublishFares(fares []Fare, now time.Time) (*FareTable, error) {
	issued, err := normalTime(now)
	if err != nil {
		return nil, err
	}
	sorted := slices.Clone(fares)
	slices.SortFunc(sorted, compareRoutes)
	if err := checkFares(sorted); err != nil {
		return nil, err
	}
	if sorted[0].Amount.Currency() != p.cfg.Currency {
		return nil, fmt.Errorf("tickets: fares: %w", money.ErrCurrencyMismatch)
	}
	t := &FareTable{Issued: issued, fares: sorted}
	if err := signRecord(p.key, contextFares, t.body(), &t.sig); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.fares); n > 0 && !issued.After(p.fares[n-1].Issued) {
		return nil, fmt.Errorf("tickets: fares issued at %v, not after the current table (%v)", issued, p.fares[n-1].Issued)
	}
	if _, err := p.l.Append(context.Background(), KindFares, t.Bytes()); err != nil {
		return nil, err
	}
	p.fares = append(p.fares, t)
	return t.clone(), nil
}

// Fares returns the current fare table, or nil.
func (p *Provider) Fares() *FareTable {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if len(p.fares) == 0 {
		return nil
	}
	return p.fares[len(p.fares)-1].clone()
}

// faresAt returns the table in force at t, the latest one issued at or
// before t, or nil. The caller holds p.mu.
func (p *Provider) faresAt(t time.Time) *FareTable {
	i := sort.Search(len(p.fares), func(i int) bool { return p.fares[i].Issued.After(t) })
	if i == 0 {
		return nil
	}
	return p.fares[i-1]
}

// Purchase records a registered vehicle's order. When RingSize orders of
// the same price are waiting, it forms their ring, signs and records the
// sale, and returns it; otherwise it returns nil. The link from the order's
// one-time key to the vehicle stays private to the provider.
func (p *Provider) Purchase(reg *VehicleRegistration, req *PurchaseRequest, now time.Time) (*Sale, error) {
	if err := reg.Verify(p.authority); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotRegistered, err)
	}
	if reg.Vehicle != req.Vehicle {
		return nil, fmt.Errorf("%w: registration is for vehicle %d, order from %d", ErrNotRegistered, reg.Vehicle, req.Vehicle)
	}
	if err := req.Verify(reg.Key); err != nil {
		return nil, err
	}
	if req.Price.Currency() != p.cfg.Currency || req.Price.Sign() <= 0 {
		return nil, fmt.Errorf("tickets: price %v is not a positive amount in %v", req.Price, p.cfg.Currency)
	}
	start, err := normalTime(now)
	if err != nil {
		return nil, err
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.buyers[keyBytes(req.TicketKey)]; dup {
		return nil, errors.New("tickets: ticket key already sold")
	}
	if _, err := p.l.Append(context.Background(), KindPurchase, req.Bytes()); err != nil {
		return nil, err
	}
	p.addPurchase(req)
	waiting := p.pending[req.Price]
	if len(waiting) < p.cfg.RingSize {
		return nil, nil
	}
	keys := make([]*trs.PublicKey, len(waiting))
	for i, r := range waiting {
		keys[i] = r.TicketKey
	}
	ring, err := trs.NewRing(keys)
	if err != nil {
		return nil, err
	}
	sale := newSale(p.nextSale, req.Price, start, start.Add(p.cfg.SaleValidity), ring)
	if err := signRecord(p.key, contextSale, sale.body(), &sale.sig); err != nil {
		return nil, err
	}
	if _, err := p.l.Append(context.Background(), KindSale, sale.Bytes()); err != nil {
		return nil, err
	}
	p.addSale(sale)
	return sale.clone(), nil
}

func keyBytes(k *trs.PublicKey) [trs.PublicKeySize]byte {
	var b [trs.PublicKeySize]byte
	copy(b[:], k.Bytes())
	return b
}

func (p *Provider) addPurchase(r *PurchaseRequest) {
	p.buyers[keyBytes(r.TicketKey)] = r.Vehicle
	p.pending[r.Price] = append(p.pending[r.Price], r)
	p.purchases++
}

// addSale records a sale and takes its keys off the waiting list.
func (p *Provider) addSale(s *Sale) {
	p.sales[s.ID] = s
	if s.ID >= p.nextSale {
		p.nextSale = s.ID + 1
	}
	waiting := p.pending[s.Price]
	waiting = slices.DeleteFunc(waiting, func(r *PurchaseRequest) bool {
		_, in := s.Ring().IndexOf(r.TicketKey)
		return in
	})
	if len(waiting) == 0 {
		delete(p.pending, s.Price)
	} else {
		p.pending[s.Price] = waiting
	}
}

// Sale returns the sale with the given ID.
func (p *Provider) Sale(id SaleID) (*Sale, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	s, ok := p.sales[id]
	if !ok {
		return nil, false
	}
	return s.clone(), true
}

// Sales returns every published sale, by ID.
func (p *Provider) Sales() []*Sale {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]*Sale, 0, len(p.sales))
	for _, s := range p.sales {
		out = append(out, s.clone())
	}
	slices.SortFunc(out, func(a, b *Sale) int { return compareUint(a.ID, b.ID) })
	return out
}

func compareUint[T ~uint32 | ~uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Buyer returns the vehicle that bought the one-time key k, from the
// provider's private purchase records.
func (p *Provider) Buyer(k *trs.PublicKey) (VehicleID, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	v, ok := p.buyers[keyBytes(k)]
	return v, ok
}

// Reveals returns the double uses caught so far, at exits and in
// settlement, in the order they were recorded.
func (p *Provider) Reveals() []*Reveal {
	p.revealMu.Lock()
	defer p.revealMu.Unlock()
	return cloneAll(p.reveals)
}

// Balance returns the total paid to plaza so far.
func (p *Provider) Balance(plaza PlazaID) money.Amount {
	p.settleMu.Lock()
	defer p.settleMu.Unlock()
	if b, ok := p.balances[plaza]; ok {
		return b
	}
	return money.Zero(p.cfg.Currency)
}

// Statements returns every payout statement issued, in order.
func (p *Provider) Statements() []*PayoutStatement {
	p.settleMu.Lock()
	defer p.settleMu.Unlock()
	return cloneAll(p.statements)
}

// Stats is a summary of the provider's state, for monitoring and for
// checking that a provider rebuilt from its ledger matches the original.
type Stats struct {
	Plazas, Purchases, Waiting, Sales int
	EntriesUsed, ExitSpent            int
	Reveals                           int
	SettledRequests, SettleSpent      int
	PaidEntries                       int // entry commitments of paid tickets
	Statements                        int
	Batches                           uint64
	Paid                              map[PlazaID]money.Amount
}

// Stats returns a summary of the provider's state.
func (p *Provider) Stats() Stats {
	var s Stats
	p.mu.RLock()
	s.Plazas, s.Purchases, s.Sales = len(p.plazas), p.purchases, len(p.sales)
	for _, w := range p.pending {
		s.Waiting += len(w)
	}
	p.mu.RUnlock()
	p.entryMu.Lock()
	s.EntriesUsed = len(p.consumed)
	p.entryMu.Unlock()
	s.ExitSpent = p.exitStore.Len()
	p.revealMu.Lock()
	s.Reveals = len(p.reveals)
	p.revealMu.Unlock()
	p.settleMu.Lock()
	s.SettledRequests, s.SettleSpent = len(p.settled), p.settleStore.table.len()
	s.PaidEntries = len(p.settledEntries)
	s.Statements, s.Batches = len(p.statements), p.nextBatch
	s.Paid = make(map[PlazaID]money.Amount, len(p.balances))
	for k, v := range p.balances {
		s.Paid[k] = v
	}
	p.settleMu.Unlock()
	return s
}
