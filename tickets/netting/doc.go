// Package netting is multilateral netting: from what parties owe each other
// in a period it computes every party's net position and a small set of
// transfers that settles them all, and signs the result as a statement for
// a ledger that each party can check.
//
// Most users need [Net], to compute a [Settlement] from [Obligation]s, and
// [NewStatement], to sign it for a period; readers need [ParseStatement],
// [Statement.Verify] and [Settlement.Check] or [Settlement.CheckParty].
//
//	s, err := netting.Net(obligations)
//	st, err := netting.NewStatement(netterKey, start, end, s)
//	_, err = l.Append(ctx, netting.Kind, st.Bytes())
//
// # Parties and obligations
//
// A [Party] is an opaque byte string (up to [MaxPartySize] bytes), so the
// parties of every system can be netted together: toll operators and plazas
// by their ECDSA keys, users by their ring-signature keys, pool accounts by
// theirs. An obligation says that its payer owes its payee a positive
// amount of money (package tickets/money). Feeding netting from another
// system is turning its records into obligations.
//
// # What is guaranteed
//
// Per currency (currencies never offset each other): each party's net is
// exactly what it is owed minus what it owes; the transfers go from
// negative nets to positive ones and bring every net to zero; there are at
// most k−1 of them for k non-zero nets, and never more than there were
// obligations. The number of transfers is the minimum whenever k ≤ 16 (or
// at most 16 nets are left once exact opposites are paired off): the
// fewest transfers are k minus the largest number of groups of parties
// whose nets sum to zero, and a search over every subset finds those
// groups. Beyond that a heuristic keeps the bounds: see
// docs/spec/netting.md. The result does not depend on the order of the
// obligations. All arithmetic is on integer minor units and checked: totals
// that do not fit the range of money are refused, never wrapped.
//
// # Statements and what each party can check
//
// A [Statement] names its period, the number of obligations netted, the
// digest of the obligations in canonical order, the nets and the
// transfers, under the netter's ECDSA signature. [ParseStatement] refuses a
// statement whose transfers do not settle its nets, so anyone can rely on
// that. A party that holds the whole list of obligations re-derives digest,
// nets and transfers with [Settlement.Check]; a party that holds only its
// own obligations checks its own net with [Settlement.CheckParty], which
// detects any obligation of its own left out, invented or changed, but
// nothing between other parties. The statement carries no obligation, so it
// reveals the nets and transfers but not who owed whom.
//
// # Keys
//
// The netter's ECDSA key signs statements; parties need only its public
// key. Parties hold no key of this package.
package netting
