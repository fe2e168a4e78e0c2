// Package reviews is verified anonymous product reviews with accountable
// moderation: every purchase of a product gives its buyer the right to
// review it once; anyone can check that a review was written by a buyer of
// the product, and nobody, not even the shop, can tell which buyer; and an
// abusive review can be opened by a moderator, with a proof anyone checks,
// to name its author.
//
// It follows the e-commerce system of the seed paper "Cyber Security
// Intelligence and Ethereum Blockchain Technology for E-commerce", with its
// smart contract replaced by a [Board] on a ledger
// ([github.com/ringtrace/ringtrace/tickets/ledger]). A review right is the
// generic one-use ticket of package [github.com/ringtrace/ringtrace/tickets]
// (traceable ring signatures, package trs); the author signature is an
// accountable ring signature (package arsig).
//
// # Roles
//
// The roles run apart and exchange only records' bytes:
//
//   - The [Shop] holds an ECDSA key. It sells products ([Shop.Sell]), each
//     a [tickets.Class], as the [tickets.Issuer] of their review rights:
//     every purchase adds the buyer's one-time key to the product's next
//     ring, and a full ring is published as a signed [tickets.Sale]. It also
//     signs the [Roster] of its customers' long-term keys.
//   - A customer holds a long-term arsig key. It orders with [NewOrder],
//     which makes the purchase's one-time key (the right), and writes a
//     [Review] with [NewReview] once the right's sale is published.
//   - The moderator holds an arsig opener key, named by every roster. It
//     opens an abusive review with [NewDisclosure].
//   - Anyone runs a [Board] from the shop's public records: the shop runs
//     the one reviews are posted to ([Board.Post]), and a copy of its
//     ledger rebuilds it elsewhere ([OpenBoard]), verifying every record.
//
// Most users need [NewOrder] and [NewReview] on the customer's side,
// [Shop] at the shop, [Board] to post and read reviews, and
// [NewDisclosure] at the moderator.
//
// # Keys and what stays private
//
// The shop's ECDSA public key is what everyone trusts its sales and rosters
// by; publish it out of band. The shop's ledger is private: its orders and
// purchase records link each right to its buyer ([Shop.Buyer]); the board's
// ledger is public, and refuses private records. A right's private key is
// the buyer's, used for one review; a customer's long-term key signs every
// review the customer writes, and whoever holds it can write reviews the
// moderator would open to that customer. The moderator's opener key can
// name the author of every review under the rosters that name it: keep it
// away from the shop. A buyer checks that a roster's opener ([Roster.Opener])
// is the moderator it trusts before signing under it; a board accepts
// rosters for its own moderator only.
//
// # What is guaranteed
//
// A review shows that one of its sale's buyers wrote it (the ticket, among
// the sale's ring of N) and that one of the roster's customers signed it
// (the author signature, encrypted to the moderator). Under DDH, the shop
// and every reader learn no more about which buyer: the review's bytes
// depend on its content and its sale and roster, and otherwise only on the
// two ring signatures. Reviews of different purchases, by one customer or
// not, are unlinkable: their rights are different one-time keys and their
// author signatures are independently randomised.
//
// A right reviews once: the board spends its ticket in a spent store, so a
// second, different review with the same right is refused and reveals the
// right's key ([tickets.ReuseError], kind Revealed), which the shop maps to
// the order that bought it ([Shop.Buyer]); the same review again is
// refused as Linked. Two different reviews of one right reveal it to
// whoever holds both, posted or not, so a buyer never writes a second
// review of a right, and sends the same review again when it must resend.
// The author signature signs the roster's ID and the
// whole ticket, so it cannot be moved to another review, nor a ticket to
// another author signature (a second use of one ticket is a replay).
//
// A [Disclosure] carries an arsig opening, which only the opener key can
// make and which cannot name anyone but the author; it names the author of
// its review and of no other. Opening a review does tell the shop, which
// knows who bought in each sale, which right wrote it, and so that the
// sale's other reviews were written by the other buyers.
//
// A board accepts each roster only after the latest it applied, listing
// every customer of that one, so a shop cannot publish a roster of the few
// customers it wants to tell apart; a buyer signs under the board's latest
// roster.
//
// Not guaranteed: anonymity against what a review's text, time or posting
// channel reveals; against a shop that fills a ring or its roster with
// keys of its own (a ring of 50 with one real buyer names that buyer; a
// buyer may check sizes, not who the other members are); and
// accountability of a customer who gives away a right or a long-term key. A review intercepted before it is posted could
// be re-signed by another customer, who then answers for it: send reviews
// to the board over an authenticated, confidential channel.
//
// # Records
//
// Every record is a canonical encoding of tickets/internal/wire (kinds
// 0x0c01–0x0c05) with a strict parser; docs/spec/reviews.md in the
// repository has the layouts, the signatures' messages and the checks.
// Errors wrap [ErrMalformed], [ErrBadSignature], [ErrUnknown] or
// [ErrRefused], or are package tickets' [tickets.ErrReused].
//
// # Cost
//
// Writing a review costs a TRS signature over the sale's ring and an arsig
// signature over the roster's; posting one a verification of each. With
// N = 50 buyers per sale, either is a few milliseconds. [OpenBoard]
// verifies the tickets on every core and the author signatures in one
// arsig batch, in which the reviews under one roster share its ring.
package reviews
