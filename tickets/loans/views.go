package loans

import (
	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Status is the state of a loan.
type Status uint8

const (
	// Requested: posted, taking pledges until it is fully pledged or its
	// deadline period closes.
	Requested Status = iota
	// Funded: fully pledged; repaying its instalments.
	Funded
	// Repaid: every instalment paid.
	Repaid
	// Defaulted: an instalment was not paid when due, and the platform
	// recorded the default.
	Defaulted
	// Lapsed: not fully pledged by its deadline; nobody pays anything.
	Lapsed
)

func (s Status) String() string {
	switch s {
	case Requested:
		return "requested"
	case Funded:
		return "funded"
	case Repaid:
		return "repaid"
	case Defaulted:
		return "defaulted"
	case Lapsed:
		return "lapsed"
	}
	return "unknown"
}

// A Loan is a snapshot of a loan request and its state.
type Loan struct {
	ID          ID
	Borrower    *ecdsa.PublicKey
	Amount      money.Amount // to borrow
	Repayment   money.Amount // to repay in total
	Instalments int          // monthly, the first due the period after funding
	Deadline    int          // the last period in which pledges are taken
	Status      Status
	Funded      int      // the period in which it was funded, or 0
	Paid        int      // instalments paid
	Pledges     []Pledge // in the order accepted
}

// Instalment returns the amount of instalment i, 1 to Instalments: the
// repayment divided equally, the first Repayment mod Instalments
// instalments one minor unit more. For any other i it returns the zero
// Amount.
func (l Loan) Instalment(i int) money.Amount {
	if i < 1 || i > l.Instalments || !l.Repayment.Valid() {
		return money.Amount{}
	}
	return money.MustNew(instalment(l.Repayment.Units(), l.Instalments, i), l.Repayment.Currency())
}

// A Pledge is a snapshot of a pledge: what borrowers and other lenders
// see. The lender behind it is known only to the platform.
type Pledge struct {
	ID      ID
	Account *ecdsa.PublicKey // pays the pledge, receives its shares of repayments
	Amount  money.Amount
}

// A Disclosure is the platform's naming of the lender behind a pledge,
// verified against its opening proof.
type Disclosure struct {
	Pledge ID
	Lender *arsig.PublicKey
	Reason string
}

func (l *loan) view() Loan {
	v := Loan{
		ID: l.id, Borrower: l.request.borrower, Amount: l.request.amount, Repayment: l.request.repayment,
		Instalments: l.request.instalments, Deadline: l.request.deadline,
		Status: l.status, Funded: l.funded, Paid: l.paid,
	}
	for _, pl := range l.pledges {
		v.Pledges = append(v.Pledges, Pledge{ID: pl.pid, Account: pl.account, Amount: pl.amount})
	}
	return v
}
