// Command toll simulates one day of the AnonymousTollPass toll system on
// this module's traceable ring signatures, with two toll operators that
// accept each other's tickets. Every role — the registration authority,
// each operator, each plaza, each vehicle — runs on its own goroutine
// with its own keys and stores, and the roles exchange nothing but bytes
// over channels. Vehicles buy tickets in rings of 50, drive on their
// operator's road or the partner's, one presents an overheard entry proof
// (rejected), one uses its pass twice (revealed and mapped to its buyer),
// one replays its ticket (linked); the operators settle their plazas'
// requests and each other's claims, every role checks what it receives,
// and the day's statements are netted into fewer transfers. It prints a
// summary with the time each step took, and exits non-zero if any outcome
// differs from the expected one, so it doubles as a smoke test.
//
//	go run ./examples/toll                   # ledgers in memory
//	go run ./examples/toll -ledger /tmp/toll # each role's ledger a crash-safe file in a new directory
//	go run ./examples/toll -postgres DSN     # the shared stores and each role's ledger in PostgreSQL
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/toll"
	"github.com/ringtrace/ringtrace/trs"
)

type options struct {
	vehicles  int
	ringSize  int
	ledgerDir string // "" keeps the ledgers in memory
	postgres  string // a PostgreSQL connection string; "" for none
}

func main() {
	var o options
	flag.IntVar(&o.vehicles, "vehicles", 300, "number of vehicles (a multiple of -ring, at least two rings)")
	flag.IntVar(&o.ringSize, "ring", 50, "tickets per sale ring (the paper's size is 50)")
	flag.StringVar(&o.ledgerDir, "ledger", "", "keep every role's ledger as a file in this new directory instead of memory")
	flag.StringVar(&o.postgres, "postgres", "", "keep the shared stores and every role's ledger in the PostgreSQL database of this connection string")
	flag.Parse()
	if err := simulate(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "toll:", err)
		os.Exit(1)
	}
}

var (
	krw      = money.MustCurrency("KRW")
	dayStart = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
)

func moneyKRW(won int64) money.Amount { return money.MustNew(won, krw) }

// lineFares is a road of n plazas on a line: a base charge plus 500 won
// per section.
func lineFares(n int) []toll.Fare {
	var fares []toll.Fare
	for i := range n {
		for j := range n {
			if i != j {
				d := int64(max(i-j, j-i))
				fares = append(fares, toll.Fare{Entry: toll.PlazaID(i + 1), Exit: toll.PlazaID(j + 1), Amount: moneyKRW(800 + 500*d)})
			}
		}
	}
	return fares
}

// pick is the simulation's deterministic choice: a number in [0, n) from
// SHA-256 of a label and an index, so runs are reproducible.
func pick(label string, i, n int) int {
	h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte(label), uint64(i)))
	return int(binary.BigEndian.Uint64(h[:8]) % uint64(n))
}

func step(w io.Writer, name string, start time.Time, format string, args ...any) {
	ms := float64(time.Since(start).Microseconds()) / 1000
	fmt.Fprintf(w, "  %-9s %-66s %8.1f ms\n", name, fmt.Sprintf(format, args...), ms)
}

// journey is a trip on one operator's road.
type journey struct {
	road     *opInfo
	from, to *plazaInfo
	enter    time.Time
}

func (j journey) exit() time.Time {
	d := int(j.to.id) - int(j.from.id)
	return j.enter.Add(time.Duration(20+5*max(d, -d)) * time.Minute)
}

// driver is the simulation's main goroutine: it provisions the roles, then
// only sends them commands and reads their reports.
type driver struct {
	net     *network
	box     chan []byte
	ledger  func(name string) (ledger.Ledger, error)
	files   []ledger.Ledger
	pg      *postgresRun // the database, in -postgres mode
	pending []message    // reports that arrived before they were awaited
}

// sharedStores returns the stores every exit shares: the database's, or
// kept on the ledger "shared".
func (d *driver) sharedStores() (trs.Store, tickets.UsedSet, error) {
	if d.pg != nil {
		return d.pg.db.SpentStore(), d.pg.db.UsedSet(), nil
	}
	shared, err := d.ledger("shared")
	if err != nil {
		return nil, nil, err
	}
	spent, err := tickets.OpenSpentStore(ctx, shared)
	if err != nil {
		return nil, nil, err
	}
	used, err := tickets.OpenUsedSet(ctx, shared)
	if err != nil {
		return nil, nil, err
	}
	return spent, used, nil
}

