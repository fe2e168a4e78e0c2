// Package ringtrace is the root of a library of traceable and accountable
// ring signatures over ristretto255, and of the privacy-preserving payment
// systems built on them. This package holds only documentation; import the
// package for the job.
//
// # Which package
//
//   - [github.com/ringtrace/ringtrace/trs]: Fujisaki–Suzuki traceable ring
//     signatures (PKC 2007). A member of a ring signs anonymously; two
//     signatures by one member under one tag are linked, and on different
//     messages they reveal the member's key. Use it for one-use anonymous
//     credentials: tickets, votes, coupons. It includes a spent-signature
//     index that checks a new signature against every stored one in time
//     independent of how many are stored.
//   - [github.com/ringtrace/ringtrace/arsig]: Bootle et al. accountable ring
//     signatures (ESORICS 2015). A member signs anonymously for a ring; a
//     designated opener can name the signer with a proof anyone can check,
//     and cannot frame anyone else. Use it when abuse must be answerable:
//     anonymous usage that is billed later.
//   - [github.com/ringtrace/ringtrace/ecdsa]: canonical, domain-separated
//     ECDSA P-256 attestations (low-S, fixed 64-byte signatures) for the
//     records that need an ordinary signature: sales, entry proofs,
//     statements, invoices, receipts.
//   - [github.com/ringtrace/ringtrace/tickets]: the generic one-use
//     anonymous ticket on trs: an issuer sells a class of tickets in rings
//     of one-time keys (signed sales), a holder spends one anonymously
//     among its ring, a redeemer checks it against a spent store shared by
//     every redeemer, and a second use reveals the key, which the issuer
//     maps to the buyer. [github.com/ringtrace/ringtrace/tickets/toll] is
//     the AnonymousTollPass toll system on it (registration authority,
//     several operators, plazas, vehicles, settlement), every role running
//     apart and talking by records' bytes;
//     [github.com/ringtrace/ringtrace/tickets/billing] is enforced bill
//     collection on arsig (collector, edges, users, invoices a user checks
//     from public data, receipts, forfeitures).
//   - The further systems on those two:
//     [github.com/ringtrace/ringtrace/tickets/reviews] (verified anonymous
//     product reviews with accountable moderation) and
//     [github.com/ringtrace/ringtrace/tickets/payments] (private payments a
//     processor can open in a dispute);
//     [github.com/ringtrace/ringtrace/tickets/charging] (chargers that accept
//     anonymous metered usage offline and deliver it later) and
//     [github.com/ringtrace/ringtrace/tickets/credits] (prepaid device
//     credits); [github.com/ringtrace/ringtrace/tickets/netting]
//     (multilateral netting of what the systems' parties owe each other)
//     and [github.com/ringtrace/ringtrace/tickets/loans] (a crowd-loan pool
//     with accountable anonymous pledges).
//   - Storage: [github.com/ringtrace/ringtrace/tickets/ledger] is the
//     append-only hash-chained ledger every role keeps (memory, a
//     crash-safe file, signed checkpoints);
//     [github.com/ringtrace/ringtrace/tickets/postgres] keeps the spent
//     store, the used identifiers and the ledgers in PostgreSQL for roles on
//     many machines; [github.com/ringtrace/ringtrace/tickets/money] is
//     money.
//
// Every wire format and hash layout is specified in docs/spec/ in the
// repository.
//
// Most users want tickets/toll (for the toll system), tickets (to build
// another one-use ticket) or trs (for the primitive).
//
// # Security notes
//
// Every base point whose discrete logarithm must be unknown comes from the
// RFC 9380 hash-to-group; every Fiat–Shamir challenge binds the whole
// statement (domain, ring, message) and every prover commitment; nonces are
// hedged (derived from the secret key, fresh randomness and the statement),
// so a failing random source does not leak keys. Rings are canonical (sorted,
// without duplicates or the identity), which traceability depends on.
// Signing is constant time in the private key and the signer's position in
// the ring; each package documents which operations are constant time in
// which secrets. Randomness comes from crypto/rand; there is no io.Reader in
// the public API.
//
// Anonymity is only as good as the ring: a ring of one reveals its member,
// and an application that adds identifying data to the signed message
// defeats the signature.
//
// # Wire formats
//
// Every encoded object has a fixed or explicitly length-prefixed canonical
// form, and every parser is strict: it rejects wrong lengths, trailing bytes,
// non-canonical scalars and points, and identity keys, and accepted bytes
// re-encode identically. Domain separation tags carry a version
// ("ringtrace-v1-…") and application records carry a version field. Within a
// major version of this module, encodings and tags do not change; a change
// of any encoding or hash layout gets a new version label, and the old one
// keeps verifying for at least one major release. Known-answer vectors in
// each package's testdata freeze the current formats.
package ringtrace
