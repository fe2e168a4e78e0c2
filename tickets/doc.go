// Package tickets implements the AnonymousTollPass toll-ticket system
// (Kim, Lee, Yeun and Seo, "AnonymousTollPass: A Blockchain-Based
// Privacy-Preserving Electronic Toll Payment Model", CMC 79(3), 2024) on
// traceable ring signatures ([github.com/ringtrace/ringtrace/trs]), with the
// smart contracts of the paper replaced by an append-only, hash-chained
// ledger ([github.com/ringtrace/ringtrace/tickets/ledger]).
//
// # Roles
//
//   - The registration authority ([Authority]) certifies each vehicle's
//     ECDSA key ([VehicleRegistration]).
//   - The toll service provider ([Provider]) registers plazas
//     ([PlazaRegistration]), publishes the fare table ([FareTable]), sells
//     tickets and settles. A registered vehicle orders a ticket with a
//     fresh one-time TRS key ([PurchaseRequest]); when RingSize orders of
//     one price are waiting the provider publishes a signed [Sale] whose
//     ring is their keys. The order is the provider's private record of
//     which vehicle bought which key.
//   - A toll plaza ([Plaza]) signs an [EntryProof] over (plaza, time,
//     commitment) for a vehicle that shows a commitment to a fresh trip
//     secret ([Trip]), and at exit checks the [Ticket]: a TRS signature,
//     under the tag (sale, ring), over (sale, entry proof, trip secret, exit
//     plaza). An accepted ticket becomes a signed [UsageRequest].
//   - Settlement ([Provider.Settle]) verifies and traces usage requests in
//     batches, pays each fresh ticket's fare to its plaza once, and signs a
//     [PayoutStatement] per plaza.
//
// # What is guaranteed
//
// A ticket shows only that some buyer in its sale's ring is exiting: the
// exit plaza and the provider cannot tell which one (anonymity among
// RingSize purchases of the same price, under the DDH assumption), and
// tickets of different sales are unlinkable. A buyer who uses one pass
// twice signs two different messages under one tag, which reveals the
// pass's one-time key ([ReuseError], [Reveal]); the provider maps it to the
// buyer through the purchase records. An identical replay is linked and
// refused. The spent index is shared by all exit plazas and atomic: of
// concurrent presentations of one pass, exactly one is accepted.
//
// An entry proof binds the commitment SHA-256(lp("ringtrace-v1-toll-trip")
// || secret) and the ticket reveals the secret, so a proof overheard at the
// entry lane cannot be used by another vehicle ([ErrBadEntryProof]); once
// presented with a valid ticket, its secret is public and the proof is
// spent ([ErrEntryReused]).
//
// A ticket is a prepaid fixed-price pass: the fare for its (entry, exit)
// route, in the fare table in force when it entered (at the exit and in
// settlement alike), must not exceed the sale price, the entry must lie
// within the sale's validity, the exit after the entry, before the
// validity ends and within Config.MaxTrip.
//
// # Records
//
// Every record has a canonical encoding built with cryptobyte that starts
// with a version byte (1) and a record-type byte, and a strict parser that
// rejects wrong lengths, trailing bytes, non-canonical keys, rings and
// signatures, and out-of-range values; accepted bytes re-encode
// identically. Each record type's documentation gives its layout. Signed
// records carry a 64-byte ECDSA P-256 signature over everything before it,
// under a context of its own ("ringtrace/toll/<record>/v1"). Money is
// [money.Amount]: integer minor units and a currency code.
//
// # Ledger
//
// The provider appends every state change to its ledger before applying
// it (kinds [KindPlaza] to [KindSettlement]) and [OpenProvider] rebuilds
// the state by replaying it. Purchase records and reveals name vehicles:
// a deployment that publishes its ledger must keep those kinds private.
// The exit spent index is a [SpentStore] on the same ledger, durable per
// ticket; a settlement batch is one ledger entry.
package tickets
