package toll

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestSettleAfterUnsureAppend: a settlement whose ledger append reported
// an error may still be recorded. Settling the same requests again before
// the operator is rebuilt must not pay them a second time nor sign a
// second statement under a number already used; the rebuilt operator
// knows what was recorded and pays the rest once.
func TestSettleAfterUnsureAppend(t *testing.T) {
	var opL *recordtest.UnsureLedger
	w := newWorldOn(t, 2, testPolicy, func(name string) ledger.Ledger {
		if name == "operator-0" {
			opL = &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
			return opL
		}
		return ledger.NewMemory()
	})
	a := w.ops[0]
	reqs := w.day(t)
	opL.Fail = kindSettlement
	if _, _, err := a.op.Settle(ctx, reqs, day0.Add(20*time.Hour)); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("settlement with a lost reply: %v", err)
	}
	var signed []*Statement
	if _, sts, err := a.op.Settle(ctx, reqs, day0.Add(21*time.Hour)); err == nil {
		signed = append(signed, sts...)
	}
	op, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: opL, Spent: w.spent})
	check(t, err)
	results, sts, err := op.Settle(ctx, reqs, day0.Add(22*time.Hour))
	check(t, err)
	signed = append(signed, sts...)
	for i, r := range results[:len(reqs)-1] {
		if r.Outcome != AlreadyPaid {
			t.Errorf("request %d after the rebuild: %v %v, want paid by the recorded settlement", i, r.Outcome, r.Err)
		}
	}
	signed = append(signed, op.Statements()...)
	numbers := map[uint64]string{}
	distinct := map[string]*Statement{}
	for _, st := range signed {
		enc := string(st.Bytes())
		if prev, ok := numbers[st.Number()]; ok && prev != enc {
			t.Errorf("two statements numbered %d", st.Number())
		}
		numbers[st.Number()] = enc
		distinct[enc] = st
	}
	for i, r := range reqs[:len(reqs)-1] {
		n := 0
		for _, st := range distinct {
			if st.Pays(r) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("request %d is paid by %d statements", i, n)
		}
	}
}

// TestRegisterAfterUnsureAppend: a registration whose ledger append
// reported an error may still be recorded. Until the authority is reopened
// it registers nothing more (a retry with another key would certify two
// keys for one vehicle); reopened, registering the vehicle again with the
// same key hands back the recorded registration, and with another key is
// refused.
func TestRegisterAfterUnsureAppend(t *testing.T) {
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory(), Fail: kindRegistration}
	authKey := mustKey(t)
	a, err := OpenAuthority(ctx, authKey, l)
	check(t, err)
	vk, other := mustKey(t), mustKey(t)
	if _, err := a.Register(ctx, 7, vk.Public(), day0); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("registration with a lost reply: %v", err)
	}
	if _, err := a.Register(ctx, 7, other.Public(), day0); err == nil {
		t.Fatal("registered vehicle 7 again, with another key, before the authority was reopened")
	}
	if _, err := a.Register(ctx, 8, vk.Public(), day0); err == nil {
		t.Fatal("registered another vehicle before the authority was reopened")
	}
	if l.Len() != 1 {
		t.Fatalf("ledger holds %d registrations, want the 1 recorded", l.Len())
	}

	a, err = OpenAuthority(ctx, authKey, l)
	check(t, err)
	reg, err := a.Register(ctx, 7, vk.Public(), day0.Add(time.Hour))
	check(t, err)
	var recorded []byte
	check(t, l.Scan(ctx, 0, func(e ledger.Entry) error { recorded = e.Payload; return nil }))
	if !bytes.Equal(reg, recorded) {
		t.Error("registering again with the same key did not return the recorded registration")
	}
	if _, err := a.Register(ctx, 7, other.Public(), day0.Add(time.Hour)); err == nil {
		t.Error("reopened authority registered vehicle 7 with a second key")
	}
	if l.Len() != 1 {
		t.Errorf("ledger holds %d registrations, want 1", l.Len())
	}
}

