package billing

import (
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// minRingSize is the smallest ring a period may have: with one member there
// is no anonymity to protect.
const minRingSize = 2

// Period is the public descriptor of a billing period, signed by the
// collector: its number (1, 2, … in order, one open at a time), the
// collector's ECDSA key, the arsig opener key, the deposit (whose currency is
// the currency of every amount), the window [start, end) of its usage, and
// its ring: the canonical arsig ring of every registered key with a whole
// deposit when the period opened.
//
// It is all a user needs, with its own key, to sign usage ([NewUsage]), all
// an edge needs to accept usage ([NewEdge]) and all anyone needs to check an
// invoice ([Invoice.Check]) or a forfeiture ([Forfeiture.Check]) of the
// period. Usage records name the period by a digest of the descriptor's
// signed body, so two copies of one descriptor are interchangeable and
// records name nothing else about the user. Layout: docs/spec/billing.md.
type Period struct {
	id         uint32
	collector  *ecdsa.PublicKey
	opener     *arsig.OpenerPublicKey
	deposit    money.Amount
	start, end time.Time
	ring       *arsig.Ring
	signed
	digest [32]byte
}

const labelPeriod = "ringtrace/billing/period-id/v1"

func (*Period) kind() ledger.Kind { return kindPeriod }

func newPeriod(signer *ecdsa.PrivateKey, id uint32, params *Parameters, start, end time.Time, ring *arsig.Ring) (*Period, error) {
	p := &Period{id: id, collector: params.collector, opener: params.opener, deposit: params.deposit, ring: ring}
	var err error
	if p.start, err = seconds(start, "period start"); err != nil {
		return nil, err
	}
	if p.end, err = seconds(end, "period end"); err != nil {
		return nil, err
	}
	if err := p.sign(signer, contextPeriod, "period", p.body); err != nil {
		return nil, err
	}
	p.digest = wire.Digest(labelPeriod, p.signedBody())
	return p, nil
}

func (p *Period) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindPeriod))
	if p.id == 0 {
		w.Fail(errors.New("period 0"))
	}
	w.U32(p.id)
	w.ECDSAKey(p.collector)
	writeOpener(w, p.opener)
	if !positive(p.deposit) {
		w.Fail(fmt.Errorf("deposit %v is not positive", p.deposit))
	}
	w.Amount(p.deposit)
	if !p.end.After(p.start) {
		w.Fail(errors.New("empty window"))
	}
	w.Time(p.start)
	w.Time(p.end)
	if p.ring == nil || p.ring.Len() < minRingSize {
		w.Fail(fmt.Errorf("ring of fewer than %d keys", minRingSize))
	} else {
		w.Bytes(p.ring.Bytes())
	}
	return finish(w, "period")
}

func (p *Period) encode() ([]byte, error) { return p.reencode(p.body()) }

// ParsePeriod parses a period descriptor and checks that collector signed
// it and is the collector it names. Errors wrap [ErrMalformed] or
// [ErrBadSignature].
func ParsePeriod(b []byte, collector *ecdsa.PublicKey) (*Period, error) {
	p, err := parseSigned(b, collector, contextPeriod, "period", parsePeriod)
	if err != nil {
		return nil, err
	}
	if !p.collector.Equal(collector) {
		return nil, fmt.Errorf("%w: period names another collector", ErrBadSignature)
	}
	return p, nil
}

func parsePeriod(b []byte) (*Period, error) {
	r := newReader(b, kindPeriod, "period")
	p := &Period{id: r.U32("id")}
	if r.Err() == nil && p.id == 0 {
		r.Fail("id", "zero")
	}
	p.collector = r.ECDSAKey("collector")
	p.opener = readOpener(r)
	p.deposit = readPositive(r, "deposit")
	p.start, p.end = r.Time("start"), r.Time("end")
	if r.Err() == nil && !p.end.After(p.start) {
		r.Fail("end", "not after start")
	}
	p.ring = wire.Value(r, "ring", arsig.ParseRing)
	if r.Err() == nil && p.ring.Len() < minRingSize {
		r.Fail("ring", fmt.Sprintf("fewer than %d keys", minRingSize))
	}
	p.sig = readSignature(r)
	if err := r.Done(); err != nil {
		return nil, err
	}
	p.enc = clone(b)
	p.digest = wire.Digest(labelPeriod, p.signedBody())
	return p, nil
}

