// Command loans runs a year of a crowd-loan pool (package tickets/loans):
// 100 lenders register and 20 borrowers post loan requests; each loan is
// pledged by ten lenders, anonymously under the ring of registered lenders
// with the platform as opener; borrowers repay monthly instalments shared
// among the pledges pro rata; one request lapses, one borrower defaults and
// the platform names one of its lenders to a regulator with a proof; each of
// the 12 months is closed with the netting of its flows (package
// tickets/netting).
//
//	go run ./examples/loans [-lenders 100] [-borrowers 20] [-ledger FILE]
//
// It prints, month by month, the transfers before netting (one per
// obligation) and after, and exits non-zero if any expected outcome does
// not happen.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/loans"
	"github.com/ringtrace/ringtrace/tickets/money"
)

type config struct {
	lenders   int
	borrowers int
	ledger    string // file ledger path; "" for memory
}

func main() {
	var cfg config
	flag.IntVar(&cfg.lenders, "lenders", 100, "registered lenders (the ring size)")
	flag.IntVar(&cfg.borrowers, "borrowers", 20, "borrowers, one loan request each")
	flag.StringVar(&cfg.ledger, "ledger", "", "keep the ledger in this file (must not exist yet)")
	flag.Parse()
	if err := run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loans:", err)
		os.Exit(1)
	}
}

var (
	eur   = money.MustCurrency("EUR")
	start = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
)

const (
	periods   = 12
	defaulter = 0 // stops paying after three instalments
)

// The scenario is deterministic. Loan i (borrower i) asks for
// EUR 2,000 + 250·i, repays 4 to 8 % more in 6 to 9 instalments; the first
// half is posted in month 1, the rest in month 2, each taking pledges for
// two months. Its S pledges come from S consecutive lenders, in amounts
// proportional to 1, 2, 3, …; the second half's blocks of lenders are
// shifted by S/2, so each lender funds a loan in each month, and one loan's
// lenders are repaid by two others. The last loan misses its last pledge
// and lapses.
type plan struct {
	cfg     config
	perLoan int
}

func (p plan) lapser() int { return p.cfg.borrowers - 1 }

func (p plan) posted(i int) int { return 1 + i*2/p.cfg.borrowers }

func (p plan) amount(i int) int64 { return 200000 + 25000*int64(i) }

func (p plan) repayment(i int) int64 { return p.amount(i) * int64(104+i%5) / 100 }

func (p plan) instalments(i int) int { return 6 + i%4 }

func (p plan) lender(i, slot int) int {
	shift := 0
	if p.posted(i) == 2 {
		shift = p.perLoan / 2
	}
	return (i*p.perLoan + slot + shift) % p.cfg.lenders
}

// pledge returns the amount of slot's pledge to loan i: proportional to
// slot+1, the last slot taking what rounding leaves.
func (p plan) pledge(i, slot int) int64 {
	total := int64(p.perLoan * (p.perLoan + 1) / 2)
	if slot < p.perLoan-1 {
		return p.amount(i) * int64(slot+1) / total
	}
	left := p.amount(i)
	for s := range p.perLoan - 1 {
		left -= p.pledge(i, s)
	}
	return left
}

type clock struct {
	out  io.Writer
	last time.Time
}

func (c *clock) step(format string, args ...any) {
	now := time.Now()
	fmt.Fprintf(c.out, "%-66s %9s\n", fmt.Sprintf(format, args...), now.Sub(c.last).Round(time.Millisecond))
	c.last = time.Now()
}

func run(cfg config, out io.Writer) error {
	if cfg.borrowers < 3 || cfg.lenders < 2 {
		return errors.New("need at least 3 borrowers and 2 lenders")
	}
	p := plan{cfg: cfg, perLoan: max(2, min(20, 4*cfg.lenders/cfg.borrowers))}
	ctx := context.Background()
	l, err := openLedger(cfg.ledger)
	if err != nil {
		return err
	}
	defer l.Close()
	// The platform's keys; every role opens the pool with its public key.
	signing, err := ecdsa.GenerateKey()
	if err != nil {
		return err
	}
	opener, err := arsig.GenerateOpenerKey()
	if err != nil {
		return err
	}
	platform, err := loans.NewPlatform(signing, opener)
	if err != nil {
		return err
	}
	pool, err := loans.Open(ctx, l, signing.Public())
	if err != nil {
		return err
	}
	began := time.Now()
	clk := &clock{out: out, last: began}
	fmt.Fprintf(out, "crowd-loan pool: %d lenders (the ring), %d borrowers, %d months, GOMAXPROCS = %d\n",
		cfg.lenders, cfg.borrowers, periods, runtime.GOMAXPROCS(0))

	w := &world{ctx: ctx, pool: pool, platform: platform, plan: p, out: out}
	if err := w.setUp(); err != nil {
		return err
	}
	clk.step("platform set up; %d lenders and %d borrowers registered", cfg.lenders, cfg.borrowers)

	fmt.Fprintf(out, "\n%-14s %6s %6s   %-28s %-28s\n", "month", "funded", "repaid", "before netting (transfers)", "after netting (transfers)")
	for period := 1; period <= periods; period++ {
		if err := w.month(period); err != nil {
			return fmt.Errorf("month %d: %w", period, err)
		}
	}
	fmt.Fprintf(out, "%-14s %6d %6d   %-28d %d (%d%% fewer)\n\n", "year", w.funded, w.repaid,
		w.before, w.after, 100*(w.before-w.after)/max(w.before, 1))
	clk.step("%d months: %d pledges signed and verified (arsig, N = %d)", periods, w.pledges, cfg.lenders)

	if err := w.checkOutcomes(); err != nil {
		return err
	}
	clk.step("outcomes checked; every lender checked its own nets")

	replayed, err := loans.Open(ctx, l, signing.Public())
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if err := samePool(pool, replayed); err != nil {
		return err
	}
	clk.step("ledger replayed: %d records, every signature verified, same state", l.Len())
	fmt.Fprintf(out, "summary: %d loans repaid, %d defaulted, %d lapsed; %d transfers netted to %d; %d attacks refused; %v\n",
		w.count(loans.Repaid), w.count(loans.Defaulted), w.count(loans.Lapsed), w.before, w.after, w.refused,
		time.Since(began).Round(time.Millisecond))
	return nil
}

func openLedger(path string) (ledger.Ledger, error) {
	if path == "" {
		return ledger.NewMemory(), nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("%s exists; the example needs a new ledger", path)
	}
	return ledger.OpenFile(path)
}
