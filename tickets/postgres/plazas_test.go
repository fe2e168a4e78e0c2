package postgres

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/toll"
)

var (
	krw       = money.MustCurrency("KRW")
	saleTime  = time.Date(2026, 11, 21, 5, 0, 0, 0, time.UTC)
	tripsFrom = saleTime.Add(time.Hour)
)

// tollSide is what runs in the test's own process: the registration
// authority, the operator (which sells, maps revealed tickets to buyers
// and settles) and the vehicles. The authority's and the operator's
// ledgers are chains of the database; the operator reads the database's
// spent store.
type tollSide struct {
	t        *testing.T
	db       *DB
	opKey    *ecdsa.PrivateKey
	op       *toll.Operator
	cfg      toll.Config
	plazas   map[toll.PlazaID]*ecdsa.PrivateKey
	records  [][]byte // plaza registrations, the fare table, the sale
	vehicles []*tollVehicle
}

type tollVehicle struct {
	id   toll.VehicleID
	pass *toll.Pass
	slot int // its slot in the sale's ring, once a reveal has shown it; -1 before
}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// newTollSide sets up operator A with plazas 1 and 2 and sells one sale
// of n passes to n registered vehicles.
func newTollSide(t *testing.T, db *DB, n int) *tollSide {
	t.Helper()
	authKey := mustKey(t)
	s := &tollSide{t: t, db: db, opKey: mustKey(t), plazas: map[toll.PlazaID]*ecdsa.PrivateKey{1: mustKey(t), 2: mustKey(t), 3: mustKey(t)}}
	s.cfg = toll.Config{Authority: authKey.Public(), Currency: krw,
		Policy: tickets.Policy{RingSize: n, Validity: 24 * time.Hour}}
	authority := must[*toll.Authority](t)(toll.OpenAuthority(ctx, authKey, must[*Ledger](t)(db.Ledger(ctx, "authority"))))
	s.op = must[*toll.Operator](t)(toll.OpenOperator(ctx, s.opKey, s.cfg, toll.Stores{Ledger: must[*Ledger](t)(db.Ledger(ctx, "operator/A")), Spent: db.SpentStore()}))
	for id := toll.PlazaID(1); id <= 3; id++ {
		s.records = append(s.records, must[[]byte](t)(s.op.RegisterPlaza(ctx, id, fmt.Sprintf("Plaza %d", id), s.plazas[id].Public())))
	}
	var fares []toll.Fare
	for entry := toll.PlazaID(1); entry <= 3; entry++ {
		for exit := toll.PlazaID(1); exit <= 3; exit++ {
			if entry != exit {
				fares = append(fares, toll.Fare{Entry: entry, Exit: exit, Amount: money.MustNew(1000+100*int64(entry+exit), krw)})
			}
		}
	}
	s.records = append(s.records, must[[]byte](t)(s.op.PublishFares(ctx, fares, 2*time.Hour, saleTime)))

	var vehicles []*toll.Vehicle
	var sale []byte
	for i := range n {
		key := mustKey(t)
		id := toll.VehicleID(1001 + i)
		v := must[*toll.Vehicle](t)(toll.NewVehicle(key, authKey.Public()))
		if err := v.SetRegistration(must[[]byte](t)(authority.Register(ctx, id, key.Public(), saleTime))); err != nil {
			t.Fatal(err)
		}
		order := must[[]byte](t)(v.Order(s.opKey.Public(), money.MustNew(3000, krw), saleTime))
		sale = must[[]byte](t)(s.op.Purchase(ctx, order, saleTime))
		vehicles = append(vehicles, v)
		s.vehicles = append(s.vehicles, &tollVehicle{id: id, slot: -1})
	}
	if sale == nil {
		t.Fatal("no sale")
	}
	// The operator, too, checks tickets (to reveal and to settle): it
	// registers the tag of the sale it made.
	parsed := must[*tickets.Sale](t)(tickets.ParseSale(sale))
	if err := db.SpentStore().Register(ctx, parsed.Tag(), parsed.ValidUntil().Add(settlementGrace)); err != nil {
		t.Fatal(err)
	}
	s.records = append(s.records, sale)
	for i, v := range vehicles {
		passes := must[[]*toll.Pass](t)(v.Claim(sale))
		if len(passes) != 1 {
			t.Fatalf("vehicle %d: %d passes", i, len(passes))
		}
		s.vehicles[i].pass = passes[0]
	}
	return s
}

