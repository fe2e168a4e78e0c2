package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets/loans"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

// ecdsaSignatureSize is the size of the signature that ends a record.
const ecdsaSignatureSize = 64

// world holds every role of the example. The roles share nothing but the
// pool's public state (each would open its own from the ledger when running
// apart) and pass records to it as bytes.
type world struct {
	ctx  context.Context
	pool *loans.Pool
	plan plan
	out  io.Writer

	platform   *loans.Platform
	lenderKeys []*arsig.PrivateKey
	accounts   []*ecdsa.PrivateKey
	lenders    []*loans.Lender
	borrowKeys []*ecdsa.PrivateKey
	borrowers  []*loans.Borrower
	loanIDs    []loans.ID // by borrower

	before, after   int // transfers before and after netting
	funded, repaid  int // loans funded, instalments repaid
	pledges         int
	firstPledge     []byte // loan 0's first, for the attacks
	refused         int
	disclosedLender *arsig.PublicKey
}

func (w *world) submit(b []byte, err error) error {
	if err != nil {
		return err
	}
	return w.pool.Submit(w.ctx, b)
}

// attack submits b, which the pool must refuse with want.
func (w *world) attack(what string, b []byte, want error) error {
	if err := w.pool.Submit(w.ctx, b); !errors.Is(err, want) {
		return fmt.Errorf("%s: got %v, want %v", what, err, want)
	}
	w.refused++
	fmt.Fprintf(w.out, "  refused: %s\n", what)
	return nil
}

func (w *world) setUp() error {
	if err := w.submit(w.platform.Setup(eur, start)); err != nil {
		return err
	}
	for range w.plan.cfg.lenders {
		key, err := arsig.GenerateKey()
		if err != nil {
			return err
		}
		account, err := ecdsa.GenerateKey()
		if err != nil {
			return err
		}
		ld, err := loans.NewLender(key, account)
		if err != nil {
			return err
		}
		w.lenderKeys, w.accounts, w.lenders = append(w.lenderKeys, key), append(w.accounts, account), append(w.lenders, ld)
		if err := w.submit(w.platform.RegisterLender(w.pool, key.Public())); err != nil {
			return err
		}
	}
	for range w.plan.cfg.borrowers {
		key, err := ecdsa.GenerateKey()
		if err != nil {
			return err
		}
		b, err := loans.NewBorrower(key)
		if err != nil {
			return err
		}
		w.borrowKeys, w.borrowers = append(w.borrowKeys, key), append(w.borrowers, b)
		if err := w.submit(w.platform.RegisterBorrower(w.pool, key.Public())); err != nil {
			return err
		}
	}
	w.loanIDs = make([]loans.ID, w.plan.cfg.borrowers)
	return nil
}

func (w *world) loan(i int) loans.Loan {
	for _, l := range w.pool.Loans() {
		if l.ID == w.loanIDs[i] {
			return l
		}
	}
	return loans.Loan{}
}

// month runs one period: requests, pledges, repayments, the default and
// the disclosure, attacks, and the netting statement that closes it.
func (w *world) month(period int) error {
	p := w.plan
	var posted []int
	for i := range p.cfg.borrowers {
		if p.posted(i) != period {
			continue
		}
		enc, err := w.borrowers[i].Request(w.pool, money.MustNew(p.amount(i), eur), money.MustNew(p.repayment(i), eur), p.instalments(i), period+1)
		if err := w.submit(enc, err); err != nil {
			return err
		}
		posted = append(posted, i)
	}
	for _, l := range w.pool.Loans() {
		for _, i := range posted {
			if l.Borrower.Equal(w.borrowKeys[i].Public()) {
				w.loanIDs[i] = l.ID
			}
		}
	}
	if err := w.pledgeTo(posted); err != nil {
		return err
	}
	if period == 1 {
		if err := w.pledgeAttacks(); err != nil {
			return err
		}
	}

	var lastRepayment []byte
	repaid := 0
	for i := range p.cfg.borrowers {
		l := w.loan(i)
		if l.Status != loans.Funded || l.Funded+l.Paid+1 != period || (i == defaulter && l.Paid == 3) {
			continue
		}
		enc, err := w.borrowers[i].Repay(w.pool, l.ID)
		if err := w.submit(enc, err); err != nil {
			return fmt.Errorf("borrower %d: %w", i, err)
		}
		lastRepayment = enc
		repaid++
	}
	if period == 2 {
		if err := w.attack("a repayment counted twice", lastRepayment, loans.ErrDuplicate); err != nil {
			return err
		}
	}
	if l := w.loan(defaulter); l.Status == loans.Funded && period > l.Funded+l.Paid+1 {
		if err := w.defaultAndDisclose(l); err != nil {
			return err
		}
	}

	statement, err := w.platform.Close(w.pool)
	if err != nil {
		return err
	}
	if period == 1 {
		// The last transfer's amount changed by a cent in transit: the
		// statement no longer settles its nets.
		tampered := bytes.Clone(statement)
		tampered[len(tampered)-ecdsaSignatureSize-1] ^= 1
		if err := w.attack("a netting statement altered in transit", tampered, loans.ErrMalformed); err != nil {
			return err
		}
	}
	if err := w.submit(statement, nil); err != nil {
		return err
	}
	return w.report(period, repaid)
}

