package toll

import (
	"errors"
	"testing"
	"time"

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