// await returns the next n reports of topic, keeping reports of other
// topics for later; a failure report from any role ends the simulation.
func (d *driver) await(topic string, n int) ([]message, error) {
	var got []message
	kept := d.pending[:0]
	for _, m := range d.pending {
		if m.topic == topic && len(got) < n {
			got = append(got, m)
		} else {
			kept = append(kept, m)
		}
	}
	d.pending = kept
	for len(got) < n {
		select {
		case b := <-d.box:
			m, _ := decode(b)
			switch m.topic {
			case topic:
				got = append(got, m)
			case "failed":
				return nil, fmt.Errorf("%s: %s", m.from, m.body)
			default:
				d.pending = append(d.pending, m)
			}
		case <-time.After(2 * time.Minute):
			return nil, fmt.Errorf("timed out waiting for %q (%d of %d)", topic, len(got), n)
		}
	}
	return got, nil
}

func simulate(w io.Writer, o options) error {
	rings := o.vehicles / max(o.ringSize, 1)
	if o.ringSize < 2 || rings < 2 || o.vehicles%o.ringSize != 0 {
		return fmt.Errorf("-vehicles (%d) must be a multiple of -ring (%d), at least two rings", o.vehicles, o.ringSize)
	}
	if o.ledgerDir != "" && o.postgres != "" {
		return errors.New("-ledger and -postgres exclude each other")
	}
	d := &driver{net: newNetwork()}
	d.box = d.net.inbox("main")
	where := "memory"
	d.ledger = func(string) (ledger.Ledger, error) { return ledger.NewMemory(), nil }
	if o.ledgerDir != "" {
		if entries, err := os.ReadDir(o.ledgerDir); err == nil && len(entries) > 0 {
			return fmt.Errorf("ledger directory %s is not empty; the simulation starts new ledgers", o.ledgerDir)
		}
		if err := os.MkdirAll(o.ledgerDir, 0o700); err != nil {
			return err
		}
		where = o.ledgerDir
		d.ledger = func(name string) (ledger.Ledger, error) {
			f, err := ledger.OpenFile(filepath.Join(o.ledgerDir, name+".ledger"))
			if err == nil {
				d.files = append(d.files, f)
			}
			return f, err
		}
	}
	if o.postgres != "" {
		var err error
		if d.pg, err = openPostgres(o.postgres); err != nil {
			return err
		}
		defer d.pg.db.Close()
		where, d.ledger = d.pg.where(), d.pg.ledger
	}
	defer func() {
		for _, f := range d.files {
			f.Close()
		}
	}()
	bRings := max(1, rings/3)
	aVehicles := (rings - bRings) * o.ringSize
	fmt.Fprintf(w, "AnonymousTollPass: one simulated day, %d vehicles, rings of %d, operators A and B, ledgers in %s\n", o.vehicles, o.ringSize, where)
	total := time.Now()

	// Provisioning: keys for every role, the public directory, and the
	// stores every exit shares (a database in a deployment).
	t0 := time.Now()
	keys := map[string]*ecdsa.PrivateKey{}
	newKey := func(name string) (*ecdsa.PublicKey, error) {
		k, err := ecdsa.GenerateKey()
		keys[name] = k
		if err != nil {
			return nil, err
		}
		return k.Public(), nil
	}
	dir := &directory{}
	var err error
	if dir.authority, err = newKey("authority"); err != nil {
		return err
	}
	for _, spec := range []struct {
		name   string
		price  int64
		plazas []string
	}{
		{"A", 3000, []string{"Seoul TG", "Suwon", "Cheonan"}},
		{"B", 2500, []string{"Daejeon", "Daegu"}},
	} {
		op := &opInfo{name: spec.name, price: spec.price}
		if op.key, err = newKey(op.name); err != nil {
			return err
		}
		for i, display := range spec.plazas {
			p := &plazaInfo{name: fmt.Sprintf("%s%d", spec.name, i+1), display: display, id: toll.PlazaID(i + 1), operator: op}
			if p.key, err = newKey(p.name); err != nil {
				return err
			}
			op.plazas = append(op.plazas, p)
		}
		dir.operators = append(dir.operators, op)
	}
	for i := range o.vehicles {
		dir.vehicles = append(dir.vehicles, fmt.Sprintf("vehicle-%d", i))
	}
	spent, used, err := d.sharedStores()
	if err != nil {
		return err
	}
	boxes := map[string]chan []byte{"authority": d.net.inbox("authority")}
	for _, op := range dir.operators {
		boxes[op.name] = d.net.inbox(op.name)
		for _, p := range op.plazas {
			boxes[p.name] = d.net.inbox(p.name)
		}
	}
	for _, v := range dir.vehicles {
		boxes[v] = d.net.inbox(v)
	}
	fail := func(name string) func(error) {
		return func(err error) { d.net.send(name, "main", "failed", []byte(err.Error())) }
	}
	roles := 0
	start := func(name string, run func(toll.Stores)) error {
		l, err := d.ledger(name)
		if err != nil {
			return err
		}
		roles++
		go run(toll.Stores{Ledger: l, Spent: spent, Used: used})
		return nil
	}
	configs := map[string]toll.Config{}
	if err := start("authority", func(st toll.Stores) {
		runAuthority(d.net, boxes["authority"], keys["authority"], st, fail("authority"))
	}); err != nil {
		return err
	}
	nPlazas := 0
	for _, op := range dir.operators {
		cfg := toll.Config{Authority: dir.authority, Partners: []*ecdsa.PublicKey{dir.partnerOf(op).key}, Currency: krw,
			Policy: tickets.Policy{RingSize: o.ringSize, Validity: 24 * time.Hour}}
		configs[op.name] = cfg
		if err := start(op.name, func(st toll.Stores) {
			runOperator(d.net, boxes[op.name], op, keys[op.name], cfg, st, dir, fail(op.name))
		}); err != nil {
			return err
		}
		for _, p := range op.plazas {
			nPlazas++
			if err := start(p.name, func(st toll.Stores) { runPlaza(d.net, boxes[p.name], p, keys[p.name], dir, st, fail(p.name)) }); err != nil {
				return err
			}
		}
	}
	if _, err := d.await("ready", nPlazas); err != nil {
		return err
	}
	step(w, "setup", t0, "authority, 2 operators, %d plazas registered, fare tables applied", nPlazas)

	// Vehicles: each registers, orders from its operator, claims its pass.
	t0 = time.Now()
	vehicleOp := func(i int) *opInfo {
		if i < aVehicles {
			return dir.operators[0]
		}
		return dir.operators[1]
	}
	for i, name := range dir.vehicles {
		k, err := ecdsa.GenerateKey()
		if err != nil {
			return err
		}
		roles++
		go runVehicle(d.net, boxes[name], name, toll.VehicleID(1001+i), k, vehicleOp(i), dir, fail(name))
	}
	if _, err := d.await("pass", o.vehicles); err != nil {
		return err
	}
	step(w, "purchase", t0, "%d registered, %d tickets of A, %d of B, sales in rings of %d", o.vehicles, aVehicles, o.vehicles-aVehicles, o.ringSize)

	// Journeys: most on their operator's road, every fifth on the
	// partner's.
	journeys := make([]journey, o.vehicles)
	cross := 0
	for i := range journeys {
		road := vehicleOp(i)
		if i%5 == 0 && i != 1 && i != 2 {
			road = dir.partnerOf(road)
			cross++
		}
		from := pick("entry", i, len(road.plazas))
		to := (from + 1 + pick("exit", i, len(road.plazas)-1)) % len(road.plazas)
		journeys[i] = journey{road: road, from: road.plazas[from], to: road.plazas[to], enter: dayStart.Add(6*time.Hour + time.Duration(i)*7*time.Second)}
	}
	command := func(i int, topic string, body []byte) { d.net.send("main", dir.vehicles[i], topic, body) }
	enter := func(i int, j journey) { command(i, "enter", append(u64(uint64(j.enter.Unix())), j.from.name...)) }
	exit := func(i int, j journey) { command(i, "exit", append(u64(uint64(j.exit().Unix())), j.to.name...)) }
	outcome := func() (byte, string, error) {
		r, err := d.await("exited", 1)
		if err != nil {
			return 0, "", err
		}
		return r[0].body[0], string(r[0].body[1:]), nil
	}

	// Cheat: vehicle 2 overhears vehicle 1's entry proof and presents it at
	// vehicle 1's exit with its own pass and a guessed secret.
	t0 = time.Now()
	victim, forger := 1, 2
	enter(victim, journeys[victim])
	overheard, err := d.await("entered", 1)
	if err != nil {
		return err
	}
	command(forger, "forge", list(u64(uint64(journeys[victim].exit().Unix())), []byte(journeys[victim].to.name), overheard[0].body))
	if code, why, err := outcome(); err != nil {
		return err
	} else if code != badEntryProof {
		return fmt.Errorf("overheard entry proof: got %q, want a bad entry proof rejection", why)
	}
	step(w, "forgery", t0, "vehicle %d shows vehicle %d's overheard entry proof: REJECTED bad proof", 1001+forger, 1001+victim)

	// Every vehicle enters and exits (the victim has entered already).
	t0 = time.Now()
	for i := range journeys {
		if i != victim {
			enter(i, journeys[i])
		}
	}
	if _, err := d.await("entered", o.vehicles-1); err != nil {
		return err
	}
	step(w, "entry", t0, "%d entry proofs on trip-secret commitments", o.vehicles)
	t0 = time.Now()
	for i := range journeys {
		exit(i, journeys[i])
	}
	results, err := d.await("exited", o.vehicles)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.body[0] != accepted {
			return fmt.Errorf("%s's honest exit: %s", r.from, r.body[1:])
		}
	}
	step(w, "exit", t0, "%d tickets signed and accepted, %d of them on the partner's road", o.vehicles, cross)

	// Cheat: one vehicle uses its pass for a second trip; the plaza sends
	// the refused ticket to the operator that sold it.
	t0 = time.Now()
	cheater := 3 + pick("cheater", 0, o.vehicles-3)
	first := journeys[cheater]
	second := journey{road: first.road, from: first.to, to: first.road.plazas[(int(first.to.id))%len(first.road.plazas)], enter: first.exit().Add(2 * time.Hour)}
	enter(cheater, second)
	if _, err := d.await("entered", 1); err != nil {
		return err
	}
	exit(cheater, second)
	if code, why, err := outcome(); err != nil {
		return err
	} else if code != revealed {
		return fmt.Errorf("double use: got %q, want revealed", why)
	}
	rv, err := d.await("revealed", 1)
	if err != nil {
		return err
	}
	buyer, _ := readU64(rv[0].body)
	if buyer != uint64(1001+cheater) {
		return fmt.Errorf("double use mapped to vehicle %d, want %d", buyer, 1001+cheater)
	}
	step(w, "reuse", t0, "pass reused: REVEALED; %s names the buyer: vehicle %d", rv[0].from, buyer)

	// A replay of an accepted ticket is linked.
	t0 = time.Now()
	command(0, "replay", u64(uint64(journeys[0].exit().Add(time.Minute).Unix())))
	if code, why, err := outcome(); err != nil {
		return err
	} else if code != linked {
		return fmt.Errorf("replay: got %q, want linked", why)
	}
	step(w, "replay", t0, "vehicle %d's ticket shown again: LINKED, refused", 1001)

	// Settlement: each operator settles its plazas' requests, pays them,
	// settles again (nothing more is paid) and forwards the requests for
	// the partner's tickets; then each settles the partner's claims.
	t0 = time.Now()
	for _, op := range dir.operators {
		d.net.send("main", op.name, "settle", nil)
	}
	settled, err := d.await("settled", len(dir.operators))
	if err != nil {
		return err
	}
	paidTotal, statements := 0, 0
	for _, s := range settled {
		parts := unlist(s.body)
		n, _ := readU64(parts[0])
		paid, _ := readU64(parts[1])
		fwd, _ := readU64(parts[2])
		again, _ := readU64(parts[3])
		sts, _ := readU64(parts[4])
		statements += int(sts)
		if paid != n || again != n {
			return fmt.Errorf("operator %s: %d requests, %d paid, %d already paid when filed again", s.from, n, paid, again)
		}
		paidTotal += int(paid)
		fmt.Fprintf(w, "  settle    operator %s: %d requests paid once (filed twice), %d forwarded to the partner\n", s.from, paid, fwd)
	}
	if paidTotal != o.vehicles {
		return fmt.Errorf("%d requests paid, want %d", paidTotal, o.vehicles)
	}
	payouts, err := d.await("payout", statements)
	if err != nil {
		return err
	}
	step(w, "settle", t0, "%d usage requests paid, %d plaza statements checked by their plazas", paidTotal, len(payouts))
	slices.SortFunc(payouts, func(a, b message) int { return strings.Compare(a.from, b.from) })
	for _, p := range payouts {
		parts := unlist(p.body)
		n, _ := readU64(parts[1])
		num, _ := readU64(parts[3])
		pl := dir.plaza(string(parts[0]))
		fmt.Fprintf(w, "  payout    %s owes plaza %-10q %4d tickets %12s   (statement #%d, signed)\n", pl.operator.name, pl.display, n, parts[2], num)
	}

	t0 = time.Now()
	for _, op := range dir.operators {
		d.net.send("main", op.name, "settle-claims", nil)
	}
	claims, err := d.await("claim-statement", len(dir.operators))
	if err != nil {
		return err
	}
	slices.SortFunc(claims, func(a, b message) int { return strings.Compare(a.from, b.from) })
	interop := 0
	for _, c := range claims {
		parts := unlist(c.body)
		if len(parts[0]) == 0 {
			continue
		}
		st, _ := toll.ParseStatement(parts[0])
		interop++
		fmt.Fprintf(w, "  interop   %s owes %s %s for %d tickets of %s used on %s's road (statement checked by %s)\n",
			dir.operatorByKey(st.Debtor()).name, c.from, parts[1], st.Len(), dir.operatorByKey(st.Debtor()).name, c.from, c.from)
	}
	if interop != len(dir.operators) {
		return fmt.Errorf("%d inter-operator statements, want %d", interop, len(dir.operators))
	}
	step(w, "claims", t0, "each operator settled the partner's claims item by item from public records")
	if err := netDay(w, d, dir); err != nil {
		return err
	}

	// Rebuild each operator from its ledger.
	t0 = time.Now()
	for _, op := range dir.operators {
		d.net.send("main", op.name, "rebuild", nil)
	}
	if _, err := d.await("rebuilt", len(dir.operators)); err != nil {
		return err
	}
	step(w, "ledger", t0, "operators rebuilt from their ledgers, every record verified: state equal")

	// Stop every role.
	for name := range boxes {
		d.net.send("main", name, "stop", nil)
	}
	if _, err := d.await("stopped", roles); err != nil {
		return err
	}
	if o.ledgerDir != "" || d.pg != nil {
		t0 = time.Now()
		n, err := reopen(o.ledgerDir, dir, keys, configs, d)
		if err != nil {
			return err
		}
		what := "files"
		if d.pg != nil {
			what = "chains"
		}
		step(w, what, t0, "%d ledger %s reopened; operators and plazas rebuilt from them", n, what)
	}
	fmt.Fprintf(w, "ok: %d trips paid once, double use revealed, forged entry rejected, replay linked, %d inter-operator statements (%.0f ms in all)\n",
		o.vehicles, interop, float64(time.Since(total).Microseconds())/1000)
	return nil
}

