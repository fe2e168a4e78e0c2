package loans

import (
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

var defaultContext = contextOf("default")

// loanDefault is the platform's record that a loan's instalment was not
// paid in the period it was due: the loan is closed and pays nothing more.
type loanDefault struct {
	pool       ID
	loan       ID
	period     int
	instalment int
	enc        []byte
}

func (r *loanDefault) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindDefault))
	w.Fixed(r.pool[:])
	w.Fixed(r.loan[:])
	writePeriod(w, r.period)
	w.U16(uint16(r.instalment))
	if r.instalment < 1 || r.instalment > maxInstalments {
		w.Fail(fmt.Errorf("instalment %d", r.instalment))
	}
	return w.Finish()
}

func parseDefault(b []byte) (*loanDefault, error) {
	body, err := bodyOf(b, "default")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindDefault), "default", ErrMalformed)
	r := &loanDefault{pool: readID(rd, "pool"), loan: readID(rd, "loan"), period: readPeriod(rd, "period"), enc: slices.Clone(b)}
	r.instalment = int(rd.U16("instalment"))
	if rd.Err() == nil && (r.instalment < 1 || r.instalment > maxInstalments) {
		rd.Fail("instalment", "out of range")
	}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *loanDefault) encoded() []byte { return r.enc }

func (r *loanDefault) check(p *Pool) error {
	if err := p.checkPlatformRecord(r.pool, defaultContext, r.enc, "default"); err != nil {
		return err
	}
	l := p.loans[r.loan]
	switch {
	case l == nil:
		return fmt.Errorf("%w: default of an unknown loan", ErrUnregistered)
	case l.status == Defaulted:
		return fmt.Errorf("%w: loan defaulted already", ErrDuplicate)
	case l.status != Funded:
		return fmt.Errorf("%w: default of a loan that is %v", ErrRefused, l.status)
	case r.instalment != l.paid+1:
		return fmt.Errorf("%w: instalment %d is not the first unpaid (%d)", ErrRefused, r.instalment, l.paid+1)
	}
	if err := p.checkPeriod(r.period); err != nil {
		return err
	}
	if due := l.funded + r.instalment; r.period <= due {
		return fmt.Errorf("%w: instalment %d is due in period %d, which is not over", ErrRefused, r.instalment, due)
	}
	return nil
}

func (r *loanDefault) apply(p *Pool) { p.loans[r.loan].status = Defaulted }
