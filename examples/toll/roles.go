package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/toll"
	"github.com/ringtrace/ringtrace/trs"
)

// Each role below runs on its own goroutine. It is started with its own
// private key, the public directory and its stores, and from then on
// receives and sends only bytes through the network. A plaza mode that
// runs a plaza as a separate OS process needs only another transport.

var ctx = context.Background()

// directory is the public configuration every role is given: names and
// public keys, as a deployment would publish them.
type directory struct {
	authority *ecdsa.PublicKey
	operators []*opInfo
	vehicles  []string
}

type opInfo struct {
	name   string // inbox
	key    *ecdsa.PublicKey
	price  int64 // of its tickets, in won
	plazas []*plazaInfo
}

type plazaInfo struct {
	name     string // inbox
	display  string
	id       toll.PlazaID
	key      *ecdsa.PublicKey
	operator *opInfo
}

func (d *directory) operatorByKey(k *ecdsa.PublicKey) *opInfo {
	for _, o := range d.operators {
		if o.key.Equal(k) {
			return o
		}
	}
	return nil
}

func (d *directory) plaza(name string) *plazaInfo {
	for _, o := range d.operators {
		for _, p := range o.plazas {
			if p.name == name {
				return p
			}
		}
	}
	return nil
}

func (d *directory) partnerOf(o *opInfo) *opInfo {
	for _, p := range d.operators {
		if p != o {
			return p
		}
	}
	return nil
}

// Exit outcomes, as a plaza reports them to the vehicle: a code byte and
// the reason.
const (
	accepted = iota
	badEntryProof
	linked
	revealed
	entryReused
	refused
)

func outcomeOf(err error) byte {
	var re *tickets.ReuseError
	switch {
	case err == nil:
		return accepted
	case errors.Is(err, toll.ErrBadEntryProof):
		return badEntryProof
	case errors.As(err, &re) && re.Kind == trs.Linked:
		return linked
	case errors.As(err, &re) && re.Kind == trs.Revealed:
		return revealed
	case errors.Is(err, toll.ErrEntryReused):
		return entryReused
	}
	return refused
}

// runAuthority registers vehicles.
func runAuthority(net *network, box chan []byte, key *ecdsa.PrivateKey, st toll.Stores, fail func(error)) {
	a, err := toll.OpenAuthority(ctx, key, st.Ledger)
	if err != nil {
		fail(err)
		return
	}
	for {
		m := receive(box)
		switch m.topic {
		case "register":
			id, pub := readU64(m.body)
			k, err := ecdsa.ParsePublicKey(pub)
			if err != nil {
				fail(err)
				continue
			}
			reg, err := a.Register(ctx, toll.VehicleID(id), k, dayStart)
			if err != nil {
				fail(err)
				continue
			}
			net.send("authority", m.from, "registration", reg)
		case "stop":
			net.send("authority", "main", "stopped", nil)
			return
		}
	}
}

