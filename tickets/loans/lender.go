package loans

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A Lender pledges to loans. Its arsig key, registered with the platform,
// signs each pledge anonymously among the pool's lenders; its account key
// names the account that pays the pledges and receives the repayments, and
// signs each pledge too. Both keys are private to the lender.
//
// A lender that pledges from one account has all its pledges linked to
// each other (never to it) and its flows netted together; one that wants
// its pledges unlinkable uses a Lender with a fresh account key for each,
// all with the same arsig key.
type Lender struct {
	key     *arsig.PrivateKey
	account *ecdsa.PrivateKey
}

// NewLender returns the lender holding key, pledging from account.
func NewLender(key *arsig.PrivateKey, account *ecdsa.PrivateKey) (*Lender, error) {
	if key == nil || account == nil {
		return nil, errors.New("loans: missing lender key")
	}
	return &Lender{key: key, account: account}, nil
}

// Pledge returns a pledge of amount to loan in the pool's open period,
// ring-signed under every lender registered so far.
func (ld *Lender) Pledge(p *Pool, loan ID, amount money.Amount) ([]byte, error) {
	if ld == nil || ld.key == nil || ld.account == nil {
		return nil, errors.New("loans: lender not made by NewLender")
	}
	if err := p.opened(); err != nil {
		return nil, err
	}
	r := &pledge{loan: loan, amount: amount, account: ld.account.Public()}
	if _, err := rand.Read(r.nonce[:]); err != nil {
		return nil, err
	}
	p.mu.RLock()
	if p.params == nil || len(p.lenders) == 0 {
		p.mu.RUnlock()
		return nil, fmt.Errorf("%w: the pool has no lenders", ErrUnregistered)
	}
	r.pool, r.period, r.ring = p.id, p.period, len(p.lenders)
	ring, opener := p.ring(r.ring), p.params.opener
	loanErr := p.takesPledges(loan)
	p.mu.RUnlock()
	if _, ok := ring.IndexOf(ld.key.Public()); !ok {
		return nil, fmt.Errorf("%w: the lender is not registered", ErrUnregistered)
	}
	if loanErr != nil {
		return nil, loanErr
	}
	if err := r.setMessage(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	var err error
	if r.sig, err = arsig.Sign(ld.key, ring, opener, r.msg); err != nil {
		return nil, err
	}
	return seal(ld.account, pledgeContext, r.body)
}

// takesPledges reports whether loan takes pledges. The caller holds p.mu.
func (p *Pool) takesPledges(id ID) error {
	l := p.loans[id]
	if l == nil {
		return fmt.Errorf("%w: unknown loan", ErrUnregistered)
	}
	if l.status != Requested {
		return fmt.Errorf("%w: the loan is %v", ErrRefused, l.status)
	}
	return nil
}
