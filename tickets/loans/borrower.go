package loans

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A Borrower posts loan requests and repays them. Its ECDSA key, registered
// with the platform, signs both and names it in netting; it is private to
// the borrower. Borrowers are not anonymous.
type Borrower struct {
	key *ecdsa.PrivateKey
}

// NewBorrower returns the borrower holding key.
func NewBorrower(key *ecdsa.PrivateKey) (*Borrower, error) {
	if key == nil {
		return nil, errors.New("loans: missing borrower key")
	}
	return &Borrower{key: key}, nil
}

// Request returns a request, in the pool's open period, to borrow amount
// and repay repayment (at least amount) in instalments monthly
// instalments, taking pledges until the end of period deadline.
func (b *Borrower) Request(p *Pool, amount, repayment money.Amount, instalments, deadline int) ([]byte, error) {
	if err := b.usable(p); err != nil {
		return nil, err
	}
	r := &request{borrower: b.key.Public(), deadline: deadline, amount: amount, repayment: repayment, instalments: instalments}
	if _, err := rand.Read(r.nonce[:]); err != nil {
		return nil, err
	}
	p.mu.RLock()
	r.pool, r.period = p.id, p.period
	p.mu.RUnlock()
	return seal(b.key, requestContext, r.body)
}

// Repay returns the repayment of loan's next instalment, which must be due
// in the pool's open period.
func (b *Borrower) Repay(p *Pool, loan ID) ([]byte, error) {
	if err := b.usable(p); err != nil {
		return nil, err
	}
	p.mu.RLock()
	l := p.loans[loan]
	var r *repayment
	if l != nil {
		r = &repayment{pool: p.id, loan: loan, period: p.period, instalment: l.paid + 1}
		if r.instalment <= l.request.instalments {
			r.amount = l.instalment(r.instalment)
		}
	}
	p.mu.RUnlock()
	if r == nil {
		return nil, fmt.Errorf("%w: unknown loan", ErrUnregistered)
	}
	return seal(b.key, repaymentContext, r.body)
}

func (b *Borrower) usable(p *Pool) error {
	if b == nil || b.key == nil {
		return errors.New("loans: borrower not made by NewBorrower")
	}
	return p.opened()
}
