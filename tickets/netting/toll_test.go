package netting

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/toll"
	"github.com/ringtrace/ringtrace/trs"
)

var ctx = context.Background()

var (
	tollDayStart = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	tollDayEnd   = tollDayStart.Add(24 * time.Hour)
	tollMorning  = tollDayStart.Add(8 * time.Hour)
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// tollRoad is one operator of a toll day and its plazas 1 and 2.
type tollRoad struct {
	key    *ecdsa.PrivateKey
	cfg    toll.Config
	op     *toll.Operator
	l      ledger.Ledger
	plazas [3]*toll.Plaza // by ID; [0] unused
	// requests are the usage requests its plazas filed, for tickets of
	// either operator.
	requests [][]byte
}

// tollDay is a day of two operators, A and B, that accept each other's
// tickets, built from records' bytes as package toll's roles would: three
// vehicles hold A's tickets and three B's, five of them drive (on their
// operator's road and the partner's), and both operators settle their
// plazas' requests in the day and then each other's claims. fork is A's
// ledger as it was before it settled.
type tollDay struct {
	a, b       *tollRoad
	spent      trs.Store
	fork       ledger.Ledger
	statements []*toll.Statement // every statement of the day, in issue order
}

func newTollDay(t testing.TB) *tollDay {
	t.Helper()
	krw := money.MustCurrency("KRW")
	won := func(n int64) money.Amount { return money.MustNew(n, krw) }
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey()
		must(t, err)
		return k
	}
	d := &tollDay{spent: trs.NewMemoryStore()}
	used := tickets.NewMemoryUsedSet()
	raKey := key()
	authority, err := toll.OpenAuthority(ctx, raKey, ledger.NewMemory())
	must(t, err)
	d.a, d.b = &tollRoad{key: key()}, &tollRoad{key: key()}
	policy := tickets.Policy{RingSize: 3, Validity: 24 * time.Hour}
	fares := map[*tollRoad]int64{d.a: 1300, d.b: 2100}
	records := map[*tollRoad][][]byte{} // each operator's registrations and fares
	for _, r := range []*tollRoad{d.a, d.b} {
		partner := d.partnerOf(r)
		r.cfg = toll.Config{Authority: raKey.Public(), Partners: []*ecdsa.PublicKey{partner.key.Public()}, Currency: krw, Policy: policy}
		r.l = ledger.NewMemory()
		r.op, err = toll.OpenOperator(ctx, r.key, r.cfg, toll.Stores{Ledger: r.l, Spent: d.spent})
		must(t, err)
		for id := toll.PlazaID(1); id <= 2; id++ {
			pk := key()
			reg, err := r.op.RegisterPlaza(ctx, id, fmt.Sprintf("plaza %d", id), pk.Public())
			must(t, err)
			records[r] = append(records[r], reg)
			r.plazas[id], err = toll.OpenPlaza(ctx, pk, id, r.key.Public(), []*ecdsa.PublicKey{partner.key.Public()}, toll.Stores{Ledger: ledger.NewMemory(), Spent: d.spent, Used: used})
			must(t, err)
		}
		table, err := r.op.PublishFares(ctx, []toll.Fare{{Entry: 1, Exit: 2, Amount: won(fares[r])}, {Entry: 2, Exit: 1, Amount: won(fares[r])}}, 3*time.Hour, tollMorning)
		must(t, err)
		records[r] = append(records[r], table)
	}
	// A plaza applies its operator's records, an operator the partner's.
	for _, r := range []*tollRoad{d.a, d.b} {
		for _, rec := range records[r] {
			for _, p := range r.plazas[1:] {
				must(t, p.Apply(ctx, rec))
			}
			must(t, d.partnerOf(r).op.Apply(ctx, rec))
		}
	}

	// Three vehicles buy from each operator; the third fills the ring, and
	// every operator and plaza applies the sale.
	passes := map[*tollRoad][]*toll.Pass{}
	vehicle := toll.VehicleID(100)
	for _, r := range []*tollRoad{d.a, d.b} {
		var vehicles []*toll.Vehicle
		var sale []byte
		for range 3 {
			vk := key()
			v, err := toll.NewVehicle(vk, raKey.Public())
			must(t, err)
			vehicle++
			reg, err := authority.Register(ctx, vehicle, vk.Public(), tollMorning)
			must(t, err)
			must(t, v.SetRegistration(reg))
			order, err := v.Order(r.key.Public(), won(2500), tollMorning)
			must(t, err)
			if sale, err = r.op.Purchase(ctx, order, tollMorning); err != nil {
				t.Fatal(err)
			}
			vehicles = append(vehicles, v)
		}
		if sale == nil {
			t.Fatal("no sale from a full ring")
		}
		for _, role := range []*tollRoad{d.a, d.b} {
			if role != r {
				must(t, role.op.Apply(ctx, sale))
			}
			for _, p := range role.plazas[1:] {
				must(t, p.Apply(ctx, sale))
			}
		}
		for _, v := range vehicles {
			p, err := v.Claim(sale)
			must(t, err)
			passes[r] = append(passes[r], p[0])
		}
	}

	// Trips: (pass of, road, entry plaza, exit plaza).
	trips := []struct {
		seller, road *tollRoad
		pass         int
		from, to     toll.PlazaID
	}{
		{d.a, d.a, 0, 1, 2}, {d.a, d.a, 1, 2, 1}, {d.a, d.b, 2, 1, 2},
		{d.b, d.b, 0, 2, 1}, {d.b, d.a, 1, 1, 2},
	}
	for i, tr := range trips {
		trip, err := toll.NewTrip()
		must(t, err)
		at := tollMorning.Add(time.Duration(i) * time.Minute)
		proof, err := tr.road.plazas[tr.from].Enter(trip.Commitment(), at)
		must(t, err)
		must(t, trip.SetEntryProof(proof))
		ticket, err := passes[tr.seller][tr.pass].Ticket(trip, tr.road.key.Public(), tr.to)
		must(t, err)
		req, err := tr.road.plazas[tr.to].Exit(ctx, ticket, at.Add(40*time.Minute))
		must(t, err)
		tr.road.requests = append(tr.road.requests, req)
	}

	// A's ledger before it settles, for a fork of A.
	d.fork = ledger.NewMemory()
	must(t, d.a.l.Scan(ctx, 0, func(e ledger.Entry) error {
		_, err := d.fork.Append(ctx, e.Kind, e.Payload)
		return err
	}))

	// Each operator settles its plazas' requests and forwards those for
	// the partner's tickets; then each settles the partner's claims.
	forwarded := map[*tollRoad][][]byte{}
	for _, r := range []*tollRoad{d.a, d.b} {
		results, sts, err := r.op.Settle(ctx, r.requests, tollDayStart.Add(20*time.Hour))
		must(t, err)
		for i, res := range results {
			if res.Outcome != toll.Paid {
				t.Fatalf("request %d: %v %v", i, res.Outcome, res.Err)
			}
			if !res.Issuer.Equal(r.key.Public()) {
				forwarded[r] = append(forwarded[r], r.requests[i])
			}
		}
		d.statements = append(d.statements, sts...)
	}
	for _, r := range []*tollRoad{d.a, d.b} {
		_, sts, err := r.op.Settle(ctx, forwarded[d.partnerOf(r)], tollDayStart.Add(21*time.Hour))
		must(t, err)
		if len(sts) != 1 {
			t.Fatalf("%d statements for the partner's claims", len(sts))
		}
		d.statements = append(d.statements, sts...)
	}
	return d
}

