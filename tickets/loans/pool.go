package loans

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

// A Pool is the state of a loan pool, rebuilt from its ledger by [Open]
// and extended by [Pool.Submit]. Every role keeps one, from the same
// ledger, to read the pool's public state, and brings it up to date with
// [Pool.Update]; it holds no key. One pool, the platform's, submits: the
// ledger has one writer. It is safe for concurrent use.
type Pool struct {
	mu       sync.RWMutex
	ledger   ledger.Ledger
	journal  *journal.Journal // appends; stops after an append of unknown outcome
	platform *ecdsa.PublicKey // the key that must sign the parameters
	next     uint64           // the first ledger entry not yet read

	params *parameters
	id     ID
	period int // the open period, from 1

	lenders     []*arsig.PublicKey // in registration order
	lenderIndex map[[arsig.PublicKeySize]byte]bool
	borrowers   map[string]*ecdsa.PublicKey

	ringMu sync.Mutex          // guards rings, which readers fill too
	rings  map[int]*arsig.Ring // the ring last used: the first n lenders

	loans       map[ID]*loan
	order       []*loan // in request order
	pledges     map[ID]*pledge
	seen        map[ID]bool // digests of the records applied
	obligations [][]netting.Obligation
	volume      money.Amount           // the sum of the open period's obligations
	parties     map[netting.Party]bool // the parties of the open period's obligations
	statements  []*netting.Statement
	disclosed   map[ID]bool
	disclosures []Disclosure
}

// loan is a request and what became of it.
type loan struct {
	id      ID
	request *request
	pledges []*pledge // in ledger order
	pledged money.Amount
	status  Status
	funded  int // the period it was funded in
	paid    int // instalments paid
}

func (l *loan) instalment(i int) money.Amount {
	r := l.request.repayment
	return money.MustNew(instalment(r.Units(), l.request.instalments, i), r.Currency())
}

