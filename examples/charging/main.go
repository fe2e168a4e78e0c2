// Command charging runs two billing periods of electric-vehicle charging
// (package tickets/charging) and prepaid device credits (package
// tickets/credits), with every role holding only its own keys and state
// and nothing but bytes between them: the bill collector, about 20
// chargers (each with its own file ledger), 300 cars (each its own arsig
// key), a credit issuer and three machines (vending, parking, a charger)
// sharing one spent store.
//
// Cars sign anonymous sessions at the chargers, which are offline half of
// the time: they check each session from the period's descriptor alone,
// queue it on their ledger and deliver when they are online. One session is
// replayed to its charger (refused), one charger restarts with a queue
// (kept), one delivery's answers are lost (sent again, billed once), two
// connectors of one station both take one session (billed once), and one
// charger inflates an amount (refused by the collector). When the second
// period opens the chargers are offline and learn its descriptor from the
// cars. The collector opens each period into invoices; every car checks its
// lines, pays and checks its receipt, except one, whose deposit is
// forfeited with public evidence. Cars also spend prepaid credits at the
// machines; one spends a credit twice and is named.
//
//	go run ./examples/charging [-cars 300] [-chargers 20] [-sessions 60] [-dir DIR]
//
// It prints a concise summary and exits non-zero if an expected outcome
// does not happen.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/charging"
	"github.com/ringtrace/ringtrace/tickets/money"
)

type config struct {
	cars     int    // cars, all registered: the ring size N
	chargers int    // chargers; the last two are one station's connectors
	sessions int    // charging sessions per period
	dir      string // directory of the ledger files; "" for a temporary one
}

func main() {
	var cfg config
	flag.IntVar(&cfg.cars, "cars", 300, "cars registered with the collector (the ring size N)")
	flag.IntVar(&cfg.chargers, "chargers", 20, "chargers")
	flag.IntVar(&cfg.sessions, "sessions", 60, "charging sessions per billing period")
	flag.StringVar(&cfg.dir, "dir", "", "an empty directory for the ledger files (default: a temporary one)")
	flag.Parse()
	if err := run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "charging:", err)
		os.Exit(1)
	}
}

var (
	ctx     = context.Background()
	eur     = money.MustCurrency("EUR")
	deposit = money.MustNew(5000, eur)
	start   = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	length  = 30 * 24 * time.Hour
)

// slots divides a period: in each, a charger is online or offline, and
// online chargers deliver at its end.
const slots = 10

// The cast, by index.
const (
	replayed = 0 // the first session of each period is replayed to its charger
	ignorer  = 3 // car 3 does not pay for period 1
	retrier  = 5 // car 5 hands one session to both connectors of a station
	doubler  = 7 // car 7 spends its credit twice
)

// session is what the script has a car do: charge at a charger.
type session struct {
	car, charger int
	energy       uint64 // Wh
	at           time.Time
}

// plan spreads a period's sessions over cars, chargers and slots,
// deterministically.
func plan(cfg config, period int, from time.Time) []session {
	out := make([]session, cfg.sessions)
	slot := length / slots
	for i := range out {
		s := i * slots / cfg.sessions
		out[i] = session{
			car:     (i*37 + period*11) % cfg.cars,
			charger: (i*7 + period) % cfg.chargers,
			energy:  uint64(4000 + (i*1237)%48000),
			at:      from.Add(time.Duration(s)*slot + time.Duration(i%50+1)*time.Hour),
		}
	}
	out[0].car = ignorer // so that the ignorer has an invoice
	return out
}

// online says whether charger j is reachable in slot s: half of the time.
func online(j, s int) bool { return (j+s)%2 == 0 }

func run(cfg config, out io.Writer) error {
	if cfg.cars < 2*slots || cfg.chargers < 6 || cfg.sessions < 2*slots || cfg.sessions > 50*slots {
		return fmt.Errorf("need at least %d cars, 6 chargers and %d to %d sessions a period", 2*slots, 2*slots, 50*slots)
	}
	dir := cfg.dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "charging-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	began := time.Now()
	fmt.Fprintf(out, "charging: %d cars (ring N = %d), %d chargers, %d sessions in each of 2 periods\n", cfg.cars, cfg.cars, cfg.chargers, cfg.sessions)

	// The roles. The collector publishes its key and parameters; cars
	// register; chargers start with the collector's key and their rate.
	col, err := newCollector(dir)
	if err != nil {
		return err
	}
	defer col.close()
	key, params := col.hello()
	cars := make([]*car, cfg.cars)
	for i := range cars {
		if cars[i], err = newCar(i, key, params); err != nil {
			return err
		}
		if err := col.file(cars[i].registration()); err != nil {
			return fmt.Errorf("car %d registers: %w", i, err)
		}
	}
	chargers := make([]*charger, cfg.chargers)
	for j := range chargers {
		if chargers[j], err = newCharger(dir, j, cfg.chargers, key); err != nil {
			return err
		}
		defer chargers[j].close()
	}
	chargers[cfg.chargers-3].dishonest = true
	var st stats

	// Period 1: the chargers are online when it opens.
	desc, err := col.open(start, start.Add(length))
	if err != nil {
		return err
	}
	for _, c := range chargers {
		if err := c.addPeriod(desc); err != nil {
			return err
		}
	}
	if err := runPeriod(cfg, 1, desc, col, cars, chargers, &st); err != nil {
		return err
	}
	invs1, err := settle(col, cars, start.Add(length), ignorer, &st)
	if err != nil {
		return err
	}

	// Period 2: the chargers are offline when it opens and learn its
	// descriptor from the first car that charges at each.
	desc, err = col.open(start.Add(length), start.Add(2*length))
	if err != nil {
		return err
	}
	if err := runPeriod(cfg, 2, desc, col, cars, chargers, &st); err != nil {
		return err
	}
	// The ignorer's invoice of period 1 is overdue: its deposit pays.
	if err := forfeit(col, cars[ignorer], invs1, &st); err != nil {
		return err
	}
	if _, err := settle(col, cars, start.Add(2*length), -1, &st); err != nil {
		return err
	}

	// Prepaid credits at the machines.
	if err := spendCredits(dir, cars, &st); err != nil {
		return err
	}

	fmt.Fprint(out, st.String())
	if err := st.check(cfg); err != nil {
		return err
	}
	fmt.Fprintf(out, "ok: every expected outcome, in %v\n", time.Since(began).Round(10*time.Millisecond))
	return nil
}

