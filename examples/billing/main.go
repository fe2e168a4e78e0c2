// Command billing runs one period of enforced bill collection (package
// tickets/billing) with every role on its own goroutine and nothing but
// byte slices between them: the collector (its keys and its ledger), a few
// edges (the provider's front ends, each built from the period's public
// descriptor), the users (each its own key) and an auditor (the collector's
// public key and the ledger).
//
// Users register with deposits and sign a few hundred usage records
// anonymously at the edges, which check them from the descriptor alone (and
// refuse a record made for another edge) and deliver them, one batch twice
// as after a lost acknowledgement: each record is billed once. The
// collector opens them into invoices, tampering with one line; every user
// checks every line with public data; the victim disputes the tampered line
// (a dispute of an honest line is refused) and it is struck and re-billed
// to its signer; users pay and check their receipts, and a second payment
// is refused; one user ignores the invoice and forfeits part of the
// deposit, whose evidence the auditor checks; everyone takes back what is
// left of the deposit, and the auditor replays the whole ledger.
//
//	go run ./examples/billing [-users 64] [-records 300] [-edges 4] [-ledger FILE]
//
// It prints each step with its time and exits non-zero if any expected
// outcome does not happen.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
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
	edges   int    // edges users sign at
	ledger  string // file ledger path; "" for memory
}

func main() {
	var cfg config
	flag.IntVar(&cfg.users, "users", 64, "registered users (the ring size N)")
	flag.IntVar(&cfg.records, "records", 300, "anonymous usage records in the period")
	flag.IntVar(&cfg.edges, "edges", 4, "edges the users sign usage at")
	flag.StringVar(&cfg.ledger, "ledger", "", "keep the ledger in this file (must not exist yet)")
	flag.Parse()
	if err := run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "billing:", err)
		os.Exit(1)
	}
}

var eur = money.MustCurrency("EUR")

var (
	start   = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	end     = start.Add(30 * 24 * time.Hour)
	issued  = end.Add(24 * time.Hour)
	due     = issued.Add(14 * 24 * time.Hour)
	deposit = money.MustNew(5000, eur)
)

// The cast: the collector bills one of the owner's records to the victim;
// the ignorer does not pay.
const (
	victim  = 0
	owner   = 1
	ignorer = 2
)

// A usage is one use the script assigns: who, at which edge, what it owes.
type usage struct {
	user, edge int
	amount     money.Amount
	at         time.Time
}

// uses spreads the period's records over users and edges, deterministically:
// every user gets one, the rest go round.
func uses(cfg config) []usage {
	out := make([]usage, cfg.records)
	for i := range out {
		who := i % cfg.users
		if i >= cfg.users {
			who = (i * 37) % cfg.users
		}
		out[i] = usage{who, i % cfg.edges, money.MustNew(int64(20+(i*53)%380), eur), start.Add(time.Duration(i) * 10 * time.Minute)}
	}
	return out
}

