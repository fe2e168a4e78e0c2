package toll

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// operatorState is what a rebuilt operator must have again.
type operatorState struct {
	Plazas, FareTables, Paid int
	Statements               []string
	NextBatch, NextStatement uint64
}

func (o *Operator) state() operatorState {
	var s operatorState
	o.dir.mu.RLock()
	s.Plazas = len(o.dir.plazas)
	for _, l := range o.dir.fares {
		s.FareTables += len(l)
	}
	o.dir.mu.RUnlock()
	o.settleMu.Lock()
	defer o.settleMu.Unlock()
	s.Paid = len(o.paid)
	for _, st := range o.statements {
		s.Statements = append(s.Statements, string(st.Bytes()))
	}
	s.NextBatch, s.NextStatement = o.nextBatch, o.nextStatement
	return s
}

// fileLedgers opens a file ledger per role in dir.
func fileLedgers(t testing.TB, dir string) ledgers {
	return func(name string) ledger.Ledger {
		l, err := ledger.OpenFile(filepath.Join(dir, name+".ledger"))
		check(t, err)
		return l
	}
}

// TestRebuildFromLedger runs a day on file ledgers, closes every file,
// reopens every role from its file and checks that the rebuilt roles have
// the same state and go on working.
func TestRebuildFromLedger(t *testing.T) {
	dir := t.TempDir()
	var opened []ledger.Ledger
	files := fileLedgers(t, dir)
	track := func(name string) ledger.Ledger { l := files(name); opened = append(opened, l); return l }
	w := newWorldOn(t, 2, testPolicy, track)
	a := w.ops[0]
	reqs := w.day(t)
	half := len(reqs) / 2
	_, _, err := a.op.Settle(ctx, reqs[:half], day0.Add(20*time.Hour))
	check(t, err)
	at := day0.Add(6 * time.Hour)
	revealed := w.ticket(t, 2, 0, 1, 2, at)
	if _, err := w.plaza(0, 2).Exit(ctx, revealed, at.Add(time.Minute)); !errors.Is(err, tickets.ErrReused) {
		t.Fatal(err)
	}
	want := a.op.state()
	for _, l := range opened {
		check(t, l.Close())
	}

	// Reopen every role from its file.
	reopen := func(name string) ledger.Ledger { return files(name) }
	w.authL, w.spentL = reopen("authority"), reopen("shared")
	w.spent, err = tickets.OpenSpentStore(ctx, w.spentL)
	check(t, err)
	w.used, err = tickets.OpenUsedSet(ctx, w.spentL)
	check(t, err)
	w.authority, err = OpenAuthority(ctx, w.authKey, w.authL)
	check(t, err)
	for i, o := range w.ops {
		o.l = reopen(fmt.Sprintf("operator-%d", i))
		o.op, err = OpenOperator(ctx, o.key, w.config(i), Stores{Ledger: o.l, Spent: w.spent})
		check(t, err)
		for id, pw := range o.plazas {
			pw.l = reopen(fmt.Sprintf("plaza-%d-%d", i, id))
			pw.p, err = OpenPlaza(ctx, pw.key, id, o.key.Public(), []*ecdsa.PublicKey{w.ops[1-i].key.Public()}, Stores{Ledger: pw.l, Spent: w.spent, Used: w.used})
			check(t, err)
		}
	}
	if got := a.op.state(); !reflect.DeepEqual(got, want) {
		t.Errorf("rebuilt operator\n got %+v\nwant %+v", got, want)
	}
	// The authority remembers its registrations.
	if _, err := w.authority.Register(ctx, w.vehicles[0].id, mustKey(t).Public(), day0); err == nil {
		t.Error("the rebuilt authority registered a vehicle ID twice")
	}
	// The rebuilt plazas know their records and the shared stores what was
	// spent; the rebuilt operator still maps reveals to buyers.
	r0, _ := parseUsageRequest(reqs[0])
	if _, err := w.plaza(0, r0.plaza.id).Exit(ctx, r0.ticket.bytes(), r0.exitTime.Add(time.Minute)); !errors.Is(err, tickets.ErrReused) {
		t.Errorf("spent ticket after rebuild: %v", err)
	}
	if buyer, err := a.op.Reveal(ctx, revealed); err != nil || buyer != w.vehicles[2].id {
		t.Errorf("reveal after rebuild: %d %v", buyer, err)
	}
	results, _, err := a.op.Settle(ctx, reqs, day0.Add(21*time.Hour))
	check(t, err)
	for i, r := range results {
		switch {
		case i < half && r.Outcome != AlreadyPaid:
			t.Errorf("request %d settled again after rebuild: %v", i, r.Outcome)
		case i >= half && i < len(reqs)-1 && r.Outcome != Paid:
			t.Errorf("request %d: %v %v", i, r.Outcome, r.Err)
		}
	}
	// The rebuilt issuer goes on selling where it stopped.
	for range testPolicy.RingSize {
		w.buy(t, 0, price)
	}
	if len(w.sales) != 3 {
		t.Fatalf("%d sales", len(w.sales))
	}
	if s, _ := tickets.ParseSale(w.sales[2]); s.Number() != 2 {
		t.Errorf("the rebuilt operator's next sale is number %d", s.Number())
	}
}

