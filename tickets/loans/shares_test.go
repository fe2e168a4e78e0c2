package loans

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

func TestInstalments(t *testing.T) {
	// 1000 in 3: 334, 333, 333.
	if a, b, c := instalment(1000, 3, 1), instalment(1000, 3, 2), instalment(1000, 3, 3); a != 334 || b != 333 || c != 333 {
		t.Fatalf("%d %d %d", a, b, c)
	}
	for _, tc := range []struct {
		total int64
		n     int
	}{{1, 1}, {7, 7}, {100, 7}, {math.MaxInt64, 360}, {359, 360 - 1}} {
		var sum int64
		for i := 1; i <= tc.n; i++ {
			v := instalment(tc.total, tc.n, i)
			if v < 1 {
				t.Fatalf("%d in %d: instalment %d is %d", tc.total, tc.n, i, v)
			}
			sum += v
		}
		if sum != tc.total {
			t.Fatalf("%d in %d instalments sum to %d", tc.total, tc.n, sum)
		}
	}
}

func TestProRataExamples(t *testing.T) {
	for _, tc := range []struct {
		amount  int64
		weights []int64
		want    []int64
	}{
		// 100 by 1:1:1: 33.3 each, the one unit left to the first.
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		// 10 by 5:3:2 is exact.
		{10, []int64{5, 3, 2}, []int64{5, 3, 2}},
		// 7 by 1:2:4 (total 7) is exact, 8 gives the unit to the largest
		// remainder: 8·4 mod 7 = 4 > 8·2 mod 7 = 2 > 8·1 mod 7 = 1.
		{8, []int64{1, 2, 4}, []int64{1, 2, 5}},
		// A share can be zero.
		{1, []int64{1, 1000}, []int64{0, 1}},
		// The extremes of the range.
		{math.MaxInt64, []int64{math.MaxInt64}, []int64{math.MaxInt64}},
		{math.MaxInt64, []int64{1, math.MaxInt64 - 1}, []int64{1, math.MaxInt64 - 1}},
	} {
		total := int64(0)
		for _, w := range tc.weights {
			total += w
		}
		got := proRata(tc.amount, tc.weights, total)
		for k := range got {
			if got[k] != tc.want[k] {
				t.Errorf("proRata(%d, %v) = %v, want %v", tc.amount, tc.weights, got, tc.want)
				break
			}
		}
	}
}

// TestPropertyProRata: the shares add up to the amount exactly (no unit
// created or lost), each is its exact share rounded down or up, and the
// rounded-up ones have remainders no smaller than any rounded-down one's.
func TestPropertyProRata(t *testing.T) {
	params := gopter.DefaultTestParametersWithSeed(0x6c6f616e73) // "loans"
	params.MinSuccessfulTests = 2000
	if testing.Short() {
		params.MinSuccessfulTests = 300
	}
	p := gopter.NewProperties(params)
	p.Property("largest remainder", prop.ForAll(func(seed uint64, n int, scale int64) bool {
		rng := rand.New(rand.NewPCG(seed, 1))
		weights := make([]int64, n)
		total := int64(0)
		for k := range weights {
			weights[k] = 1 + rng.Int64N(scale)
			total += weights[k]
		}
		amount := 1 + rng.Int64N(math.MaxInt64/4)
		if rng.IntN(2) == 0 {
			amount = 1 + rng.Int64N(1000)
		}
		shares := proRata(amount, weights, total)
		sum := new(big.Int)
		var minUp, maxDown *big.Int
		for k, s := range shares {
			sum.Add(sum, big.NewInt(s))
			exact := new(big.Int).Mul(big.NewInt(amount), big.NewInt(weights[k]))
			q, r := new(big.Int).QuoRem(exact, big.NewInt(total), new(big.Int))
			switch s - q.Int64() {
			case 0:
				if maxDown == nil || r.Cmp(maxDown) > 0 {
					maxDown = r
				}
			case 1:
				if minUp == nil || r.Cmp(minUp) < 0 {
					minUp = r
				}
			default:
				return false
			}
		}
		return sum.Cmp(big.NewInt(amount)) == 0 && (minUp == nil || maxDown == nil || minUp.Cmp(maxDown) >= 0)
	}, gen.UInt64(), gen.IntRange(1, 40), gen.OneConstOf(int64(3), int64(1000), int64(1)<<50)))
	p.TestingRun(t)
}
