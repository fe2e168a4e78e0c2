package netting

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/money"
)

var (
	eur = money.MustCurrency("EUR")
	krw = money.MustCurrency("KRW")
)

func party(i int) Party { return Party(fmt.Sprintf("party-%03d", i)) }

func ob(payer, payee int, units int64, c money.Currency) Obligation {
	return Obligation{Payer: party(payer), Payee: party(payee), Amount: money.MustNew(units, c)}
}

// randomObligations returns n obligations among parties parties in the
// given currencies, amounts from 1 to maxUnits.
func randomObligations(rng *rand.Rand, n, parties int, maxUnits int64, currencies ...money.Currency) []Obligation {
	obs := make([]Obligation, 0, n)
	for len(obs) < n {
		a, b := rng.IntN(parties), rng.IntN(parties)
		if a == b {
			continue
		}
		obs = append(obs, ob(a, b, 1+rng.Int64N(maxUnits), currencies[rng.IntN(len(currencies))]))
	}
	return obs
}

type netKey struct {
	c money.Currency
	p Party
}

// naiveNets sums obligations with arbitrary precision: the nets Net must
// reproduce, zero nets left out.
func naiveNets(obs []Obligation) map[netKey]*big.Int {
	nets := make(map[netKey]*big.Int)
	add := func(k netKey, v int64) {
		if nets[k] == nil {
			nets[k] = new(big.Int)
		}
		nets[k].Add(nets[k], big.NewInt(v))
	}
	for _, o := range obs {
		c := o.Amount.Currency()
		add(netKey{c, o.Payee}, o.Amount.Units())
		add(netKey{c, o.Payer}, -o.Amount.Units())
	}
	for k, v := range nets {
		if v.Sign() == 0 {
			delete(nets, k)
		}
	}
	return nets
}

// maxZeroSumBlocks is the brute-force oracle: the largest number of blocks
// of a partition of vals (which sum to zero) whose blocks all sum to zero,
// found by trying every set partition. A settlement's transfers form a
// graph whose connected components each sum to zero, and a component of g
// parties needs at least g−1 transfers, so the fewest transfers are
// len(vals) minus this number.
func maxZeroSumBlocks(vals []int64) int {
	best := 0
	var blocks []int64
	var place func(i int)
	place = func(i int) {
		if i == len(vals) {
			for _, s := range blocks {
				if s != 0 {
					return
				}
			}
			best = max(best, len(blocks))
			return
		}
		for b := range blocks {
			blocks[b] += vals[i]
			place(i + 1)
			blocks[b] -= vals[i]
		}
		blocks = append(blocks, vals[i])
		place(i + 1)
		blocks = blocks[:len(blocks)-1]
	}
	place(0)
	return best
}

// perCurrency counts non-zero nets and transfers per currency.
func perCurrency(s *Settlement) (nets, transfers map[money.Currency]int) {
	nets, transfers = make(map[money.Currency]int), make(map[money.Currency]int)
	for _, n := range s.Nets() {
		nets[n.Net.Currency()]++
	}
	for _, t := range s.Transfers() {
		transfers[t.Amount.Currency()]++
	}
	return nets, transfers
}

func mustNet(t testing.TB, obs []Obligation) *Settlement {
	t.Helper()
	s, err := Net(obs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
