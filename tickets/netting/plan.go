package netting

import (
	"cmp"
	"slices"
)

// A leg is a transfer of units from party from to party to, by index.
type leg struct {
	from, to int
	units    int64
}

// plan returns transfers that settle nets, which sum to zero and whose
// positive values sum within int64; edges are the obligations, as pairs of
// indices into nets. It is exact for at most maxExact non-zero nets, and
// otherwise:
//
//  1. pairs off nets that are exact opposites, one transfer each (some
//     optimal settlement does so);
//  2. if at most maxExact nets are left, settles them exactly;
//  3. otherwise splits what is left into groups summing to zero: parties
//     linked by obligations or by a pairing of step 1 are in one group;
//     each group of at most maxExact is settled exactly, each larger one
//     greedily.
//
// A group of g non-zero nets costs at most g−1 transfers and the groups of
// step 3 follow the obligations, so there are never more transfers than
// obligations nor than non-zero nets minus one.
func plan(nets []int64, edges [][2]int) []leg {
	var nonzero []int
	for i, v := range nets {
		if v != 0 {
			nonzero = append(nonzero, i)
		}
	}
	if len(nonzero) <= maxExact {
		return settleExactly(nonzero, nets, nil)
	}

	legs, rest := pairOpposites(nonzero, nets)
	if len(rest) <= maxExact {
		return settleExactly(rest, nets, legs)
	}

	groups := newUnionFind(len(nets))
	for _, e := range edges {
		groups.union(e[0], e[1])
	}
	for _, l := range legs {
		groups.union(l.from, l.to)
	}
	members := make(map[int][]int)
	var roots []int
	for _, i := range rest {
		r := groups.find(i)
		if members[r] == nil {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	for _, r := range roots {
		if g := members[r]; len(g) <= maxExact {
			legs = settleExactly(g, nets, legs)
		} else {
			legs = settleGreedily(g, nets, legs)
		}
	}
	return legs
}

// pairOpposites pairs each positive net, in index order, with the first
// unpaired negative net of the same magnitude, and returns one leg per pair
// and the indices left unpaired, in order.
func pairOpposites(members []int, nets []int64) (legs []leg, rest []int) {
	negatives := make(map[int64][]int)
	for _, i := range members {
		if nets[i] < 0 {
			negatives[-nets[i]] = append(negatives[-nets[i]], i)
		}
	}
	paired := make(map[int]bool)
	for _, i := range members {
		if v := nets[i]; v > 0 && len(negatives[v]) > 0 {
			j := negatives[v][0]
			negatives[v] = negatives[v][1:]
			legs = append(legs, leg{from: j, to: i, units: v})
			paired[i], paired[j] = true, true
		}
	}
	for _, i := range members {
		if !paired[i] {
			rest = append(rest, i)
		}
	}
	return legs, rest
}

// settleExactly appends to legs the fewest transfers that settle members,
// at most maxExact indices whose nets sum to zero.
func settleExactly(members []int, nets []int64, legs []leg) []leg {
	vals := make([]int64, len(members))
	for k, i := range members {
		vals[k] = nets[i]
	}
	for _, g := range zeroSumGroups(vals) {
		group := make([]int, len(g))
		for k, p := range g {
			group[k] = members[p]
		}
		legs = settleGreedily(group, nets, legs)
	}
	return legs
}

// settleGreedily appends to legs transfers that settle members, whose nets
// sum to zero: the largest debt against the largest claim, then on down
// both lists. Each transfer clears a debt or a claim and the last clears
// both, so a group of g costs at most g−1 transfers.
func settleGreedily(members []int, nets []int64, legs []leg) []leg {
	type side struct {
		party int
		units int64
	}
	var debtors, creditors []side
	for _, i := range members {
		if v := nets[i]; v < 0 {
			debtors = append(debtors, side{i, -v})
		} else if v > 0 {
			creditors = append(creditors, side{i, v})
		}
	}
	largestFirst := func(a, b side) int {
		if c := cmp.Compare(b.units, a.units); c != 0 {
			return c
		}
		return a.party - b.party
	}
	slices.SortFunc(debtors, largestFirst)
	slices.SortFunc(creditors, largestFirst)
	for d, c := 0, 0; d < len(debtors) && c < len(creditors); {
		u := min(debtors[d].units, creditors[c].units)
		legs = append(legs, leg{from: debtors[d].party, to: creditors[c].party, units: u})
		debtors[d].units -= u
		creditors[c].units -= u
		if debtors[d].units == 0 {
			d++
		}
		if creditors[c].units == 0 {
			c++
		}
	}
	return legs
}

// unionFind is a disjoint-set forest with path halving.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(i, j int) {
	if ri, rj := u.find(i), u.find(j); ri != rj {
		u[max(ri, rj)] = min(ri, rj)
	}
}
