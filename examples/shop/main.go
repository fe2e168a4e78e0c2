// Command shop runs an online shop with verified anonymous reviews,
// accountable moderation and private payments (packages tickets/reviews and
// tickets/payments). Every role — the shop (issuer of review rights, review
// board and merchant), each customer, the moderator, the payment processor
// and an auditor — runs on its own goroutine with its own keys and ledgers,
// and they exchange nothing but records' bytes.
//
// 200 customers enroll with the processor and buy products in rings of 50,
// paying each order privately; buyers review what they bought; one reviews
// a purchase twice (refused, its right revealed and mapped to the buyer),
// one resends a review (linked), one posts an abusive review (opened by the
// moderator with a proof; the author's other review stays anonymous), one
// payment is sent twice (refused), one is disputed (opened by the processor
// with a proof the shop and the customer check); an auditor rebuilds the
// board from its public ledger. It prints a summary with the time each step
// took, and exits non-zero if any outcome differs from the expected one.
//
//	go run ./examples/shop [-customers 200] [-ring 50]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/money"
)

type options struct {
	customers int
	ring      int
}

func main() {
	var o options
	flag.IntVar(&o.customers, "customers", 200, "customers (a multiple of 4 × -ring)")
	flag.IntVar(&o.ring, "ring", 50, "purchases per sale ring")
	flag.Parse()
	if err := simulate(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
		os.Exit(1)
	}
}

var (
	eur = money.MustCurrency("EUR")
	t0  = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
)

func moneyEUR(cents int64) money.Amount { return money.MustNew(cents, eur) }

// The catalogue: customer i buys primary[i%4]; the first ring of customers
// also buys tea, so that they have two purchases to review.
var (
	primary = []tickets.Class{
		{Label: "kettle", Price: moneyEUR(3990)},
		{Label: "lamp", Price: moneyEUR(2500)},
		{Label: "mug", Price: moneyEUR(850)},
		{Label: "teapot", Price: moneyEUR(1990)},
	}
	tea = tickets.Class{Label: "tea", Price: moneyEUR(600)}
)

// The customers who do something other than review honestly.
const (
	abuser   = 1 // posts an abusive review of its first purchase; reviews its tea honestly
	cheater  = 3 // reviews its first purchase twice
	replayer = 5 // sends its review again
	payer    = 6 // sends its first payment again
	disputed = 7 // its first payment is disputed
)

// honest tells whether customer i reviews purchase k (0: its primary
// product, 1: tea) honestly: about three in five do, and the special
// customers as their part needs.
func honest(i, k int) bool {
	switch {
	case i == abuser:
		return k == 1
	case i == cheater || i == replayer:
		return k == 0
	}
	return (3*i+5*k)%5 < 3
}

var phrases = []string{"Does what it says.", "Arrived quickly, works well.", "Fine for the price.", "Sturdy and pretty.", "Would buy again."}

// driver is the simulation's main goroutine: it starts the roles, then only
// sends them commands and reads their reports.
type driver struct {
	net     *network
	pending []envelope
}

// await returns the next n reports of topic, keeping reports of other
// topics for later; a failure report from any role ends the simulation.
func (d *driver) await(topic string, n int) ([]envelope, error) {
	var got []envelope
	kept := d.pending[:0]
	for _, m := range d.pending {
		if m.topic == topic && len(got) < n {
			got = append(got, m)
		} else {
			kept = append(kept, m)
		}
	}
	d.pending = kept
	timeout := time.After(5 * time.Minute)
	for len(got) < n {
		select {
		case m := <-d.net.boxes["main"]:
			switch m.topic {
			case topic:
				got = append(got, m)
			case "failed":
				return nil, fmt.Errorf("%s: %s", m.from, m.parts[0])
			default:
				d.pending = append(d.pending, m)
			}
		case <-timeout:
			return nil, fmt.Errorf("timed out waiting for %q (%d of %d)", topic, len(got), n)
		}
	}
	return got, nil
}

// one awaits a single report of topic.
func (d *driver) one(topic string) (envelope, error) {
	got, err := d.await(topic, 1)
	if err != nil {
		return envelope{}, err
	}
	return got[0], nil
}