// entries returns a copy of every entry of l.
func entries(l ledger.Ledger) []ledger.Entry {
	var es []ledger.Entry
	l.Scan(ctx, 0, func(e ledger.Entry) error { es = append(es, e); return nil })
	return es
}

// rewrite returns a new ledger with the entries of es, each passed
// through change first (which may drop it by returning nil): what someone
// with write access who recomputes the hash chain can make.
func rewrite(t *testing.T, es []ledger.Entry, change func(e ledger.Entry) []byte) ledger.Ledger {
	t.Helper()
	l := ledger.NewMemory()
	for _, e := range es {
		p := change(e)
		if p == nil {
			continue
		}
		_, err := l.Append(ctx, e.Kind, p)
		check(t, err)
	}
	return l
}

// TestReplayVerifies is the regression test for the attack on
// rebuilding: a ledger whose hash chain was recomputed after a plaza's
// key was swapped or a fare raised (or a settlement changed, or a record
// of an untrusted key added) is refused by every role that replays it.
func TestReplayVerifies(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	reqs := w.day(t)
	_, _, err := a.op.Settle(ctx, reqs, day0.Add(20*time.Hour))
	check(t, err)
	attacker := mustKey(t)

	swapKey := func(e ledger.Entry) []byte {
		if e.Kind != kindPlaza {
			return e.Payload
		}
		r, _ := parsePlazaRegistration(e.Payload)
		if r.id != 2 || !r.operator.Equal(a.key.Public()) {
			return e.Payload
		}
		r.key = attacker.Public() // the operator's signature is kept
		return r.bytes()
	}
	raiseFare := func(e ledger.Entry) []byte {
		if e.Kind != kindFares {
			return e.Payload
		}
		ft, _ := parseFareTable(e.Payload)
		if !ft.operator.Equal(a.key.Public()) {
			return e.Payload
		}
		ft.fares = append([]Fare(nil), ft.fares...)
		ft.fares[0].Amount = won(2999)
		return ft.bytes()
	}
	changeSettlement := func(e ledger.Entry) []byte {
		if e.Kind != kindSettlement {
			return e.Payload
		}
		p := bytes.Clone(e.Payload)
		p[3+8+8+4] ^= 1 // inside the first paid ticket's ID
		return p
	}
	untrusted := func() []byte {
		op, _ := OpenOperator(ctx, attacker, Config{Authority: w.authKey.Public(), Currency: krw, Policy: testPolicy}, Stores{Ledger: newTestLedger(), Spent: w.spent})
		reg, _ := op.RegisterPlaza(ctx, 2, "Plaza A2", attacker.Public())
		return reg
	}()
	addUntrusted := func(e ledger.Entry) []byte {
		if e.Seq == 0 && e.Kind == kindPlaza {
			return untrusted // replaces the first registration
		}
		return e.Payload
	}

	openOperator := func(l ledger.Ledger) error {
		_, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: l, Spent: w.spent})
		return err
	}
	pw := a.plazas[2]
	openPlaza := func(l ledger.Ledger) error {
		_, err := OpenPlaza(ctx, pw.key, 2, a.key.Public(), []*ecdsa.PublicKey{w.ops[1].key.Public()}, Stores{Ledger: l, Spent: w.spent, Used: w.used})
		return err
	}
	for _, tc := range []struct {
		name   string
		open   func(ledger.Ledger) error
		l      ledger.Ledger
		change func(ledger.Entry) []byte
		want   error
	}{
		{"operator: plaza key swapped", openOperator, a.l, swapKey, ErrBadSignature},
		{"operator: fare raised", openOperator, a.l, raiseFare, ErrBadSignature},
		{"operator: settlement changed", openOperator, a.l, changeSettlement, ErrBadSignature},
		{"operator: untrusted registration", openOperator, a.l, addUntrusted, ErrUnknownPlaza},
		{"plaza: plaza key swapped", openPlaza, pw.l, swapKey, ErrBadSignature},
		{"plaza: fare raised", openPlaza, pw.l, raiseFare, ErrBadSignature},
	} {
		es := entries(tc.l)
		if err := tc.open(rewrite(t, es, func(e ledger.Entry) []byte { return e.Payload })); err != nil {
			t.Fatalf("%s: the untouched copy does not open: %v", tc.name, err)
		}
		changed := false
		l := rewrite(t, es, func(e ledger.Entry) []byte {
			p := tc.change(e)
			changed = changed || !bytes.Equal(p, e.Payload)
			return p
		})
		if !changed {
			t.Fatalf("%s: nothing changed", tc.name)
		}
		if err := tc.open(l); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}

	// The authority's registrations are verified too.
	es := entries(w.authL)
	l := rewrite(t, es, func(e ledger.Entry) []byte {
		r, _ := parseRegistration(e.Payload)
		r.vehicle++
		return r.bytes()
	})
	if _, err := OpenAuthority(ctx, w.authKey, l); !errors.Is(err, ErrBadSignature) {
		t.Errorf("authority: changed registration: %v", err)
	}
	// An unknown kind in the package's range is refused, another package's
	// skipped.
	openAuthority := func(l ledger.Ledger) error { _, err := OpenAuthority(ctx, w.authKey, l); return err }
	for _, role := range []struct {
		name string
		open func(ledger.Ledger) error
		l    ledger.Ledger
	}{{"operator", openOperator, a.l}, {"plaza", openPlaza, pw.l}, {"authority", openAuthority, w.authL}} {
		for kind, ok := range map[ledger.Kind]bool{0x0200: false, 0x020a: false, 0x02ff: false, 0x0b01: true} {
			l := rewrite(t, entries(role.l), func(e ledger.Entry) []byte { return e.Payload })
			l.Append(ctx, kind, []byte{1})
			if err := role.open(l); (err == nil) != ok {
				t.Errorf("%s: kind %#04x: %v", role.name, uint16(kind), err)
			}
		}
	}
}

