// Command billing runs one billing period of enforced bill collection
// (package tickets/billing): users register with deposits, sign a few
// hundred usage records anonymously under the ring of registered users, the
// provider accepts them in batches, the collector opens them into invoices
// that every user verifies line by line, most users pay and get receipts,
// one user's tampered line is disputed and struck, and one user who ignores
// the invoice forfeits part of the deposit.
//
//	go run ./examples/billing [-users 64] [-records 300] [-ledger FILE]
//
// It prints a summary with timings and exits non-zero if any expected
// outcome does not happen.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

type config struct {
	users   int    // ring size N
	records int    // usage records in the period
	ledger  string // file ledger path; "" for memory
}

func main() {
	var cfg config
	flag.IntVar(&cfg.users, "users", 64, "registered users (the ring size N)")
	flag.IntVar(&cfg.records, "records", 300, "anonymous usage records in the period")
	flag.StringVar(&cfg.ledger, "ledger", "", "keep the ledger in this file (must not exist yet)")
	flag.Parse()
	if err := run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "billing:", err)
		os.Exit(1)
	}
}

var eur = money.MustCurrency("EUR")

const (
	day     = 86400
	start   = 1_798_761_600 // 2027-01-01 00:00 UTC
	end     = start + 30*day
	issued  = end + day
	due     = issued + 14*day
	deposit = 5000 // cents
)

var services = []string{"storage", "compute", "egress", "backup"}

// The cast: user 0 receives a tampered line (a record of user 1 billed to
// them), user 2 ignores the invoice.
const (
	victim  = 0
	owner   = 1
	ignorer = 2
)

type clock struct {
	out  io.Writer
	last time.Time
}

func (c *clock) step(format string, args ...any) {
	now := time.Now()
	fmt.Fprintf(c.out, "%-64s %9s\n", fmt.Sprintf(format, args...), now.Sub(c.last).Round(10*time.Microsecond))
	c.last = time.Now()
}

