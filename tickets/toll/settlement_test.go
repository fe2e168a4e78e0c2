package toll

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

var routes = [][2]PlazaID{{1, 2}, {2, 3}, {3, 1}, {1, 3}}

// day runs honest trips on operator A's road for every vehicle but the
// last, plus a second ticket of vehicle 1 that its exit refused as
// revealed and a dishonest plaza 1 files anyway, and returns the usage
// requests to settle (the dishonest one last).
func (w *world) day(t testing.TB) [][]byte {
	t.Helper()
	var reqs [][]byte
	for i := range w.vehicles[:len(w.vehicles)-1] {
		r := routes[i%len(routes)]
		at := day0.Add(time.Duration(i+1) * time.Minute)
		req, err := w.plaza(0, r[1]).Exit(ctx, w.ticket(t, i, 0, r[0], r[1], at), at.Add(40*time.Minute))
		if err != nil {
			t.Fatalf("vehicle %d: %v", i, err)
		}
		reqs = append(reqs, req)
	}
	at := day0.Add(5 * time.Hour)
	second := w.ticket(t, 1, 0, 2, 1, at)
	if _, err := w.plaza(0, 1).Exit(ctx, second, at.Add(time.Hour)); !errors.Is(err, tickets.ErrReused) {
		t.Fatalf("second ticket at its exit: %v", err)
	}
	return append(reqs, w.signUsage(t, 0, 1, at.Add(time.Hour), second))
}

func owedTo(sts []*Statement, creditor *ecdsa.PublicKey) money.Amount {
	sum := money.Zero(krw)
	for _, st := range sts {
		if st.Creditor().Equal(creditor) {
			sum, _ = sum.Add(st.Amount())
		}
	}
	return sum
}

func TestSettle(t *testing.T) {
	w := newWorld(t, 2)
	a := w.ops[0]
	reqs := w.day(t)
	results, sts, err := a.op.Settle(ctx, reqs, day0.Add(20*time.Hour))
	check(t, err)
	want := map[PlazaID]money.Amount{}
	for i, r := range results[:len(reqs)-1] {
		if r.Outcome != Paid || r.Request != requestDigest(reqs[i]) {
			t.Fatalf("honest request %d: %v (%v)", i, r.Outcome, r.Err)
		}
		p, _ := parseUsageRequest(reqs[i])
		if _, ok := want[p.plaza.id]; !ok {
			want[p.plaza.id] = money.Zero(krw)
		}
		want[p.plaza.id], _ = want[p.plaza.id].Add(r.Fare)
	}
	last := results[len(reqs)-1]
	var re *tickets.ReuseError
	if last.Outcome != Rejected || !errors.As(last.Err, &re) || re.Kind != trs.Revealed {
		t.Fatalf("double use filed by a dishonest plaza: %+v", last)
	}
	if len(sts) != len(want) {
		t.Fatalf("%d statements for %d plazas", len(sts), len(want))
	}
	for id, amount := range want {
		key := a.plazas[id].key.Public()
		if got := owedTo(sts, key); got != amount {
			t.Errorf("plaza %d: owed %v, want %v", id, got, amount)
		}
	}
	for _, st := range sts {
		if err := st.Verify(a.key.Public()); err != nil {
			t.Fatal(err)
		}
		if !st.Debtor().Equal(a.key.Public()) || !st.Time().Equal(day0.Add(20*time.Hour)) {
			t.Error("statement debtor or time")
		}
		n := 0
		for _, r := range reqs {
			if st.Pays(r) {
				n++
			}
		}
		if n != st.Len() || st.Pays(reqs[len(reqs)-1]) {
			t.Errorf("statement pays %d of the filed requests, lists %d", n, st.Len())
		}
	}
	if got := a.op.Statements(); len(got) != len(sts) {
		t.Errorf("operator keeps %d statements, issued %d", len(got), len(sts))
	}
}

