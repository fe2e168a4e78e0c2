package loans

import (
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var repaymentContext = contextOf("repayment")

// repayment is a borrower's payment of instalment i of a loan, in the
// period it is due: i periods after the loan was funded. It is shared
// among the pledges pro rata (proRata).
type repayment struct {
	pool       ID
	loan       ID
	period     int
	instalment int
	amount     money.Amount
	enc        []byte
}

func (r *repayment) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindRepayment))
	w.Fixed(r.pool[:])
	w.Fixed(r.loan[:])
	writePeriod(w, r.period)
	w.U16(uint16(r.instalment))
	w.Amount(r.amount)
	if r.instalment < 1 || r.instalment > maxInstalments || r.amount.Sign() <= 0 {
		w.Fail(fmt.Errorf("instalment %d of %v", r.instalment, r.amount))
	}
	return w.Finish()
}

func parseRepayment(b []byte) (*repayment, error) {
	body, err := bodyOf(b, "repayment")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindRepayment), "repayment", ErrMalformed)
	r := &repayment{pool: readID(rd, "pool"), loan: readID(rd, "loan"), period: readPeriod(rd, "period"), enc: slices.Clone(b)}
	r.instalment = int(rd.U16("instalment"))
	if rd.Err() == nil && (r.instalment < 1 || r.instalment > maxInstalments) {
		rd.Fail("instalment", "out of range")
	}
	r.amount = readPositive(rd, "amount")
	if err := rd.Done(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *repayment) encoded() []byte { return r.enc }

func (r *repayment) check(p *Pool) error {
	if err := p.checkPool(r.pool); err != nil {
		return err
	}
	l := p.loans[r.loan]
	if l == nil {
		return fmt.Errorf("%w: repayment of an unknown loan", ErrUnregistered)
	}
	if err := verify(l.request.borrower, repaymentContext, r.enc, "repayment"); err != nil {
		return err
	}
	if l.status != Funded && l.status != Repaid {
		return fmt.Errorf("%w: repayment of a loan that is %v", ErrRefused, l.status)
	}
	if r.instalment <= l.paid {
		return fmt.Errorf("%w: instalment %d paid already", ErrDuplicate, r.instalment)
	}
	if l.status != Funded || r.instalment != l.paid+1 || r.instalment > l.request.instalments {
		return fmt.Errorf("%w: instalment %d, the next due is %d of %d", ErrRefused, r.instalment, l.paid+1, l.request.instalments)
	}
	if err := p.checkPeriod(r.period); err != nil {
		return err
	}
	if due := l.funded + r.instalment; r.period != due {
		return fmt.Errorf("%w: instalment %d is due in period %d, not %d", ErrRefused, r.instalment, due, r.period)
	}
	if want := l.instalment(r.instalment); r.amount != want {
		return fmt.Errorf("%w: instalment %d is %v, not %v", ErrRefused, r.instalment, want, r.amount)
	}
	if err := p.checkVolume(r.amount); err != nil {
		return err
	}
	parties := []*ecdsa.PublicKey{l.request.borrower}
	for k, s := range l.shares(r.amount) {
		if s > 0 {
			parties = append(parties, l.pledges[k].account)
		}
	}
	return p.checkParties(parties)
}

// shares returns each pledge's share of a repayment of amount, by proRata.
func (l *loan) shares(amount money.Amount) []int64 {
	weights := make([]int64, len(l.pledges))
	for k, pl := range l.pledges {
		weights[k] = pl.amount.Units()
	}
	return proRata(amount.Units(), weights, l.request.amount.Units())
}

func (r *repayment) apply(p *Pool) {
	l := p.loans[r.loan]
	for k, s := range l.shares(r.amount) {
		if s > 0 {
			p.owe(l.request.borrower, l.pledges[k].account, money.MustNew(s, r.amount.Currency()))
		}
	}
	l.paid++
	if l.paid == l.request.instalments {
		l.status = Repaid
	}
}
