package loans

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

// TestLoanLifecycle: a loan is pledged in full by three lenders, funded,
// repaid in three instalments shared pro rata, each period netted; a
// replay of the ledger rebuilds the same state.
func TestLoanLifecycle(t *testing.T) {
	h := newHarness(t, 4, 1)
	id := h.request(0, 1000, 1100, 3, 2)
	for i, units := range []int64{500, 300} {
		h.submit(h.pledge(i, id, units))
	}
	if l := h.loan(id); l.Status != Requested || len(l.Pledges) != 2 {
		t.Fatalf("loan %v with %d pledges", l.Status, len(l.Pledges))
	}
	if got := h.pool.Obligations(1); len(got) != 0 {
		t.Fatalf("obligations before funding: %v", got)
	}
	h.submit(h.pledge(2, id, 200))
	l := h.loan(id)
	if l.Status != Funded || l.Funded != 1 {
		t.Fatalf("loan %v funded in %d", l.Status, l.Funded)
	}
	// Funding: each account owes the borrower its pledge.
	borrower := party(h.borrowKey[0])
	want := []netting.Obligation{
		{Payer: party(h.accounts[0]), Payee: borrower, Amount: euros(500)},
		{Payer: party(h.accounts[1]), Payee: borrower, Amount: euros(300)},
		{Payer: party(h.accounts[2]), Payee: borrower, Amount: euros(200)},
	}
	if got := h.pool.Obligations(1); !slices.Equal(got, want) {
		t.Fatalf("funding obligations %v", got)
	}
	h.close()
	if st := h.pool.Statements(); len(st) != 1 || len(st[0].Settlement().Transfers()) != 3 || h.pool.Period() != 2 {
		t.Fatal("period 1 not closed")
	}

	// Instalments of 1100/3: 367, 367, 366; shared 5:3:2, the unit left
	// over to the largest remainder (.5, then .8).
	wantShares := [][3]int64{{184, 110, 73}, {184, 110, 73}, {183, 110, 73}}
	for i := 1; i <= 3; i++ {
		h.submit(h.must(h.borrowers[0].Repay(h.pool, id)))
		got := h.pool.Obligations(1 + i)
		var sum int64
		for k, o := range got {
			if o.Payer != borrower || o.Payee != party(h.accounts[k]) || o.Amount.Units() != wantShares[i-1][k] {
				t.Fatalf("instalment %d: obligation %d is %v", i, k, o)
			}
			sum += o.Amount.Units()
		}
		if sum != l.Instalment(i).Units() {
			t.Fatalf("instalment %d: shares sum to %d", i, sum)
		}
		h.close()
	}
	if l := h.loan(id); l.Status != Repaid || l.Paid != 3 {
		t.Fatalf("loan %v, %d paid", l.Status, l.Paid)
	}

	replayed, err := Open(h.ctx, h.ledger, h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	samePool(t, h.pool, replayed)
}

func samePool(t *testing.T, a, b *Pool) {
	t.Helper()
	la, lb := a.Loans(), b.Loans()
	if len(la) != len(lb) || a.Period() != b.Period() {
		t.Fatal("replay differs")
	}
	for i := range la {
		x, y := la[i], lb[i]
		if x.ID != y.ID || x.Status != y.Status || x.Paid != y.Paid || x.Funded != y.Funded || len(x.Pledges) != len(y.Pledges) {
			t.Fatalf("loan %d differs after replay", i)
		}
	}
	sa, sb := a.Statements(), b.Statements()
	for i := range sa {
		if !bytes.Equal(sa[i].Bytes(), sb[i].Bytes()) {
			t.Fatalf("statement %d differs", i)
		}
	}
	for n := 1; n <= a.Period(); n++ {
		if !slices.Equal(a.Obligations(n), b.Obligations(n)) {
			t.Fatalf("obligations of period %d differ", n)
		}
	}
	if !slices.EqualFunc(a.Disclosures(), b.Disclosures(), func(x, y Disclosure) bool {
		return x.Pledge == y.Pledge && x.Lender.Equal(y.Lender) && x.Reason == y.Reason
	}) {
		t.Fatal("disclosures differ")
	}
}

// TestNettingSaves: two lenders fund two loans each, from one account
// each; every period's shares net to one transfer per party less one.
func TestNettingSaves(t *testing.T) {
	h := newHarness(t, 2, 2)
	a := h.request(0, 100, 120, 2, 1)
	b := h.request(1, 100, 120, 2, 1)
	for _, id := range []ID{a, b} {
		h.submit(h.pledge(0, id, 50))
		h.submit(h.pledge(1, id, 50))
	}
	h.close()
	h.submit(h.must(h.borrowers[0].Repay(h.pool, a)))
	h.submit(h.must(h.borrowers[1].Repay(h.pool, b)))
	h.close()
	st := h.pool.Statements()
	// Period 1: four pledges, two lenders paying two borrowers 100 each:
	// two pairs of opposite nets, two transfers.
	if s := st[0].Settlement(); s.Obligations() != 4 || len(s.Transfers()) != 2 {
		t.Fatalf("period 1: %d obligations, %d transfers", s.Obligations(), len(s.Transfers()))
	}
	if s := st[1].Settlement(); s.Obligations() != 4 || len(s.Transfers()) != 2 {
		t.Fatalf("period 2: %d obligations, %d transfers", s.Obligations(), len(s.Transfers()))
	}
	// Each lender checks its own net from what it knows: its pledges and
	// the shares the pool computes for them.
	for k, acct := range h.accounts {
		var own []netting.Obligation
		for _, o := range h.pool.Obligations(2) {
			if o.Payer == party(acct) || o.Payee == party(acct) {
				own = append(own, o)
			}
		}
		if err := st[1].Settlement().CheckParty(party(acct), own); err != nil {
			t.Errorf("lender %d: %v", k, err)
		}
		if net := money.MustNew(60, eur); !slices.Contains(st[1].Settlement().Nets(), netting.Position{Party: party(acct), Net: net}) {
			t.Errorf("lender %d: net is not %v", k, net)
		}
	}
}

// TestLapse: a request not fully pledged by its deadline lapses; its
// pledges never become obligations and it takes no more.
func TestLapse(t *testing.T) {
	h := newHarness(t, 2, 1)
	id := h.request(0, 100, 100, 1, 2)
	h.submit(h.pledge(0, id, 40))
	h.close()
	late := h.pledge(1, id, 60) // made in period 2, the deadline
	h.close()
	if l := h.loan(id); l.Status != Lapsed {
		t.Fatalf("loan %v", l.Status)
	}
	h.refuse("pledge after the deadline", late, ErrRefused)
	if _, err := h.lenders[1].Pledge(h.pool, id, euros(60)); err == nil {
		t.Error("a lender pledged to a lapsed loan")
	}
	for n := 1; n <= 3; n++ {
		if len(h.pool.Obligations(n)) != 0 {
			t.Fatalf("period %d has obligations", n)
		}
	}
}

// TestUpdate: a reader's pool follows the platform's ledger, checking what
// it reads.
func TestUpdate(t *testing.T) {
	h := newHarness(t, 2, 1)
	reader, err := Open(h.ctx, h.ledger, h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	id := h.request(0, 100, 100, 1, 1)
	if err := reader.Update(h.ctx); err != nil {
		t.Fatal(err)
	}
	// The lender pledges from its own, up-to-date pool.
	enc, err := h.lenders[0].Pledge(reader, id, euros(100))
	if err != nil {
		t.Fatal(err)
	}
	h.submit(enc)
	h.close()
	if err := reader.Update(h.ctx); err != nil {
		t.Fatal(err)
	}
	samePool(t, h.pool, reader)
	// A record the platform's pool would refuse, appended behind its back,
	// stops both.
	if _, err := h.ledger.Append(h.ctx, kindPledge, enc); err != nil {
		t.Fatal(err)
	}
	if err := reader.Update(h.ctx); !errors.Is(err, ErrDuplicate) {
		t.Errorf("reader: %v", err)
	}
	if err := h.pool.Submit(h.ctx, h.must(h.platform.Close(h.pool))); !errors.Is(err, ErrDuplicate) {
		t.Errorf("platform: %v", err)
	}
}
