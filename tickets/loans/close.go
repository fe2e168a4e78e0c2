package loans

import (
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/money"

	"github.com/ringtrace/ringtrace/tickets/netting"
)

// closing is the netting statement, signed by the platform, that closes
// the pool's current period: the netting of exactly the period's
// obligations over exactly the period's month. It is appended with
// netting.Kind.
type closing struct {
	st *netting.Statement
}

func (r closing) encoded() []byte { return r.st.Bytes() }

func (r closing) check(p *Pool) error {
	if err := r.st.Verify(p.params.platform); err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	start, end := p.params.periodStart(p.period), p.params.periodStart(p.period+1)
	if !r.st.Start().Equal(start) || !r.st.End().Equal(end) {
		return fmt.Errorf("%w: statement for %v to %v, period %d is %v to %v", ErrRefused,
			r.st.Start(), r.st.End(), p.period, start, end)
	}
	if err := r.st.Settlement().Check(p.obligations[p.period-1]); err != nil {
		return fmt.Errorf("%w: statement of period %d: %w", ErrRefused, p.period, err)
	}
	return nil
}

// apply closes the period: requests whose deadline it was and that were not
// funded lapse, and the next period begins.
func (r closing) apply(p *Pool) {
	for _, l := range p.order {
		if l.status == Requested && l.request.deadline == p.period {
			l.status = Lapsed
		}
	}
	p.statements = append(p.statements, r.st)
	p.period++
	p.obligations = append(p.obligations, nil)
	p.volume = money.Zero(p.params.currency)
	clear(p.parties)
}
