package billing

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// The reasons the book refuses a record, each wrapping ErrRefused (or
// ErrPeriod). They are not exported: callers branch on the exported
// sentinels, tests on these.
var (
	errNotSetUp          = fmt.Errorf("%w: no parameters on the ledger", ErrRefused)
	errAlreadySetUp      = fmt.Errorf("%w: parameters already on the ledger", ErrRefused)
	errUnregistered      = fmt.Errorf("%w: key is not registered", ErrRefused)
	errAlreadyRegistered = fmt.Errorf("%w: key already registered", ErrRefused)
	errDepositTooSmall   = fmt.Errorf("%w: deposit below the required amount", ErrRefused)
	errDepositLocked     = fmt.Errorf("%w: deposit still secures unsettled usage", ErrRefused)
	errDepositMismatch   = fmt.Errorf("%w: amount does not match the deposit", ErrRefused)
	errDuplicateUsage    = fmt.Errorf("%w: usage already on the book", ErrRefused)
	errNotBillable       = fmt.Errorf("%w: invoice does not fit the book", ErrRefused)
	errUnknownInvoice    = fmt.Errorf("%w: unknown invoice", ErrRefused)
	errAlreadyPaid       = fmt.Errorf("%w: invoice already paid", ErrRefused)
	errAlreadyForfeited  = fmt.Errorf("%w: invoice already enforced", ErrRefused)
	errSettled           = fmt.Errorf("%w: invoice owes nothing", ErrRefused)
	errWrongAmount       = fmt.Errorf("%w: amount differs from the amount owed", ErrRefused)
	errNotDue            = fmt.Errorf("%w: invoice not yet due", ErrRefused)
	errDisputeRejected   = fmt.Errorf("%w: disputed line verifies", ErrRefused)
	errAlreadyDisputed   = fmt.Errorf("%w: line already struck", ErrRefused)
	errInvalidEvidence   = fmt.Errorf("%w: forfeiture evidence does not fit the invoice", ErrRefused)
	errOutsideRing       = fmt.Errorf("%w: key is not in the period's ring", ErrPeriod)
)

type keyID = [arsig.PublicKeySize]byte

func keyOf(k *arsig.PublicKey) keyID { return keyID(k.Bytes()) }

type account struct {
	key      *arsig.PublicKey
	deposit  money.Amount // what remains locked
	retired  bool
	open     int      // invoices still owed
	memberOf []uint32 // periods whose ring holds the key
}

type periodState struct {
	desc     *Period
	members  map[keyID]bool
	close    *periodClose // nil while open
	usages   [][32]byte   // ledger order
	unbilled int
}

type usageState struct {
	rec      *Usage
	billedBy *invoiceState // nil while unbilled
}

type invoiceStatus int

const (
	invoiceOpen      invoiceStatus = iota // owed, neither paid nor enforced
	invoicePaid                           // a receipt is on the ledger
	invoiceForfeited                      // enforced from the deposit
	invoiceVoid                           // every line struck
)

type invoiceState struct {
	rec        *Invoice
	struck     []bool
	owed       money.Amount
	status     invoiceStatus
	receipt    *Receipt
	forfeiture *Forfeiture
}

// state is the billing state a ledger's records build. Each check method
// validates a record against it — signatures, proofs and evidence included,
// except usage signatures, which callers verify in batches — without
// changing anything, and returns the change to make once the record is on
// the ledger.
type state struct {
	collector    *ecdsa.PublicKey // the key that must sign every collector record
	params       *Parameters
	accounts     map[keyID]*account
	accountOrder []keyID
	live         int            // accounts not retired
	periods      []*periodState // periods[i] has number i+1
	usages       map[[32]byte]*usageState
	invoices     map[[32]byte]*invoiceState
	invoiceOrder [][32]byte
	applied      map[[32]byte]bool // digests of the encodings on the ledger
}

func newState(collector *ecdsa.PublicKey) *state {
	return &state{
		collector: collector,
		accounts:  make(map[keyID]*account),
		usages:    make(map[[32]byte]*usageState),
		invoices:  make(map[[32]byte]*invoiceState),
		applied:   make(map[[32]byte]bool),
	}
}