// TestSettlementPaysWhatTheExitAccepted is the regression test for the
// issue's attack: a dishonest plaza files a ticket that its own exit
// refused — because its entry proof was consumed at another exit, or
// because it is a double user's second ticket, refused as revealed — ahead
// of the honest plaza's accepted ticket. In either filing order, in one
// settlement or in two, the dishonest plaza is never paid and the honest
// plaza always is.
func TestSettlementPaysWhatTheExitAccepted(t *testing.T) {
	type filing struct {
		honest, dishonest []byte
		reason            error
	}
	scenarios := map[string]func(w *world) filing{
		"entry proof consumed elsewhere": func(w *world) filing {
			at := day0.Add(time.Hour)
			trip := w.enter(t, 0, 1, at)
			honest, err := w.vehicles[0].pass.Ticket(trip, w.ops[0].key.Public(), 2)
			check(t, err)
			req, err := w.plaza(0, 2).Exit(ctx, honest, at.Add(time.Hour))
			check(t, err)
			// Vehicle 1 copies the now public entry proof and secret into a
			// ticket for plaza 3, whose exit refuses it.
			copied, err := w.vehicles[1].pass.Sign(trip.proof.bytes(), trip.secret, w.ops[0].key.Public(), 3)
			check(t, err)
			if _, err := w.plaza(0, 3).Exit(ctx, copied, at.Add(time.Hour)); !errors.Is(err, ErrEntryReused) {
				t.Fatalf("plaza 3's exit: %v", err)
			}
			return filing{req, w.signUsage(t, 0, 3, at.Add(time.Hour), copied), ErrNotSpent}
		},
		"second ticket refused as revealed": func(w *world) filing {
			at := day0.Add(time.Hour)
			req, err := w.plaza(0, 2).Exit(ctx, w.ticket(t, 0, 0, 1, 2, at), at.Add(time.Hour))
			check(t, err)
			second := w.ticket(t, 0, 0, 1, 3, at.Add(time.Minute))
			if _, err := w.plaza(0, 3).Exit(ctx, second, at.Add(time.Hour)); !errors.Is(err, tickets.ErrReused) {
				t.Fatalf("plaza 3's exit: %v", err)
			}
			return filing{req, w.signUsage(t, 0, 3, at.Add(time.Hour), second), tickets.ErrReused}
		},
	}
	for name, scenario := range scenarios {
		for _, order := range []string{"dishonest first", "honest first", "dishonest in an earlier settlement", "honest in an earlier settlement"} {
			t.Run(name+"/"+order, func(t *testing.T) {
				w := newWorld(t, 1)
				a := w.ops[0]
				f := scenario(w)
				var batches [][][]byte
				switch order {
				case "dishonest first":
					batches = [][][]byte{{f.dishonest, f.honest}}
				case "honest first":
					batches = [][][]byte{{f.honest, f.dishonest}}
				case "dishonest in an earlier settlement":
					batches = [][][]byte{{f.dishonest}, {f.honest}}
				default:
					batches = [][][]byte{{f.honest}, {f.dishonest}}
				}
				for k, batch := range batches {
					results, _, err := a.op.Settle(ctx, batch, day0.Add(time.Duration(20+k)*time.Hour))
					check(t, err)
					for i, r := range results {
						switch {
						case bytes.Equal(batch[i], f.honest) && r.Outcome != Paid:
							t.Errorf("honest request: %v %v", r.Outcome, r.Err)
						case bytes.Equal(batch[i], f.dishonest) && (r.Outcome != Rejected || !errors.Is(r.Err, f.reason)):
							t.Errorf("dishonest request: %v %v, want rejected with %v", r.Outcome, r.Err, f.reason)
						}
					}
				}
				sts := a.op.Statements()
				if got := owedTo(sts, a.plazas[3].key.Public()); got.Sign() != 0 {
					t.Errorf("the dishonest plaza is owed %v", got)
				}
				if got := owedTo(sts, a.plazas[2].key.Public()); got != won(1500) {
					t.Errorf("the honest plaza is owed %v, want KRW 1500", got)
				}
				if name != "entry proof consumed elsewhere" {
					return
				}
				// The copied ticket was refused at its exit and in settlement
				// without being spent: vehicle 1's pass still pays for a trip
				// of its own, and is not revealed.
				at := day0.Add(3 * time.Hour)
				own, err := w.plaza(0, 2).Exit(ctx, w.ticket(t, 1, 0, 1, 2, at), at.Add(time.Hour))
				check(t, err)
				results, _, err := a.op.Settle(ctx, [][]byte{own}, day0.Add(23*time.Hour))
				check(t, err)
				if results[0].Outcome != Paid {
					t.Errorf("vehicle 1's own trip: %v %v", results[0].Outcome, results[0].Err)
				}
			})
		}
	}
}