// TestCrashDuringSettlement cuts the operator's ledger file inside the
// record of a settlement, as a crash during its append would, and reopens
// it: the operator comes back exactly as before that settlement (which
// was never acknowledged), and settling again pays each request once.
func TestCrashDuringSettlement(t *testing.T) {
	dir := t.TempDir()
	files := fileLedgers(t, dir)
	w := newWorldOn(t, 2, testPolicy, func(name string) ledger.Ledger {
		if name == "operator-0" {
			return files(name)
		}
		return ledger.NewMemory()
	})
	a := w.ops[0]
	path := filepath.Join(dir, "operator-0.ledger")
	reqs := w.day(t)
	half := len(reqs) / 2
	_, _, err := a.op.Settle(ctx, reqs[:half], day0.Add(20*time.Hour))
	check(t, err)
	before := a.op.state()
	fi, err := os.Stat(path)
	check(t, err)
	sizeBefore := fi.Size()
	_, _, err = a.op.Settle(ctx, reqs[half:], day0.Add(21*time.Hour))
	check(t, err)
	check(t, a.l.Close())
	data, err := os.ReadFile(path)
	check(t, err)
	grown := int64(len(data)) - sizeBefore
	for _, cut := range []int64{1, grown / 2, grown - 1} {
		torn := filepath.Join(t.TempDir(), "torn.ledger")
		check(t, os.WriteFile(torn, data[:int64(len(data))-cut], 0o600))
		l, err := ledger.OpenFile(torn)
		if err != nil {
			t.Fatalf("cut %d: %v", cut, err)
		}
		op, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: l, Spent: w.spent})
		check(t, err)
		if got := op.state(); !reflect.DeepEqual(got, before) {
			t.Errorf("cut %d: state\n got %+v\nwant %+v", cut, got, before)
		}
		results, _, err := op.Settle(ctx, reqs, day0.Add(22*time.Hour))
		check(t, err)
		for i, r := range results {
			switch {
			case i < half && r.Outcome != AlreadyPaid:
				t.Errorf("cut %d: request %d settled again: %v", cut, i, r.Outcome)
			case i >= half && i < len(reqs)-1 && r.Outcome != Paid:
				t.Errorf("cut %d: request %d after recovery: %v %v", cut, i, r.Outcome, r.Err)
			}
		}
		l.Close()
	}
}