func run(cfg config, out io.Writer) error {
	if cfg.users < 3 || cfg.records < 2*cfg.users || cfg.edges < 2 {
		return errors.New("need at least 3 users, two records per user and two edges")
	}
	l, err := openLedger(cfg.ledger)
	if err != nil {
		return err
	}
	defer l.Close()
	clk := &clock{out: out, last: time.Now()}
	fmt.Fprintf(out, "billing period: ring N = %d users, %d usage records, %d edges, GOMAXPROCS = %d\n",
		cfg.users, cfg.records, cfg.edges, runtime.GOMAXPROCS(0))

	// Start every role. Only the collector holds its keys and ledger; each
	// user only its key; the edges nothing but what they fetch.
	collector, err := startCollector(l)
	if err != nil {
		return err
	}
	edges := make([]*edge, cfg.edges)
	for j := range edges {
		edges[j] = startEdge(fmt.Sprintf("edge-%d", j), collector, cfg.records+1, j == 0)
	}
	users := make([]*user, cfg.users)
	for i := range users {
		if users[i], err = startUser(i, collector, edges); err != nil {
			return err
		}
	}
	defer func() { // stop every role
		for _, u := range users {
			if u != nil {
				close(u.cmds)
			}
		}
		for _, e := range edges {
			close(e.quit)
		}
		close(collector)
	}()
	all := func(phase string, arg ...any) ([]result, error) {
		return broadcast(users, phase, arg...)
	}
	keyOf := func(i int) []byte { return users[i].key.Public().Bytes() }

	// Registration.
	if _, err := all("register"); err != nil {
		return err
	}
	if _, err := call(collector, "open", unix(start), unix(end)); err != nil {
		return err
	}
	clk.step("%d users registered, deposits of %v each; period 1 open", cfg.users, deposit)

	// Usage: users sign at the edges; record 0 also reaches a second edge.
	plan := uses(cfg)
	if _, err := all("use", plan); err != nil {
		return err
	}
	clk.step("%d usage records signed by their users (arsig, N = %d)", cfg.records, cfg.users)
	accepted, refused, delivered := 0, 0, 0
	for _, e := range edges {
		r := e.flush()
		if r.err != nil {
			return r.err
		}
		accepted += r.n
		refused += r.refused
		delivered += r.m
	}
	if accepted != cfg.records || refused != 1 || delivered <= accepted {
		return fmt.Errorf("edges accepted %d records, refused %d, delivered %d; want %d, 1 and a retry", accepted, refused, delivered, cfg.records)
	}
	clk.step("%d edges accepted %d records (1 for another edge refused), delivered %d", cfg.edges, accepted, delivered)

	// Invoices: opened in parallel; the collector cheats on one line.
	if _, err := call(collector, "close", unix(end)); err != nil {
		return err
	}
	n, err := call(collector, "bill", unix(issued), unix(due), keyOf(victim), keyOf(owner))
	if err != nil {
		return err
	}
	if decode(n[1]) != int64(cfg.records) {
		return fmt.Errorf("%d lines billed for %d records", decode(n[1]), cfg.records)
	}
	clk.step("collector opened %d records, each once, into %d invoices; tampered one", decode(n[1]), decode(n[0]))

	// Every user checks every line with public data; the victim disputes.
	results, err := all("check")
	if err != nil {
		return err
	}
	lines, rejected := 0, 0
	for i, r := range results {
		lines += r.n
		rejected += r.m
		if r.m > 0 && i != victim {
			return fmt.Errorf("user %d rejected %d lines", i, r.m)
		}
	}
	if rejected != 1 {
		return fmt.Errorf("%d lines rejected, want exactly the tampered one", rejected)
	}
	clk.step("%d users checked %d lines with public data: %d rejected", cfg.users, lines, rejected)
	// The struck record goes to its real signer.
	n, err = call(collector, "bill", unix(issued.Add(24*time.Hour)), unix(due), nil, nil)
	if err != nil || decode(n[0]) != 1 {
		return fmt.Errorf("re-billing the struck record: %v", err)
	}
	if r, err := users[owner].do("check"); err != nil || r.n != 1 || r.m != 0 {
		return fmt.Errorf("the re-billed line does not verify for its signer: %v", err)
	}
	clk.step("tampered line disputed and struck (%s), re-billed to its signer", results[victim].note)

	// Payments with receipts, from everyone but the ignorer.
	paid, total := 0, money.Zero(eur)
	for i, u := range users {
		if i == ignorer {
			continue
		}
		r, err := u.do("pay")
		if err != nil {
			return fmt.Errorf("user %d: %w", i, err)
		}
		paid += r.n
		if total, err = total.Add(r.amount); err != nil {
			return err
		}
	}
	if _, err := users[victim].do("pay again"); err != nil {
		return err
	}
	clk.step("%d invoices paid, %v, receipts checked; a second payment refused", paid, total)

	// After the due date the ignorer's deposit is forfeited; the auditor
	// checks the evidence with the descriptor alone.
	if _, err := call(collector, "enforce", unix(due)); err == nil {
		return errors.New("a forfeiture on the due date was accepted")
	}
	fs, err := call(collector, "enforce", unix(due.Add(time.Second)))
	if err != nil {
		return err
	}
	if len(fs) != 1 {
		return fmt.Errorf("%d forfeitures, want the ignorer's", len(fs))
	}
	audit, err := auditor(l, collector, fs[0])
	if err != nil {
		return err
	}
	clk.step("forfeited %v of a %v deposit; evidence checked by an auditor", audit.amount, deposit)

	left, err := call(collector, "deposit", keyOf(ignorer))
	if err != nil {
		return err
	}

	// Everyone leaves with what is left of the deposit; the auditor replays
	// the ledger.
	if _, err := all("refund"); err != nil {
		return err
	}
	again, err := auditor(l, collector, fs[0])
	if err != nil {
		return err
	}
	clk.step("%d deposits refunded (one less its forfeiture); the auditor replayed %d ledger entries", cfg.users, again.entries)

	fmt.Fprintf(out, "summary: %d invoices, %d receipts, 1 tampered line rejected and struck, 1 forfeiture (%v of the deposit left)\n",
		cfg.users+1, paid, parseAmount(left[0]))
	return nil
}

