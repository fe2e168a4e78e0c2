package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/payments"
	"github.com/ringtrace/ringtrace/tickets/reviews"
	"github.com/ringtrace/ringtrace/trs"
)

var ctx = context.Background()

// simNow is the simulated time of day, which every role reads as its clock.
var simNow atomic.Int64

func now() time.Time { return time.Unix(simNow.Load(), 0).UTC() }

// directory is what every role knows out of band: public keys, the
// catalogue and the customers' names.
type directory struct {
	shop      *ecdsa.PublicKey
	processor *ecdsa.PublicKey
	payOpener *arsig.OpenerPublicKey
	moderator *arsig.OpenerPublicKey
	policy    tickets.Policy
	products  []tickets.Class
	customers []string
}

func (d *directory) product(label string) (tickets.Class, bool) {
	for _, p := range d.products {
		if p.Label == label {
			return p, true
		}
	}
	return tickets.Class{}, false
}

// role is the loop every role runs: it handles each message of its inbox
// until "stop", and reports a handler's error to main, which ends the run.
func role(net *network, name string, handle func(envelope) error) {
	for m := range net.boxes[name] {
		if m.topic == "stop" {
			net.send(name, "main", "stopped")
			return
		}
		if err := handle(m); err != nil {
			net.send(name, "main", "failed", []byte(fmt.Sprintf("%s: %v", m.topic, err)))
		}
	}
}

// purchase is one product a customer bought, as the customer holds it.
type purchase struct {
	order   *reviews.Order
	right   *trs.PrivateKey
	payment []byte
	sale    *tickets.Sale
	review  []byte // the last review sent
}

// runCustomer is a customer: a long-term key at the shop, another at the
// payment processor, and its purchases. It sends reviews to the shop
// anonymously (as "anonymous": the channel says nothing of the sender).
func runCustomer(net *network, name string, dir *directory) {
	shopKey, err1 := arsig.GenerateKey()
	payKey, err2 := arsig.GenerateKey()
	if err := errors.Join(err1, err2); err != nil {
		net.send(name, "main", "failed", []byte(err.Error()))
		return
	}
	var funds *payments.Roster
	var roster *reviews.Roster
	var bought []*purchase
	role(net, name, func(m envelope) error {
		switch m.topic {
		case "start":
			e, err := payments.NewEnrollment(payKey, dir.processor, dir.payOpener, []byte(name), now())
			if err != nil {
				return err
			}
			net.send(name, "processor", "enroll", e.Bytes())
		case "funds":
			r, err := payments.ParseRoster(m.parts[0])
			if err != nil {
				return err
			}
			if err := r.Verify(dir.processor); err != nil {
				return err
			}
			funds = r
			net.send(name, "main", "funded")
		case "buy":
			product, _ := dir.product(string(m.parts[0]))
			o, right, err := reviews.NewOrder(shopKey, dir.shop, dir.moderator, product, now())
			if err != nil {
				return err
			}
			id := o.ID()
			pay, err := payments.NewPayment(payKey, funds, dir.shop, product.Price, id[:], now())
			if err != nil {
				return err
			}
			bought = append(bought, &purchase{order: o, right: right, payment: pay.Bytes()})
			net.send(name, "shop", "order", o.Bytes(), pay.Bytes())
		case "pay-again":
			p := bought[unnum(m.parts[0])]
			net.send(name, "shop", "order", p.order.Bytes(), p.payment)
		case "sale":
			s, err := tickets.ParseSale(m.parts[0])
			if err != nil {
				return err
			}
			if err := s.Verify(dir.shop); err != nil {
				return err
			}
			for _, p := range bought {
				if _, in := s.Ring().IndexOf(p.right.Public()); in && p.sale == nil {
					p.sale = s
					net.send(name, "main", "has-sale", num(s.Ring().Len()))
				}
			}
		case "roster":
			r, err := reviews.ParseRoster(m.parts[0])
			if err != nil {
				return err
			}
			if err := r.Verify(dir.shop); err != nil {
				return err
			}
			if !r.Opener().Equal(dir.moderator) {
				return errors.New("the shop's roster names another moderator")
			}
			roster = r
			net.send(name, "main", "roster")
		case "review": // purchase, rating, text
			p := bought[unnum(m.parts[0])]
			r, err := reviews.NewReview(shopKey, p.right, p.sale, roster, unnum(m.parts[1]), string(m.parts[2]), now())
			if err != nil {
				return err
			}
			p.review = r.Bytes()
			id := r.ID()
			net.send(name, "main", "wrote", id[:])
			net.send("anonymous", "shop", "review", p.review)
		case "resend":
			net.send("anonymous", "shop", "review", bought[unnum(m.parts[0])].review)
		case "disclosure": // of one of this customer's payments, from the processor
			d, err := payments.ParseDisclosure(m.parts[0])
			if err != nil {
				return err
			}
			if err := d.Check(dir.processor, funds); err != nil {
				return err
			}
			mine := 0
			if d.Customer().Equal(payKey.Public()) {
				mine = 1
			}
			net.send(name, "main", "disclosure-checked", num(mine))
		default:
			return fmt.Errorf("unexpected message %q", m.topic)
		}
		return nil
	})
}