// Open replays the pool kept on l and run by the platform whose ECDSA key
// is platform: every record of this package in order, each checked and
// its signatures verified as when it was submitted, and the netting
// statements that closed its periods. The parameters must be signed by
// platform, so a ledger rewritten from the start under another key does
// not open. It skips entries of other kinds, including netting statements
// that the pool's platform did not sign, and refuses unknown kinds of this
// package's range (0x0Fxx). On a ledger without parameters the pool waits
// for the platform's [Platform.Setup].
func Open(ctx context.Context, l ledger.Ledger, platform *ecdsa.PublicKey) (*Pool, error) {
	if ctx == nil || l == nil || platform == nil {
		return nil, errors.New("loans: nil context, ledger or platform key")
	}
	p := &Pool{
		ledger:      l,
		journal:     journal.New(l, "loans: the pool"),
		platform:    platform,
		lenderIndex: make(map[[arsig.PublicKeySize]byte]bool),
		rings:       make(map[int]*arsig.Ring),
		borrowers:   make(map[string]*ecdsa.PublicKey),
		loans:       make(map[ID]*loan),
		pledges:     make(map[ID]*pledge),
		seen:        make(map[ID]bool),
		obligations: [][]netting.Obligation{nil},
		parties:     make(map[netting.Party]bool),
		disclosed:   make(map[ID]bool),
	}
	if err := p.catchUp(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// Update applies the records appended to the ledger since the pool last
// read it, checking each as [Open] does.
func (p *Pool) Update(ctx context.Context) error {
	if err := p.opened(); err != nil {
		return err
	}
	if ctx == nil {
		return errNilContext
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.catchUp(ctx)
}

// catchUp applies the entries from p.next on. The caller holds p.mu or is
// Open.
func (p *Pool) catchUp(ctx context.Context) error {
	if p.next == p.ledger.Len() {
		return nil
	}
	err := p.ledger.Scan(ctx, p.next, func(e ledger.Entry) error {
		rec, err := p.parse(e.Kind, e.Payload, true)
		if err == nil && rec != nil {
			if err = p.checkRecord(rec); err == nil {
				p.applyRecord(rec)
			}
		}
		if err != nil {
			return fmt.Errorf("entry %d: %w", e.Seq, err)
		}
		p.next = e.Seq + 1
		return nil
	})
	if err != nil {
		return fmt.Errorf("loans: replaying the ledger: %w", err)
	}
	return nil
}

// parse parses an entry of kind k. Replaying, it returns nil for entries
// the pool skips.
func (p *Pool) parse(k ledger.Kind, b []byte, replay bool) (record, error) {
	if k == netting.Kind {
		st, err := netting.ParseStatement(b)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if replay && (p.params == nil || !st.Netter().Equal(p.params.platform)) {
			return nil, nil
		}
		return closing{st}, nil
	}
	if k < kindFirst || k > kindLast {
		if replay {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: kind %#04x is not a loan pool record", ErrMalformed, uint16(k))
	}
	return parseRecord(k, b)
}

// checkRecord checks rec against the state: the shared checks, then the
// record's own.
func (p *Pool) checkRecord(rec record) error {
	if p.seen[digest(recordLabel, rec.encoded())] {
		return fmt.Errorf("%w: the same record is in the pool", ErrDuplicate)
	}
	if _, ok := rec.(*parameters); !ok && p.params == nil {
		return fmt.Errorf("%w: the pool has no parameters yet", ErrRefused)
	}
	return rec.check(p)
}

func (p *Pool) applyRecord(rec record) {
	p.seen[digest(recordLabel, rec.encoded())] = true
	rec.apply(p)
}

// Submit checks record, the bytes of a record of this package or of the
// netting statement that closes the current period, against the pool's
// state (first brought up to date with the ledger), appends it to the
// ledger and applies it, atomically with respect to other calls on the
// pool. It verifies every signature. Refusals wrap one of the
// package's sentinels; the pool and the ledger are then unchanged.
//
// A ledger can report an error for an append that still lands. After one,
// Submit refuses every record (wrapping [ErrRefused]) until the pool is
// opened again ([Open]), which replays whatever landed: checked against a
// state without that record, later ones could make the ledger one that no
// longer replays.
func (p *Pool) Submit(ctx context.Context, record []byte) error {
	if err := p.opened(); err != nil {
		return err
	}
	if ctx == nil {
		return errNilContext
	}
	if len(record) < wire.HeaderSize {
		return fmt.Errorf("%w: %d bytes", ErrMalformed, len(record))
	}
	k := ledger.Kind(uint16(record[1])<<8 | uint16(record[2]))
	rec, err := p.parse(k, record, false)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.catchUp(ctx); err != nil {
		return err
	}
	if err := p.checkRecord(rec); err != nil {
		return err
	}
	e, err := p.journal.AppendEntry(ctx, k, rec.encoded(), ErrRefused)
	if err != nil {
		return err
	}
	p.applyRecord(rec)
	p.next = e.Seq + 1
	return nil
}

// Shared checks.

var (
	// errNotOpened is returned for a nil Pool or one not made by Open.
	errNotOpened  = errors.New("loans: pool not made by Open")
	errNilContext = errors.New("loans: nil context")
)

func (p *Pool) opened() error {
	if p == nil || p.ledger == nil {
		return errNotOpened
	}
	return nil
}

func (p *Pool) checkPool(id ID) error {
	if id != p.id {
		return fmt.Errorf("%w: record of another pool", ErrRefused)
	}
	return nil
}

func (p *Pool) checkPeriod(n int) error {
	if n != p.period {
		return fmt.Errorf("%w: record for period %d, the pool is in period %d", ErrRefused, n, p.period)
	}
	return nil
}

func (p *Pool) checkPlatformRecord(pool ID, context string, enc []byte, what string) error {
	if err := p.checkPool(pool); err != nil {
		return err
	}
	return verify(p.params.platform, context, enc, what)
}

// ring returns the ring of the first n registered lenders, n at most their
// number. The caller holds p.mu.
//
// It keeps only the ring it returned last, which is the ring of every
// lender while none registers. A ring per size that pledges name would
// hold memory quadratic in the lenders: every registration between two
// pledges, or a lender naming another size in each pledge, adds one.
func (p *Pool) ring(n int) *arsig.Ring {
	p.ringMu.Lock()
	defer p.ringMu.Unlock()
	if r := p.rings[n]; r != nil {
		return r
	}
	r, err := arsig.NewRing(p.lenders[:n])
	if err != nil {
		panic("loans: registered lenders do not make a ring: " + err.Error()) // registration refuses duplicates
	}
	clear(p.rings)
	p.rings[n] = r
	return r
}

// owe records an obligation of the current period, whose amount
// checkVolume and whose parties checkParties accepted.
func (p *Pool) owe(payer, payee *ecdsa.PublicKey, a money.Amount) {
	o := netting.Obligation{Payer: netting.Party(payer.Bytes()), Payee: netting.Party(payee.Bytes()), Amount: a}
	p.obligations[p.period-1] = append(p.obligations[p.period-1], o)
	p.volume, _ = p.volume.Add(a)
	p.parties[o.Payer], p.parties[o.Payee] = true, true
}

// checkVolume refuses a record that would bring obligations of amount a
// into the open period if the period's obligations would then add up
// beyond the range of money. Netting refuses such obligations, so no
// statement could close the period; below it, every party's totals and the
// sum of the positive nets are within range, and the period nets.
func (p *Pool) checkVolume(a money.Amount) error {
	if _, err := p.volume.Add(a); err != nil {
		return fmt.Errorf("%w: the period's obligations would add up beyond the range of money: %w", ErrRefused, err)
	}
	return nil
}

// The statement that closes a period has a net for each party of its
// obligations and fewer transfers than nets (docs/spec/netting.md), every
// party a 33-byte key; maxPeriodParties is the most parties for which it
// fits in a ledger record.
const (
	statementFixed    = wire.HeaderSize + ecdsa.PublicKeySize + 3*8 + netting.DigestSize + 2*4 + wire.SignatureSize
	statementNet      = 4 + ecdsa.PublicKeySize + money.EncodedSize
	statementTransfer = 2*(4+ecdsa.PublicKeySize) + money.EncodedSize
	maxPeriodParties  = (ledger.MaxPayload - statementFixed + statementTransfer) / (statementNet + statementTransfer)
)

// checkParties refuses a record whose obligations, among parties, would
// bring the open period to more than maxPeriodParties parties: its closing
// statement would not fit in a ledger record, so no statement could close
// it and the pool would stop for good.
func (p *Pool) checkParties(parties []*ecdsa.PublicKey) error {
	added := make(map[netting.Party]bool)
	for _, k := range parties {
		if pt := netting.Party(k.Bytes()); !p.parties[pt] {
			added[pt] = true
		}
	}
	if n := len(p.parties) + len(added); n > maxPeriodParties {
		return fmt.Errorf("%w: the period's obligations would have %d parties, more than its closing statement can name (%d)", ErrRefused, n, maxPeriodParties)
	}
	return nil
}

// Period returns the open period, 1 for the first; 0 before the pool has
// parameters.
func (p *Pool) Period() int {
	if p == nil {
		return 0
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.period
}

// Loans returns every loan request and its state, in the order posted.
func (p *Pool) Loans() []Loan {
	if p == nil {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]Loan, len(p.order))
	for i, l := range p.order {
		out[i] = l.view()
	}
	return out
}

// Obligations returns the obligations of period n so far (all of them once
// it is closed): each funded pledge's account owes the borrower the amount
// pledged, and a borrower owes each pledge's account its share of each
// repayment. Parties are netting.Party(key.Bytes()) of the ECDSA keys.
func (p *Pool) Obligations(n int) []netting.Obligation {
	if p == nil {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if n < 1 || n > len(p.obligations) {
		return nil
	}
	return slices.Clone(p.obligations[n-1])
}

// Statements returns the netting statements of the closed periods, in
// order: Statements()[n-1] closed period n.
func (p *Pool) Statements() []*netting.Statement {
	if p == nil {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return slices.Clone(p.statements)
}

// Disclosures returns the lenders the platform has named, in order, each
// checked against its opening proof.
func (p *Pool) Disclosures() []Disclosure {
	if p == nil {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return slices.Clone(p.disclosures)
}