// The collector.

// A request is what one role sends another: an operation and byte slices.
type request struct {
	op    string
	args  [][]byte
	reply chan response
}

// A response carries data, or an error as its sentinel's code and its
// message: errors cross between roles as bytes too.
type response struct {
	data [][]byte
	err  []byte
}

func call(to chan<- request, op string, args ...[]byte) ([][]byte, error) {
	reply := make(chan response, 1)
	to <- request{op, args, reply}
	r := <-reply
	return r.data, decodeError(r.err)
}

// sentinels are the billing errors a response can name, by index.
var sentinels = []error{billing.ErrMalformed, billing.ErrBadSignature, billing.ErrInvalidLine, billing.ErrPeriod, billing.ErrRefused}

// encodeError returns code || message, code being 1 + the index of the
// sentinel err wraps, or 0.
func encodeError(err error) []byte {
	if err == nil {
		return nil
	}
	code := byte(0)
	for i, s := range sentinels {
		if errors.Is(err, s) {
			code = byte(i + 1)
			break
		}
	}
	return append([]byte{code}, err.Error()...)
}

func decodeError(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	e := &remoteError{msg: string(b[1:])}
	if c := int(b[0]); c > 0 && c <= len(sentinels) {
		e.sentinel = sentinels[c-1]
	}
	return e
}

// A remoteError is an error received from another role: its message, and
// the sentinel errors.Is finds.
type remoteError struct {
	sentinel error
	msg      string
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.sentinel }

// startCollector starts the collector on l with new keys and returns its
// inbox. Its keys never leave the goroutine.
func startCollector(l ledger.Ledger) (chan<- request, error) {
	ctx := context.Background()
	signer, err := ecdsa.GenerateKey()
	if err != nil {
		return nil, err
	}
	opener, err := arsig.GenerateOpenerKey()
	if err != nil {
		return nil, err
	}
	c, err := billing.NewCollector(ctx, l, signer, opener, deposit)
	if err != nil {
		return nil, err
	}
	inbox := make(chan request)
	go func() {
		mail := make(map[string][][]byte) // invoices by their user's key
		var billed [][]byte               // every invoice issued
		for req := range inbox {
			data, err := serve(ctx, c, signer, req, mail, &billed)
			req.reply <- response{data, encodeError(err)}
		}
	}()
	return inbox, nil
}

