// Package netting is multilateral netting: from what parties owe each other
// in a period it computes every party's net position and a small set of
// transfers that settles them all, and signs the result as a statement for
// a ledger that each party can check.
//
// Most users need [Net], to compute a [Settlement] from [Obligation]s, and
// [NewStatement], to sign it for a period; readers need [ParseStatement],
// [Statement.Verify] and [Settlement.Check] or [Settlement.CheckParty].
// [TollObligations] and [BillingObligations] make the obligations from the
// records of the toll and billing systems.
//
//	obligations, err := netting.TollObligations(start, end, operators, statements)
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
// # What feeds it
//
// Three systems produce obligations, each with its parties named by the
// bytes of their keys, so a key that plays a part in two systems is one
// party in both:
//
//   - toll settlement (package tickets/toll): [TollObligations] turns the
//     statements of a period, each signed by its debtor, into what each
//     operator owes its plazas and its partner operators; only debtors the
//     netter names are accepted;
//   - billing (package tickets/billing): [BillingObligations] turns the
//     invoices due in a period into what each user still owes the
//     collector, as the collector's book says after disputes; paid and
//     forfeited invoices owe nothing;
//   - the crowd-loan pool (package tickets/loans): its Pool.Obligations,
//     pledges owed to borrowers and instalments owed to lenders, which the
//     pool nets itself each period.
//
// Both take only records vouched for by a key the caller names (a
// statement signed by a trusted operator, an invoice on the book of the
// collector whose key is given), count a record given twice once, and
// take only the records of the period, so netting consecutive periods nets
// each record once. Netting moves no money: a party that does not pay its
// transfers leaves unpaid creditors it may never have dealt with, which is
// why only the debts of trusted parties (or, like billing's users, of
// parties bound by a deposit) belong in a netting.
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
// detects any one obligation of its own left out, invented or changed in
// amount, but not one moved to another counterparty (its net stays as it
// was; the counterparties', which they check, do not), nor anything
// between other parties. The statement carries no obligation, so it
// reveals the nets and transfers but not who owed whom.
//
// # Keys
//
// The netter's ECDSA key signs statements; parties need only its public
// key. Parties hold no key of this package.
package netting