func recordDigest(enc []byte) [32]byte { return wire.Digest("ringtrace/billing/record/v1", enc) }

func (s *state) check(rec record) (func(), error) {
	if s.params == nil {
		p, ok := rec.(*Parameters)
		if !ok {
			return nil, errNotSetUp
		}
		if err := p.verify(s.collector); err != nil {
			return nil, err
		}
		return func() { s.params = p }, nil
	}
	switch r := rec.(type) {
	case *Parameters:
		return nil, errAlreadySetUp
	case *Registration:
		return s.checkRegistration(&r.r)
	case *Refund:
		return s.checkRefund(&r.r)
	case *Period:
		return s.checkPeriod(r)
	case *periodClose:
		return s.checkPeriodClose(r)
	case *Usage:
		return s.checkUsage(r)
	case *Invoice:
		return s.checkInvoice(r)
	case *Dispute:
		return s.checkDispute(r)
	case *Receipt:
		return s.checkReceipt(r)
	case *Forfeiture:
		return s.checkForfeiture(r)
	}
	return nil, fmt.Errorf("%w: unknown record %T", ErrMalformed, rec)
}

// cmp compares amounts of the system's currency, which every check has
// established before comparing.
func cmp(a, b money.Amount) int {
	c, err := a.Cmp(b)
	if err != nil {
		panic("billing: internal error: comparing amounts of different currencies")
	}
	return c
}

func (s *state) checkRegistration(r *holderRecord) (func(), error) {
	k := keyOf(r.user)
	if s.accounts[k] != nil {
		return nil, errAlreadyRegistered
	}
	if r.amount.Currency() != s.params.deposit.Currency() {
		return nil, fmt.Errorf("%w: deposit in %s, the system uses %s", errDepositTooSmall, r.amount.Currency(), s.params.deposit.Currency())
	}
	if cmp(r.amount, s.params.deposit) < 0 {
		return nil, fmt.Errorf("%w: %v < %v", errDepositTooSmall, r.amount, s.params.deposit)
	}
	// Refunded keys stay on the book, so that they cannot register again,
	// but are in no ring: the bound, the largest ring, counts the others.
	if s.live >= arsig.MaxRingSize {
		return nil, fmt.Errorf("%w: registry full (%d keys not refunded)", ErrRefused, arsig.MaxRingSize)
	}
	if err := r.verify(s.params); err != nil {
		return nil, err
	}
	return func() {
		s.accounts[k] = &account{key: r.user, deposit: r.amount}
		s.accountOrder = append(s.accountOrder, k)
		s.live++
	}, nil
}

func (s *state) checkRefund(r *holderRecord) (func(), error) {
	a := s.accounts[keyOf(r.user)]
	if a == nil || a.retired {
		return nil, errUnregistered
	}
	if err := r.verify(s.params); err != nil {
		return nil, err
	}
	if r.amount != a.deposit {
		return nil, fmt.Errorf("%w: refund of %v, the deposit holds %v", errDepositMismatch, r.amount, a.deposit)
	}
	if a.open > 0 {
		return nil, fmt.Errorf("%w: %d invoices owed", errDepositLocked, a.open)
	}
	for _, id := range a.memberOf {
		p := s.periods[id-1]
		if p.close == nil || p.unbilled > 0 {
			return nil, fmt.Errorf("%w: period %d not fully billed", errDepositLocked, id)
		}
	}
	return func() {
		a.deposit = money.Zero(a.deposit.Currency())
		a.retired = true
		s.live--
	}, nil
}

// ringMembers returns the keys of the next period's ring: every registered
// key not retired whose remaining deposit still covers the required one.
func (s *state) ringMembers() []*arsig.PublicKey {
	var keys []*arsig.PublicKey
	for _, k := range s.accountOrder {
		a := s.accounts[k]
		if !a.retired && cmp(a.deposit, s.params.deposit) >= 0 {
			keys = append(keys, a.key)
		}
	}
	return keys
}