func serve(ctx context.Context, c *billing.Collector, signer *ecdsa.PrivateKey, req request, mail map[string][][]byte, billed *[][]byte) ([][]byte, error) {
	arg := func(i int) []byte { return req.args[i] }
	switch req.op {
	case "hello": // the public parameters and key
		return [][]byte{c.Book().Parameters().Bytes(), signer.Public().Bytes()}, nil
	case "file": // a registration, refund or dispute
		return nil, c.Accept(ctx, arg(0))
	case "period":
		p, err := c.Book().Period(0)
		return [][]byte{p.Bytes()}, err
	case "deliver": // usage from an edge
		var errs [][]byte
		for _, err := range c.Collect(ctx, req.args) {
			errs = append(errs, encodeError(err))
		}
		return errs, nil
	case "mail": // a user's invoices
		return mail[string(arg(0))], nil
	case "pay":
		r, err := c.Pay(ctx, [32]byte(arg(0)), parseAmount(arg(1)), time.Unix(decode(arg(2)), 0))
		if err != nil {
			return nil, err
		}
		return [][]byte{r.Bytes()}, nil
	case "deposit":
		key, err := arsig.ParsePublicKey(arg(0))
		if err != nil {
			return nil, err
		}
		a, err := c.Book().Deposit(key)
		return [][]byte{a.Bytes()}, err

	// The operator's commands.
	case "open":
		p, err := c.OpenPeriod(ctx, time.Unix(decode(arg(0)), 0), time.Unix(decode(arg(1)), 0))
		if err != nil {
			return nil, err
		}
		return [][]byte{p.Bytes()}, nil
	case "close":
		return nil, c.ClosePeriod(ctx, time.Unix(decode(arg(0)), 0))
	case "bill":
		p, err := c.Book().Period(0)
		if err != nil {
			return nil, err
		}
		invs, err := c.DraftInvoices(p.ID(), time.Unix(decode(arg(0)), 0), time.Unix(decode(arg(1)), 0))
		if err != nil {
			return nil, err
		}
		lines := 0
		for _, inv := range invs {
			lines += len(inv.Lines())
		}
		if arg(2) != nil {
			if err := cheat(signer, p, invs, time.Unix(decode(arg(0)), 0), arg(2), arg(3)); err != nil {
				return nil, err
			}
		}
		for _, inv := range invs {
			if err := c.Issue(ctx, inv); err != nil {
				return nil, err
			}
			k := string(inv.User().Bytes())
			mail[k] = append(mail[k], inv.Bytes())
			*billed = append(*billed, inv.Bytes())
		}
		return [][]byte{encode(int64(len(invs))), encode(int64(lines))}, nil
	case "enforce": // forfeit every invoice still owed
		var out [][]byte
		for _, b := range *billed {
			inv, err := billing.ParseInvoice(b, signer.Public())
			if err != nil {
				return nil, err
			}
			if owed, err := c.Book().Owed(inv.ID()); err != nil || owed.Sign() == 0 {
				continue
			}
			f, err := c.Forfeit(ctx, inv.ID(), time.Unix(decode(arg(0)), 0))
			if err != nil {
				return nil, err
			}
			out = append(out, f.Bytes())
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown operation %q", req.op)
}

// cheat moves the owner's last record onto the victim's invoice, with the
// opening of the victim's first line, as a dishonest collector might; the
// owner's invoice loses the record.
func cheat(signer *ecdsa.PrivateKey, p *billing.Period, invs []*billing.Invoice, issued time.Time, victimKey, ownerKey []byte) error {
	v, o := -1, -1
	for i, inv := range invs {
		switch string(inv.User().Bytes()) {
		case string(victimKey):
			v = i
		case string(ownerKey):
			o = i
		}
	}
	if v < 0 || o < 0 || len(invs[o].Lines()) < 2 {
		return errors.New("cheat: the owner needs two records")
	}
	vl, ol := invs[v].Lines(), invs[o].Lines()
	moved := ol[len(ol)-1]
	var err error
	invs[v], err = billing.NewInvoice(signer, p, invs[v].User(), issued, invs[v].Due(),
		append(vl, billing.Line{Usage: moved.Usage, Opening: vl[0].Opening}))
	if err != nil {
		return err
	}
	invs[o], err = billing.NewInvoice(signer, p, invs[o].User(), issued, invs[o].Due(), ol[:len(ol)-1])
	return err
}

// The edges.

// An edge accepts usage records as users send them and delivers its queue
// to the collector when told to.
type edge struct {
	id    string
	inbox chan []byte
	flush func() result
	quit  chan struct{}
}

// startEdge starts an edge. One that retries delivers its first batch
// twice.
func startEdge(id string, collector chan<- request, capacity int, retry bool) *edge {
	e := &edge{id: id, inbox: make(chan []byte, capacity), quit: make(chan struct{})}
	cmds := make(chan chan result)
	e.flush = func() result {
		reply := make(chan result)
		cmds <- reply
		return <-reply
	}
	go func() {
		var acceptor *billing.Edge
		var queue [][]byte
		var accepted, refused int
		var failed error
		accept := func(b []byte) {
			if acceptor == nil && failed == nil {
				acceptor, failed = newAcceptor(collector, id)
			}
			if failed != nil {
				return
			}
			if _, err := acceptor.Accept(b); err != nil {
				// A record for another edge, say: not this edge's to bill.
				refused++
				return
			}
			accepted++
			queue = append(queue, b)
		}
		for {
			select {
			case <-e.quit:
				return
			case b := <-e.inbox:
				accept(b)
			case reply := <-cmds:
				// Whatever users sent before the flush is in the inbox.
				for len(e.inbox) > 0 {
					accept(<-e.inbox)
				}
				r := result{n: accepted, refused: refused, err: failed}
				batches := make([][][]byte, 0, len(queue)/64+2)
				for lo := 0; lo < len(queue); lo += 64 {
					batches = append(batches, queue[lo:min(lo+64, len(queue))])
				}
				if retry && len(batches) > 0 {
					// As after an acknowledgement lost in transit.
					batches = append(batches, batches[0])
				}
				for _, batch := range batches {
					if r.err != nil {
						break
					}
					errs, err := call(collector, "deliver", batch...)
					for _, e := range errs {
						if err == nil {
							err = decodeError(e)
						}
					}
					if err != nil {
						r.err = fmt.Errorf("%s: delivery refused: %w", id, err)
					}
					r.m += len(errs)
				}
				queue = nil
				reply <- r
			}
		}
	}()
	return e
}

// newAcceptor builds an edge's acceptor from what the collector publishes.
func newAcceptor(collector chan<- request, id string) (*billing.Edge, error) {
	key, _, err := hello(collector)
	if err != nil {
		return nil, err
	}
	p, err := period(collector, key)
	if err != nil {
		return nil, err
	}
	return billing.NewEdge(p, id)
}

// hello fetches the collector's public key and the system's parameters.
func hello(collector chan<- request) (*ecdsa.PublicKey, *billing.Parameters, error) {
	b, err := call(collector, "hello")
	if err != nil {
		return nil, nil, err
	}
	// In a deployment the key is published out of band; here the
	// collector's word is taken for it.
	key, err := ecdsa.ParsePublicKey(b[1])
	if err != nil {
		return nil, nil, err
	}
	params, err := billing.ParseParameters(b[0], key)
	return key, params, err
}

// period fetches the current period's descriptor and checks its signature.
func period(collector chan<- request, key *ecdsa.PublicKey) (*billing.Period, error) {
	b, err := call(collector, "period")
	if err != nil {
		return nil, err
	}
	return billing.ParsePeriod(b[0], key)
}

// The users.

type user struct {
	index int
	key   *arsig.PrivateKey
	cmds  chan command
}

type command struct {
	phase string
	arg   []any
	reply chan result
}

// A result is what a role reports to the script: counts, an amount, a note.
type result struct {
	n, m    int
	refused int
	amount  money.Amount
	note    string
	err     error
}

func (u *user) do(phase string, arg ...any) (result, error) {
	reply := make(chan result)
	u.cmds <- command{phase, arg, reply}
	r := <-reply
	return r, r.err
}

// broadcast runs a phase on every user at once.
func broadcast(users []*user, phase string, arg ...any) ([]result, error) {
	replies := make([]chan result, len(users))
	for i, u := range users {
		replies[i] = make(chan result, 1)
		u.cmds <- command{phase, arg, replies[i]}
	}
	out := make([]result, len(users))
	var errs []error
	for i, r := range replies {
		out[i] = <-r
		if out[i].err != nil {
			errs = append(errs, fmt.Errorf("user %d: %s: %w", i, phase, out[i].err))
		}
	}
	return out, errors.Join(errs...)
}

// bill is a user's view of one of its invoices.
type bill struct {
	inv    *billing.Invoice
	owed   money.Amount
	paid   bool
	struck int
}

func startUser(index int, collector chan<- request, edges []*edge) (*user, error) {
	key, err := arsig.GenerateKey()
	if err != nil {
		return nil, err
	}
	u := &user{index: index, key: key, cmds: make(chan command)}
	go func() {
		var ck *ecdsa.PublicKey
		var params *billing.Parameters
		var p *billing.Period
		var bills []*bill
		for cmd := range u.cmds {
			var r result
			switch cmd.phase {
			case "register":
				if ck, params, r.err = hello(collector); r.err == nil {
					r.err = u.register(collector, params)
				}
			case "use":
				if p, r.err = period(collector, ck); r.err == nil {
					r.err = u.use(p, edges, cmd.arg[0].([]usage))
				}
			case "check":
				bills, r = u.check(collector, ck, p, bills)
			case "pay":
				r = u.pay(collector, ck, bills)
			case "pay again":
				r.err = u.payAgain(collector, bills)
			case "refund":
				r.err = u.refund(collector, params)
			default:
				r.err = fmt.Errorf("unknown phase %q", cmd.phase)
			}
			cmd.reply <- r
		}
	}()
	return u, nil
}

func (u *user) register(collector chan<- request, params *billing.Parameters) error {
	reg, err := billing.NewRegistration(u.key, params, params.Deposit(), start.Add(-time.Hour))
	if err != nil {
		return err
	}
	_, err = call(collector, "file", reg.Bytes())
	return err
}

// use signs the user's records of the plan and hands each to its edge;
// record 0 is handed to a second edge as well, which must refuse it.
func (u *user) use(p *billing.Period, edges []*edge, plan []usage) error {
	for i, x := range plan {
		if x.user != u.index {
			continue
		}
		detail := []byte(fmt.Sprintf("Wh=%d", 100*(i%50+1)))
		rec, err := billing.NewUsage(u.key, p, edges[x.edge].id, x.amount, x.at, detail)
		if err != nil {
			return err
		}
		edges[x.edge].inbox <- rec.Bytes()
		if i == 0 {
			edges[(x.edge+1)%len(edges)].inbox <- rec.Bytes()
		}
	}
	return nil
}

// check fetches the user's new invoices, checks every line with the
// period's descriptor, and disputes those that do not verify (and, once,
// an honest line, which must be refused).
func (u *user) check(collector chan<- request, ck *ecdsa.PublicKey, p *billing.Period, bills []*bill) ([]*bill, result) {
	var r result
	mail, err := call(collector, "mail", u.key.Public().Bytes())
	if err != nil {
		r.err = err
		return bills, r
	}
	for _, b := range mail[len(bills):] {
		inv, err := billing.ParseInvoice(b, ck)
		if err != nil {
			r.err = err
			return bills, r
		}
		lineErrs, err := inv.Check(p, u.key.Public())
		if err != nil {
			r.err = err
			return bills, r
		}
		bl := &bill{inv: inv, owed: inv.Total()}
		lines := inv.Lines()
		for i, lerr := range lineErrs {
			r.n++
			if lerr == nil {
				continue
			}
			r.m++
			if r.err = u.dispute(collector, inv, i); r.err != nil {
				return bills, r
			}
			bl.struck++
			if bl.owed, r.err = bl.owed.Sub(lines[i].Usage.Amount()); r.err != nil {
				return bills, r
			}
		}
		if bl.struck > 0 {
			r.note = fmt.Sprintf("%v -> %v", inv.Total(), bl.owed)
			honest := 0
			for lineErrs[honest] != nil {
				honest++
			}
			if err := u.dispute(collector, inv, honest); !errors.Is(err, billing.ErrRefused) {
				r.err = fmt.Errorf("dispute of an honest line: got %v, want a refusal", err)
				return bills, r
			}
		}
		bills = append(bills, bl)
	}
	return bills, r
}

func (u *user) dispute(collector chan<- request, inv *billing.Invoice, line int) error {
	d, err := billing.NewDispute(inv, line, issued.Add(time.Hour))
	if err != nil {
		return err
	}
	_, err = call(collector, "file", d.Bytes())
	return err
}

// pay pays what the user owes on each invoice and checks the receipts.
func (u *user) pay(collector chan<- request, ck *ecdsa.PublicKey, bills []*bill) result {
	r := result{amount: money.Zero(eur)}
	for _, b := range bills {
		if b.paid || b.owed.Sign() == 0 {
			continue
		}
		id := b.inv.ID()
		got, err := call(collector, "pay", id[:], b.owed.Bytes(), unix(issued.Add(48*time.Hour)))
		if err != nil {
			r.err = err
			return r
		}
		receipt, err := billing.ParseReceipt(got[0], ck)
		if err == nil {
			err = receipt.Check(b.inv, b.owed)
		}
		if err != nil {
			r.err = fmt.Errorf("receipt: %w", err)
			return r
		}
		b.paid = true
		r.n++
		if r.amount, r.err = r.amount.Add(b.owed); r.err != nil {
			return r
		}
	}
	return r
}

// payAgain pays a paid invoice a second time, which must be refused.
func (u *user) payAgain(collector chan<- request, bills []*bill) error {
	for _, b := range bills {
		if b.paid {
			id := b.inv.ID()
			if _, err := call(collector, "pay", id[:], b.owed.Bytes(), unix(issued.Add(72*time.Hour))); !errors.Is(err, billing.ErrRefused) {
				return fmt.Errorf("second payment: got %v, want a refusal", err)
			}
			return nil
		}
	}
	return errors.New("no paid invoice")
}

// refund asks for what is left of the deposit.
func (u *user) refund(collector chan<- request, params *billing.Parameters) error {
	left, err := call(collector, "deposit", u.key.Public().Bytes())
	if err != nil {
		return err
	}
	r, err := billing.NewRefund(u.key, params, parseAmount(left[0]), due.Add(48*time.Hour))
	if err != nil {
		return err
	}
	_, err = call(collector, "file", r.Bytes())
	return err
}

// The auditor.

type audit struct {
	amount  money.Amount
	entries uint64
}

// auditor checks a forfeiture with the period's descriptor alone, then
// replays the whole ledger, which verifies every record on it, on its own
// goroutine. It holds the collector's public key and reads the ledger.
func auditor(l ledger.Ledger, collector chan<- request, forfeiture []byte) (audit, error) {
	type answer struct {
		a   audit
		err error
	}
	done := make(chan answer)
	go func() {
		key, _, err := hello(collector)
		if err != nil {
			done <- answer{err: err}
			return
		}
		p, err := period(collector, key)
		if err != nil {
			done <- answer{err: err}
			return
		}
		f, err := billing.ParseForfeiture(forfeiture, key)
		if err == nil {
			err = f.Check(p)
		}
		if err != nil {
			done <- answer{err: fmt.Errorf("forfeiture evidence: %w", err)}
			return
		}
		if _, err := billing.Open(context.Background(), l, key); err != nil {
			done <- answer{err: fmt.Errorf("replay: %w", err)}
			return
		}
		done <- answer{a: audit{amount: f.Amount(), entries: l.Len()}}
	}()
	r := <-done
	return r.a, r.err
}

// Plumbing.

type clock struct {
	out  io.Writer
	last time.Time
}

func (c *clock) step(format string, args ...any) {
	now := time.Now()
	fmt.Fprintf(c.out, "%-84s %9s\n", fmt.Sprintf(format, args...), now.Sub(c.last).Round(10*time.Microsecond))
	c.last = time.Now()
}

func encode(v int64) []byte   { return binary.BigEndian.AppendUint64(nil, uint64(v)) }
func decode(b []byte) int64   { return int64(binary.BigEndian.Uint64(b)) }
func unix(t time.Time) []byte { return encode(t.Unix()) }

func parseAmount(b []byte) money.Amount {
	a, _ := money.Parse(b)
	return a
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
