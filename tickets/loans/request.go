package loans

import (
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var requestContext = contextOf("request")

// maxInstalments bounds a loan's instalments: thirty years of months.
const maxInstalments = 360

const nonceSize = 16

// request is a borrower's loan request: the amount to borrow, what it will
// repay in total over its monthly instalments, and the periods in which
// lenders may pledge (from the period it is posted to its deadline). The
// loan is the request's ID.
type request struct {
	pool        ID
	borrower    *ecdsa.PublicKey
	period      int
	deadline    int
	amount      money.Amount
	repayment   money.Amount
	instalments int
	nonce       [nonceSize]byte
	enc         []byte
}

func (r *request) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindRequest))
	w.Fixed(r.pool[:])
	w.ECDSAKey(r.borrower)
	writePeriod(w, r.period)
	writePeriod(w, r.deadline)
	w.Amount(r.amount)
	w.Amount(r.repayment)
	w.U16(uint16(r.instalments))
	w.Fixed(r.nonce[:])
	if err := r.validate(); err != nil {
		w.Fail(err)
	}
	return w.Finish()
}

// validate checks what a request must satisfy whatever the pool's state.
func (r *request) validate() error {
	switch {
	case r.amount.Sign() <= 0:
		return fmt.Errorf("amount %v is not positive", r.amount)
	case r.instalments < 1 || r.instalments > maxInstalments:
		return fmt.Errorf("%d instalments, want 1 to %d", r.instalments, maxInstalments)
	case r.deadline < r.period:
		return fmt.Errorf("deadline period %d before period %d", r.deadline, r.period)
	}
	c, err := r.repayment.Cmp(r.amount)
	if err != nil || c < 0 {
		return fmt.Errorf("repayment %v is less than the amount %v", r.repayment, r.amount)
	}
	if r.repayment.Units() < int64(r.instalments) {
		return fmt.Errorf("repayment %v does not cover %d instalments of a unit", r.repayment, r.instalments)
	}
	return nil
}

func parseRequest(b []byte) (*request, error) {
	body, err := bodyOf(b, "request")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindRequest), "request", ErrMalformed)
	r := &request{
		pool:        readID(rd, "pool"),
		borrower:    rd.ECDSAKey("borrower"),
		period:      readPeriod(rd, "period"),
		deadline:    readPeriod(rd, "deadline"),
		amount:      rd.Amount("amount"),
		repayment:   rd.Amount("repayment"),
		instalments: int(rd.U16("instalments")),
		enc:         slices.Clone(b),
	}
	copy(r.nonce[:], rd.Fixed("nonce", nonceSize))
	if err := rd.Done(); err != nil {
		return nil, err
	}
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("%w: request: %w", ErrMalformed, err)
	}
	return r, nil
}

func (r *request) encoded() []byte { return r.enc }

func (r *request) check(p *Pool) error {
	if err := p.checkPool(r.pool); err != nil {
		return err
	}
	if p.borrowers[string(r.borrower.Bytes())] == nil {
		return fmt.Errorf("%w: request by an unregistered borrower", ErrUnregistered)
	}
	if err := verify(r.borrower, requestContext, r.enc, "request"); err != nil {
		return err
	}
	if err := p.checkPeriod(r.period); err != nil {
		return err
	}
	if r.amount.Currency() != p.params.currency {
		return fmt.Errorf("%w: request in %s, the pool is in %s", ErrRefused, r.amount.Currency(), p.params.currency)
	}
	if p.loans[r.id()] != nil {
		return fmt.Errorf("%w: request posted already", ErrDuplicate)
	}
	return nil
}

func (r *request) id() ID { return digest(loanLabel, r.enc) }

func (r *request) apply(p *Pool) {
	l := &loan{id: r.id(), request: r, pledged: money.Zero(r.amount.Currency())}
	p.loans[l.id] = l
	p.order = append(p.order, l)
}