func step(w io.Writer, name string, start time.Time, format string, args ...any) {
	fmt.Fprintf(w, "  %-11s %-64s %8.1f ms\n", name, fmt.Sprintf(format, args...), float64(time.Since(start).Microseconds())/1000)
}

func simulate(w io.Writer, o options) error {
	if o.ring < 2 || o.customers < 4*o.ring || o.customers%(4*o.ring) != 0 {
		return fmt.Errorf("-customers (%d) must be a multiple of 4 × -ring (%d), -ring at least 2", o.customers, o.ring)
	}
	began, cpu0 := time.Now(), cpuNow()
	simNow.Store(t0.Unix())
	fmt.Fprintf(w, "shop: %d customers, rings of %d, %d products, GOMAXPROCS = %d\n", o.customers, o.ring, len(primary)+1, runtime.GOMAXPROCS(0))

	// Setup: each role's keys, the public directory, the roles.
	start := time.Now()
	shopKey, err1 := ecdsa.GenerateKey()
	procKey, err2 := ecdsa.GenerateKey()
	payOpener, err3 := arsig.GenerateOpenerKey()
	modKey, err4 := arsig.GenerateOpenerKey()
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return err
	}
	dir := &directory{shop: shopKey.Public(), processor: procKey.Public(), payOpener: payOpener.Public(), moderator: modKey.Public(),
		policy:   tickets.Policy{RingSize: o.ring, Validity: 180 * 24 * time.Hour},
		products: append(append([]tickets.Class(nil), primary...), tea)}
	for i := range o.customers {
		dir.customers = append(dir.customers, fmt.Sprintf("customer-%03d", i))
	}
	net := newNetwork(append([]string{"main", "shop", "processor", "moderator", "auditor"}, dir.customers...))
	d := &driver{net: net}
	go runShop(net, shopKey, dir)
	go runProcessor(net, procKey, payOpener, dir)
	go runModerator(net, modKey, dir)
	go runAuditor(net, dir)
	for _, c := range dir.customers {
		go runCustomer(net, c, dir)
	}
	roles := 4 + o.customers
	stopAll := func() {
		for name := range net.boxes {
			if name != "main" {
				net.send("main", name, "stop")
			}
		}
	}
	defer func() {
		if roles > 0 { // a failed run: stop whoever is still running
			stopAll()
		}
	}()
	step(w, "setup", start, "shop, processor, moderator, auditor, %d customers: own keys each", o.customers)

	// The processor enrolls every customer and funds them all.
	start = time.Now()
	for _, c := range dir.customers {
		net.send("main", c, "start")
	}
	if _, err := d.await("enrolled", o.customers); err != nil {
		return err
	}
	net.send("main", "processor", "fund", num(50000), num(30))
	if _, err := d.await("funded", o.customers); err != nil {
		return err
	}
	step(w, "enroll", start, "%d customers enrolled, proofs checked, funded in one roster", o.customers)

	// Purchases, each paid privately: the shop accepts the payment as a
	// merchant, then sells the order; full rings become sales.
	start = time.Now()
	simNow.Store(t0.Add(time.Hour).Unix())
	purchases := 0
	for i, c := range dir.customers {
		net.send("main", c, "buy", []byte(primary[i%len(primary)].Label))
		purchases++
		if i < o.ring {
			net.send("main", c, "buy", []byte(tea.Label))
			purchases++
		}
	}
	if _, err := d.await("sold", purchases); err != nil {
		return err
	}
	rights, err := d.await("has-sale", purchases)
	if err != nil {
		return err
	}
	for _, r := range rights {
		if unnum(r.parts[0]) != o.ring {
			return fmt.Errorf("%s's right is in a ring of %d", r.from, unnum(r.parts[0]))
		}
	}
	step(w, "purchase", start, "%d orders paid privately, sold: %d sales of %d review rights", purchases, purchases/o.ring, o.ring)

	start = time.Now()
	simNow.Store(t0.Add(2 * time.Hour).Unix())
	net.send("main", "shop", "publish-roster")
	pub, err := d.one("roster-published")
	if err != nil {
		return err
	}
	if _, err := d.await("roster", o.customers); err != nil {
		return err
	}
	step(w, "roster", start, "roster of %d customers, moderator as opener, checked by all", unnum(pub.parts[0]))

	// Honest reviews.
	start = time.Now()
	simNow.Store(t0.Add(72 * time.Hour).Unix())
	written := map[string]string{} // review ID → "customer/purchase"
	n := 0
	for i, c := range dir.customers {
		for k := range 2 {
			if (k == 0 || i < o.ring) && honest(i, k) {
				product := primary[i%len(primary)].Label
				if k == 1 {
					product = tea.Label
				}
				net.send("main", c, "review", num(k), num(1+(i+k)%5), []byte(product+": "+phrases[(i+k)%len(phrases)]))
				n++
			}
		}
	}
	if err := d.reviewed(n, written, "posted"); err != nil {
		return err
	}
	step(w, "reviews", start, "%d honest reviews: each by 1 of %d buyers, 1 of %d customers", n, o.ring, o.customers)

	// A second review with one right: refused, the right revealed.
	start = time.Now()
	net.send("main", dir.customers[cheater], "review", num(0), num(1), []byte("Changed my mind: awful."))
	out, err := d.outcome(written)
	if err != nil {
		return err
	}
	if out.result != "revealed" || out.buyer != dir.customers[cheater] {
		return fmt.Errorf("second review: %s, buyer %q; want revealed, %s", out.result, out.buyer, dir.customers[cheater])
	}
	step(w, "2nd review", start, "same right again: REVEALED (slot %d), buyer %s", out.slot, out.buyer)

	start = time.Now()
	net.send("main", dir.customers[replayer], "resend", num(0))
	rep, err := d.one("review")
	if err != nil {
		return err
	}
	if string(rep.parts[1]) != "linked" {
		return fmt.Errorf("resent review: %s, want linked", rep.parts[1])
	}
	step(w, "replay", start, "a review sent again: LINKED, refused")

	// An abusive review, opened by the moderator.
	start = time.Now()
	simNow.Store(t0.Add(96 * time.Hour).Unix())
	net.send("main", dir.customers[abuser], "review", num(0), num(1), []byte("The seller is a crook and I know where he lives."))
	abusive, err := d.outcome(written)
	if err != nil {
		return err
	}
	if abusive.result != "posted" {
		return fmt.Errorf("abusive review: %s, want posted (it is a valid review)", abusive.result)
	}
	net.send("main", "shop", "complaint", abusive.id[:])
	mod, err := d.one("moderated")
	if err != nil {
		return err
	}
	if string(mod.parts[0]) != dir.customers[abuser] {
		return fmt.Errorf("the moderator's disclosure names %q, want %s", mod.parts[0], dir.customers[abuser])
	}
	step(w, "moderation", start, "abusive review opened by the moderator: proof names %s", mod.parts[0])

	// A payment sent twice; a disputed payment.
	start = time.Now()
	net.send("main", dir.customers[payer], "pay-again", num(0))
	refused, err := d.one("order-refused")
	if err != nil {
		return err
	}
	if !strings.Contains(string(refused.parts[1]), "already accepted") {
		return fmt.Errorf("payment sent twice: %s", refused.parts[1])
	}
	step(w, "pay twice", start, "a payment sent again: refused, accepted once")

	start = time.Now()
	simNow.Store(t0.Add(120 * time.Hour).Unix())
	net.send("main", "shop", "dispute", []byte(dir.customers[disputed]))
	disclosed, err := d.one("disclosed")
	if err != nil {
		return err
	}
	if string(disclosed.parts[0]) != dir.customers[disputed] {
		return fmt.Errorf("the processor's disclosure names %q, want %s", disclosed.parts[0], dir.customers[disputed])
	}
	checked, err := d.one("dispute-checked")
	if err != nil {
		return err
	}
	mine, err := d.one("disclosure-checked")
	if err != nil {
		return err
	}
	if mine.from != dir.customers[disputed] || unnum(mine.parts[0]) != 1 {
		return fmt.Errorf("%s checked the disclosure: names it %v", mine.from, unnum(mine.parts[0]) == 1)
	}
	step(w, "dispute", start, "dispute opened (%s): shop and %s check the proof", strings.SplitN(string(checked.parts[0]), ":", 2)[0], mine.from)

	// An auditor rebuilds the board from its public ledger.
	start = time.Now()
	net.send("main", "shop", "publish-board")
	audit, err := d.one("audited")
	if err != nil {
		return err
	}
	if err := checkAudit(audit, n, abusive.id, written, dir.customers[abuser]); err != nil {
		return err
	}
	step(w, "audit", start, "board rebuilt from %d public records, all verified: %d reviews",
		unnum(audit.parts[0]), unnum(audit.parts[1]))
	fmt.Fprintf(w, "  %-11s the disclosure opens that review only; %s's tea review stands, anonymous\n", "", dir.customers[abuser])

	start = time.Now()
	net.send("main", "shop", "rebuild")
	net.send("main", "processor", "rebuild")
	rebuilt, err := d.await("rebuilt", 2)
	if err != nil {
		return err
	}
	for _, r := range rebuilt {
		want := purchases
		if r.from == "processor" {
			want = o.customers
		}
		if unnum(r.parts[0]) != want {
			return fmt.Errorf("%s rebuilt from its ledger with %d of %d records", r.from, unnum(r.parts[0]), want)
		}
	}
	step(w, "ledgers", start, "shop and processor rebuilt from their ledgers, all verified")

	stopAll()
	if _, err := d.await("stopped", roles); err != nil {
		return err
	}
	roles = 0
	wall := time.Since(began)
	cpu := "n/a"
	if c := cpuNow(); c >= 0 && cpu0 >= 0 {
		cpu = (c - cpu0).Round(time.Millisecond).String()
	}
	fmt.Fprintf(w, "ok: %d purchases paid privately, %d reviews, reuse revealed, replay linked, abuse opened,\n    payment accepted once, dispute opened; %v wall, %s CPU\n",
		purchases, n, wall.Round(time.Millisecond), cpu)
	return nil
}