// runPeriod has the cars charge through one period, slot by slot, with the
// chargers delivering whenever they are online, and delivers everything
// before the collector closes the period.
func runPeriod(cfg config, period int, desc []byte, col *collector, cars []*car, chargers []*charger, st *stats) error {
	p, err := col.period(desc)
	if err != nil {
		return err
	}
	ss := plan(cfg, period, p.Start())
	slot := p.End().Sub(p.Start()) / slots
	next := 0
	for s := range slots {
		end := p.Start().Add(time.Duration(s+1) * slot)
		var now []session
		for ; next < len(ss) && ss[next].at.Before(end); next++ {
			now = append(now, ss[next])
		}
		// Cars sign in parallel; each charger takes its sessions in order.
		recs := make([][]byte, len(now))
		if err := parallel(len(now), func(i int) error {
			var err error
			recs[i], err = cars[now[i].car].sign(desc, chargers[now[i].charger].id, chargers[now[i].charger].rate, now[i].energy, now[i].at)
			return err
		}); err != nil {
			return err
		}
		if err := parallel(len(chargers), func(j int) error {
			for i, x := range now {
				if x.charger == j {
					if err := chargers[j].take(recs[i], desc, x.at, st); err != nil {
						return fmt.Errorf("charger %d: %w", j, err)
					}
				}
			}
			return nil
		}); err != nil {
			return err
		}
		if err := events(period, s, now, recs, desc, cars, chargers, col, st); err != nil {
			return err
		}
		for j, c := range chargers {
			if online(j, s) {
				if err := c.deliver(col, st); err != nil {
					return err
				}
			}
		}
	}
	// Before the period closes every charger comes online and delivers.
	for _, c := range chargers {
		if err := c.deliver(col, st); err != nil {
			return err
		}
	}
	return col.closePeriod(p.End())
}

// events are the script's misadventures in slot s of a period.
func events(period, s int, now []session, recs [][]byte, desc []byte, cars []*car, chargers []*charger, col *collector, st *stats) error {
	if s == 0 {
		// An eavesdropper replays the period's first session to its
		// charger.
		c := chargers[now[replayed].charger]
		if _, err := c.c.Accept(ctx, recs[replayed], now[replayed].at); errors.Is(err, charging.ErrReplayed) {
			st.replays++
		} else {
			return fmt.Errorf("a replayed session: %v", err)
		}
	}
	if period != 1 || s != slots/2 { // the rest happens in the middle of period 1
		return nil
	}
	// A car at the station retries its session on the other connector:
	// both take it.
	at := now[0].at
	rec, err := cars[retrier].sign(desc, chargers[len(chargers)-1].id, chargers[len(chargers)-1].rate, 20000, at)
	if err != nil {
		return err
	}
	for _, c := range chargers[len(chargers)-2:] {
		if err := c.take(rec, nil, at, st); err != nil {
			return err
		}
	}
	st.sharedByStation++
	// A charger crashes with a queue and starts again from its ledger.
	for j, c := range chargers {
		before := len(c.c.Pending())
		if before == 0 || c.dishonest {
			continue
		}
		if err := c.restart(); err != nil {
			return err
		}
		if after := len(c.c.Pending()); after != before {
			return fmt.Errorf("charger %d queued %d records before its restart and %d after", j, before, after)
		}
		st.restartQueue = before
		break
	}
	// A delivery reaches the collector but its answers are lost.
	for j, c := range chargers {
		if online(j, s) && !c.dishonest && len(c.c.Pending()) > 0 {
			n := len(c.c.Pending())
			if err := c.deliverLosingAnswers(col); err != nil {
				return err
			}
			if len(c.c.Pending()) != n {
				return errors.New("records left the queue without an answer")
			}
			st.lostAnswers += n
			return nil
		}
	}
	return errors.New("no charger to lose answers")
}