func run(cfg config, out io.Writer) error {
	if cfg.users < 3 || cfg.records < 2*cfg.users {
		return errors.New("need at least 3 users and two records per user")
	}
	l, err := openLedger(cfg.ledger)
	if err != nil {
		return err
	}
	defer l.Close()
	book, err := billing.Open(l)
	if err != nil {
		return err
	}
	clk := &clock{out: out, last: time.Now()}
	fmt.Fprintf(out, "billing period: ring N = %d users, %d usage records, GOMAXPROCS = %d\n",
		cfg.users, cfg.records, runtime.GOMAXPROCS(0))

	// Set-up and registration.
	signer, err := ecdsa.GenerateKey()
	if err != nil {
		return err
	}
	opener, err := arsig.GenerateOpenerKey()
	if err != nil {
		return err
	}
	collector, err := billing.SetUp(book, signer, opener, money.MustNew(deposit, eur))
	if err != nil {
		return err
	}
	users := make([]*billing.User, cfg.users)
	for i := range users {
		if users[i], err = billing.NewUser(book); err != nil {
			return err
		}
		if err := users[i].Register(money.MustNew(deposit, eur), start-day); err != nil {
			return err
		}
	}
	if _, err := collector.OpenPeriod(start, end); err != nil {
		return err
	}
	clk.step("registered %d users, deposits of %v each", cfg.users, money.MustNew(deposit, eur))

	// Usage: signed by the users (in parallel), accepted by the provider in
	// batches.
	usages := make([]*billing.Usage, cfg.records)
	if err := parallel(cfg.records, func(i int) error {
		// Every user gets a record; the rest are spread deterministically.
		who := i % cfg.users
		if i >= cfg.users {
			who = (i * 37) % cfg.users
		}
		amount := money.MustNew(int64(20+(i*53)%380), eur)
		u, err := users[who].Use(services[i%len(services)], amount, start+int64(i)*600)
		usages[i] = u
		return err
	}); err != nil {
		return err
	}
	clk.step("%d usage records signed (arsig, N = %d)", cfg.records, cfg.users)

	provider := billing.NewProvider(book)
	const batch = 64
	for lo := 0; lo < len(usages); lo += batch {
		for j, err := range provider.AcceptBatch(usages[lo:min(lo+batch, len(usages))]) {
			if err != nil {
				return fmt.Errorf("provider refused record %d: %w", lo+j, err)
			}
		}
	}
	if err := provider.Accept(usages[0]); !errors.Is(err, billing.ErrDuplicateUsage) {
		return fmt.Errorf("replayed usage record: got %v, want a refusal", err)
	}
	clk.step("provider accepted %d records in batches of %d", cfg.records, batch)

	// Invoices: opened in parallel; the collector tampers with one line.
	if err := collector.ClosePeriod(end); err != nil {
		return err
	}
	invs, err := collector.DraftInvoices(1, issued, due)
	if err != nil {
		return err
	}
	clk.step("collector opened %d records into %d invoices", cfg.records, len(invs))
	byUser := func(i int) *billing.Invoice {
		for _, inv := range invs {
			if inv.User.Equal(users[i].Public()) {
				return inv
			}
		}
		return nil
	}
	if err := tamper(book, byUser(victim), byUser(owner)); err != nil {
		return err
	}
	for _, inv := range invs {
		if _, err := collector.Issue(inv); err != nil {
			return err
		}
	}

	// Every user verifies every line of their invoice.
	lines, bad := 0, 0
	var disputed billing.Digest
	var disputedLine int
	for i, u := range users {
		inv := byUser(i)
		errs, err := u.CheckInvoice(inv)
		if err != nil {
			return fmt.Errorf("user %d: %w", i, err)
		}
		for j, err := range errs {
			lines++
			if err == nil {
				continue
			}
			bad++
			if i != victim {
				return fmt.Errorf("user %d line %d: %w", i, j, err)
			}
			disputed, _ = inv.Digest()
			disputedLine = j
		}
	}
	if bad != 1 {
		return fmt.Errorf("%d lines failed verification, want exactly the tampered one", bad)
	}
	clk.step("%d users verified %d lines: %d rejected", cfg.users, lines, bad)

	// The victim disputes the tampered line; an honest line cannot be.
	if err := users[victim].Dispute(disputed, disputedLine, issued+day); err != nil {
		return fmt.Errorf("dispute of the tampered line: %w", err)
	}
	honest := 0
	if disputedLine == 0 {
		honest = 1
	}
	if err := users[victim].Dispute(disputed, honest, issued+day); !errors.Is(err, billing.ErrDisputeRejected) {
		return fmt.Errorf("dispute of an honest line: got %v, want a refusal", err)
	}
	struck, err := book.Invoice(disputed)
	if err != nil {
		return err
	}
	// The struck record goes to its real signer on a second invoice.
	rebilled, err := collector.IssueInvoices(1, issued+day, due)
	if err != nil {
		return err
	}
	if len(rebilled) != 1 || !rebilled[0].User.Equal(users[owner].Public()) {
		return errors.New("the struck record was not billed to its signer")
	}
	if errs, err := users[owner].CheckInvoice(rebilled[0]); err != nil || errs[0] != nil {
		return fmt.Errorf("re-billed line does not verify: %v %v", err, errs)
	}
	clk.step("tampered line disputed, struck (%v -> %v), re-billed", struck.Invoice.Total, struck.Owed)

	// Payments with receipts, from everyone but the ignorer; each payer
	// checks the receipt.
	owners := make(map[string]*billing.User, len(users))
	for _, u := range users {
		owners[string(u.Public().Bytes())] = u
	}
	receipts := 0
	total := money.Zero(eur)
	for _, info := range book.Invoices(1) {
		if info.Invoice.User.Equal(users[ignorer].Public()) || info.Status != billing.InvoiceOpen {
			continue
		}
		r, err := collector.Pay(info.Digest, info.Owed, issued+2*day)
		if err != nil {
			return err
		}
		if err := owners[string(info.Invoice.User.Bytes())].CheckReceipt(info.Invoice, info.Owed, r); err != nil {
			return err
		}
		if total, err = total.Add(info.Owed); err != nil {
			return err
		}
		receipts++
		if receipts == 1 {
			if _, err := collector.Pay(info.Digest, info.Owed, issued+3*day); !errors.Is(err, billing.ErrAlreadyPaid) {
				return fmt.Errorf("second payment: got %v, want a refusal", err)
			}
			other := book.Invoices(1)[1].Invoice
			if err := billing.VerifyReceipt(signer.Public(), other, info.Owed, r); err == nil {
				return errors.New("a receipt verified for another invoice")
			}
		}
	}
	clk.step("%d invoices paid, %v, receipts checked; 2nd payment refused", receipts, total)

	// After the due date the ignorer's deposit is forfeited.
	var late billing.InvoiceInfo
	for _, info := range book.Invoices(1) {
		if info.Invoice.User.Equal(users[ignorer].Public()) {
			late = info
		}
	}
	if _, err := collector.Forfeit(late.Digest, due); !errors.Is(err, billing.ErrNotDue) {
		return fmt.Errorf("forfeiture on the due date: got %v, want a refusal", err)
	}
	f, err := collector.Forfeit(late.Digest, due+1)
	if err != nil {
		return err
	}
	// Anyone replays the ledger and checks the evidence.
	public, err := billing.Open(l)
	if err != nil {
		return err
	}
	if err := public.VerifyForfeiture(f); err != nil {
		return fmt.Errorf("forfeiture evidence: %w", err)
	}
	acct, err := book.Account(users[ignorer].Public())
	if err != nil {
		return err
	}
	clk.step("forfeited %v of %v deposit; %d openings checked by a replica", f.Amount, money.MustNew(deposit, eur), len(f.Evidence))

	// Paid-up users leave with their deposits.
	refunds := 0
	for i, u := range users {
		if i == ignorer {
			continue
		}
		if err := u.Refund(due + 2); err != nil {
			return fmt.Errorf("refund of user %d: %w", i, err)
		}
		refunds++
	}
	if public.Digest() == book.Digest() {
		return errors.New("replica did not see the refunds")
	}
	replica, err := billing.Open(l)
	if err != nil {
		return err
	}
	if replica.Digest() != book.Digest() {
		return errors.New("the ledger does not replay to the same state")
	}
	clk.step("%d deposits refunded; ledger replayed (%d entries)", refunds, l.Len())

	d := replica.Digest()
	fmt.Fprintf(out, "summary: %d invoices, %d receipts, 1 tampered line rejected and struck, 1 forfeiture (deposit left %v), state %x\n",
		len(book.Invoices(1)), receipts, acct.Deposit, d[:8])
	return nil
}