func (s *tollSide) laneSetup(id toll.PlazaID, name string) laneSetup {
	return laneSetup{Key: s.plazas[id].Bytes(), Operator: s.opKey.Public().Bytes(), Plaza: id, Lane: name, Records: s.records}
}

// exitAt is a ticket to present at a lane, and its trip's entry
// commitment.
type exitAt struct {
	lane   *lane
	ticket []byte
	entry  [32]byte
	at     time.Time
}

// enter makes vehicle v enter at lane entry at time at.
func (s *tollSide) enter(entry *lane, at time.Time) *toll.Trip {
	s.t.Helper()
	trip := must[*toll.Trip](s.t)(toll.NewTrip())
	if err := trip.SetEntryProof(entry.enter(trip.Commitment(), at)); err != nil {
		s.t.Fatal(err)
	}
	return trip
}

// exit returns vehicle v's ticket for trip, entered at time at, to exit at
// lane exit half an hour later.
func (s *tollSide) exit(v int, trip *toll.Trip, exit *lane, at time.Time) exitAt {
	s.t.Helper()
	tk := must[[]byte](s.t)(s.vehicles[v].pass.Ticket(trip, s.opKey.Public(), exit.setup.Plaza))
	return exitAt{lane: exit, ticket: tk, entry: trip.Commitment(), at: at.Add(30 * time.Minute)}
}

func (e exitAt) command() laneCommand { return laneCommand{Ticket: e.ticket, Time: e.at} }

// presentAll presents every exit at once (each at its own lane) and
// returns the answers.
func presentAll(exits []exitAt) []laneAnswer {
	for _, e := range exits {
		e.lane.send(e.command())
	}
	answers := make([]laneAnswer, len(exits))
	for i, e := range exits {
		answers[i] = e.lane.answer()
	}
	return answers
}

// acknowledged is an exit a lane accepted: its ticket was spent and its
// usage request signed.
type acknowledged struct {
	exitAt
	usage []byte
}

// judge checks the answers to exits of vehicle v presented at once:
// exactly one accepted; a copy of the accepted ticket linked, any other
// ticket revealed (at the vehicle's slot, and mapped to the vehicle by
// the operator); either refused as entry-reused if another exit presented
// its entry proof. It returns the accepted exit.
func (s *tollSide) judge(v int, exits []exitAt, answers []laneAnswer) acknowledged {
	s.t.Helper()
	var seen []string
	for i, a := range answers {
		seen = append(seen, exits[i].lane.name+": "+a.Outcome)
	}
	s.t.Logf("vehicle %d: %s", v, strings.Join(seen, ", "))
	var ack *acknowledged
	for i, a := range answers {
		if a.Outcome == exitAccepted {
			if ack != nil {
				s.t.Fatalf("vehicle %d accepted at %s and %s", v, ack.lane.name, exits[i].lane.name)
			}
			ack = &acknowledged{exits[i], a.Usage}
		}
	}
	if ack == nil {
		s.t.Fatalf("vehicle %d accepted nowhere: %+v", v, answers)
	}
	for i, a := range answers {
		e := exits[i]
		copyOfAccepted := bytes.Equal(e.ticket, ack.ticket)
		sharesEntry := false
		for j, o := range exits {
			sharesEntry = sharesEntry || (j != i && o.entry == e.entry)
		}
		switch {
		case a.Outcome == exitAccepted:
		case a.Outcome == exitEntryReused && sharesEntry:
		case a.Outcome == exitLinked && copyOfAccepted:
		case a.Outcome == exitRevealed && !copyOfAccepted:
			s.revealed(v, e.ticket, a.Slot)
		default:
			s.t.Fatalf("vehicle %d at %s: %+v (a copy of the accepted ticket: %v)", v, e.lane.name, a, copyOfAccepted)
		}
	}
	return *ack
}

// revealed checks a reveal of vehicle v at slot: the slot is the
// vehicle's, and the operator maps the ticket to the vehicle.
func (s *tollSide) revealed(v int, ticket []byte, slot int) {
	s.t.Helper()
	tv := s.vehicles[v]
	if tv.slot < 0 {
		tv.slot = slot
	}
	for w, other := range s.vehicles {
		if w != v && other.slot == slot {
			s.t.Fatalf("vehicles %d and %d revealed at slot %d", v, w, slot)
		}
	}
	if slot != tv.slot {
		s.t.Fatalf("vehicle %d revealed at slots %d and %d", v, tv.slot, slot)
	}
	if got, err := s.op.Reveal(ctx, ticket); err != nil || got != tv.id {
		s.t.Fatalf("operator maps vehicle %d's revealed ticket to %d (%v), want %d", v, got, err, tv.id)
	}
}