func cpuNow() time.Duration {
	c, ok := cpuTime()
	if !ok {
		return -1
	}
	return c
}

// outcome is the shop's report on one review.
type outcome struct {
	id     [32]byte
	result string // posted, revealed, linked
	buyer  string // for revealed: the buyer the shop maps the right to
	slot   int
}

// outcome awaits one review written by a customer and the shop's outcome
// for it, and notes who wrote it.
func (d *driver) outcome(written map[string]string) (outcome, error) {
	w, err := d.one("wrote")
	if err != nil {
		return outcome{}, err
	}
	r, err := d.one("review")
	if err != nil {
		return outcome{}, err
	}
	if !bytes.Equal(w.parts[0], r.parts[0]) {
		return outcome{}, errors.New("the shop reported on another review")
	}
	written[string(w.parts[0])] = w.from
	out := outcome{id: [32]byte(r.parts[0]), result: string(r.parts[1])}
	if out.result == "revealed" {
		out.buyer, out.slot = string(r.parts[2]), unnum(r.parts[3])
	}
	return out, nil
}

// reviewed awaits n reviews written and their outcomes, all want.
func (d *driver) reviewed(n int, written map[string]string, want string) error {
	ws, err := d.await("wrote", n)
	if err != nil {
		return err
	}
	for _, w := range ws {
		written[string(w.parts[0])] = w.from
	}
	rs, err := d.await("review", n)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if string(r.parts[1]) != want {
			return fmt.Errorf("review by %s: %s, want %s", written[string(r.parts[0])], r.parts[1], want)
		}
	}
	return nil
}

// checkAudit checks the auditor's report: the honest reviews stand, the
// abusive one is disclosed, and its disclosure checks for it alone.
func checkAudit(a envelope, honest int, abusive [32]byte, written map[string]string, abuser string) error {
	standing := unnum(a.parts[1])
	if standing != honest {
		return fmt.Errorf("the auditor finds %d standing reviews, want %d", standing, honest)
	}
	abusersOther := false
	for _, id := range a.parts[2 : 2+standing] {
		if bytes.Equal(id, abusive[:]) {
			return errors.New("the disclosed review still stands")
		}
		abusersOther = abusersOther || written[string(id)] == abuser
	}
	if !abusersOther {
		return errors.New("the abuser's other review does not stand")
	}
	rest := a.parts[2+standing:]
	if len(rest) != 3 || string(rest[0]) != "disclosed" || !bytes.Equal(rest[1], abusive[:]) || unnum(rest[2]) != 1 {
		return errors.New("the auditor does not find one disclosure, of the abusive review alone")
	}
	return nil
}