// parallel runs f(0), …, f(n-1) on a few goroutines and returns the first
// error.
func parallel(n int, f func(int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	work := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range work {
				errs[i] = f(i)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

// settle has the collector bill the closed period that ended at end, and
// every car but skip check its invoices, pay and check its receipts, the
// cars at once.
func settle(col *collector, cars []*car, end time.Time, skip int, st *stats) ([]byte, error) {
	issued, due := end.Add(time.Hour), end.Add(time.Hour+14*24*time.Hour)
	mail, err := col.bill(issued, due)
	if err != nil {
		return nil, err
	}
	var skipped []byte
	err = parallel(len(cars), func(i int) error {
		c := cars[i]
		for _, inv := range mail[c.name()] {
			lines, err := c.check(inv)
			if err != nil {
				return fmt.Errorf("car %d: %w", i, err)
			}
			st.add(func(st *stats) { st.invoices++; st.lines += lines })
			if i == skip {
				skipped = inv
				continue
			}
			if err := c.pay(col, inv, issued.Add(time.Duration(i)*time.Second)); err != nil {
				return fmt.Errorf("car %d: %w", i, err)
			}
			st.add(func(st *stats) { st.receipts++ })
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if skip >= 0 && skipped == nil {
		return nil, fmt.Errorf("car %d has no invoice to leave unpaid", skip)
	}
	return skipped, nil
}

// forfeit enforces the ignorer's invoice after its due date; the car checks
// the evidence with the descriptor alone.
func forfeit(col *collector, c *car, inv []byte, st *stats) error {
	f, err := col.forfeit(inv)
	if err != nil {
		return err
	}
	amount, err := c.checkForfeiture(f)
	if err != nil {
		return err
	}
	st.forfeited = amount
	st.forfeitures++
	return nil
}

// stats are the outcomes the script counts.
type stats struct {
	mu                        sync.Mutex
	accepted, learnt          int
	replays, sharedByStation  int
	restartQueue, lostAnswers int
	delivered, refused        int
	inflated                  int
	invoices, lines, receipts int
	forfeitures               int
	forfeited                 money.Amount
	spends, revealed          int
	revealedBuyer             string
}

func (st *stats) add(f func(*stats)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	f(st)
}

// check fails if an expected outcome is missing.
func (st *stats) check(cfg config) error {
	var errs []error
	want := func(ok bool, what string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(what, args...))
		}
	}
	total := 2*cfg.sessions + 2*st.sharedByStation
	want(st.accepted == total, "%d sessions accepted, want %d", st.accepted, total)
	want(st.replays == 2, "%d replays refused, want one a period", st.replays)
	want(st.sharedByStation == 1, "no session taken by both of a station's connectors")
	want(st.learnt >= 1, "no charger learnt a descriptor from a car")
	want(st.delivered == total-1, "%d records taken from the queues, want all %d but the inflated one", st.delivered, total)
	want(st.restartQueue > 0, "no queue kept across a restart")
	want(st.lostAnswers > 0, "no delivery with lost answers")
	want(st.inflated == 1 && st.refused == 1, "%d inflated records, %d refused by the collector; want 1 and 1", st.inflated, st.refused)
	// Every session is billed once: the station's twice accepted once, the
	// inflated one not at all.
	want(st.lines == 2*cfg.sessions, "%d invoice lines for %d sessions, one of them inflated and refused", st.lines, 2*cfg.sessions+1)
	want(st.receipts == st.invoices-1, "%d receipts for %d invoices, want all but the ignorer's", st.receipts, st.invoices)
	want(st.forfeitures == 1, "no forfeiture")
	want(st.revealed == 1 && st.revealedBuyer == carName(doubler), "double spend revealed %d times, buyer %q", st.revealed, st.revealedBuyer)
	return errors.Join(errs...)
}

func (st *stats) String() string {
	return fmt.Sprintf(`chargers: %d sessions accepted offline from the descriptor alone; %d chargers learnt period 2's descriptor from a car
chargers: %d replays refused; a restart kept a queue of %d; %d resent after lost answers; %d session taken by both connectors of a station
collector: %d records taken from the queues, each billed once; %d inflated amount refused (its ring signature fails)
invoices: %d with %d lines, each line checked by its car; %d paid and their receipts checked; %d forfeiture of %v, evidence checked
credits: %d spent at 3 machines over one spent store; %d double spend revealed, bought by %s
`, st.accepted, st.learnt,
		st.replays, st.restartQueue, st.lostAnswers, st.sharedByStation,
		st.delivered, st.refused,
		st.invoices, st.lines, st.receipts, st.forfeitures, st.forfeited,
		st.spends, st.revealed, st.revealedBuyer)
}

// billingSentinels are the errors an answer from the collector can name,
// by index, so that the charger can tell a refusal for good from a book
// that cannot append now (billing's ErrRefused).
var billingSentinels = []error{billing.ErrMalformed, billing.ErrBadSignature, billing.ErrPeriod, billing.ErrRefused}
