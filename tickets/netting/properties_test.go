package netting

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/ringtrace/ringtrace/tickets/money"
)

const propertySeed = 0x6e657474696e67 // "netting"

func properties(t *testing.T, full, short int) *gopter.Properties {
	params := gopter.DefaultTestParametersWithSeed(propertySeed)
	params.MinSuccessfulTests = full
	if testing.Short() {
		params.MinSuccessfulTests = short
	}
	return gopter.NewProperties(params)
}

// scenario is a generated netting input: obligations among up to parties
// parties with amounts up to maxUnits, in one or two currencies. Small
// amounts make zero-sum groups common; large ones exercise the range.
type scenario struct {
	seed     uint64
	count    int
	parties  int
	maxUnits int64
	twoCcy   bool
}

func (sc scenario) obligations() []Obligation {
	rng := rand.New(rand.NewPCG(sc.seed, propertySeed))
	ccys := []money.Currency{eur}
	if sc.twoCcy {
		ccys = append(ccys, krw)
	}
	return randomObligations(rng, sc.count, sc.parties, sc.maxUnits, ccys...)
}

func scenarios(maxParties, maxCount int) gopter.Gen {
	return gopter.CombineGens(
		gen.UInt64(),
		gen.IntRange(0, maxCount),
		gen.IntRange(2, maxParties),
		gen.OneConstOf(int64(1), int64(3), int64(10), int64(1000), int64(1)<<40),
		gen.Bool(),
	).Map(func(v []any) scenario {
		return scenario{seed: v[0].(uint64), count: v[1].(int), parties: v[2].(int), maxUnits: v[3].(int64), twoCcy: v[4].(bool)}
	})
}

// TestPropertyNetsPreserved: every party's net is exactly what it is owed
// minus what it owes (against an arbitrary-precision sum), zero nets are
// left out, and paying the transfers instead of the obligations leaves every
// party with the same net.
func TestPropertyNetsPreserved(t *testing.T) {
	p := properties(t, 500, 100)
	p.Property("nets are exact and transfers preserve them", prop.ForAll(func(sc scenario) bool {
		obs := sc.obligations()
		s, err := Net(obs)
		if err != nil {
			t.Log(err)
			return false
		}
		want := naiveNets(obs)
		if len(s.Nets()) != len(want) {
			return false
		}
		for _, n := range s.Nets() {
			w := want[netKey{n.Net.Currency(), n.Party}]
			if w == nil || !w.IsInt64() || w.Int64() != n.Net.Units() {
				return false
			}
		}
		got := naiveNets(s.Transfers())
		if len(got) != len(want) {
			return false
		}
		for k, v := range want {
			if got[k] == nil || got[k].Cmp(v) != 0 {
				return false
			}
		}
		return s.validate() == nil
	}, scenarios(40, 120)))
	p.TestingRun(t)
}

// TestPropertyConservation: in each currency the nets sum to zero and the
// transfers move, in total, exactly the sum of the positive nets.
func TestPropertyConservation(t *testing.T) {
	p := properties(t, 500, 100)
	p.Property("amounts are conserved", prop.ForAll(func(sc scenario) bool {
		s, err := Net(sc.obligations())
		if err != nil {
			return false
		}
		sum := map[money.Currency]int64{}
		positive := map[money.Currency]int64{}
		moved := map[money.Currency]int64{}
		for _, n := range s.Nets() {
			sum[n.Net.Currency()] += n.Net.Units()
			if n.Net.Sign() > 0 {
				positive[n.Net.Currency()] += n.Net.Units()
			}
		}
		for _, tr := range s.Transfers() {
			moved[tr.Amount.Currency()] += tr.Amount.Units()
		}
		for c := range sum {
			if sum[c] != 0 || moved[c] != positive[c] {
				return false
			}
		}
		return len(moved) == len(positive)
	}, scenarios(40, 120)))
	p.TestingRun(t)
}