func (d *tollDay) partnerOf(r *tollRoad) *tollRoad {
	if r == d.a {
		return d.b
	}
	return d.a
}

func (d *tollDay) operators() []*ecdsa.PublicKey {
	return []*ecdsa.PublicKey{d.a.key.Public(), d.b.key.Public()}
}

// checkSettles nets obligations and checks the settlement against them:
// every net is what the obligations add up to (conservation: they sum to
// zero in each currency), and paying the transfers instead leaves every
// party with the same net.
func checkSettles(t *testing.T, obs []Obligation) *Settlement {
	t.Helper()
	s := mustNet(t, obs)
	want := naiveNets(obs)
	if len(s.Nets()) != len(want) {
		t.Fatalf("%d nets, the obligations give %d", len(s.Nets()), len(want))
	}
	sums := map[money.Currency]int64{}
	for _, n := range s.Nets() {
		w := want[netKey{n.Net.Currency(), n.Party}]
		if w == nil || !w.IsInt64() || w.Int64() != n.Net.Units() {
			t.Fatalf("net of %x is %v, the obligations give %v", string(n.Party), n.Net, w)
		}
		sums[n.Net.Currency()] += n.Net.Units()
	}
	for c, sum := range sums {
		if sum != 0 {
			t.Fatalf("nets in %s sum to %d", c, sum)
		}
	}
	paid := naiveNets(s.Transfers())
	if len(paid) != len(want) {
		t.Fatalf("the transfers give %d nets, the obligations %d", len(paid), len(want))
	}
	for k, v := range want {
		if paid[k] == nil || paid[k].Cmp(v) != 0 {
			t.Fatalf("the transfers give %x %v, the obligations %v", string(k.p), paid[k], v)
		}
	}
	if err := s.Check(obs); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTollObligations: one obligation per statement of the day, debtor to
// creditor for the statement's amount; netted, they settle in fewer
// transfers, conserving amounts and every party's net.
func TestTollObligations(t *testing.T) {
	d := newTollDay(t)
	if len(d.statements) != 6 {
		t.Fatalf("%d statements, want 4 to plazas and 2 between the operators", len(d.statements))
	}
	obs, err := TollObligations(tollDayStart, tollDayEnd, d.operators(), d.statements)
	must(t, err)
	if len(obs) != len(d.statements) {
		t.Fatalf("%d obligations from %d statements", len(obs), len(d.statements))
	}
	for i, st := range d.statements {
		want := Obligation{Payer: Party(st.Debtor().Bytes()), Payee: Party(st.Creditor().Bytes()), Amount: st.Amount()}
		if obs[i] != want {
			t.Errorf("statement %d: obligation %x owes %x %v, want %v", i, string(obs[i].Payer), string(obs[i].Payee), obs[i].Amount, st.Amount())
		}
	}
	s := checkSettles(t, obs)
	if n := len(s.Transfers()); n >= len(obs) {
		t.Errorf("%d transfers for %d obligations: netting saved nothing", n, len(obs))
	}

	// Every party checks its own net from the statements it holds: a plaza
	// its statement, an operator those it signed and those it received.
	for _, n := range s.Nets() {
		var own []Obligation
		for _, o := range obs {
			if o.Payer == n.Party || o.Payee == n.Party {
				own = append(own, o)
			}
		}
		if err := s.CheckParty(n.Party, own); err != nil {
			t.Errorf("party %x: %v", string(n.Party), err)
		}
	}
}

// TestTollObligationsPeriod: statements settled outside the period are
// left out, so consecutive periods net each once.
func TestTollObligationsPeriod(t *testing.T) {
	d := newTollDay(t)
	split := tollDayStart.Add(20*time.Hour + 30*time.Minute) // between the plazas' and the claims' settlements
	early, err := TollObligations(tollDayStart, split, d.operators(), d.statements)
	must(t, err)
	late, err := TollObligations(split, tollDayEnd, d.operators(), d.statements)
	must(t, err)
	if len(early) != 4 || len(late) != 2 {
		t.Fatalf("%d obligations before %v and %d after, want 4 and 2", len(early), split, len(late))
	}
	all, err := TollObligations(tollDayStart, tollDayEnd, d.operators(), d.statements)
	must(t, err)
	if mustNet(t, all).ObligationsDigest() != mustNet(t, append(early, late...)).ObligationsDigest() {
		t.Fatal("the two halves are not the day")
	}
	next, err := TollObligations(tollDayEnd, tollDayEnd.Add(24*time.Hour), d.operators(), d.statements)
	if err != nil || len(next) != 0 {
		t.Fatalf("the next day: %d obligations, %v", len(next), err)
	}
	// The end is exclusive and times are whole seconds, as in a statement.
	at := d.statements[0].Time()
	if obs, _ := TollObligations(at.Add(-time.Hour), at, d.operators(), d.statements[:1]); len(obs) != 0 {
		t.Error("a statement at the end of the period netted")
	}
	if obs, _ := TollObligations(at.Add(999*time.Millisecond), at.Add(time.Hour), d.operators(), d.statements[:1]); len(obs) != 1 {
		t.Error("a start within the statement's second left it out")
	}
}

// TestTollObligationsOnce: a statement given twice counts once; two
// different statements with one number from one debtor (a forked
// operator) are refused.
func TestTollObligationsOnce(t *testing.T) {
	d := newTollDay(t)
	twice := append(slices.Clone(d.statements), d.statements...)
	copyOf, err := toll.ParseStatement(d.statements[0].Bytes())
	must(t, err)
	twice = append(twice, copyOf)
	obs, err := TollObligations(tollDayStart, tollDayEnd, d.operators(), twice)
	must(t, err)
	if len(obs) != len(d.statements) {
		t.Fatalf("%d obligations from %d statements given twice", len(obs), len(d.statements))
	}

	// A copy of A from its ledger before it settled, settling one request
	// again: its first statement has the number of A's first.
	fork, err := toll.OpenOperator(ctx, d.a.key, d.a.cfg, toll.Stores{Ledger: d.fork, Spent: d.spent})
	must(t, err)
	_, sts, err := fork.Settle(ctx, d.a.requests[:1], tollDayStart.Add(22*time.Hour))
	must(t, err)
	if len(sts) != 1 || sts[0].Number() != d.statements[0].Number() || !sts[0].Debtor().Equal(d.statements[0].Debtor()) {
		t.Fatal("the fork's statement does not collide")
	}
	_, err = TollObligations(tollDayStart, tollDayEnd, d.operators(), append(slices.Clone(d.statements), sts[0]))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("a forked statement: %v", err)
	}
}