// runOperator is a toll operator: it registers its plazas, publishes its
// fares, sells tickets, settles its plazas' requests and the partner's
// claims, and maps revealed tickets to buyers.
func runOperator(net *network, box chan []byte, me *opInfo, key *ecdsa.PrivateKey, cfg toll.Config, st toll.Stores, dir *directory, fail func(error)) {
	op, err := toll.OpenOperator(ctx, key, cfg, st)
	if err != nil {
		fail(err)
		return
	}
	partner := dir.partnerOf(me)
	var records [][]byte
	for _, p := range me.plazas {
		reg, err := op.RegisterPlaza(ctx, p.id, p.display, p.key)
		if err != nil {
			fail(err)
			return
		}
		records = append(records, reg)
	}
	fares, err := op.PublishFares(ctx, lineFares(len(me.plazas)), 3*time.Hour, dayStart)
	if err != nil {
		fail(err)
		return
	}
	records = append(records, fares)
	for _, r := range records {
		for _, p := range me.plazas {
			net.send(me.name, p.name, "apply", r)
		}
		net.send(me.name, partner.name, "apply", r)
	}

	var usage, claims, forwarded [][]byte
	var revealedTicket []byte
	for {
		m := receive(box)
		switch m.topic {
		case "apply":
			if err := op.Apply(ctx, m.body); err != nil {
				fail(err)
			}
		case "purchase":
			sale, err := op.Purchase(ctx, m.body, dayStart.Add(5*time.Hour))
			if err != nil {
				fail(err)
			}
			if sale != nil {
				// Plazas and the partner first: a vehicle that has its
				// pass may drive at once.
				for _, o := range dir.operators {
					for _, p := range o.plazas {
						net.send(me.name, p.name, "apply", sale)
					}
				}
				net.send(me.name, partner.name, "apply", sale)
				for _, v := range dir.vehicles {
					net.send(me.name, v, "sale", sale)
				}
			}
		case "usage":
			usage = append(usage, m.body)
		case "reveal":
			buyer, err := op.Reveal(ctx, m.body)
			if err != nil {
				fail(fmt.Errorf("%s: reveal: %w", me.name, err))
				continue
			}
			revealedTicket = m.body
			net.send(me.name, "main", "revealed", u64(uint64(buyer)))
		case "settle":
			results, sts, err := op.Settle(ctx, usage, dayStart.Add(23*time.Hour))
			if err != nil {
				fail(err)
				continue
			}
			paid := 0
			for i, r := range results {
				if r.Outcome == toll.Paid {
					paid++
					if !r.Issuer.Equal(me.key) {
						forwarded = append(forwarded, usage[i])
					}
				}
			}
			for _, st := range sts {
				net.send(me.name, plazaByKey(me, st.Creditor()).name, "statement", st.Bytes())
			}
			net.send(me.name, partner.name, "claims", list(forwarded...))
			// The same requests again: nothing more is paid.
			again, more, err := op.Settle(ctx, usage, dayStart.Add(23*time.Hour+time.Minute))
			if err != nil {
				fail(err)
				continue
			}
			already := 0
			for _, r := range again {
				if r.Outcome == toll.AlreadyPaid {
					already++
				}
			}
			if len(more) != 0 {
				fail(fmt.Errorf("%s: settling again issued %d statements", me.name, len(more)))
			}
			net.send(me.name, "main", "settled", list(u64(uint64(len(usage))), u64(uint64(paid)), u64(uint64(len(forwarded))), u64(uint64(already)), u64(uint64(len(sts)))))
		case "claims":
			claims = unlist(m.body)
		case "settle-claims":
			results, sts, err := op.Settle(ctx, claims, dayStart.Add(23*time.Hour+30*time.Minute))
			if err != nil {
				fail(err)
				continue
			}
			for _, r := range results {
				if r.Outcome != toll.Paid {
					fail(fmt.Errorf("%s: partner's claim: %v %v", me.name, r.Outcome, r.Err))
				}
			}
			for _, st := range sts {
				net.send(me.name, partner.name, "statement", st.Bytes())
			}
			if len(sts) == 0 {
				net.send(me.name, partner.name, "statement", nil)
			}
		case "statement":
			// The partner's statement of what it owes for the forwarded
			// requests: signed by it, to this operator, paying each one.
			if len(m.body) == 0 {
				net.send(me.name, "main", "claim-statement", list(nil, nil))
				continue
			}
			st, err := toll.ParseStatement(m.body)
			if err == nil {
				err = st.Verify(partner.key)
			}
			for _, f := range forwarded {
				if err == nil && !st.Pays(f) {
					err = errors.New("a forwarded request is not paid")
				}
			}
			if err == nil && (!st.Creditor().Equal(me.key) || st.Len() != len(forwarded)) {
				err = errors.New("statement for another creditor or other requests")
			}
			if err != nil {
				fail(fmt.Errorf("%s: partner's statement: %w", me.name, err))
				continue
			}
			net.send(me.name, "main", "claim-statement", list(m.body, []byte(st.Amount().String())))
		case "statements":
			// Every statement it signed, for the netter.
			var sts [][]byte
			for _, s := range op.Statements() {
				sts = append(sts, s.Bytes())
			}
			net.send(me.name, m.from, "statements", list(sts...))
		case "rebuild":
			// The same operator rebuilt from its ledger: every record
			// verified, the same statements, reveals still mapped.
			rebuilt, err := toll.OpenOperator(ctx, key, cfg, st)
			if err == nil && len(rebuilt.Statements()) != len(op.Statements()) {
				err = errors.New("rebuilt operator has other statements")
			}
			for i, s := range rebuilt.Statements() {
				if err == nil && string(s.Bytes()) != string(op.Statements()[i].Bytes()) {
					err = fmt.Errorf("statement %d differs", i)
				}
			}
			if err == nil && revealedTicket != nil {
				_, err = rebuilt.Reveal(ctx, revealedTicket)
			}
			if err != nil {
				fail(fmt.Errorf("%s: rebuild: %w", me.name, err))
				continue
			}
			net.send(me.name, "main", "rebuilt", u64(uint64(len(rebuilt.Statements()))))
		case "stop":
			net.send(me.name, "main", "stopped", nil)
			return
		}
	}
}