// TestPropertyTransferBound: in each currency there are at most k−1
// transfers for k non-zero nets, and never more than the obligations in
// that currency; this covers the heuristic (up to 60 parties).
func TestPropertyTransferBound(t *testing.T) {
	p := properties(t, 500, 100)
	p.Property("at most k-1 transfers, at most one per obligation", prop.ForAll(func(sc scenario) bool {
		obs := sc.obligations()
		s, err := Net(obs)
		if err != nil {
			return false
		}
		perObs := map[money.Currency]int{}
		for _, o := range obs {
			perObs[o.Amount.Currency()]++
		}
		nets, transfers := perCurrency(s)
		for c, n := range transfers {
			if n > nets[c]-1 || n > perObs[c] {
				return false
			}
		}
		return true
	}, scenarios(60, 200)))
	p.TestingRun(t)
}

// TestPropertyOptimal: with up to 8 parties, the number of transfers in
// each currency is the minimum found by trying every partition.
func TestPropertyOptimal(t *testing.T) {
	p := properties(t, 1000, 200)
	p.Property("fewest transfers", prop.ForAll(func(sc scenario) bool {
		s, err := Net(sc.obligations())
		if err != nil {
			return false
		}
		vals := map[money.Currency][]int64{}
		for _, n := range s.Nets() {
			vals[n.Net.Currency()] = append(vals[n.Net.Currency()], n.Net.Units())
		}
		_, transfers := perCurrency(s)
		for c, v := range vals {
			if transfers[c] != len(v)-maxZeroSumBlocks(v) {
				t.Logf("%s: %d transfers for nets %v", c, transfers[c], v)
				return false
			}
		}
		return true
	}, scenarios(8, 30)))
	p.TestingRun(t)
}

// TestPropertyOptimalBeyondExact: more than 16 non-zero nets, of which
// all but at most 8 are exact opposites: pairing them off first is safe, so
// the result is still the minimum, which the brute force finds on what is
// left plus one transfer per pair.
func TestPropertyOptimalBeyondExact(t *testing.T) {
	p := properties(t, 300, 60)
	p.Property("pairs, then exact", prop.ForAll(func(seed uint64, pairs, restSize int) bool {
		rng := rand.New(rand.NewPCG(seed, propertySeed))
		var obs []Obligation
		next := 0
		// Each pair owes through a party of the rest, so that the whole
		// set is one component of the obligations: only the pairing
		// shrinks it to what the exact search handles.
		first := 2 * pairs
		for i := range pairs {
			via := first + rng.IntN(restSize)
			units := 1000 + int64(i)
			obs = append(obs, ob(2*i, via, units, eur), ob(via, 2*i+1, units, eur))
		}
		next = first
		for range 3 * restSize {
			if a, b := rng.IntN(restSize), rng.IntN(restSize); a != b {
				obs = append(obs, ob(next+a, next+b, 1+rng.Int64N(4), eur))
			}
		}
		s, err := Net(obs)
		if err != nil {
			return false
		}
		var restNets []int64
		paired := 0
		for _, n := range s.Nets() {
			if n.Net.Units() >= 1000 || n.Net.Units() <= -1000 {
				paired++
			} else {
				restNets = append(restNets, n.Net.Units())
			}
		}
		if len(s.Nets()) <= maxExact {
			return true // the exact path; TestPropertyOptimal covers it
		}
		want := paired/2 + len(restNets) - maxZeroSumBlocks(restNets)
		return len(s.Transfers()) == want
	}, gen.UInt64(), gen.IntRange(9, 20), gen.IntRange(2, 8)))
	p.TestingRun(t)
}

// TestPropertyPermutation: any order of the obligations gives the same
// settlement: digest, nets and transfers.
func TestPropertyPermutation(t *testing.T) {
	p := properties(t, 300, 60)
	p.Property("order does not matter", prop.ForAll(func(sc scenario, shuffle uint64) bool {
		obs := sc.obligations()
		a, err := Net(obs)
		if err != nil {
			return false
		}
		perm := slices.Clone(obs)
		rand.New(rand.NewPCG(shuffle, 1)).Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		b, err := Net(perm)
		if err != nil {
			return false
		}
		return a.ObligationsDigest() == b.ObligationsDigest() &&
			slices.Equal(a.Nets(), b.Nets()) && slices.Equal(a.Transfers(), b.Transfers()) &&
			a.Check(perm) == nil
	}, scenarios(40, 120), gen.UInt64()))
	p.TestingRun(t)
}
