package payments

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/journal"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Processor is the payment processor: it enrolls customers, signs the
// rosters of the funded ones, and opens a payment when a merchant or a
// customer disputes it. It holds an ECDSA key, which signs rosters and
// disclosures, and the opener key, which can name the payer of any payment
// under its rosters. Its state is on a private ledger (enrollments link
// keys to accounts) and rebuilt from it by [OpenProcessor]. It is safe for
// concurrent use.
type Processor struct {
	key     *ecdsa.PrivateKey
	opener  *arsig.OpenerKey
	l       ledger.Ledger
	journal *journal.Journal // appends to l; refuses the rest after an append of unknown outcome

	mu          sync.Mutex
	enrolled    map[[arsig.PublicKeySize]byte]*Enrollment
	rosters     map[[32]byte]*Roster
	next        uint64 // the next roster's number
	disclosures map[[32]byte]*Disclosure
}

// OpenProcessor returns the processor that signs with key, opens with
// opener and keeps its state in l, replaying what l holds: every
// enrollment proof, roster and disclosure is verified, and one that does
// not verify makes OpenProcessor fail, as does a key enrolled twice or a
// payment disclosed twice, which the processor never records (an error
// wrapping [ErrRefused] and [ledger.ErrCorrupt]). Entries of other
// packages are skipped.
func OpenProcessor(ctx context.Context, key *ecdsa.PrivateKey, opener *arsig.OpenerKey, l ledger.Ledger) (*Processor, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if key == nil || opener == nil || l == nil {
		return nil, fmt.Errorf("%w: processor needs a key, an opener key and a ledger", ErrMalformed)
	}
	p := &Processor{key: key, opener: opener, l: l, journal: journal.New(l, "payments: the processor"), enrolled: make(map[[arsig.PublicKeySize]byte]*Enrollment),
		rosters: make(map[[32]byte]*Roster), disclosures: make(map[[32]byte]*Disclosure)}
	if err := p.journal.Replay(ctx, p.replay); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Processor) replay(e ledger.Entry) error {
	switch e.Kind {
	case kindEnrollment:
		en, err := p.checkEnrollment(e.Payload)
		if err != nil {
			return err
		}
		if _, dup := p.enrolled[keyOf(en.customer)]; dup {
			return fmt.Errorf("%w: %w: a second enrollment of key %x", ErrRefused, ledger.ErrCorrupt, en.customer.Bytes()[:4])
		}
		p.enrolled[keyOf(en.customer)] = en
	case kindRoster:
		r, err := ParseRoster(e.Payload)
		if err != nil {
			return err
		}
		if err := r.Verify(p.key.Public()); err != nil {
			return err
		}
		if err := p.allEnrolled(r.ring); err != nil {
			return err
		}
		p.rosters[r.id] = r
		p.next = max(p.next, r.number+1)
	case kindDisclosure:
		d, err := ParseDisclosure(e.Payload)
		if err != nil {
			return err
		}
		r, ok := p.rosters[d.payment.roster]
		if !ok {
			return fmt.Errorf("%w: disclosure of a payment under an unknown roster", ErrUnknown)
		}
		if err := d.Check(p.key.Public(), r); err != nil {
			return err
		}
		if _, dup := p.disclosures[d.payment.id]; dup {
			return fmt.Errorf("%w: %w: a second disclosure of payment %x", ErrRefused, ledger.ErrCorrupt, d.payment.id[:4])
		}
		p.disclosures[d.payment.id] = d
	default:
		if ownKind(e.Kind) {
			return fmt.Errorf("%w: kind %#04x on the processor's ledger", ErrMalformed, uint16(e.Kind))
		}
	}
	return nil
}

// allEnrolled checks that every key of ring is enrolled. The caller holds
// p.mu, or replays.
func (p *Processor) allEnrolled(ring *arsig.Ring) error {
	for i := range ring.Len() {
		if _, ok := p.enrolled[keyOf(ring.Key(i))]; !ok {
			return fmt.Errorf("%w: funded key %x is not enrolled", ErrUnknown, ring.Key(i).Bytes()[:4])
		}
	}
	return nil
}

func keyOf(k *arsig.PublicKey) [arsig.PublicKeySize]byte { return [arsig.PublicKeySize]byte(k.Bytes()) }