// runShop is the shop: the issuer of the review rights (a private ledger),
// its public review board (a public ledger, with its spent store), and a
// merchant of the payment processor.
func runShop(net *network, key *ecdsa.PrivateKey, dir *directory) {
	privL, boardL := ledger.NewMemory(), ledger.NewMemory()
	shop, err1 := reviews.OpenShop(ctx, key, dir.moderator, privL, dir.policy)
	spent, err2 := tickets.OpenSpentStore(ctx, boardL)
	if err := errors.Join(err1, err2); err != nil {
		net.send("shop", "main", "failed", []byte(err.Error()))
		return
	}
	board, err1 := reviews.OpenBoard(ctx, dir.shop, dir.moderator, boardL, spent)
	merchant, err2 := payments.NewMerchant(dir.shop, dir.processor, tickets.NewMemoryUsedSet())
	if err := errors.Join(err1, err2); err != nil {
		net.send("shop", "main", "failed", []byte(err.Error()))
		return
	}
	var funds *payments.Roster
	customerOf := map[string]string{}       // customer key → name, from the orders
	orders := map[string][]*reviews.Order{} // name → orders
	payment := map[[32]byte][]byte{}        // order ID → the payment accepted for it
	var mu sync.Mutex                       // guards customerOf against the posting goroutines
	posting := make(chan struct{}, runtime.GOMAXPROCS(0))
	post := func(rec []byte) error {
		r, err := board.Post(ctx, rec, now())
		var reuse *tickets.ReuseError
		switch {
		case err == nil:
			id := r.ID()
			net.send("shop", "main", "review", id[:], []byte("posted"))
		case errors.As(err, &reuse):
			sent, _ := reviews.ParseReview(rec)
			id := sent.ID()
			if reuse.Kind != trs.Revealed {
				net.send("shop", "main", "review", id[:], []byte("linked"))
				return nil
			}
			o, ok := shop.Buyer(reuse.Key)
			if !ok {
				return errors.New("a revealed right that the shop did not sell")
			}
			mu.Lock()
			buyer := customerOf[string(o.Customer().Bytes())]
			mu.Unlock()
			net.send("shop", "main", "review", id[:], []byte("revealed"), []byte(buyer), num(reuse.Index))
		default:
			return err
		}
		return nil
	}
	broadcast := func(topic string, b []byte) {
		for _, c := range dir.customers {
			net.send("shop", c, topic, b)
		}
	}
	role(net, "shop", func(m envelope) error {
		switch m.topic {
		case "funds":
			r, err := merchant.AddRoster(m.parts[0])
			funds = r
			return err
		case "order": // order, payment
			o, err := reviews.ParseOrder(m.parts[0])
			if err != nil {
				return err
			}
			product, ok := dir.product(o.Product().Label)
			if !ok || product != o.Product() {
				return fmt.Errorf("order for %v, not in the catalogue", o.Product())
			}
			p, err := merchant.Accept(ctx, m.parts[1], now())
			if err != nil {
				net.send("shop", "main", "order-refused", []byte(m.from), []byte(err.Error()))
				return nil
			}
			if id := o.ID(); string(p.Reference()) != string(id[:]) || p.Amount() != product.Price {
				return fmt.Errorf("payment of %v for another order", p.Amount())
			}
			sale, err := shop.Sell(ctx, m.parts[0], now())
			if err != nil {
				return err
			}
			mu.Lock()
			customerOf[string(o.Customer().Bytes())] = m.from
			mu.Unlock()
			orders[m.from] = append(orders[m.from], o)
			payment[o.ID()] = m.parts[1]
			net.send("shop", "main", "sold")
			if sale != nil { // to the board, and to each buyer of the ring
				if _, err := board.AddSale(ctx, sale.Bytes()); err != nil {
					return err
				}
				sent := map[string]bool{}
				for i := range sale.Ring().Len() {
					o, ok := shop.Buyer(sale.Ring().Key(i))
					if !ok {
						return errors.New("a sale of a right the shop did not sell")
					}
					mu.Lock()
					buyer := customerOf[string(o.Customer().Bytes())]
					mu.Unlock()
					if !sent[buyer] {
						sent[buyer] = true
						net.send("shop", buyer, "sale", sale.Bytes())
					}
				}
			}
		case "publish-roster":
			r, err := shop.PublishRoster(ctx, now())
			if err != nil {
				return err
			}
			if _, err := board.AddRoster(ctx, r.Bytes()); err != nil {
				return err
			}
			broadcast("roster", r.Bytes())
			net.send("shop", "main", "roster-published", num(r.Ring().Len()))
		case "review": // posted on a core of its own: the board is safe for concurrent use
			rec := m.parts[0]
			posting <- struct{}{}
			go func() {
				defer func() { <-posting }()
				if err := post(rec); err != nil {
					net.send("shop", "main", "failed", []byte("review: "+err.Error()))
				}
			}()
		case "complaint": // review ID: forwarded to the moderator with its roster
			r, ok := board.Review([32]byte(m.parts[0]))
			if !ok {
				return errors.New("complaint about a review not on the board")
			}
			roster, _ := board.Roster(r.Roster())
			net.send("shop", "moderator", "open", r.Bytes(), roster.Bytes())
		case "disclosure": // from the moderator
			d, err := board.Disclose(ctx, m.parts[0])
			if err != nil {
				return err
			}
			mu.Lock()
			author := customerOf[string(d.Customer().Bytes())]
			mu.Unlock()
			net.send("shop", "main", "moderated", []byte(author))
		case "dispute": // customer name: the shop disputes its first order's payment
			o := orders[string(m.parts[0])][0]
			net.send("shop", "processor", "dispute", payment[o.ID()], []byte("chargeback: parcel not delivered"))
		case "disclosure-payment": // from the processor
			d, err := payments.ParseDisclosure(m.parts[0])
			if err != nil {
				return err
			}
			if err := d.Check(dir.processor, funds); err != nil {
				return err
			}
			net.send("shop", "main", "dispute-checked", []byte(d.Reason()))
		case "publish-board": // every entry of the public ledger, to the auditor
			err := boardL.Scan(ctx, 0, func(e ledger.Entry) error {
				net.send("shop", "auditor", "entry", num(int(e.Kind)), e.Payload)
				return nil
			})
			if err != nil {
				return err
			}
			net.send("shop", "auditor", "end")
		case "rebuild": // from its private ledger, as a restarted shop would
			s, err := reviews.OpenShop(ctx, key, dir.moderator, privL, dir.policy)
			if err != nil {
				return err
			}
			sold := 0
			for _, os := range orders {
				for _, o := range os {
					if got, ok := s.Buyer(o.Right()); ok && got.ID() == o.ID() {
						sold++
					}
				}
			}
			net.send("shop", "main", "rebuilt", num(sold))
		default:
			return fmt.Errorf("unexpected message %q", m.topic)
		}
		return nil
	})
}