// TestSettleTwiceNeverPaysTwice files the same requests again (in the
// same settlement and in a later one) and a request re-signed by its plaza
// for an already paid ticket.
func TestSettleTwiceNeverPaysTwice(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	reqs := w.day(t)
	honest := reqs[:len(reqs)-1]
	first, _, err := a.op.Settle(ctx, append(honest, honest[0]), day0.Add(20*time.Hour))
	check(t, err)
	if got := first[len(honest)].Outcome; got != AlreadyPaid {
		t.Errorf("same request twice in one settlement: %v", got)
	}
	before := a.op.Statements()

	again, sts, err := a.op.Settle(ctx, honest, day0.Add(21*time.Hour))
	check(t, err)
	for _, r := range again {
		if r.Outcome != AlreadyPaid {
			t.Errorf("settled again: %v", r.Outcome)
		}
	}
	if len(sts) != 0 {
		t.Errorf("settling again issued %d statements", len(sts))
	}
	r0, _ := parseUsageRequest(honest[0])
	resigned := w.signUsage(t, 0, r0.plaza.id, r0.exitTime.Add(time.Minute), r0.ticket.bytes())
	third, _, err := a.op.Settle(ctx, [][]byte{resigned}, day0.Add(22*time.Hour))
	check(t, err)
	if third[0].Outcome != AlreadyPaid || third[0].Request == first[0].Request {
		t.Errorf("re-signed request: %v", third[0].Outcome)
	}
	if after := a.op.Statements(); len(after) != len(before) {
		t.Errorf("statements grew from %d to %d", len(before), len(after))
	}
}

func TestSettleRejects(t *testing.T) {
	w := newWorld(t, 1)
	a, b := w.ops[0], w.ops[1]
	at := day0.Add(time.Hour)
	tk := w.ticket(t, 0, 0, 1, 2, at)
	good, err := w.plaza(0, 2).Exit(ctx, tk, at.Add(time.Hour))
	check(t, err)
	exit := at.Add(time.Hour)

	// Filed by plaza 3 for a ticket naming plaza 2.
	wrong := w.signUsage(t, 0, 3, exit, tk)
	// Claiming plaza 2, signed with plaza 3's key.
	forged := func() []byte {
		r, _ := parseUsageRequest(good)
		r.exitTime = exit.Add(time.Second)
		body, _ := r.body()
		r.sig, _ = signRecord(a.plazas[3].key, contextUsage, body)
		return r.bytes()
	}()
	late := w.signUsage(t, 0, 2, day0.Add(25*time.Hour), tk)
	// A plaza nobody registered.
	unknown := func() []byte {
		r, _ := parseUsageRequest(good)
		r.plaza.id = 99
		body, _ := r.body()
		r.sig, _ = signRecord(mustKey(t), contextUsage, body)
		return r.bytes()
	}()
	// The partner B files its own plaza's request for a B ticket with A.
	bTicket := func() []byte {
		tv := w.buy(t, 1, price)
		for range testPolicy.RingSize - 1 {
			w.buy(t, 1, price)
		}
		trip := w.enter(t, 1, 1, at)
		tkb, err := tv.pass.Ticket(trip, b.key.Public(), 2)
		check(t, err)
		req, err := w.plaza(1, 2).Exit(ctx, tkb, exit)
		check(t, err)
		return req
	}()

	results, _, err := a.op.Settle(ctx, [][]byte{wrong, forged, late, unknown, good[1:], bTicket, good}, day0.Add(20*time.Hour))
	check(t, err)
	for i, want := range []error{ErrWrongPlaza, ErrBadSignature, tickets.ErrExpired, ErrUnknownPlaza, ErrMalformed, tickets.ErrUnknownSale} {
		if r := results[i]; r.Outcome != Rejected || !errors.Is(r.Err, want) {
			t.Errorf("request %d: %v %v, want %v", i, r.Outcome, r.Err, want)
		}
	}
	if !errors.Is(results[1].Err, ecdsa.ErrInvalidSignature) {
		t.Errorf("the ecdsa cause is not wrapped: %v", results[1].Err)
	}
	if r := results[6]; r.Outcome != Paid {
		t.Errorf("good request: %v %v", r.Outcome, r.Err)
	}
	// A rejected request changes nothing: filed again, it is checked
	// again.
	again, _, err := a.op.Settle(ctx, [][]byte{late}, day0.Add(21*time.Hour))
	check(t, err)
	if again[0].Outcome != Rejected {
		t.Errorf("rejected request filed again: %v", again[0].Outcome)
	}
}

