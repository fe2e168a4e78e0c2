package netting

import "math/bits"

// maxExact is the largest number of non-zero nets that zeroSumGroups
// partitions exactly: it takes time and memory proportional to
// maxExact·2^maxExact.
const maxExact = 16

// zeroSumGroups partitions vals, at most maxExact non-zero values summing
// to zero, into the largest possible number of groups that each sum to
// zero, and returns the groups as lists of positions in vals.
//
// best[m] is the largest number of prefixes summing to zero over the
// orderings of the subset m: removing elements one at a time, a group ends
// each time what is left sums to zero. For a subset summing to zero that is
// the largest number of zero-sum groups it splits into.
func zeroSumGroups(vals []int64) [][]int {
	n := len(vals)
	full := 1<<n - 1
	sum := make([]int64, full+1)
	best := make([]uint8, full+1)
	for m := 1; m <= full; m++ {
		sum[m] = sum[m&(m-1)] + vals[bits.TrailingZeros(uint(m))]
		var b uint8
		for r := m; r != 0; r &= r - 1 {
			b = max(b, best[m&^(1<<bits.TrailingZeros(uint(r)))])
		}
		if sum[m] == 0 {
			b++
		}
		best[m] = b
	}

	var groups [][]int
	var group []int
	for m := full; m != 0; {
		want := best[m]
		if sum[m] == 0 {
			want--
		}
		for r := m; r != 0; r &= r - 1 {
			i := bits.TrailingZeros(uint(r))
			if best[m&^(1<<i)] == want {
				group = append(group, i)
				m &^= 1 << i
				break
			}
		}
		if sum[m] == 0 {
			groups = append(groups, group)
			group = nil
		}
	}
	return groups
}