// runModerator opens the reviews it receives complaints about.
func runModerator(net *network, key *arsig.OpenerKey, dir *directory) {
	role(net, "moderator", func(m envelope) error {
		if m.topic != "open" {
			return fmt.Errorf("unexpected message %q", m.topic)
		}
		r, err := reviews.ParseReview(m.parts[0])
		if err != nil {
			return err
		}
		roster, err := reviews.ParseRoster(m.parts[1])
		if err != nil {
			return err
		}
		if err := roster.Verify(dir.shop); err != nil {
			return err
		}
		d, err := reviews.NewDisclosure(key, r, roster)
		if err != nil {
			return err
		}
		net.send("moderator", "shop", "disclosure", d.Bytes())
		return nil
	})
}

// runProcessor is the payment processor: it enrolls the customers, funds
// them, and opens a payment only when the merchant disputes it.
func runProcessor(net *network, key *ecdsa.PrivateKey, opener *arsig.OpenerKey, dir *directory) {
	l := ledger.NewMemory()
	proc, err := payments.OpenProcessor(ctx, key, opener, l)
	if err != nil {
		net.send("processor", "main", "failed", []byte(err.Error()))
		return
	}
	var enrolled []*arsig.PublicKey
	role(net, "processor", func(m envelope) error {
		switch m.topic {
		case "enroll":
			e, err := proc.Enroll(ctx, m.parts[0])
			if err != nil {
				return err
			}
			if string(e.Account()) != m.from {
				return fmt.Errorf("%s enrolled account %q", m.from, e.Account())
			}
			enrolled = append(enrolled, e.Customer())
			net.send("processor", "main", "enrolled")
		case "fund": // limit in cents, validity in days
			r, err := proc.PublishRoster(ctx, enrolled, moneyEUR(int64(unnum(m.parts[0]))), now(), now().Add(time.Duration(unnum(m.parts[1]))*24*time.Hour))
			if err != nil {
				return err
			}
			net.send("processor", "shop", "funds", r.Bytes())
			for _, c := range dir.customers {
				net.send("processor", c, "funds", r.Bytes())
			}
		case "dispute": // payment, reason
			d, err := proc.Open(ctx, m.parts[0], string(m.parts[1]), now())
			if err != nil {
				return err
			}
			e, ok := proc.Enrollment(d.Customer())
			if !ok {
				return errors.New("a disclosed payer that is not enrolled")
			}
			net.send("processor", "shop", "disclosure-payment", d.Bytes())
			net.send("processor", string(e.Account()), "disclosure", d.Bytes())
			net.send("processor", "main", "disclosed", e.Account())
		case "rebuild":
			p, err := payments.OpenProcessor(ctx, key, opener, l)
			if err != nil {
				return err
			}
			n := 0
			for _, k := range enrolled {
				if _, ok := p.Enrollment(k); ok {
					n++
				}
			}
			net.send("processor", "main", "rebuilt", num(n))
		default:
			return fmt.Errorf("unexpected message %q", m.topic)
		}
		return nil
	})
}