// TestInteroperation: a vehicle with operator A's ticket drives on B's
// road. B's plaza accepts it at B's fare, B pays its plaza, and A, given
// the plaza's request, owes B that fare, checked item by item from public
// data; once.
func TestInteroperation(t *testing.T) {
	w := newWorld(t, 1)
	a, b := w.ops[0], w.ops[1]
	at := day0.Add(2 * time.Hour)
	trip := w.enter(t, 1, 1, at)
	tk, err := w.vehicles[0].pass.Ticket(trip, b.key.Public(), 2)
	check(t, err)
	req, err := w.plaza(1, 2).Exit(ctx, tk, at.Add(30*time.Minute))
	check(t, err)

	// B settles its plaza's requests: it owes its plaza B's fare.
	results, sts, err := b.op.Settle(ctx, [][]byte{req}, day0.Add(20*time.Hour))
	check(t, err)
	if results[0].Outcome != Paid || len(sts) != 1 || !sts[0].Creditor().Equal(b.plazas[2].key.Public()) || sts[0].Amount() != won(2000) {
		t.Fatalf("B's settlement: %+v", results[0])
	}
	// B forwards the request to A; A owes B the same fare.
	results, sts, err = a.op.Settle(ctx, [][]byte{req}, day0.Add(21*time.Hour))
	check(t, err)
	if results[0].Outcome != Paid || len(sts) != 1 {
		t.Fatalf("A's settlement of B's claim: %+v", results[0])
	}
	st, err := ParseStatement(sts[0].Bytes())
	check(t, err)
	if err := st.Verify(a.key.Public()); err != nil || !st.Debtor().Equal(a.key.Public()) || !st.Creditor().Equal(b.key.Public()) || st.Amount() != won(2000) || !st.Pays(req) {
		t.Errorf("A's statement to B: %v, %v owes %v", err, st.Debtor(), st.Amount())
	}
	again, _, _ := a.op.Settle(ctx, [][]byte{req}, day0.Add(22*time.Hour))
	if again[0].Outcome != AlreadyPaid {
		t.Errorf("claim filed twice: %v", again[0].Outcome)
	}
	// A claim for a ticket no exit accepted is refused.
	unused := w.ticket(t, 1, 1, 1, 2, at)
	fake := w.signUsage(t, 1, 2, at.Add(time.Hour), unused)
	if r, _, _ := a.op.Settle(ctx, [][]byte{fake}, day0.Add(22*time.Hour)); r[0].Outcome != Rejected || !errors.Is(r[0].Err, ErrNotSpent) {
		t.Errorf("claim for an unaccepted ticket: %v %v", r[0].Outcome, r[0].Err)
	}
	// B's fare is checked against A's price too.
	dear := w.buy(t, 0, won(1000))
	for range testPolicy.RingSize - 1 {
		w.buy(t, 0, won(1000))
	}
	tkd, err := dear.pass.Ticket(w.enter(t, 1, 1, at), b.key.Public(), 2)
	check(t, err)
	if _, err := w.plaza(1, 2).Exit(ctx, tkd, at.Add(time.Hour)); !errors.Is(err, ErrFareExceedsPrice) {
		t.Errorf("a 1000-won ticket on a 2000-won route: %v", err)
	}
}

// TestUntrustedOperator: an operator that is nobody's partner cannot get
// its sales, plazas or fares applied.
func TestUntrustedOperator(t *testing.T) {
	w := newWorld(t, 1)
	outsider := mustKey(t)
	op, err := OpenOperator(ctx, outsider, Config{Authority: w.authKey.Public(), Currency: krw, Policy: testPolicy}, Stores{Ledger: newTestLedger(), Spent: w.spent})
	check(t, err)
	reg, err := op.RegisterPlaza(ctx, 1, "Outside", mustKey(t).Public())
	check(t, err)
	fares, err := op.PublishFares(ctx, partnerFares(), maxTrip, day0)
	check(t, err)
	for _, rec := range [][]byte{reg, fares} {
		if err := w.ops[0].op.Apply(ctx, rec); !errors.Is(err, ErrUnknownPlaza) {
			t.Errorf("operator applied an outsider's record: %v", err)
		}
		if err := w.plaza(0, 1).Apply(ctx, rec); !errors.Is(err, ErrUnknownPlaza) {
			t.Errorf("plaza applied an outsider's record: %v", err)
		}
	}
	// A plaza takes registrations and fares from its own operator only.
	if err := w.plaza(0, 1).Apply(ctx, w.ops[1].records[0]); !errors.Is(err, ErrUnknownPlaza) {
		t.Errorf("plaza applied the partner's registration: %v", err)
	}
}

