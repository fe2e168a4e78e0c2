package billing

import (
	"crypto/sha256"
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// MinRingSize is the smallest ring a period may have: with one member there
// is no anonymity to protect.
const MinRingSize = 2

// An InvoiceStatus is where an invoice stands.
type InvoiceStatus int

const (
	InvoiceOpen      InvoiceStatus = iota // owed, neither paid nor enforced
	InvoicePaid                           // a receipt is on the ledger
	InvoiceForfeited                      // enforced from the deposit
	InvoiceVoid                           // every line struck by disputes
)

func (s InvoiceStatus) String() string {
	switch s {
	case InvoiceOpen:
		return "open"
	case InvoicePaid:
		return "paid"
	case InvoiceForfeited:
		return "forfeited"
	case InvoiceVoid:
		return "void"
	}
	return fmt.Sprintf("InvoiceStatus(%d)", int(s))
}

type account struct {
	key      *arsig.PublicKey
	deposit  money.Amount // what remains locked
	retired  bool
	open     int      // invoices still owed
	memberOf []uint32 // periods whose ring holds the key
}

type periodState struct {
	open     *PeriodOpen
	ring     *arsig.Ring
	members  map[string]bool
	close    *PeriodClose // nil while open
	usages   []Digest     // ledger order
	unbilled int
}

type usageState struct {
	rec      *Usage
	msg      []byte
	billedBy *invoiceState // nil while unbilled
}

type invoiceState struct {
	rec        *Invoice
	digest     Digest
	struck     []bool
	owed       money.Amount
	status     InvoiceStatus
	receipt    *Receipt
	forfeiture *Forfeiture
}

// state is the billing state a ledger's records build. Each check method
// validates a record against it without changing anything and returns the
// change to make once the record is durable.
type state struct {
	params       *Parameters
	accounts     map[string]*account
	accountOrder []string
	periods      []*periodState // periods[i] has ID i+1
	usages       map[Digest]*usageState
	invoices     map[Digest]*invoiceState
	invoiceOrder []Digest
	applied      map[Digest]uint64 // record digest → ledger sequence number
}

func newState() *state {
	return &state{
		accounts: make(map[string]*account),
		usages:   make(map[Digest]*usageState),
		invoices: make(map[Digest]*invoiceState),
		applied:  make(map[Digest]uint64),
	}
}

func recordDigest(encoded []byte) Digest {
	return digest("ringtrace/billing/record/v1", encoded)
}

// RingDigest returns the digest of a ring's canonical encoding, as carried
// by PeriodOpen and Usage records.
func RingDigest(r *arsig.Ring) Digest {
	return digest("ringtrace/billing/ring/v1", r.Bytes())
}

// check validates rec against the state. For a usage record
// it does not verify the signature: callers verify usage signatures (one at
// a time or in batches) before or, on replay, after.
func (s *state) check(rec Record) (func(), error) {
	if s.params == nil {
		if p, ok := rec.(*Parameters); ok {
			return func() { s.params = p }, nil
		}
		return nil, ErrNotSetUp
	}
	switch r := rec.(type) {
	case *Parameters:
		return nil, ErrAlreadySetUp
	case *Registration:
		return s.checkRegistration(r)
	case *Refund:
		return s.checkRefund(r)
	case *PeriodOpen:
		return s.checkPeriodOpen(r)
	case *PeriodClose:
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
	return nil, fmt.Errorf("billing: unknown record %T", rec)
}

func sameCurrency(a, b money.Amount) bool { return a.Currency() == b.Currency() }

func cmp(a, b money.Amount) int {
	c, err := a.Cmp(b)
	if err != nil {
		panic("billing: internal error: comparing amounts of different currencies")
	}
	return c
}

func (s *state) checkRegistration(r *Registration) (func(), error) {
	k := string(r.User.Bytes())
	if s.accounts[k] != nil {
		return nil, ErrAlreadyRegistered
	}
	if !sameCurrency(r.Deposit, s.params.Deposit) {
		return nil, fmt.Errorf("%w: deposit in %s, the system uses %s", ErrDepositTooSmall, r.Deposit.Currency(), s.params.Deposit.Currency())
	}
	if cmp(r.Deposit, s.params.Deposit) < 0 {
		return nil, fmt.Errorf("%w: %v < %v", ErrDepositTooSmall, r.Deposit, s.params.Deposit)
	}
	if len(s.accounts) >= arsig.MaxRingSize {
		return nil, fmt.Errorf("billing: registry full (%d keys)", arsig.MaxRingSize)
	}
	if err := r.VerifyProof(s.params); err != nil {
		return nil, err
	}
	return func() {
		s.accounts[k] = &account{key: r.User, deposit: r.Deposit}
		s.accountOrder = append(s.accountOrder, k)
	}, nil
}

func (s *state) checkRefund(r *Refund) (func(), error) {
	a := s.accounts[string(r.User.Bytes())]
	if a == nil || a.retired {
		return nil, ErrUnregistered
	}
	if err := r.VerifyProof(s.params); err != nil {
		return nil, err
	}
	if !sameCurrency(r.Amount, a.deposit) || cmp(r.Amount, a.deposit) != 0 {
		return nil, fmt.Errorf("%w: refund of %v, deposit holds %v", ErrExceedsDeposit, r.Amount, a.deposit)
	}
	if a.open > 0 {
		return nil, fmt.Errorf("%w: %d invoices owed", ErrDepositLocked, a.open)
	}
	for _, id := range a.memberOf {
		p := s.periods[id-1]
		if p.close == nil || p.unbilled > 0 {
			return nil, fmt.Errorf("%w: period %d not fully billed", ErrDepositLocked, id)
		}
	}
	return func() {
		a.deposit, _ = a.deposit.Sub(a.deposit)
		a.retired = true
	}, nil
}

// ringMembers returns the keys of the next period's ring: every registered
// key not retired whose remaining deposit still covers the required one.
func (s *state) ringMembers() []*arsig.PublicKey {
	var keys []*arsig.PublicKey
	for _, k := range s.accountOrder {
		a := s.accounts[k]
		if !a.retired && cmp(a.deposit, s.params.Deposit) >= 0 {
			keys = append(keys, a.key)
		}
	}
	return keys
}

func (s *state) checkPeriodOpen(r *PeriodOpen) (func(), error) {
	if int(r.ID) != len(s.periods)+1 {
		return nil, fmt.Errorf("%w: opening period %d, next is %d", ErrPeriod, r.ID, len(s.periods)+1)
	}
	if n := len(s.periods); n > 0 {
		prev := s.periods[n-1]
		if prev.close == nil {
			return nil, fmt.Errorf("%w: period %d still open", ErrPeriod, n)
		}
		if r.Start < prev.open.End {
			return nil, fmt.Errorf("%w: period %d starts before period %d ends", ErrPeriod, r.ID, n)
		}
	}
	keys := s.ringMembers()
	if len(keys) < MinRingSize {
		return nil, fmt.Errorf("%w: %d registered keys, need %d for a ring", ErrPeriod, len(keys), MinRingSize)
	}
	ring, err := arsig.NewRing(keys)
	if err != nil {
		return nil, fmt.Errorf("billing: building the ring: %w", err)
	}
	if int(r.RingSize) != len(keys) || RingDigest(ring) != r.RingDigest {
		return nil, fmt.Errorf("%w: ring size or digest differs from the registry's", ErrPeriod)
	}
	return func() {
		p := &periodState{open: r, ring: ring, members: make(map[string]bool, len(keys))}
		for _, k := range keys {
			ks := string(k.Bytes())
			p.members[ks] = true
			a := s.accounts[ks]
			a.memberOf = append(a.memberOf, r.ID)
		}
		s.periods = append(s.periods, p)
	}, nil
}

func (s *state) period(id uint32) *periodState {
	if id == 0 || int(id) > len(s.periods) {
		return nil
	}
	return s.periods[id-1]
}

func (s *state) checkPeriodClose(r *PeriodClose) (func(), error) {
	p := s.period(r.ID)
	if p == nil || p.close != nil {
		return nil, fmt.Errorf("%w: period %d is not open", ErrPeriod, r.ID)
	}
	if r.Time < p.open.End {
		return nil, fmt.Errorf("%w: closing period %d before its end", ErrPeriod, r.ID)
	}
	if int(r.Usages) != len(p.usages) {
		return nil, fmt.Errorf("%w: period %d has %d usage records, close says %d", ErrPeriod, r.ID, len(p.usages), r.Usages)
	}
	return func() { p.close = r }, nil
}

// usageContext validates everything about u but its signature and returns
// its period, ID and signed message.
func (s *state) usageContext(u *Usage) (*periodState, Digest, []byte, error) {
	if s.params == nil {
		return nil, Digest{}, nil, ErrNotSetUp
	}
	p := s.period(u.Period)
	if p == nil || p.close != nil {
		return nil, Digest{}, nil, fmt.Errorf("%w: period %d is not open", ErrPeriod, u.Period)
	}
	if u.RingDigest != p.open.RingDigest {
		return nil, Digest{}, nil, fmt.Errorf("%w: usage names another ring", ErrPeriod)
	}
	if u.Time < p.open.Start || u.Time >= p.open.End {
		return nil, Digest{}, nil, fmt.Errorf("%w: usage time outside period %d", ErrPeriod, u.Period)
	}
	if !sameCurrency(u.Amount, s.params.Deposit) {
		return nil, Digest{}, nil, fmt.Errorf("%w: usage in %s", ErrMalformed, u.Amount.Currency())
	}
	msg, err := u.Message()
	if err != nil {
		return nil, Digest{}, nil, err
	}
	id := digest("ringtrace/billing/usage-id/v1", msg)
	if s.usages[id] != nil {
		return nil, Digest{}, nil, ErrDuplicateUsage
	}
	return p, id, msg, nil
}

func (s *state) checkUsage(u *Usage) (func(), error) {
	p, id, msg, err := s.usageContext(u)
	if err != nil {
		return nil, err
	}
	return func() {
		s.usages[id] = &usageState{rec: u, msg: msg}
		p.usages = append(p.usages, id)
		p.unbilled++
	}, nil
}

func (s *state) checkInvoice(inv *Invoice) (func(), error) {
	p := s.period(inv.Period)
	if p == nil || p.close == nil {
		return nil, fmt.Errorf("%w: period %d is not closed", ErrPeriod, inv.Period)
	}
	k := string(inv.User.Bytes())
	a := s.accounts[k]
	if a == nil || a.retired || !p.members[k] {
		return nil, fmt.Errorf("%w: invoiced key is not in the ring of period %d", ErrUnregistered, inv.Period)
	}
	if inv.Issued < p.open.End {
		return nil, fmt.Errorf("%w: issued before the period ends", ErrInvalidInvoice)
	}
	if err := inv.VerifySignature(s.params.Collector); err != nil {
		return nil, err
	}
	total, _ := money.New(0, s.params.Deposit.Currency())
	seen := make(map[Digest]bool, len(inv.Lines))
	for i, l := range inv.Lines {
		u := s.usages[l.Usage]
		switch {
		case seen[l.Usage]:
			return nil, fmt.Errorf("%w: line %d repeats a record", ErrInvalidInvoice, i)
		case u == nil || u.rec.Period != inv.Period:
			return nil, fmt.Errorf("%w: line %d names no usage record of period %d", ErrInvalidInvoice, i, inv.Period)
		case u.billedBy != nil:
			return nil, fmt.Errorf("%w: line %d names a record already billed", ErrInvalidInvoice, i)
		}
		seen[l.Usage] = true
		var err error
		if total, err = total.Add(u.rec.Amount); err != nil {
			return nil, fmt.Errorf("%w: total: %v", ErrInvalidInvoice, err)
		}
	}
	if !sameCurrency(inv.Total, total) || cmp(inv.Total, total) != 0 {
		return nil, fmt.Errorf("%w: total %v, lines add up to %v", ErrInvalidInvoice, inv.Total, total)
	}
	d, err := inv.Digest()
	if err != nil {
		return nil, err
	}
	if s.invoices[d] != nil {
		return nil, fmt.Errorf("%w: invoice already on the ledger", ErrInvalidInvoice)
	}
	return func() {
		is := &invoiceState{rec: inv, digest: d, struck: make([]bool, len(inv.Lines)), owed: inv.Total}
		for _, l := range inv.Lines {
			s.usages[l.Usage].billedBy = is
		}
		p.unbilled -= len(inv.Lines)
		a.open++
		s.invoices[d] = is
		s.invoiceOrder = append(s.invoiceOrder, d)
	}, nil
}

// owedInvoice returns the invoice named d if it is still owed.
func (s *state) owedInvoice(d Digest) (*invoiceState, error) {
	is := s.invoices[d]
	if is == nil {
		return nil, ErrUnknownInvoice
	}
	switch is.status {
	case InvoicePaid:
		return nil, ErrAlreadyPaid
	case InvoiceForfeited:
		return nil, ErrAlreadyForfeited
	case InvoiceVoid:
		return nil, ErrSettled
	}
	return is, nil
}

// verifyInvoiceLine checks line i of an invoice against the public record.
func (s *state) verifyInvoiceLine(inv *Invoice, l Line) error {
	p := s.period(inv.Period)
	u := s.usages[l.Usage]
	if u == nil || u.rec.Period != inv.Period {
		return verifyLine(p.ring, s.params.Opener, inv.User, nil, l.Opening)
	}
	return verifyLine(p.ring, s.params.Opener, inv.User, u.rec, l.Opening)
}

func (s *state) checkDispute(r *Dispute) (func(), error) {
	is, err := s.owedInvoice(r.Invoice)
	if err != nil {
		return nil, err
	}
	i := int(r.Line)
	if i >= len(is.rec.Lines) {
		return nil, fmt.Errorf("%w: line %d of %d", ErrDisputeRejected, i, len(is.rec.Lines))
	}
	if is.struck[i] {
		return nil, ErrAlreadyDisputed
	}
	line := is.rec.Lines[i]
	if err := s.verifyInvoiceLine(is.rec, line); err == nil {
		return nil, ErrDisputeRejected
	}
	u := s.usages[line.Usage]
	return func() {
		is.struck[i] = true
		is.owed, _ = is.owed.Sub(u.rec.Amount)
		u.billedBy = nil
		s.period(u.rec.Period).unbilled++
		if is.owed.Sign() == 0 {
			is.status = InvoiceVoid
			s.accounts[string(is.rec.User.Bytes())].open--
		}
	}, nil
}

func (s *state) checkReceipt(r *Receipt) (func(), error) {
	is, err := s.owedInvoice(r.Invoice)
	if err != nil {
		return nil, err
	}
	if !r.Payer.Equal(is.rec.User) {
		return nil, fmt.Errorf("%w: payer is not the invoiced user", ErrInvalidReceipt)
	}
	if !sameCurrency(r.Amount, is.owed) || cmp(r.Amount, is.owed) != 0 {
		return nil, fmt.Errorf("%w: paid %v, owed %v", ErrWrongAmount, r.Amount, is.owed)
	}
	if err := VerifyReceipt(s.params.Collector, is.rec, is.owed, r); err != nil {
		return nil, err
	}
	return func() {
		is.status = InvoicePaid
		is.receipt = r
		s.accounts[string(is.rec.User.Bytes())].open--
	}, nil
}

// forfeitable returns what a forfeiture of is would take: the owed amount,
// or what remains of the deposit if that is less.
func forfeitable(is *invoiceState, a *account) money.Amount {
	if cmp(is.owed, a.deposit) <= 0 {
		return is.owed
	}
	return a.deposit
}

func (s *state) checkForfeiture(r *Forfeiture) (func(), error) {
	is, err := s.owedInvoice(r.Invoice)
	if err != nil {
		return nil, err
	}
	inv := is.rec
	if r.Time <= inv.Due {
		return nil, fmt.Errorf("%w: due %d, forfeiture at %d", ErrNotDue, inv.Due, r.Time)
	}
	if !r.User.Equal(inv.User) {
		return nil, fmt.Errorf("%w: names another user", ErrInvalidEvidence)
	}
	a := s.accounts[string(inv.User.Bytes())]
	if !sameCurrency(r.Amount, a.deposit) || a.deposit.Sign() == 0 || cmp(r.Amount, forfeitable(is, a)) != 0 {
		return nil, fmt.Errorf("%w: forfeiting %v, owed %v, deposit %v", ErrExceedsDeposit, r.Amount, is.owed, a.deposit)
	}
	if err := s.verifyEvidence(is, r.Evidence); err != nil {
		return nil, err
	}
	return func() {
		a.deposit, _ = a.deposit.Sub(r.Amount)
		is.status = InvoiceForfeited
		is.forfeiture = r
		a.open--
	}, nil
}

// verifyEvidence checks that evidence lists exactly the unstruck lines of
// the invoice, in order, each with an opening that verifies.
func (s *state) verifyEvidence(is *invoiceState, evidence []Line) error {
	var want []Digest
	for i, l := range is.rec.Lines {
		if !is.struck[i] {
			want = append(want, l.Usage)
		}
	}
	if len(evidence) != len(want) {
		return fmt.Errorf("%w: %d lines of evidence for %d owed lines", ErrInvalidEvidence, len(evidence), len(want))
	}
	for i, l := range evidence {
		if l.Usage != want[i] {
			return fmt.Errorf("%w: line %d names another record", ErrInvalidEvidence, i)
		}
		if err := s.verifyInvoiceLine(is.rec, l); err != nil {
			return fmt.Errorf("%w: line %d: %w", ErrInvalidEvidence, i, err)
		}
	}
	return nil
}

// digest returns a digest of the whole state, equal for equal states
// however they were built.
func (s *state) digest() Digest {
	b := cryptobyte.NewBuilder(nil)
	enc := func(r Record) {
		e, err := r.MarshalBinary()
		if err != nil {
			b.SetError(err)
			return
		}
		b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e) })
	}
	if s.params != nil {
		enc(s.params)
	}
	for _, k := range s.accountOrder {
		a := s.accounts[k]
		addU8Prefixed(b, []byte(k))
		addAmount(b, a.deposit)
		b.AddUint8(boolByte(a.retired))
		b.AddUint32(uint32(a.open))
		b.AddUint32(uint32(len(a.memberOf)))
	}
	for _, p := range s.periods {
		enc(p.open)
		if p.close != nil {
			enc(p.close)
		} else {
			b.AddUint8(0)
		}
		b.AddUint32(uint32(p.unbilled))
		for _, id := range p.usages {
			b.AddBytes(id[:])
			if bi := s.usages[id].billedBy; bi != nil {
				b.AddBytes(bi.digest[:])
			}
		}
	}
	for _, d := range s.invoiceOrder {
		is := s.invoices[d]
		b.AddBytes(d[:])
		b.AddUint8(byte(is.status))
		addAmount(b, is.owed)
		for _, st := range is.struck {
			b.AddUint8(boolByte(st))
		}
		if is.receipt != nil {
			enc(is.receipt)
		}
		if is.forfeiture != nil {
			enc(is.forfeiture)
		}
	}
	out, err := b.Bytes()
	if err != nil {
		panic("billing: internal error: encoding state: " + err.Error())
	}
	return sha256.Sum256(out)
}

func boolByte(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}