// nextRing returns the ring the next period must have.
func (s *state) nextRing() (*arsig.Ring, error) {
	keys := s.ringMembers()
	if len(keys) < minRingSize {
		return nil, fmt.Errorf("%w: %d keys with a whole deposit, a ring needs %d", ErrRefused, len(keys), minRingSize)
	}
	return arsig.NewRing(keys)
}

func (s *state) checkPeriod(p *Period) (func(), error) {
	if err := verifyCollector(s.collector, contextPeriod, p.enc, "period"); err != nil {
		return nil, err
	}
	if !p.collector.Equal(s.collector) || !p.opener.Equal(s.params.opener) || p.deposit != s.params.deposit {
		return nil, fmt.Errorf("%w: period %d states other parameters", ErrPeriod, p.id)
	}
	if int(p.id) != len(s.periods)+1 {
		return nil, fmt.Errorf("%w: opening period %d, next is %d", ErrPeriod, p.id, len(s.periods)+1)
	}
	if n := len(s.periods); n > 0 {
		prev := s.periods[n-1]
		if prev.close == nil {
			return nil, fmt.Errorf("%w: period %d still open", ErrPeriod, n)
		}
		if p.start.Before(prev.desc.end) {
			return nil, fmt.Errorf("%w: period %d starts before period %d ends", ErrPeriod, p.id, n)
		}
	}
	ring, err := s.nextRing()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(ring.Bytes(), p.ring.Bytes()) {
		return nil, fmt.Errorf("%w: period %d's ring is not the registry's", ErrPeriod, p.id)
	}
	return func() {
		ps := &periodState{desc: p, members: make(map[keyID]bool, ring.Len())}
		for i := range ring.Len() {
			k := keyOf(ring.Key(i))
			ps.members[k] = true
			a := s.accounts[k]
			a.memberOf = append(a.memberOf, p.id)
		}
		s.periods = append(s.periods, ps)
	}, nil
}

func (s *state) period(id uint32) *periodState {
	if id == 0 || int(id) > len(s.periods) {
		return nil
	}
	return s.periods[id-1]
}

func (s *state) checkPeriodClose(c *periodClose) (func(), error) {
	if err := verifyCollector(s.collector, contextPeriodClose, c.enc, "period close"); err != nil {
		return nil, err
	}
	p := s.period(c.id)
	if p == nil || p.close != nil {
		return nil, fmt.Errorf("%w: period %d is not open", ErrPeriod, c.id)
	}
	if c.time.Before(p.desc.end) {
		return nil, fmt.Errorf("%w: closing period %d before its end", ErrPeriod, c.id)
	}
	if int(c.usages) != len(p.usages) {
		return nil, fmt.Errorf("%w: period %d has %d usage records, the close says %d", ErrPeriod, c.id, len(p.usages), c.usages)
	}
	return func() { p.close = c }, nil
}

// usagePeriod returns the descriptor u's ring signature must be verified
// against: that of the period holding a record with u's ID, or else of the
// open period u fits.
func (s *state) usagePeriod(u *Usage) (*Period, error) {
	if s.params == nil {
		return nil, errNotSetUp
	}
	if have := s.usages[u.id]; have != nil {
		return s.period(have.rec.period).desc, nil
	}
	p := s.period(u.period)
	if p == nil || p.close != nil {
		return nil, fmt.Errorf("%w: period %d is not open", ErrPeriod, u.period)
	}
	if err := p.desc.fits(u); err != nil {
		return nil, err
	}
	return p.desc, nil
}

func (s *state) checkUsage(u *Usage) (func(), error) {
	if s.usages[u.id] != nil {
		return nil, errDuplicateUsage
	}
	pd, err := s.usagePeriod(u)
	if err != nil {
		return nil, err
	}
	p := s.period(pd.id)
	return func() {
		s.usages[u.id] = &usageState{rec: u}
		p.usages = append(p.usages, u.id)
		p.unbilled++
	}, nil
}