// TestTollObligationsRefuses: statements of an untrusted debtor or with a
// bad signature, and nil inputs.
func TestTollObligationsRefuses(t *testing.T) {
	d := newTollDay(t)
	onlyA := []*ecdsa.PublicKey{d.a.key.Public()}
	if _, err := TollObligations(tollDayStart, tollDayEnd, onlyA, d.statements); !errors.Is(err, ErrInvalid) {
		t.Errorf("B's statements with only A trusted: %v", err)
	}
	b := d.statements[0].Bytes()
	b[len(b)-1] ^= 1
	forged, err := toll.ParseStatement(b)
	must(t, err)
	_, err = TollObligations(tollDayStart, tollDayEnd, d.operators(), []*toll.Statement{forged})
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, toll.ErrBadSignature) {
		t.Errorf("a changed signature: %v", err)
	}
	for name, f := range map[string]func() ([]Obligation, error){
		"nil statement": func() ([]Obligation, error) {
			return TollObligations(tollDayStart, tollDayEnd, d.operators(), []*toll.Statement{nil})
		},
		"zero statement": func() ([]Obligation, error) {
			return TollObligations(tollDayStart, tollDayEnd, d.operators(), []*toll.Statement{{}})
		},
		"nil operator": func() ([]Obligation, error) {
			return TollObligations(tollDayStart, tollDayEnd, []*ecdsa.PublicKey{nil}, d.statements)
		},
		"no operators": func() ([]Obligation, error) {
			return TollObligations(tollDayStart, tollDayEnd, nil, d.statements)
		},
		"empty period": func() ([]Obligation, error) {
			return TollObligations(tollDayEnd, tollDayEnd, d.operators(), d.statements)
		},
		"before 1970": func() ([]Obligation, error) {
			return TollObligations(time.Unix(-1, 0), tollDayEnd, d.operators(), d.statements)
		},
	} {
		if obs, err := f(); !errors.Is(err, ErrInvalid) || obs != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A statement outside the period is still checked.
	if _, err := TollObligations(tollDayEnd, tollDayEnd.Add(time.Hour), onlyA, d.statements); !errors.Is(err, ErrInvalid) {
		t.Errorf("an untrusted statement outside the period: %v", err)
	}
}

