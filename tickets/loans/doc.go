// Package loans is a crowd-loan pool: borrowers post loan requests,
// registered lenders pledge to them anonymously, borrowers repay in monthly
// instalments shared among the pledges pro rata, and each month's flows
// are settled with multilateral netting (package tickets/netting). It
// follows the crowd-sourced loan platform of the seed paper, with the
// platform's smart contract replaced by a [Pool] kept on an append-only,
// hash-chained ledger (package tickets/ledger).
//
// Most users need [Open] to rebuild a pool from its ledger, [Pool.Submit]
// to add records, and the role that makes them: [Platform], [Lender] or
// [Borrower]. Roles run apart and exchange only the records' bytes; each
// reads the pool's public state from its own [Pool].
//
// # Roles and keys
//
//   - The [Platform] holds an ECDSA key, which signs the pool's parameters,
//     registrations, defaults, disclosures and the netting statement that
//     closes each period, and an arsig opener key, which can name the
//     lender behind any pledge. Both are private; the opener key is what
//     lenders' anonymity rests on. The ECDSA public key is the pool's trust
//     anchor: publish it out of band; every role opens the pool with it
//     ([Open]).
//   - A [Lender] holds an arsig key, registered by the platform once it
//     knows who holds it (off the ledger), and an ECDSA account key, which
//     pays its pledges and receives its repayments. Both are private.
//   - A [Borrower] holds a registered ECDSA key that signs its requests and
//     repayments and names it in netting. Borrowers are not anonymous.
//
// # Flows
//
// A request states the amount, the total repayment, the number of monthly
// instalments and the last period in which it takes pledges. A pledge
// names the loan, the period, an amount no more than what the loan still
// needs, and the lender's account; it is ring-signed with arsig under the
// ring of the lenders registered so far, with the platform as opener, and
// signed by the account key. When the pledges reach the amount the loan is
// funded: each account owes the borrower its pledge. Instalment i is due i
// periods later, exactly the repayment divided by the instalments (the
// first ones a unit more if it does not divide); paid, it is owed to the
// pledges' accounts pro rata to the amounts pledged, by the largest
// remainder rule: each share is rounded down, and the units left go one
// each to the largest remainders, ties to the earlier pledge, so the
// shares add up to the instalment exactly. An instalment not paid in its
// period leaves the loan to be recorded as defaulted; a request not
// funded by its deadline lapses and costs nobody anything. The platform
// closes each period with the netting statement of its obligations, which
// every replay re-derives and checks.
//
// # What is guaranteed
//
// Borrowers, other lenders and anyone reading the ledger learn that some
// registered lender made each pledge, and from which account, not who: an
// account key is a pseudonym that the lender chooses (one for all its
// pledges nets best and links them to each other; one per pledge links
// nothing). The platform can open any pledge, and names a lender only with
// a [Disclosure] whose arsig opening proof every replay checks; it cannot
// make one that names anyone but the signer.
//
// The pool refuses, with errors wrapping the package's sentinels: any
// record of another pool, or for a period other than the open one; a
// pledge not ring-signed by a registered lender or not signed by its
// account key, replayed (the same signed message), moved to another loan
// or amount, beyond what the loan needs, from the borrower's own key, or to
// a loan not taking pledges; a repayment not signed by the borrower, of an
// instalment already paid (never counted twice), out of order, outside
// the period it is due, or of another amount; a default before an
// instalment's period is over or of a loan that paid; a disclosure whose
// opening does not prove its lender; a closing statement that is not the
// exact netting of the period's obligations over its calendar month; and
// any record already in the pool. Replaying a ledger applies the same
// checks to every record and verifies every signature.
//
// What is not guaranteed: the platform registers whom it likes and could
// register keys of its own; it could withhold records (nobody can append
// but through it); money moves outside the package, following the
// statements' transfers. The pool does not read the clock. A period's
// obligations add up to at most 2^63−1 minor units, the range of money, so
// that its netting can always be made, and have at most 124,275 parties,
// so that the statement closing it fits in a ledger record: a funding
// pledge or a repayment that would go past either is refused, so a party
// dealing in amounts near that range, or a lender pledging from a great
// many accounts, can crowd the others out of a period (bound the amounts
// and the pledges a deployment accepts well below it).
//
// # Records
//
// Every record uses the shared encoding of tickets/internal/wire with a
// ledger kind of 0x0F01 to 0x0F08; the closing statements are netting
// statements (netting.Kind). docs/spec/loans.md gives the layouts.
package loans
