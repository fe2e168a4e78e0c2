package netting

import (
	"math/bits"
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

// maxZeroSumGroups is a second oracle, for up to 16 values where trying
// every set partition is out of reach: the group that holds the lowest
// element of a zero-sum set m is some zero-sum subset s of m, and the rest
// m∖s splits on its own, so best(m) = max over such s of 1 + best(m∖s),
// over the 3^n pairs of nested subsets.
func maxZeroSumGroups(vals []int64) int {
	n := len(vals)
	sum := make([]int64, 1<<n)
	for m := 1; m < 1<<n; m++ {
		low := m & -m
		sum[m] = sum[m^low] + vals[bits.TrailingZeros(uint(low))]
	}
	best := make([]int, 1<<n)
	for m := 1; m < 1<<n; m++ {
		if sum[m] != 0 {
			continue
		}
		low := m & -m
		rest := m ^ low
		// Every s = low ∪ t for t ⊆ rest; m∖s sums to zero with s.
		for t := rest; ; t = (t - 1) & rest {
			if s := low | t; sum[s] == 0 {
				best[m] = max(best[m], 1+best[m^s])
			}
			if t == 0 {
				break
			}
		}
	}
	return best[1<<n-1]
}

// TestPropertyOptimalUpTo16: with 9 to 16 non-zero nets, all in one
// obligation component (every party deals through a hub whose own net is
// zero), the number of transfers is the minimum: len(nets) minus the most
// zero-sum groups, found by a search over nested subsets. Small values,
// some of them built as zero-sum blocks, make many partitions compete.
func TestPropertyOptimalUpTo16(t *testing.T) {
	p := properties(t, 1000, 150)
	p.Property("fewest transfers, 9 to 16 nets", prop.ForAll(func(seed uint64, k int, blocks bool) bool {
		rng := rand.New(rand.NewPCG(seed, propertySeed))
		vals := make([]int64, 0, k)
		nonzero := func(limit int64) int64 {
			v := 1 + rng.Int64N(limit)
			if rng.IntN(2) == 0 {
				v = -v
			}
			return v
		}
		for len(vals) < k {
			if blocks && k-len(vals) >= 2 {
				// A block of 2 to 4 values that sums to zero.
				size := min(k-len(vals), 2+rng.IntN(3))
				var sum int64
				for range size - 1 {
					v := nonzero(4)
					vals, sum = append(vals, v), sum+v
				}
				if sum == 0 {
					vals = vals[:len(vals)-(size-1)]
					continue
				}
				vals = append(vals, -sum)
				continue
			}
			vals = append(vals, nonzero(5))
		}
		var sum int64
		for _, v := range vals {
			sum += v
		}
		if sum != 0 {
			// Settle the balance on the last value, keeping it non-zero.
			if vals[k-1] -= sum; vals[k-1] == 0 {
				vals[k-1], vals[0] = 1, vals[0]-1
				if vals[0] == 0 {
					return true // a rare draw the generator does not build
				}
			}
		}
		rng.Shuffle(k, func(i, j int) { vals[i], vals[j] = vals[j], vals[i] })
		hub := Party("hub")
		var obs []Obligation
		for i, v := range vals {
			if v < 0 {
				obs = append(obs, Obligation{Payer: party(i), Payee: hub, Amount: money.MustNew(-v, eur)})
			} else {
				obs = append(obs, Obligation{Payer: hub, Payee: party(i), Amount: money.MustNew(v, eur)})
			}
		}
		s, err := Net(obs)
		if err != nil || len(s.Nets()) != k {
			t.Logf("%v: %d nets for %v", err, len(s.Nets()), vals)
			return false
		}
		if k <= 9 && maxZeroSumBlocks(vals) != maxZeroSumGroups(vals) {
			t.Logf("the two oracles disagree on %v", vals)
			return false
		}
		if want := k - maxZeroSumGroups(vals); len(s.Transfers()) != want {
			t.Logf("%d transfers for nets %v, the minimum is %d", len(s.Transfers()), vals, want)
			return false
		}
		return s.validate() == nil
	}, gen.UInt64(), gen.IntRange(maxExact-7, maxExact), gen.Bool()))
	p.TestingRun(t)
}
