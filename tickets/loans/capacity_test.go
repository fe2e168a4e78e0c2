package loans

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

// TestClosingStatementFits: a period with maxPeriodParties parties, all
// with a non-zero net, has a closing statement that fits in a ledger
// record; with one party more it does not, and no statement could close
// the period.
func TestClosingStatementFits(t *testing.T) {
	if testing.Short() {
		t.Skip("nets and signs statements of more than 100,000 parties")
	}
	key := mustECDSA(t)
	size := func(parties int) int {
		t.Helper()
		hub := netting.Party(bytes.Repeat([]byte{0xff}, ecdsa.PublicKeySize))
		obs := make([]netting.Obligation, parties-1)
		for i := range obs {
			var p [ecdsa.PublicKeySize]byte
			binary.BigEndian.PutUint64(p[:], uint64(i))
			obs[i] = netting.Obligation{Payer: netting.Party(p[:]), Payee: hub, Amount: euros(1)}
		}
		s, err := netting.Net(obs)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Nets()) != parties || len(s.Transfers()) != parties-1 {
			t.Fatalf("%d nets and %d transfers for %d parties", len(s.Nets()), len(s.Transfers()), parties)
		}
		st, err := netting.NewStatement(key, start, start.AddDate(0, 1, 0), s)
		if err != nil {
			t.Fatal(err)
		}
		return len(st.Bytes())
	}
	if n := size(maxPeriodParties); n > ledger.MaxPayload {
		t.Errorf("the statement of %d parties is %d bytes, more than a ledger record holds", maxPeriodParties, n)
	}
	if n := size(maxPeriodParties + 1); n <= ledger.MaxPayload {
		t.Errorf("the statement of %d parties is %d bytes: the bound is not tight", maxPeriodParties+1, n)
	}
}

// TestPeriodPartiesBounded: the closing statement names every party of
// the period's obligations, and past maxPeriodParties it no longer fits in
// a ledger record: no statement could close the period, and the pool
// stopped for good (one lender, pledging a unit at a time from a fresh
// account to a large loan, could get there). A funding pledge or a
// repayment that would take the period past the bound is refused instead,
// and the period closes.
func TestPeriodPartiesBounded(t *testing.T) {
	if maxPeriodParties != 124275 {
		t.Errorf("the bound is %d parties; docs/spec/loans.md says 124,275", maxPeriodParties)
	}
	h := newHarness(t, 2, 2)
	x := h.request(0, 10, 10, 1, 2)
	y := h.request(1, 10, 10, 1, 2)
	// Stand-ins for the parties of the period's other obligations, two
	// short of the bound.
	for i := 0; len(h.pool.parties) < maxPeriodParties-2; i++ {
		h.pool.parties[netting.Party(fmt.Sprint("stand-in ", i))] = true
	}
	h.submit(h.pledge(0, x, 10)) // account 0 and borrower 0: the bound
	h.refuse("a pledge funding past the bound", h.pledge(1, y, 10), ErrRefused)
	h.refuse("a pledge by a party of the period funding past the bound", h.pledge(0, y, 10), ErrRefused)
	h.submit(h.pledge(1, y, 5)) // it does not fund the loan: nobody owes yet
	h.close()

	h.submit(h.pledge(1, y, 5)) // funds y: account 1 and borrower 1
	for i := 0; len(h.pool.parties) < maxPeriodParties-1; i++ {
		h.pool.parties[netting.Party(fmt.Sprint("stand-in ", i))] = true
	}
	h.refuse("a repayment past the bound", h.must(h.borrowers[0].Repay(h.pool, x)), ErrRefused)
	h.close()
	if got := h.pool.Period(); got != 3 {
		t.Fatalf("period %d, want 3", got)
	}
	if len(h.pool.parties) != 0 {
		t.Fatalf("period 3 starts with %d parties", len(h.pool.parties))
	}
}