// usedEntry reports whether the database's used set holds the entry
// commitment: docs/spec/toll.md names it by
// Digest("ringtrace-v1-toll-entry-id", commitment).
func usedEntry(t testing.TB, db *DB, commitment [32]byte) bool {
	t.Helper()
	id := wire.Digest("ringtrace-v1-toll-entry-id", commitment[:])
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM ringtrace_used WHERE id = $1`, id[:]).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestPlazasShareOneDatabase runs toll plazas as separate processes on one
// PostgreSQL database: plaza 1 with three lanes, plazas 2 and 3 with one
// (vehicles enter at plaza 3). Each lane is a process of its own, this
// test binary run again, with a toll.Plaza over the database's spent store
// and used set and its ledger a chain in the database. The authority, the
// operator and the vehicles run in the test's process; the operator's
// ledger is a chain too.
//
//   - Copies of one ticket are presented at every lane of plaza 1 at once,
//     and at plaza 2 a ticket of the same trip that names plaza 2: exactly
//     one is accepted; a copy of it is linked or refused as entry-reused,
//     the other ticket revealed or refused as entry-reused. Shown again,
//     each copy of the accepted ticket is linked, the other revealed.
//   - A second use of the pass, a new trip, at the other plaza reveals its
//     key, which the operator maps to the vehicle.
//   - A lane of plaza 1 is killed with SIGKILL in the middle of an exit:
//     holding the tag's lock (after-lock), or with the ticket's record
//     inserted and not committed (before-commit), while the other lanes
//     wait for that lock with other tickets (other trips) of the same
//     pass. Exactly one of those is accepted and the others revealed: the
//     killed exit left no record. Its entry commitment is used and its
//     ticket unspent — shown again at the restarted lane, which rebuilds
//     itself from its chain, it is revealed, not linked: "proof used,
//     ticket unspent".
//
// At the end the spent store holds exactly the accepted tickets (no
// acknowledged spend lost, none unacknowledged kept), each linked when
// shown again; the used set holds exactly the entry commitments presented,
// the accepted tickets' among them (never a ticket spent with its proof
// unused); settlement over the database pays each accepted ticket once,
// in statements that pay nothing else, and nothing again when the same
// requests are filed a second time.
func TestPlazasShareOneDatabase(t *testing.T) {
	if schema := os.Getenv(plazaVariable); schema != "" {
		runLane(schema)
	}
	cfg, schema := testSchema(t)
	db := openConfig(t, cfg)
	admin := adminConn(t, cfg)
	const rounds, kills = 2, 2
	s := newTollSide(t, db, rounds+kills)
	lanes := []*lane{
		startLane(t, schema, s.laneSetup(1, "a")),
		startLane(t, schema, s.laneSetup(1, "b")),
		startLane(t, schema, s.laneSetup(1, "c")),
		startLane(t, schema, s.laneSetup(2, "a")),
		startLane(t, schema, s.laneSetup(3, "a")),
	}
	plaza1, plaza2, plaza3 := lanes[:3], lanes[3], lanes[4]
	var acks []acknowledged
	entries := map[[32]byte]bool{} // every entry commitment presented
	at := tripsFrom
	trip := func(v int, entry, exit *lane) exitAt {
		at = at.Add(time.Minute)
		e := s.exit(v, s.enter(entry, at), exit, at)
		entries[e.entry] = true
		return e
	}

	for v := range rounds {
		at = at.Add(time.Minute)
		tr := s.enter(plaza3, at)
		entries[tr.Commitment()] = true
		one := s.exit(v, tr, plaza1[0], at)
		var exits []exitAt
		for _, ln := range plaza1 {
			one.lane = ln
			exits = append(exits, one)
		}
		exits = append(exits, s.exit(v, tr, plaza2, at)) // the same trip, signed for an exit at plaza 2
		ack := s.judge(v, exits, presentAll(exits))
		acks = append(acks, ack)
		for _, e := range exits {
			want := exitRevealed
			if bytes.Equal(e.ticket, ack.ticket) {
				want = exitLinked
			}
			if a := presentAll([]exitAt{e}); a[0].Outcome != want {
				t.Fatalf("vehicle %d's ticket shown again at %s: %+v, want %s", v, e.lane.name, a[0], want)
			}
		}
		// A second use of the pass at the other plaza reveals it.
		var second exitAt
		if ack.lane == plaza2 {
			second = trip(v, plaza3, plaza1[2])
		} else {
			second = trip(v, plaza3, plaza2)
		}
		if a := presentAll([]exitAt{second}); a[0].Outcome != exitRevealed {
			t.Fatalf("vehicle %d's second trip: %+v, want revealed", v, a[0])
		} else {
			s.revealed(v, second.ticket, a[0].Slot)
		}
	}

	for k, point := range []hookPoint{hookLocked, hookInserted} {
		v := rounds + k
		victim := trip(v, plaza3, plaza1[0])
		others := []exitAt{trip(v, plaza3, plaza1[1]), trip(v, plaza3, plaza1[2]), trip(v, plaza3, plaza2)}
		c := victim.command()
		c.PauseAt = point.String()
		victim.lane.send(c)
		victim.lane.expect("paused")
		for _, e := range others {
			e.lane.send(e.command())
		}
		// Every other lane waits for the tag's lock, which the victim holds.
		waitFor(t, admin, `SELECT (count(*) >= $2)::int FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1`, schema, len(others))
		restart := victim.lane.kill()
		answers := make([]laneAnswer, len(others))
		for i, e := range others {
			answers[i] = e.lane.answer()
		}
		acks = append(acks, s.judge(v, others, answers))
		lanes[0] = startLane(t, schema, restart)
		plaza1[0] = lanes[0]
		victim.lane = lanes[0]
		if !usedEntry(t, db, victim.entry) {
			t.Fatalf("%s: the killed exit's entry commitment is not used", point)
		}
		if a := presentAll([]exitAt{victim}); a[0].Outcome != exitRevealed {
			t.Fatalf("%s: the killed exit's ticket shown again: %+v, want revealed (not spent)", point, a[0])
		}
		if got := countRows(t, db, "ringtrace_spent"); got != len(acks) {
			t.Fatalf("%s: %d tickets spent, %d accepted", point, got, len(acks))
		}
	}

	// Exactly the accepted tickets are spent, and each is linked when
	// shown again; exactly the entry commitments presented are used.
	if got := countRows(t, db, "ringtrace_spent"); got != len(acks) {
		t.Fatalf("%d tickets spent, %d accepted", got, len(acks))
	}
	for _, a := range acks {
		e := a.exitAt
		if e.lane.setup.Plaza == 1 {
			e.lane = lanes[0]
		}
		if got := presentAll([]exitAt{e}); got[0].Outcome != exitLinked {
			t.Fatalf("an accepted ticket shown again at %s: %+v", e.lane.name, got[0])
		}
	}
	for c := range entries {
		if !usedEntry(t, db, c) {
			t.Fatalf("entry commitment %x… presented but not used", c[:4])
		}
	}
	if got := countRows(t, db, "ringtrace_used"); got != len(entries) {
		t.Fatalf("%d entry commitments used, %d presented", got, len(entries))
	}

	// Settlement pays exactly the accepted tickets, once.
	var usage [][]byte
	for _, a := range acks {
		usage = append(usage, a.usage)
	}
	settleAt := tripsFrom.Add(12 * time.Hour)
	results, statements, err := s.op.Settle(ctx, usage, settleAt)
	if err != nil {
		t.Fatal(err)
	}
	paid := 0
	for i, r := range results {
		if r.Outcome != toll.Paid {
			t.Fatalf("accepted exit %d: %v (%v)", i, r.Outcome, r.Err)
		}
		n := 0
		for _, st := range statements {
			if st.Pays(usage[i]) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("accepted exit %d paid by %d statements", i, n)
		}
	}
	for _, st := range statements {
		paid += st.Len()
	}
	if paid != len(acks) {
		t.Fatalf("statements pay %d requests, %d accepted", paid, len(acks))
	}
	again, more, err := s.op.Settle(ctx, usage, settleAt.Add(time.Minute))
	if err != nil || len(more) != 0 {
		t.Fatalf("settling again: %d statements (%v)", len(more), err)
	}
	for i, r := range again {
		if r.Outcome != toll.AlreadyPaid {
			t.Fatalf("accepted exit %d settled again: %v", i, r.Outcome)
		}
	}
	// The operator rebuilt from its chain has the same statements.
	rebuilt := must[*toll.Operator](t)(toll.OpenOperator(ctx, s.opKey, s.cfg, toll.Stores{Ledger: must[*Ledger](t)(db.Ledger(ctx, "operator/A")), Spent: db.SpentStore()}))
	if got := rebuilt.Statements(); len(got) != len(statements) {
		t.Fatalf("rebuilt operator: %d statements, want %d", len(got), len(statements))
	}
}
