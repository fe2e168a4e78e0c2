package loans

import (
	"cmp"
	"math/bits"
	"slices"
)

// instalment returns instalment i (1 to n) of a repayment of total units
// in n instalments: total/n each, and one unit more for the first
// total mod n, so that the instalments add up to total exactly.
func instalment(total int64, n, i int) int64 {
	base, extra := total/int64(n), total%int64(n)
	if int64(i) <= extra {
		return base + 1
	}
	return base
}

// proRata splits amount units among weights, which are positive and sum to
// total, in proportion (the largest-remainder rule): share k is
// ⌊amount·w_k/total⌋, and the units this leaves, fewer than len(weights),
// go one each to the largest remainders amount·w_k mod total, ties to the
// lower k. The shares add up to amount exactly and each is its exact
// pro-rata share rounded down or up.
func proRata(amount int64, weights []int64, total int64) []int64 {
	shares := make([]int64, len(weights))
	remainders := make([]uint64, len(weights))
	left := amount
	for k, w := range weights {
		// amount·w < 2^63·total, so the quotient fits below amount.
		hi, lo := bits.Mul64(uint64(amount), uint64(w))
		q, r := bits.Div64(hi, lo, uint64(total))
		shares[k], remainders[k] = int64(q), r
		left -= int64(q)
	}
	order := make([]int, len(weights))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(remainders[b], remainders[a]) })
	for _, k := range order[:left] {
		shares[k]++
	}
	return shares
}