// pledgeTo signs every pledge to the loans just posted, in parallel, and
// submits them in order. The last loan misses its last pledge.
func (w *world) pledgeTo(posted []int) error {
	p := w.plan
	type job struct{ loan, slot int }
	var jobs []job
	for _, i := range posted {
		for slot := range p.perLoan {
			if i == p.lapser() && slot == p.perLoan-1 {
				continue
			}
			jobs = append(jobs, job{i, slot})
		}
	}
	encs := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	parallel.For(len(jobs), func(k int) {
		j := jobs[k]
		encs[k], errs[k] = w.lenders[p.lender(j.loan, j.slot)].Pledge(w.pool, w.loanIDs[j.loan], money.MustNew(p.pledge(j.loan, j.slot), eur))
	})
	for k := range jobs {
		if err := w.submit(encs[k], errs[k]); err != nil {
			return fmt.Errorf("pledge %d to loan %d: %w", jobs[k].slot, jobs[k].loan, err)
		}
	}
	if w.firstPledge == nil && len(encs) > 0 {
		w.firstPledge = encs[0]
	}
	w.pledges += len(jobs)
	return nil
}

// pledgeAttacks: a dishonest lender, or anyone who saw a pledge, replays
// it or moves it to another loan; someone outside the ring tries to pledge.
func (w *world) pledgeAttacks() error {
	from, to := w.loanIDs[0], w.loanIDs[1]
	if err := w.attack("a pledge replayed", w.firstPledge, loans.ErrDuplicate); err != nil {
		return err
	}
	if err := w.attack("a pledge moved to another loan", bytes.Replace(w.firstPledge, from[:], to[:], 1), loans.ErrBadSignature); err != nil {
		return err
	}
	outsider, err := arsig.GenerateKey()
	if err != nil {
		return err
	}
	account, err := ecdsa.GenerateKey()
	if err != nil {
		return err
	}
	stranger, err := loans.NewLender(outsider, account)
	if err != nil {
		return err
	}
	if _, err := stranger.Pledge(w.pool, from, money.MustNew(1, eur)); !errors.Is(err, loans.ErrUnregistered) {
		return fmt.Errorf("an unregistered lender pledged: %v", err)
	}
	w.refused++
	fmt.Fprintln(w.out, "  refused: a pledge by a lender outside the ring")
	return nil
}

// defaultAndDisclose records the default of loan l and has the platform
// name the lender of its largest pledge to a regulator.
func (w *world) defaultAndDisclose(l loans.Loan) error {
	if err := w.submit(w.platform.Default(w.pool, l.ID)); err != nil {
		return err
	}
	largest := l.Pledges[0]
	for _, pl := range l.Pledges {
		if pl.Amount.Units() > largest.Amount.Units() {
			largest = pl
		}
	}
	if err := w.submit(w.platform.Disclose(w.pool, largest.ID, "regulator inquiry into the default of loan 0")); err != nil {
		return err
	}
	// The example knows who made that pledge: the lender of the last slot.
	w.disclosedLender = w.lenderKeys[w.plan.lender(defaulter, w.plan.perLoan-1)].Public()
	fmt.Fprintf(w.out, "  loan 0 defaulted after %d of %d instalments; the platform named the lender of its largest pledge\n", l.Paid, l.Instalments)
	return nil
}

func (w *world) report(period, repaid int) error {
	st := w.pool.Statements()[period-1]
	s := st.Settlement()
	gross, net := money.Zero(eur), money.Zero(eur)
	var err error
	for _, o := range w.pool.Obligations(period) {
		if gross, err = gross.Add(o.Amount); err != nil {
			return err
		}
	}
	for _, t := range s.Transfers() {
		if net, err = net.Add(t.Amount); err != nil {
			return err
		}
	}
	funded := 0
	for _, l := range w.pool.Loans() {
		if l.Funded == period {
			funded++
		}
	}
	fmt.Fprintf(w.out, "%2d  %-10s %6d %6d   %4d  %-22s %4d  %-22s\n", period, st.Start().Format("Jan 2006"), funded, repaid,
		s.Obligations(), gross, len(s.Transfers()), net)
	if period == 2 {
		w.illustrate(period, s)
	}
	w.before += s.Obligations()
	w.after += len(s.Transfers())
	w.funded += funded
	w.repaid += repaid
	return nil
}