// TestRegisterPlazaAfterUnsureAppend: a plaza registration whose append
// reported an error may still be on the operator's ledger. Registering the
// plaza again, with a new key, before the operator is reopened must be
// refused: on the ledger the two registrations would make every later
// replay of the operator fail. Reopened, the operator knows the recorded
// one.
func TestRegisterPlazaAfterUnsureAppend(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory(), Fail: kindPlaza}
	op, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: l, Spent: w.spent})
	check(t, err)
	first, second := mustKey(t), mustKey(t)
	if _, err := op.RegisterPlaza(ctx, 9, "Plaza X", first.Public()); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("registration with a lost reply: %v", err)
	}
	if _, err := op.RegisterPlaza(ctx, 9, "Plaza X", second.Public()); err == nil {
		t.Fatal("registered plaza 9 again, with another key, before the operator was reopened")
	}
	if _, err := op.PublishFares(ctx, testFares(), maxTrip, day0); err == nil {
		t.Fatal("published fares before the operator was reopened")
	}
	op, err = OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: l, Spent: w.spent})
	check(t, err)
	if _, err := op.RegisterPlaza(ctx, 9, "Plaza X", second.Public()); err == nil {
		t.Error("reopened operator registered plaza 9 a second time")
	}
	if _, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: l, Spent: w.spent}); err != nil {
		t.Errorf("operator's ledger no longer replays: %v", err)
	}
}

// TestSalesAfterUnsureAppend: the purchase that fills a ring is recorded,
// and so is the sale, but the operator hears an error and returns no
// record. The reopened operator's Sales hands out the recorded sale, which
// the plazas and the partner apply.
func TestSalesAfterUnsureAppend(t *testing.T) {
	var opL *recordtest.UnsureLedger
	w := newWorldOn(t, 0, testPolicy, func(name string) ledger.Ledger {
		if name == "operator-0" {
			opL = &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
			return opL
		}
		return ledger.NewMemory()
	})
	a := w.ops[0]
	published := len(a.op.Sales(0))
	for i := range testPolicy.RingSize {
		tv := &testVehicle{key: mustKey(t), id: VehicleID(5000 + i)}
		reg, err := w.authority.Register(ctx, tv.id, tv.key.Public(), day0)
		check(t, err)
		tv.v, err = NewVehicle(tv.key, w.authKey.Public())
		check(t, err)
		check(t, tv.v.SetRegistration(reg))
		req, err := tv.v.Order(a.key.Public(), price, day0)
		check(t, err)
		if i == testPolicy.RingSize-1 {
			opL.Fail = kindSale
		}
		sale, err := a.op.Purchase(ctx, req, day0)
		if i == testPolicy.RingSize-1 {
			if !errors.Is(err, recordtest.ErrLostReply) || sale != nil {
				t.Fatalf("sale with a lost reply: %v", err)
			}
		} else if err != nil || sale != nil {
			t.Fatalf("purchase %d: sale %v, err %v", i, sale != nil, err)
		}
	}
	op, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: opL, Spent: w.spent})
	check(t, err)
	sales := op.Sales(uint64(published))
	if len(sales) != 1 {
		t.Fatalf("reopened operator has %d new sales, want the 1 recorded", len(sales))
	}
	w.publish(t, sales[0])
	if again := op.Sales(uint64(published)); len(again) != 1 || !bytes.Equal(again[0], sales[0]) {
		t.Error("Sales changed between calls")
	}
}

// TestPlazaApplyAfterUnsureAppend: a fare table whose append to the
// plaza's ledger reported an error may still be recorded. A plaza that
// went on would take an older table next (it does not know the newer one
// in memory), and its ledger would hold the newer table before the older:
// a ledger that no longer replays, since a table not issued after the
// latest is refused. Until it is reopened the plaza applies nothing more;
// reopened, it knows the recorded table.
func TestPlazaApplyAfterUnsureAppend(t *testing.T) {
	w := newWorld(t, 0)
	a := w.ops[0]
	// The operator publishes two tables; the plaza receives them out of
	// order.
	older, err := a.op.PublishFares(ctx, testFares(), maxTrip, day0.Add(time.Hour))
	check(t, err)
	newer, err := a.op.PublishFares(ctx, testFares(), maxTrip, day0.Add(2*time.Hour))
	check(t, err)
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	open := func() (*Plaza, error) {
		return OpenPlaza(ctx, a.plazas[1].key, 1, a.key.Public(), []*ecdsa.PublicKey{w.ops[1].key.Public()}, Stores{Ledger: l, Spent: w.spent, Used: w.used})
	}
	p, err := open()
	check(t, err)
	for _, r := range a.records {
		check(t, p.Apply(ctx, r))
	}
	l.Fail = kindFares
	if err := p.Apply(ctx, newer); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("fare table with a lost reply: %v", err)
	}
	if err := p.Apply(ctx, older); err == nil {
		t.Error("applied a fare table before the plaza was reopened")
	}
	p, err = open()
	if err != nil {
		t.Fatalf("the plaza's ledger no longer replays: %v", err)
	}
	if err := p.Apply(ctx, newer); err != nil {
		t.Errorf("the reopened plaza does not know the recorded table: %v", err)
	}
	if err := p.Apply(ctx, older); err == nil {
		t.Error("the reopened plaza took a table older than its current one")
	}
}
