// Package tickets is the generic one-use anonymous ticket, on traceable
// ring signatures ([github.com/ringtrace/ringtrace/trs]): an issuer sells
// tickets of a class in rings of one-time keys, a holder spends a ticket
// anonymously among its ring, and a second use reveals the holder's
// one-time key, which the issuer maps to the buyer. Toll passes
// ([github.com/ringtrace/ringtrace/tickets/toll]), review rights and
// prepaid credits are all this ticket with an application message.
//
// Most users need an [Issuer] (the seller), [NewTicket] (the holder) and a
// [Redeemer] (whoever accepts tickets), with one [trs.Store] of spent
// tickets shared by every redeemer that must accept a ticket once:
// [trs.NewMemoryStore] in one process, [OpenSpentStore] on a ledger, or a
// database store.
//
// # Flow
//
//   - A buyer makes a fresh one-time key ([trs.GenerateKey]) per ticket and
//     buys a ticket of a [Class] (a label and a price) with its public key.
//     The application authenticates the buyer and passes [Issuer.Purchase]
//     its own record of who bought (for toll, the vehicle's signed order).
//   - When [Policy.RingSize] purchases of one class are waiting, the issuer
//     signs a [Sale]: issuer key, number, class, ring of the buyers' keys,
//     validity. Everybody may see it; it says who bought only as "one of
//     these N".
//   - A ticket ([NewTicket]) is a TRS signature under the sale's tag over an
//     application message: the message says what the ticket is used for
//     (a trip, a review, a purchase at a machine). The tag's issue string
//     binds the issuer's key, the sale's [SaleID] and its class, and the
//     tag binds the ring, so a ticket is good for exactly one sale.
//   - A [Redeemer] applies the sales it receives, each verified against its
//     issuer's key, from the issuers it trusts. [Redeemer.Redeem] checks the
//     sale, the validity window, the ring signature and the spent store,
//     and spends the ticket atomically: accepted, or a [*ReuseError] that
//     says Linked (an identical copy was spent: a replay) or Revealed (the
//     same one-time key spent a different ticket: slot and key).
//   - The issuer maps a revealed key to its buyer with [Issuer.Buyer].
//
// An application that must check something of its own between verifying a
// ticket and spending it uses [Redeemer.Accept], then [Redeemer.Spend] or,
// to refuse a ticket without spending it while still learning whether it
// reveals a key, [Redeemer.Check]. Check also answers "was exactly this
// ticket spent?" (Linked), which is how a settlement can pay only what was
// really accepted.
//
// # Guarantees
//
// A ticket shows only that some buyer in its sale's ring signed it: under
// the DDH assumption the redeemer cannot tell which one, and tickets of
// different sales are unlinkable. Nobody outside the ring can make a
// ticket of the sale. A buyer who signs two tickets of one sale on
// different messages is revealed by the second one that reaches the spent
// store; an identical copy is linked; of concurrent presentations of one
// ticket, exactly one is accepted, as atomic as the store.
//
// Not guaranteed: anonymity against the issuer's purchase records beyond
// the ring (the issuer knows the N buyers of a sale), against timing (a
// sale is sold to the buyers who were waiting), or against a message that
// identifies its signer. A reveal from the spent store is as trustworthy
// as the store's writers, which are the redeemers: keep both tickets to
// show a third party ([trs.Trace]).
//
// # Ring membership over time
//
// A sale's ring never changes. A new buyer does not join an old ring; it
// waits for the next sale of its class, which has a new ring and so a new
// tag. Each ring is the anonymity set of its tickets, so the issuer should
// choose [Policy.RingSize] for the anonymity it promises (the toll paper
// uses 50).
//
// A class whose ring does not fill leaves its buyers waiting. [Issuer.Flush]
// sells the waiting purchases of a class as a smaller sale, but only when
// at least [Policy.MinRingSize] are waiting: a ring of two tells a redeemer
// that the holder is one of two buyers, and a ring of one names the buyer.
// An issuer that flushes on a schedule (say, at the end of each day) bounds
// the wait; its buyers can read the ring size from the sale and decide
// whether to use its tickets.
//
// # Keys and what stays private
//
// The issuer's ECDSA key signs sales and its private purchase records; its
// public key is what redeemers trust. The purchase records are the only
// link from a ring key to a buyer: a deployment that publishes its ledger
// must keep the purchase kind (0x0101) private. A holder's one-time TRS
// private key is the ticket; it never leaves the holder.
//
// # Records and storage
//
// Every record is a canonical encoding with a strict parser; signed records
// end in an ECDSA P-256 signature and are verified when a role applies
// them. The layouts, the tag and the identifiers are specified in
// docs/spec/tickets.md in the repository. [OpenIssuer], [OpenSpentStore]
// and [OpenUsedSet] keep their state on a [ledger.Ledger] and rebuild it
// when opened, verifying every signed record; they may share one ledger
// with each other and with other packages' records.
package tickets