// runAuditor rebuilds the review board from a copy of its public ledger,
// verifying every record, and reports what stands on it.
func runAuditor(net *network, dir *directory) {
	l := ledger.NewMemory()
	role(net, "auditor", func(m envelope) error {
		switch m.topic {
		case "entry":
			_, err := l.Append(ctx, ledger.Kind(unnum(m.parts[0])), m.parts[1])
			return err
		case "end":
			b, err := reviews.OpenBoard(ctx, dir.shop, dir.moderator, l, trs.NewMemoryStore())
			if err != nil {
				return err
			}
			// The standing reviews, and each disclosure with the reviews it
			// checks against: its own only.
			var standing [][]byte
			var all []*reviews.Review
			for _, p := range dir.products {
				for _, r := range b.Reviews(p.Label) {
					id := r.ID()
					standing = append(standing, id[:])
					all = append(all, r)
				}
			}
			parts := [][]byte{num(int(l.Len())), num(len(standing))}
			parts = append(parts, standing...)
			err = l.Scan(ctx, 0, func(e ledger.Entry) error {
				d, err := reviews.ParseDisclosure(e.Payload)
				if err != nil {
					return nil // another record
				}
				disclosed, ok := b.Disclosure(d.Review())
				if !ok {
					return errors.New("a disclosure the board did not apply")
				}
				own, _ := b.Review(d.Review())
				roster, _ := b.Roster(own.Roster())
				matches := 0
				for _, r := range append(all, own) {
					if disclosed.Check(r, roster) == nil {
						matches++
					}
				}
				id := d.Review()
				parts = append(parts, []byte("disclosed"), id[:], num(matches))
				return nil
			})
			if err != nil {
				return err
			}
			net.send("auditor", "main", "audited", parts...)
		default:
			return fmt.Errorf("unexpected message %q", m.topic)
		}
		return nil
	})
}