func plazaByKey(o *opInfo, k *ecdsa.PublicKey) *plazaInfo {
	for _, p := range o.plazas {
		if p.key.Equal(k) {
			return p
		}
	}
	return nil
}

// runPlaza is a toll plaza: entry proofs, exit checks, usage requests to
// its operator, refused revealed tickets to the operator that sold them,
// and the check of its statement.
func runPlaza(net *network, box chan []byte, me *plazaInfo, key *ecdsa.PrivateKey, dir *directory, st toll.Stores, fail func(error)) {
	partner := dir.partnerOf(me.operator)
	p, err := toll.OpenPlaza(ctx, key, me.id, me.operator.key, []*ecdsa.PublicKey{partner.key}, st)
	if err != nil {
		fail(err)
		return
	}
	applied, ready := 0, false
	var filed [][]byte
	for {
		m := receive(box)
		switch m.topic {
		case "apply":
			if err := p.Apply(ctx, m.body); err != nil {
				fail(fmt.Errorf("%s: %w", me.name, err))
				continue
			}
			// Ready once it has its operator's registrations and fares.
			if applied++; !ready && applied == len(me.operator.plazas)+1 {
				ready = true
				net.send(me.name, "main", "ready", nil)
			}
		case "enter":
			at, c := readU64(m.body)
			proof, err := p.Enter([32]byte(c), time.Unix(int64(at), 0))
			if err != nil {
				fail(err)
				continue
			}
			net.send(me.name, m.from, "entry", proof)
		case "exit":
			at, ticket := readU64(m.body)
			req, err := p.Exit(ctx, ticket, time.Unix(int64(at), 0))
			if err == nil {
				filed = append(filed, req)
				net.send(me.name, me.operator.name, "usage", req)
			}
			var re *tickets.ReuseError
			if errors.As(err, &re) && re.Kind == trs.Revealed {
				net.send(me.name, dir.operatorByKey(re.Sale.Issuer()).name, "reveal", ticket)
			}
			reason := ""
			if err != nil {
				reason = err.Error()
			}
			net.send(me.name, m.from, "exit-result", append([]byte{outcomeOf(err)}, reason...))
		case "statement":
			st, err := toll.ParseStatement(m.body)
			if err == nil {
				err = st.Verify(me.operator.key)
			}
			if err == nil && !st.Creditor().Equal(me.key) {
				err = errors.New("statement for another plaza")
			}
			paid := 0
			for _, r := range filed {
				if err == nil && st.Pays(r) {
					paid++
				}
			}
			if err == nil && (paid != len(filed) || st.Len() != len(filed)) {
				err = fmt.Errorf("statement pays %d of %d filed requests", paid, len(filed))
			}
			if err != nil {
				fail(fmt.Errorf("%s: %w", me.name, err))
				continue
			}
			net.send(me.name, "main", "payout", list([]byte(me.name), u64(uint64(st.Len())), []byte(st.Amount().String()), u64(st.Number())))
		case "stop":
			net.send(me.name, "main", "stopped", nil)
			return
		}
	}
}

