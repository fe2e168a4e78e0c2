package netting

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/tickets/money"
)

// DigestSize is the size of an obligations digest.
const DigestSize = sha256.Size

// A Position is a party's net in one currency: what it is owed minus what
// it owes. A positive net receives, a negative one pays.
type Position struct {
	Party Party
	Net   money.Amount
}

// A Settlement is the netting of a list of obligations: every party's net
// position per currency and the transfers that settle them. It is
// immutable and safe for concurrent use.
type Settlement struct {
	digest    [DigestSize]byte
	count     int
	nets      []Position   // non-zero, by currency then party
	transfers []Obligation // by currency, payer, payee
}

// Net nets obligations, currency by currency. The result does not depend
// on the order of obligations. In each currency:
//
//   - a party's net is exactly the total it is owed minus the total it
//     owes; parties whose net is zero are left out;
//   - the transfers go from parties with a negative net to parties with a
//     positive one and, paid, bring every net to zero exactly;
//   - there are at most k−1 transfers, k being the number of non-zero
//     nets, and never more than the obligations in that currency;
//   - the number of transfers is the minimum (k minus the largest number of
//     groups of parties whose nets sum to zero) when k ≤ 16, or when at
//     most 16 non-zero nets are left once nets that are exact opposites
//     are paired off; beyond that it comes from the heuristic described in
//     docs/spec/netting.md.
//
// Net fails, with an error wrapping [ErrInvalid], for an invalid
// obligation, or when a party's total owed or owing, or the total of the
// positive nets of a currency, exceeds the range of money (the error then
// wraps money.ErrOverflow too), and for more than 16,777,216 (2^24)
// obligations, the most its digest's encoding counts. The sum of no
// obligations is an empty settlement.
func Net(obligations []Obligation) (*Settlement, error) {
	sorted := slices.Clone(obligations)
	for i, o := range sorted {
		if err := o.check(); err != nil {
			return nil, fmt.Errorf("obligation %d: %w", i, err)
		}
	}
	slices.SortFunc(sorted, compareObligations)
	digest, err := digestOf(sorted)
	if err != nil {
		return nil, err
	}
	s := &Settlement{digest: digest, count: len(sorted)}
	for start := 0; start < len(sorted); {
		c := sorted[start].Amount.Currency()
		end := start + 1
		for end < len(sorted) && sorted[end].Amount.Currency() == c {
			end++
		}
		if err := s.addCurrency(c, sorted[start:end]); err != nil {
			return nil, err
		}
		start = end
	}
	return s, nil
}

// addCurrency nets obligations, all of currency c, and appends the nets and
// transfers to s.
func (s *Settlement) addCurrency(c money.Currency, obligations []Obligation) error {
	index := make(map[Party]int)
	for _, o := range obligations {
		index[o.Payer] = 0
		index[o.Payee] = 0
	}
	parties := make([]Party, 0, len(index))
	for p := range index {
		parties = append(parties, p)
	}
	slices.Sort(parties)
	for i, p := range parties {
		index[p] = i
	}

	zero := money.Zero(c)
	owes := make([]money.Amount, len(parties))
	owed := make([]money.Amount, len(parties))
	for i := range parties {
		owes[i], owed[i] = zero, zero
	}
	edges := make([][2]int, len(obligations))
	var err error
	for k, o := range obligations {
		i, j := index[o.Payer], index[o.Payee]
		edges[k] = [2]int{i, j}
		if owes[i], err = owes[i].Add(o.Amount); err != nil {
			return fmt.Errorf("%w: total owed by %x: %w", ErrInvalid, string(o.Payer), err)
		}
		if owed[j], err = owed[j].Add(o.Amount); err != nil {
			return fmt.Errorf("%w: total owed to %x: %w", ErrInvalid, string(o.Payee), err)
		}
	}

	// Both totals are non-negative, so their difference cannot overflow;
	// once the positive nets are known to sum within range, so does every
	// subset of nets, and the planner adds them as plain integers.
	nets := make([]int64, len(parties))
	positive := zero
	for i := range parties {
		net, err := owed[i].Sub(owes[i])
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		nets[i] = net.Units()
		if net.Sign() > 0 {
			if positive, err = positive.Add(net); err != nil {
				return fmt.Errorf("%w: total of the positive nets in %s: %w", ErrInvalid, c, err)
			}
		}
		if net.Sign() != 0 {
			s.nets = append(s.nets, Position{Party: parties[i], Net: net})
		}
	}

	legs := plan(nets, edges)
	slices.SortFunc(legs, func(a, b leg) int {
		if a.from != b.from {
			return a.from - b.from
		}
		return a.to - b.to
	})
	for _, l := range legs {
		s.transfers = append(s.transfers, Obligation{Payer: parties[l.from], Payee: parties[l.to], Amount: money.MustNew(l.units, c)})
	}
	return nil
}

// Nets returns the non-zero net positions, ordered by currency and then
// by party.
func (s *Settlement) Nets() []Position {
	if s == nil {
		return nil
	}
	return slices.Clone(s.nets)
}

// Transfers returns the transfers that settle the nets, ordered by
// currency, payer and payee. No pair of parties appears twice in one
// currency.
func (s *Settlement) Transfers() []Obligation {
	if s == nil {
		return nil
	}
	return slices.Clone(s.transfers)
}

// Obligations returns the number of obligations that were netted.
func (s *Settlement) Obligations() int {
	if s == nil {
		return 0
	}
	return s.count
}

// ObligationsDigest returns the digest of the netted obligations in their
// canonical order (docs/spec/netting.md): equal for any two lists that hold
// the same obligations, however ordered.
func (s *Settlement) ObligationsDigest() [DigestSize]byte {
	if s == nil {
		return [DigestSize]byte{}
	}
	return s.digest
}
