package loans

import (
	"math"
	"testing"

	"github.com/ringtrace/ringtrace/arsig"
)

// TestPeriodObligationsStayNettable: a dishonest borrower asks for two
// loans of one unit each, repaid MaxInt64 in one instalment, and repays
// both in one period. Its obligations in that period would add up beyond
// the range of money, which netting refuses: no statement could close the
// period and the pool would stop for good. The second repayment is refused
// instead, and the period closes; so is a pledge whose funding would do
// the same.
func TestPeriodObligationsStayNettable(t *testing.T) {
	h := newHarness(t, 1, 2)
	a := h.request(0, 1, math.MaxInt64, 1, 1)
	b := h.request(0, 1, math.MaxInt64, 1, 1)
	honest := h.request(1, 100, 100, 1, 1)
	h.submit(h.pledge(0, a, 1))
	h.submit(h.pledge(0, b, 1))
	h.submit(h.pledge(0, honest, 100))
	big := h.request(1, math.MaxInt64, math.MaxInt64, 1, 2)
	h.submit(h.pledge(0, big, math.MaxInt64-1))
	h.refuse("a pledge funding past the range of the period's netting", h.pledge(0, big, 1), ErrRefused)
	h.close()

	h.submit(h.must(h.borrowers[0].Repay(h.pool, a)))
	h.refuse("a repayment past the range of the period's netting", h.must(h.borrowers[0].Repay(h.pool, b)), ErrRefused)
	h.close()
	if got := h.pool.Period(); got != 3 {
		t.Fatalf("period %d, want 3", got)
	}
}

// TestLenderRegistryBound: the ring of every registered lender must be an
// arsig ring, so registrations beyond arsig.MaxRingSize are refused; past
// it, every lender's Pledge panicked building the ring.
func TestLenderRegistryBound(t *testing.T) {
	h := newHarness(t, 1, 0)
	// Stand-ins for arsig.MaxRingSize registered lenders: the bound
	// counts them.
	for len(h.pool.lenders) < arsig.MaxRingSize {
		h.pool.lenders = append(h.pool.lenders, h.pool.lenders[0])
	}
	h.refuse("one lender too many", h.must(h.platform.RegisterLender(h.pool, mustARS(t).Public())), ErrRefused)
}

// TestRingsHeldBounded: a pool holds the ring it verified last, not one
// ring per size that pledges name. Lenders registered one by one between
// pledges, or a lender naming another ring size in each pledge, made every
// pool that replays the ledger keep a ring of every size: memory
// quadratic in the lenders (up to arsig.MaxRingSize), for records of a
// few kilobytes.
func TestRingsHeldBounded(t *testing.T) {
	const lenders = 4
	h := newHarness(t, lenders, 1)
	id := h.request(0, 100, 100, 1, 1)
	for n := 1; n <= lenders; n++ {
		keys := make([]*arsig.PublicKey, n)
		for i := range keys {
			keys[i] = h.lenderKey[i].Public()
		}
		ring, err := arsig.NewRing(keys)
		if err != nil {
			t.Fatal(err)
		}
		// Lender 0, registered first, is in the ring of every size.
		h.submit(h.forgePledge(h.pledge(0, id, 10), func(r *pledge) { r.ring = n }, h.lenderKey[0], ring, h.accounts[0]))
	}
	if got := len(h.pool.rings); got > 1 {
		t.Errorf("the pool holds %d rings", got)
	}
	replayed, err := Open(h.ctx, h.ledger, h.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	samePool(t, h.pool, replayed)
	if got := len(replayed.rings); got > 1 {
		t.Errorf("the replayed pool holds %d rings", got)
	}
	// A disclosure of the first pledge still opens it under its own ring.
	first := h.loan(id).Pledges[0].ID
	h.submit(h.must(h.platform.Disclose(h.pool, first, "audit")))
	if ds := h.pool.Disclosures(); len(ds) != 1 || !ds[0].Lender.Equal(h.lenderKey[0].Public()) {
		t.Fatalf("disclosures %v", ds)
	}
}