// Bytes returns the descriptor's encoding.
func (p *Period) Bytes() []byte {
	if p == nil {
		return nil
	}
	return clone(p.enc)
}

// ID returns the period's number.
func (p *Period) ID() uint32 {
	if p == nil {
		return 0
	}
	return p.id
}

// Start returns the first second of the period's usage window.
func (p *Period) Start() time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.start
}

// End returns the end of the period's usage window: usage is accepted for
// Start <= time < End.
func (p *Period) End() time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.end
}

// Deposit returns the deposit of the system; its currency is the currency
// of every usage record, invoice and payment.
func (p *Period) Deposit() money.Amount {
	if p == nil {
		return money.Amount{}
	}
	return p.deposit
}

// Ring returns the period's ring. Its size is the anonymity set of every
// usage record of the period: a user may check it before signing.
func (p *Period) Ring() *arsig.Ring {
	if p == nil {
		return nil
	}
	return p.ring
}

// fits checks everything about u but its ring signature against the
// period: number, descriptor, currency and window.
func (p *Period) fits(u *Usage) error {
	switch {
	case u.period != p.id || u.periodDigest != p.digest:
		return fmt.Errorf("%w: usage names period %d, not this descriptor of period %d", ErrPeriod, u.period, p.id)
	case u.amount.Currency() != p.deposit.Currency():
		return fmt.Errorf("%w: usage in %s, the period bills in %s", ErrPeriod, u.amount.Currency(), p.deposit.Currency())
	case u.time.Before(p.start) || !u.time.Before(p.end):
		return fmt.Errorf("%w: usage at %v is outside the period's window", ErrPeriod, u.time)
	}
	return nil
}

// verifyUsage checks that u fits the period and that a member of its ring
// signed it.
func (p *Period) verifyUsage(u *Usage) error {
	if err := p.fits(u); err != nil {
		return err
	}
	if err := arsig.Verify(p.ring, p.opener, u.id[:], u.sig); err != nil {
		return fmt.Errorf("%w: usage: %w", ErrBadSignature, err)
	}
	return nil
}

// periodClose ends the usage of the open period; invoices for it are
// accepted only afterwards. It counts the usage records the period
// accepted, so a replica can tell it has all of them.
type periodClose struct {
	id     uint32
	time   time.Time
	usages uint32
	signed
}

func (*periodClose) kind() ledger.Kind { return kindPeriodClose }

func newPeriodClose(signer *ecdsa.PrivateKey, id uint32, t time.Time, usages uint32) (*periodClose, error) {
	c := &periodClose{id: id, usages: usages}
	var err error
	if c.time, err = seconds(t, "period close time"); err != nil {
		return nil, err
	}
	if err := c.sign(signer, contextPeriodClose, "period close", c.body); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *periodClose) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindPeriodClose))
	w.U32(c.id)
	w.Time(c.time)
	w.U32(c.usages)
	return finish(w, "period close")
}

func (c *periodClose) encode() ([]byte, error) { return c.reencode(c.body()) }

func parsePeriodClose(b []byte) (*periodClose, error) {
	r := newReader(b, kindPeriodClose, "period close")
	c := &periodClose{id: r.U32("id"), time: r.Time("time"), usages: r.U32("usages")}
	c.sig = readSignature(r)
	if err := r.Done(); err != nil {
		return nil, err
	}
	c.enc = clone(b)
	return c, nil
}

// Bytes returns the record's encoding.
func (c *periodClose) Bytes() []byte { return clone(c.enc) }