func (s *state) checkInvoice(inv *Invoice) (func(), error) {
	if err := verifyCollector(s.collector, contextInvoice, inv.enc, "invoice"); err != nil {
		return nil, err
	}
	p := s.period(inv.period)
	if p == nil || p.close == nil {
		return nil, fmt.Errorf("%w: period %d is not closed", ErrPeriod, inv.period)
	}
	k := keyOf(inv.user)
	a := s.accounts[k]
	if a == nil || a.retired || !p.members[k] {
		return nil, fmt.Errorf("%w: invoiced key, period %d", errOutsideRing, inv.period)
	}
	if inv.issued.Before(p.desc.end) {
		return nil, fmt.Errorf("%w: issued before the period ends", errNotBillable)
	}
	if s.invoices[inv.id] != nil {
		return nil, fmt.Errorf("%w: invoice already on the ledger", errNotBillable)
	}
	total := money.Zero(s.params.deposit.Currency())
	seen := make(map[[32]byte]bool, len(inv.lines))
	for i, l := range inv.lines {
		u := s.usages[l.Usage.id]
		switch {
		case seen[l.Usage.id]:
			return nil, fmt.Errorf("%w: line %d repeats a record", errNotBillable, i)
		case u == nil || u.rec.period != inv.period || !bytes.Equal(u.rec.enc, l.Usage.enc):
			return nil, fmt.Errorf("%w: line %d is no usage record of period %d on the book", errNotBillable, i, inv.period)
		case u.billedBy != nil:
			return nil, fmt.Errorf("%w: line %d names a record already billed", errNotBillable, i)
		}
		seen[l.Usage.id] = true
		var err error
		if total, err = total.Add(u.rec.amount); err != nil {
			return nil, fmt.Errorf("%w: total: %w", errNotBillable, err)
		}
	}
	if inv.total != total {
		return nil, fmt.Errorf("%w: total %v, the lines add up to %v", errNotBillable, inv.total, total)
	}
	return func() {
		is := &invoiceState{rec: inv, struck: make([]bool, len(inv.lines)), owed: inv.total}
		for _, l := range inv.lines {
			s.usages[l.Usage.id].billedBy = is
		}
		p.unbilled -= len(inv.lines)
		a.open++
		s.invoices[inv.id] = is
		s.invoiceOrder = append(s.invoiceOrder, inv.id)
	}, nil
}

// owedInvoice returns the invoice named id if it is still owed.
func (s *state) owedInvoice(id [32]byte) (*invoiceState, error) {
	is := s.invoices[id]
	if is == nil {
		return nil, errUnknownInvoice
	}
	switch is.status {
	case invoicePaid:
		return nil, errAlreadyPaid
	case invoiceForfeited:
		return nil, errAlreadyForfeited
	case invoiceVoid:
		return nil, errSettled
	}
	return is, nil
}

func (s *state) checkDispute(d *Dispute) (func(), error) {
	is, err := s.owedInvoice(d.invoice)
	if err != nil {
		return nil, err
	}
	if int64(d.line) >= int64(len(is.rec.lines)) {
		return nil, fmt.Errorf("%w: line %d of %d", errDisputeRejected, d.line, len(is.rec.lines))
	}
	i := int(d.line)
	if is.struck[i] {
		return nil, errAlreadyDisputed
	}
	line := is.rec.lines[i]
	if verifyLine(s.period(is.rec.period).desc, is.rec.user, line) == nil {
		return nil, errDisputeRejected
	}
	u := s.usages[line.Usage.id]
	return func() {
		is.struck[i] = true
		is.owed, _ = is.owed.Sub(u.rec.amount)
		u.billedBy = nil
		s.period(u.rec.period).unbilled++
		if is.owed.Sign() == 0 {
			is.status = invoiceVoid
			s.accounts[keyOf(is.rec.user)].open--
		}
	}, nil
}

func (s *state) checkReceipt(r *Receipt) (func(), error) {
	if err := verifyCollector(s.collector, contextReceipt, r.enc, "receipt"); err != nil {
		return nil, err
	}
	is, err := s.owedInvoice(r.invoice)
	if err != nil {
		return nil, err
	}
	if !r.payer.Equal(is.rec.user) {
		return nil, fmt.Errorf("%w: payer is not the invoiced user", ErrRefused)
	}
	if r.amount != is.owed {
		return nil, fmt.Errorf("%w: paid %v, owed %v", errWrongAmount, r.amount, is.owed)
	}
	return func() {
		is.status = invoicePaid
		is.receipt = r
		s.accounts[keyOf(is.rec.user)].open--
	}, nil
}