// tamper bills a's invoice for one of b's records, pairing it with the
// opening of a's first line, as a cheating collector might; b's invoice
// loses the record.
func tamper(book *billing.Book, a, b *billing.Invoice) error {
	if a == nil || b == nil {
		return errors.New("tamper: missing invoices")
	}
	moved := b.Lines[len(b.Lines)-1]
	u, err := book.Usage(moved.Usage)
	if err != nil {
		return err
	}
	if len(b.Lines) == 1 {
		return errors.New("tamper: the owner needs two records")
	}
	b.Lines = b.Lines[:len(b.Lines)-1]
	if b.Total, err = b.Total.Sub(u.Amount); err != nil {
		return err
	}
	a.Lines = append(a.Lines, billing.Line{Usage: moved.Usage, Opening: a.Lines[0].Opening})
	a.Total, err = a.Total.Add(u.Amount)
	return err
}

func openLedger(path string) (ledger.Ledger, error) {
	if path == "" {
		return ledger.NewMemory(), nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("ledger file %s exists; give a new path", path)
	}
	return ledger.OpenFile(path)
}

// parallel runs f(0..n-1) on runtime.GOMAXPROCS(0) goroutines and returns
// the first error.
func parallel(n int, f func(int) error) error {
	next := make(chan int)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