// TestFaresInForceAtEntry: a trip is charged the fare in force when it
// entered. A later fare table changes neither the exit decision nor the
// settlement of trips that entered before it, nor a rebuilt operator's.
func TestFaresInForceAtEntry(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	before := day0.Add(time.Hour)
	done, err := w.plaza(0, 3).Exit(ctx, w.ticket(t, 0, 0, 1, 3, before), before.Add(30*time.Minute))
	check(t, err)
	inTransit := w.ticket(t, 1, 0, 1, 3, before)

	// From noon the route 1→3 costs more than a ticket.
	noon := day0.Add(6 * time.Hour)
	dearer := testFares()
	for i := range dearer {
		if dearer[i].Entry == 1 && dearer[i].Exit == 3 {
			dearer[i].Amount = won(3500)
		}
	}
	table, err := a.op.PublishFares(ctx, dearer, maxTrip, noon)
	check(t, err)
	if _, err := a.op.PublishFares(ctx, dearer, maxTrip, noon); err == nil {
		t.Error("a fare table not issued after the current one was published")
	}
	for _, pw := range a.plazas {
		check(t, pw.p.Apply(ctx, table))
	}
	late, err := w.plaza(0, 3).Exit(ctx, inTransit, before.Add(3*time.Hour))
	if err != nil {
		t.Fatalf("trip that entered under the old fares: %v", err)
	}
	after := noon.Add(time.Hour)
	if _, err := w.plaza(0, 3).Exit(ctx, w.ticket(t, 2, 0, 1, 3, after), after.Add(time.Hour)); !errors.Is(err, ErrFareExceedsPrice) {
		t.Errorf("trip that entered under the new fares: %v", err)
	}
	// The rebuilt operator has both tables, and settles at the old one.
	op, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: a.l, Spent: w.spent})
	check(t, err)
	results, _, err := op.Settle(ctx, [][]byte{done, late}, day0.Add(20*time.Hour))
	check(t, err)
	for i, r := range results {
		if r.Outcome != Paid || r.Fare != won(2800) {
			t.Errorf("request %d: %v %v, fare %v; want paid KRW 2800", i, r.Outcome, r.Err, r.Fare)
		}
	}
	if got, _ := op.dir.latestFares(op.self); !got.Equal(noon) {
		t.Errorf("rebuilt operator's current fares issued %v, want %v", got, noon)
	}
	// Fares are in the operator's currency.
	if _, err := a.op.PublishFares(ctx, []Fare{{1, 2, money.MustNew(1, money.MustCurrency("EUR"))}}, maxTrip, noon.Add(time.Hour)); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Errorf("fares in another currency: %v", err)
	}
}