// forfeitable returns what a forfeiture of is takes: the owed amount, or
// what remains of the deposit if that is less.
func forfeitable(is *invoiceState, a *account) money.Amount {
	if cmp(is.owed, a.deposit) <= 0 {
		return is.owed
	}
	return a.deposit
}

func (s *state) checkForfeiture(f *Forfeiture) (func(), error) {
	if err := verifyCollector(s.collector, contextForfeiture, f.enc, "forfeiture"); err != nil {
		return nil, err
	}
	is, err := s.owedInvoice(f.invoice)
	if err != nil {
		return nil, err
	}
	inv := is.rec
	if !f.time.After(inv.due) {
		return nil, fmt.Errorf("%w: due %v, forfeiture at %v", errNotDue, inv.due, f.time)
	}
	if !f.user.Equal(inv.user) {
		return nil, fmt.Errorf("%w: names another user", errInvalidEvidence)
	}
	a := s.accounts[keyOf(inv.user)]
	if a.deposit.Sign() == 0 || f.amount != forfeitable(is, a) {
		return nil, fmt.Errorf("%w: forfeiting %v, owed %v, deposit %v", errDepositMismatch, f.amount, is.owed, a.deposit)
	}
	if err := s.checkEvidence(is, f.evidence); err != nil {
		return nil, err
	}
	return func() {
		a.deposit, _ = a.deposit.Sub(f.amount)
		is.status = invoiceForfeited
		is.forfeiture = f
		a.open--
	}, nil
}

// checkEvidence checks that evidence lists exactly the owed lines of the
// invoice, in order, each with an opening that verifies.
func (s *state) checkEvidence(is *invoiceState, evidence []Line) error {
	var want []*Usage
	for i, l := range is.rec.lines {
		if !is.struck[i] {
			want = append(want, l.Usage)
		}
	}
	if len(evidence) != len(want) {
		return fmt.Errorf("%w: %d lines of evidence for %d owed lines", errInvalidEvidence, len(evidence), len(want))
	}
	p := s.period(is.rec.period).desc
	for i, l := range evidence {
		if !bytes.Equal(l.Usage.enc, want[i].enc) {
			return fmt.Errorf("%w: line %d is another record", errInvalidEvidence, i)
		}
		if err := verifyLine(p, is.rec.user, l); err != nil {
			return fmt.Errorf("%w: line %d: %w", errInvalidEvidence, i, err)
		}
	}
	return nil
}

// digest returns a digest of the whole state, equal for equal states
// however they were built.
func (s *state) digest() [32]byte {
	h := sha256.New()
	put := func(bs ...[]byte) {
		for _, b := range bs {
			var n [8]byte
			binary.BigEndian.PutUint64(n[:], uint64(len(b)))
			h.Write(n[:])
			h.Write(b)
		}
	}
	num := func(v int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }
	put(s.params.Bytes())
	for _, k := range s.accountOrder {
		a := s.accounts[k]
		put(k[:], a.deposit.Bytes(), num(boolInt(a.retired)), num(a.open), num(len(a.memberOf)))
	}
	for _, p := range s.periods {
		put(p.desc.enc, num(p.unbilled))
		if p.close != nil {
			put(p.close.enc)
		}
		for _, id := range p.usages {
			put(id[:])
			if bi := s.usages[id].billedBy; bi != nil {
				put(bi.rec.id[:])
			}
		}
	}
	for _, id := range s.invoiceOrder {
		is := s.invoices[id]
		put(id[:], num(int(is.status)), is.owed.Bytes())
		for _, st := range is.struck {
			put(num(boolInt(st)))
		}
		if is.receipt != nil {
			put(is.receipt.enc)
		}
		if is.forfeiture != nil {
			put(is.forfeiture.enc)
		}
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}