// TestResultNamesIssuer: settlement says who sold each ticket, so that an
// operator knows which requests to forward to which partner.
func TestResultNamesIssuer(t *testing.T) {
	w := newWorld(t, 1)
	a, b := w.ops[0], w.ops[1]
	at := day0.Add(time.Hour)
	own, err := w.plaza(0, 2).Exit(ctx, w.ticket(t, 0, 0, 1, 2, at), at.Add(time.Hour))
	check(t, err)
	tk, err := w.vehicles[1].pass.Ticket(w.enter(t, 1, 1, at), b.key.Public(), 2)
	check(t, err)
	onB, err := w.plaza(1, 2).Exit(ctx, tk, at.Add(time.Hour))
	check(t, err)
	ra, _, _ := a.op.Settle(ctx, [][]byte{own}, day0.Add(20*time.Hour))
	rb, _, _ := b.op.Settle(ctx, [][]byte{onB}, day0.Add(20*time.Hour))
	if !ra[0].Issuer.Equal(a.key.Public()) || !rb[0].Issuer.Equal(a.key.Public()) {
		t.Errorf("issuers: %v, %v", ra[0].Issuer, rb[0].Issuer)
	}
}

// TestUntrustedSale: a sale of an operator that is nobody's partner is
// refused before it reaches the ledger, so the role still rebuilds.
func TestUntrustedSale(t *testing.T) {
	w := newWorld(t, 1)
	outsider := mustKey(t)
	is, err := tickets.OpenIssuer(ctx, outsider, newTestLedger(), testPolicy)
	check(t, err)
	var sale *tickets.Sale
	for range testPolicy.RingSize {
		k, _ := trs.GenerateKey()
		sale, err = is.Purchase(ctx, tickets.Class{Label: classLabel, Price: price}, k.Public(), nil, day0)
		check(t, err)
	}
	pw := w.ops[0].plazas[1]
	if err := pw.p.Apply(ctx, sale.Bytes()); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("plaza applied an outsider's sale: %v", err)
	}
	if err := w.ops[0].op.Apply(ctx, sale.Bytes()); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("operator applied an outsider's sale: %v", err)
	}
	w.openPlaza(t, 0, 1)
	if _, err := OpenOperator(ctx, w.ops[0].key, w.config(0), Stores{Ledger: w.ops[0].l, Spent: w.spent}); err != nil {
		t.Errorf("operator after the refused sale: %v", err)
	}
}

// TestPartnerCannotTakeAPlazaKey: the spec has an operator register each
// key once among its own plazas. An operator C that trusts A and B must
// not let B, by registering a plaza of its own with the key of A's plaza
// before A's registration reaches C, make C refuse A's plaza: C could then
// never settle what it owes A for that plaza's exits of C's tickets.
func TestPartnerCannotTakeAPlazaKey(t *testing.T) {
	w := newWorld(t, 1)
	a, b := w.ops[0], w.ops[1]
	cKey := mustKey(t)
	c, err := OpenOperator(ctx, cKey, Config{Authority: w.authKey.Public(), Partners: []*ecdsa.PublicKey{a.key.Public(), b.key.Public()}, Currency: krw, Policy: testPolicy}, Stores{Ledger: newTestLedger(), Spent: w.spent})
	check(t, err)
	squat := &plazaRegistration{operator: b.key.Public(), id: 9, name: "Plaza B9", key: a.plazas[1].key.Public()}
	body, err := squat.body()
	check(t, err)
	squat.sig, err = signRecord(b.key, contextPlaza, body)
	check(t, err)
	check(t, c.Apply(ctx, squat.bytes()))
	for i, rec := range a.records {
		if err := c.Apply(ctx, rec); err != nil {
			t.Errorf("C refuses A's record %d after B's registration of the same key: %v", i, err)
		}
	}
	// Within one operator a key still names one plaza.
	if _, err := a.op.RegisterPlaza(ctx, 9, "Plaza A9", a.plazas[1].key.Public()); err == nil {
		t.Error("A registered one key for two of its plazas")
	}
}