// TestBackdatedFaresRefused: a partner cannot slip a fare table under
// trips already made by dating it before its current one; the same table
// again is a no-op.
func TestBackdatedFaresRefused(t *testing.T) {
	w := newWorld(t, 1)
	a, b := w.ops[0], w.ops[1]
	later, err := b.op.PublishFares(ctx, partnerFares(), maxTrip, day0.Add(2*time.Hour))
	check(t, err)
	check(t, a.op.Apply(ctx, later))
	check(t, a.op.Apply(ctx, later))
	check(t, b.plazas[1].p.Apply(ctx, later))
	back := &fareTable{operator: b.key.Public(), issued: day0.Add(time.Hour), maxTrip: maxTrip, fares: []Fare{{1, 2, won(2999)}, {2, 1, won(2999)}}}
	body, err := back.body()
	check(t, err)
	back.sig, err = signRecord(b.key, contextFares, body)
	check(t, err)
	if err := a.op.Apply(ctx, back.bytes()); err == nil {
		t.Error("a backdated fare table was applied")
	}
	if err := b.plazas[1].p.Apply(ctx, back.bytes()); err == nil {
		t.Error("a plaza applied a backdated fare table")
	}
}

// TestReplayRefusesCopiedSettlement: someone who can write the operator's
// ledger appends a copy of a settlement already in it. The copy verifies,
// and a checkpoint taken before it still checks, but replaying it would
// list every statement of that settlement twice and number the next
// settlement as the copied one's successor, reusing batch and statement
// numbers. The operator refuses such a ledger.
func TestReplayRefusesCopiedSettlement(t *testing.T) {
	w := newWorld(t, 2)
	a := w.ops[0]
	reqs := w.day(t)
	half := len(reqs) / 2
	for _, batch := range [][][]byte{reqs[:half], reqs[half:]} {
		_, _, err := a.op.Settle(ctx, batch, day0.Add(20*time.Hour))
		check(t, err)
	}
	cp, err := ledger.NewCheckpoint(a.l, a.key, day0.Add(20*time.Hour))
	check(t, err)
	var settlements [][]byte
	for _, e := range entries(a.l) {
		if e.Kind == kindSettlement {
			settlements = append(settlements, e.Payload)
		}
	}
	if len(settlements) != 2 {
		t.Fatalf("%d settlements", len(settlements))
	}
	for i, s := range settlements {
		l := rewrite(t, entries(a.l), func(e ledger.Entry) []byte { return e.Payload })
		_, err := l.Append(ctx, kindSettlement, s)
		check(t, err)
		check(t, cp.Check(ctx, l))
		if _, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: l, Spent: w.spent}); !errors.Is(err, ledger.ErrCorrupt) {
			t.Errorf("settlement %d copied at the end: %v, want ledger.ErrCorrupt", i, err)
		}
	}
	// Swapped, with the chain recomputed: refused too (and the checkpoint
	// catches it).
	l := rewrite(t, entries(a.l), func(e ledger.Entry) []byte {
		switch {
		case e.Kind != kindSettlement:
			return e.Payload
		case bytes.Equal(e.Payload, settlements[0]):
			return settlements[1]
		}
		return settlements[0]
	})
	if _, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: l, Spent: w.spent}); !errors.Is(err, ledger.ErrCorrupt) {
		t.Errorf("settlements swapped: %v, want ledger.ErrCorrupt", err)
	}
}

// TestPartnersOnlyGrow shows the limitation Config.Partners documents: an
// operator reopened without a partner whose records its ledger holds, and
// a plaza without a partner whose sale it applied, refuse their ledgers.
func TestPartnersOnlyGrow(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	for range testPolicy.RingSize {
		w.buy(t, 1, price)
	}
	cfg := w.config(0)
	cfg.Partners = nil
	if _, err := OpenOperator(ctx, a.key, cfg, Stores{Ledger: a.l, Spent: w.spent}); !errors.Is(err, ErrUnknownPlaza) {
		t.Errorf("operator without its former partner: %v", err)
	}
	pw := a.plazas[1]
	if _, err := OpenPlaza(ctx, pw.key, 1, a.key.Public(), nil, Stores{Ledger: pw.l, Spent: w.spent, Used: w.used}); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("plaza without its former partner: %v", err)
	}
}