// reopen closes every ledger file and rebuilds each operator and plaza
// from its ledger, a file in path or a chain of the database, as a
// restarted process would. It returns the number of files in path, or of
// chains reopened.
func reopen(path string, dir *directory, keys map[string]*ecdsa.PrivateKey, configs map[string]toll.Config, d *driver) (int, error) {
	for _, f := range d.files {
		if err := f.Close(); err != nil && !errors.Is(err, ledger.ErrClosed) {
			return 0, err
		}
	}
	d.files = nil
	spent, used, err := d.sharedStores()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, op := range dir.operators {
		l, err := d.ledger(op.name)
		if err != nil {
			return 0, err
		}
		rebuilt, err := toll.OpenOperator(ctx, keys[op.name], configs[op.name], toll.Stores{Ledger: l, Spent: spent})
		if err != nil {
			return 0, fmt.Errorf("operator %s from its ledger: %w", op.name, err)
		}
		if len(rebuilt.Statements()) == 0 {
			return 0, fmt.Errorf("operator %s from its ledger has no statements", op.name)
		}
		n++
		for _, p := range op.plazas {
			l, err := d.ledger(p.name)
			if err != nil {
				return 0, err
			}
			if _, err := toll.OpenPlaza(ctx, keys[p.name], p.id, op.key, []*ecdsa.PublicKey{dir.partnerOf(op).key}, toll.Stores{Ledger: l, Spent: spent, Used: used}); err != nil {
				return 0, fmt.Errorf("plaza %s from its ledger: %w", p.name, err)
			}
			n++
		}
	}
	if path == "" {
		return n, nil
	}
	// And the authority's file, and the shared one.
	if entries, err := os.ReadDir(path); err != nil || len(entries) != n+2 {
		return 0, fmt.Errorf("%d files in %s, want %d", len(entries), path, n+2)
	}
	return n + 2, nil
}