// runVehicle is an on-board unit: it registers, orders a ticket from its
// operator, claims its pass from the published sales, and makes trips on
// the commands of the simulation (the driver).
func runVehicle(net *network, box chan []byte, me string, id toll.VehicleID, key *ecdsa.PrivateKey, operator *opInfo, dir *directory, fail func(error)) {
	v, err := toll.NewVehicle(key, dir.authority)
	if err != nil {
		fail(err)
		return
	}
	var (
		pass      *toll.Pass
		trip      *toll.Trip
		last      []byte // the last ticket presented
		lastPlaza string
	)
	claim := func(sale []byte) {
		if pass != nil {
			return
		}
		passes, err := v.Claim(sale)
		if err != nil {
			fail(err)
		}
		if len(passes) == 1 {
			pass = passes[0]
			net.send(me, "main", "pass", nil)
		}
	}
	// await returns the next message of topic, handling sales meanwhile.
	await := func(topic string) message {
		for {
			m := receive(box)
			if m.topic == topic {
				return m
			}
			if m.topic == "sale" {
				claim(m.body)
			}
		}
	}
	present := func(plaza string, at uint64, ticket []byte) {
		last, lastPlaza = ticket, plaza
		net.send(me, plaza, "exit", append(u64(at), ticket...))
		net.send(me, "main", "exited", await("exit-result").body)
	}

	pub := key.Public().Bytes()
	net.send(me, "authority", "register", append(u64(uint64(id)), pub...))
	if err := v.SetRegistration(await("registration").body); err != nil {
		fail(err)
		return
	}
	order, err := v.Order(operator.key, moneyKRW(operator.price), dayStart.Add(5*time.Hour))
	if err != nil {
		fail(err)
		return
	}
	net.send(me, operator.name, "purchase", order)
	for {
		m := receive(box)
		switch m.topic {
		case "sale":
			claim(m.body)
		case "enter": // u64(time) || plaza
			at, plaza := readU64(m.body)
			if trip, err = toll.NewTrip(); err != nil {
				fail(err)
				continue
			}
			c := trip.Commitment()
			net.send(me, string(plaza), "enter", append(u64(at), c[:]...))
			proof := await("entry").body
			if err := trip.SetEntryProof(proof); err != nil {
				fail(err)
				continue
			}
			// The entry proof goes over the air: the driver (playing an
			// eavesdropper) overhears it.
			net.send(me, "main", "entered", proof)
		case "exit": // u64(time) || plaza
			at, name := readU64(m.body)
			plaza := dir.plaza(string(name))
			ticket, err := pass.Ticket(trip, plaza.operator.key, plaza.id)
			if err != nil {
				fail(err)
				continue
			}
			present(plaza.name, at, ticket)
		case "replay":
			at, _ := readU64(m.body)
			present(lastPlaza, at, last)
		case "forge": // list(u64(time), plaza, overheard entry proof)
			parts := unlist(m.body)
			at, _ := readU64(parts[0])
			plaza := dir.plaza(string(parts[1]))
			var guess [toll.TripSecretSize]byte
			copy(guess[:], "a guess at the victim's secret..")
			ticket, err := pass.Sign(parts[2], guess, plaza.operator.key, plaza.id)
			if err != nil {
				fail(err)
				continue
			}
			present(plaza.name, at, ticket)
		case "stop":
			net.send(me, "main", "stopped", nil)
			return
		}
	}
}