// TestTollObligationsSelfDebt: toll lets an operator register its own key
// as one of its plazas' keys, and its statement to that plaza then names it
// as both debtor and creditor. Such a debt is owed to nobody else and is
// left out; taken, it was an obligation whose payer is its payee, which
// Net refuses, and with it the netting of every other statement.
func TestTollObligationsSelfDebt(t *testing.T) {
	d := newTollDay(t)
	st := d.statements[0]
	if !st.Debtor().Equal(d.a.key.Public()) {
		t.Fatal("the first statement is not A's")
	}
	b := st.Bytes()
	body := slices.Clone(b[:len(b)-wire.SignatureSize])
	creditorAt := wire.HeaderSize + ecdsa.PublicKeySize
	copy(body[creditorAt:], d.a.key.Public().Bytes())
	binary.BigEndian.PutUint64(body[creditorAt+ecdsa.PublicKeySize:], 1<<40) // a number of its own
	signed, err := wire.Sign(d.a.key, "ringtrace/toll/statement/v1", body)
	must(t, err)
	self, err := toll.ParseStatement(signed)
	must(t, err)
	if err := self.Verify(d.a.key.Public()); err != nil || !self.Creditor().Equal(self.Debtor()) {
		t.Fatalf("the statement to itself: %v", err)
	}
	obs, err := TollObligations(tollDayStart, tollDayEnd, d.operators(), append(slices.Clone(d.statements), self))
	must(t, err)
	if len(obs) != len(d.statements) {
		t.Fatalf("%d obligations from %d statements and one to itself", len(obs), len(d.statements))
	}
	checkSettles(t, obs)
}