func (p *Processor) checkEnrollment(b []byte) (*Enrollment, error) {
	en, err := ParseEnrollment(b)
	if err != nil {
		return nil, err
	}
	if !en.processor.Equal(p.key.Public()) {
		return nil, fmt.Errorf("%w: enrollment with another processor", ErrRefused)
	}
	if err := en.verify(p.opener.Public()); err != nil {
		return nil, err
	}
	return en, nil
}

// Enroll records an enrollment, checked against the customer's proof. The
// application must have authenticated the customer as the holder of the
// enrollment's account. A key is enrolled once.
func (p *Processor) Enroll(ctx context.Context, enrollment []byte) (*Enrollment, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	en, err := p.checkEnrollment(enrollment)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.enrolled[keyOf(en.customer)]; dup {
		return nil, fmt.Errorf("%w: key enrolled already", ErrRefused)
	}
	if err := p.journal.Append(ctx, kindEnrollment, en.Bytes(), ErrRefused); err != nil {
		return nil, fmt.Errorf("payments: recording the enrollment: %w", err)
	}
	p.enrolled[keyOf(en.customer)] = en
	return en, nil
}

// Enrollment returns the enrollment of a customer key: the account a
// disclosed payment is charged back to.
func (p *Processor) Enrollment(k *arsig.PublicKey) (*Enrollment, bool) {
	if k == nil {
		return nil, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	en, ok := p.enrolled[keyOf(k)]
	return en, ok
}

// PublishRoster signs and records the roster of the funded customers, all
// enrolled, covering payments up to limit from from to until (included).
// The processor chooses who is funded; a customer whose funds run out is
// left out of the next roster.
func (p *Processor) PublishRoster(ctx context.Context, funded []*arsig.PublicKey, limit money.Amount, from, until time.Time) (*Roster, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	f, err := wire.Seconds(from)
	if err != nil {
		return nil, fmt.Errorf("%w: roster validity: %w", ErrMalformed, err)
	}
	u, err := wire.Seconds(until)
	if err != nil {
		return nil, fmt.Errorf("%w: roster validity: %w", ErrMalformed, err)
	}
	ring, err := arsig.NewRing(funded)
	if err != nil {
		return nil, fmt.Errorf("%w: roster: %w", ErrMalformed, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.allEnrolled(ring); err != nil {
		return nil, err
	}
	r := &Roster{processor: p.key.Public(), number: p.next, opener: p.opener.Public(), limit: limit, validFrom: f, validUntil: u, ring: ring}
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	signed, err := wire.Sign(p.key, contextRoster, body)
	if err != nil {
		return nil, err
	}
	r.sig, r.id = signed[len(body):], wire.Digest(labelRosterID, body)
	if err := p.journal.Append(ctx, kindRoster, signed, ErrRefused); err != nil {
		return nil, fmt.Errorf("payments: recording the roster: %w", err)
	}
	p.rosters[r.id] = r
	p.next++
	return r, nil
}

// Open opens a payment under one of the processor's rosters, for a dispute
// or chargeback whose reason it states, at time at: it verifies the
// payment, names its payer with a proof, signs and records the
// disclosure. Every opening is on the processor's ledger with its reason,
// so an auditor of the ledger sees each one. Opening a payment again
// returns the recorded disclosure.
func (p *Processor) Open(ctx context.Context, payment []byte, reason string, at time.Time) (*Disclosure, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	pay, err := ParsePayment(payment)
	if err != nil {
		return nil, err
	}
	t, err := wire.Seconds(at)
	if err != nil {
		return nil, fmt.Errorf("%w: disclosure time: %w", ErrMalformed, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if d, ok := p.disclosures[pay.id]; ok {
		return d, nil
	}
	r, ok := p.rosters[pay.roster]
	if !ok {
		return nil, fmt.Errorf("%w: the payment's roster is not the processor's", ErrUnknown)
	}
	o, err := p.opener.Open(r.ring, pay.id[:], pay.sig)
	if err != nil {
		return nil, fmt.Errorf("%w: opening the payment: %w", ErrBadSignature, err)
	}
	d := &Disclosure{payment: pay, opening: o, reason: reason, time: t}
	body, err := d.body()
	if err != nil {
		return nil, err
	}
	signed, err := wire.Sign(p.key, contextDisclosure, body)
	if err != nil {
		return nil, err
	}
	d.sig = signed[len(body):]
	if err := p.journal.Append(ctx, kindDisclosure, signed, ErrRefused); err != nil {
		return nil, fmt.Errorf("payments: recording the disclosure: %w", err)
	}
	p.disclosures[pay.id] = d
	return d, nil
}