// illustrate prints lender 0's flows of the period before and after
// netting.
func (w *world) illustrate(period int, s *netting.Settlement) {
	me := netting.Party(w.accounts[0].Public().Bytes())
	line := func(o netting.Obligation) {
		if o.Payer == me {
			fmt.Fprintf(w.out, "      pays %v to %s\n", o.Amount, w.name(o.Payee))
		} else if o.Payee == me {
			fmt.Fprintf(w.out, "      receives %v from %s\n", o.Amount, w.name(o.Payer))
		}
	}
	fmt.Fprintln(w.out, "    lender 0's account before netting:")
	for _, o := range w.pool.Obligations(period) {
		line(o)
	}
	fmt.Fprintln(w.out, "    after netting:")
	for _, o := range s.Transfers() {
		line(o)
	}
}

// name names a party for display.
func (w *world) name(p netting.Party) string {
	for i, k := range w.borrowKeys {
		if netting.Party(k.Public().Bytes()) == p {
			return fmt.Sprintf("borrower %d", i)
		}
	}
	for i, k := range w.accounts {
		if netting.Party(k.Public().Bytes()) == p {
			return fmt.Sprintf("lender %d", i)
		}
	}
	return "?"
}

func (w *world) count(s loans.Status) int {
	n := 0
	for _, l := range w.pool.Loans() {
		if l.Status == s {
			n++
		}
	}
	return n
}

// checkOutcomes checks what the year must have produced, and has every
// lender check its own net in every statement.
func (w *world) checkOutcomes() error {
	p := w.plan
	want := map[loans.Status]int{loans.Repaid: p.cfg.borrowers - 2, loans.Defaulted: 1, loans.Lapsed: 1}
	for s, n := range want {
		if got := w.count(s); got != n {
			return fmt.Errorf("%d loans %v, want %d", got, s, n)
		}
	}
	if l := w.loan(defaulter); l.Status != loans.Defaulted || l.Paid != 3 {
		return fmt.Errorf("loan 0 is %v after %d instalments", l.Status, l.Paid)
	}
	if l := w.loan(p.lapser()); l.Status != loans.Lapsed {
		return fmt.Errorf("the last loan is %v", l.Status)
	}
	ds := w.pool.Disclosures()
	if len(ds) != 1 || w.disclosedLender == nil || !ds[0].Lender.Equal(w.disclosedLender) {
		return errors.New("the disclosure does not name the lender of the pledge")
	}
	if w.refused != 5 {
		return fmt.Errorf("%d attacks refused, want 5", w.refused)
	}
	statements := w.pool.Statements()
	if len(statements) != periods || w.after >= w.before {
		return fmt.Errorf("%d statements, %d transfers netted to %d", len(statements), w.before, w.after)
	}

	// Every instalment paid reached the lenders, no unit created or lost.
	paid, shared := int64(0), int64(0)
	for i := range p.cfg.borrowers {
		l := w.loan(i)
		for k := 1; k <= l.Paid; k++ {
			paid += l.Instalment(k).Units()
		}
	}
	for n, st := range statements {
		obligations := w.pool.Obligations(n + 1)
		if err := st.Settlement().Check(obligations); err != nil {
			return fmt.Errorf("month %d: %w", n+1, err)
		}
		for _, o := range obligations {
			if w.isBorrower(o.Payer) {
				shared += o.Amount.Units()
			}
		}
		for k, acct := range w.accounts {
			me := netting.Party(acct.Public().Bytes())
			var own []netting.Obligation
			for _, o := range obligations {
				if o.Payer == me || o.Payee == me {
					own = append(own, o)
				}
			}
			if err := st.Settlement().CheckParty(me, own); err != nil {
				return fmt.Errorf("lender %d, month %d: %w", k, n+1, err)
			}
		}
	}
	if paid != shared {
		return fmt.Errorf("borrowers paid %d, lenders were owed %d", paid, shared)
	}
	return nil
}

func (w *world) isBorrower(p netting.Party) bool {
	for _, k := range w.borrowKeys {
		if netting.Party(k.Public().Bytes()) == p {
			return true
		}
	}
	return false
}

func samePool(a, b *loans.Pool) error {
	la, lb := a.Loans(), b.Loans()
	if len(la) != len(lb) || a.Period() != b.Period() {
		return errors.New("replay: different loans or period")
	}
	for i := range la {
		if la[i].ID != lb[i].ID || la[i].Status != lb[i].Status || la[i].Paid != lb[i].Paid {
			return fmt.Errorf("replay: loan %d differs", i)
		}
	}
	sa, sb := a.Statements(), b.Statements()
	if len(sa) != len(sb) {
		return errors.New("replay: different statements")
	}
	for i := range sa {
		if !bytes.Equal(sa[i].Bytes(), sb[i].Bytes()) {
			return fmt.Errorf("replay: statement %d differs", i+1)
		}
	}
	if len(a.Disclosures()) != len(b.Disclosures()) {
		return errors.New("replay: different disclosures")
	}
	return nil
}
