// Package billing is enforced bill collection with anonymous usage: users
// sign each use of a service anonymously, a bill collector opens the
// signatures into invoices the users check line by line with public data,
// paid invoices get signed receipts, and an invoice left unpaid after its
// due date is taken from the user's deposit with the openings as public
// evidence.
//
// It follows Pooja L and Madhuri J, "Blockchain based Privacy Preserving
// Enforced Bill Collection System using Smart Contract" (IJIRCCE 10(6),
// 2022), on the accountable ring signatures of Bootle et al. (ESORICS 2015),
// package [github.com/ringtrace/ringtrace/arsig]. The paper's smart contract
// becomes the collector's [Book] on a
// [github.com/ringtrace/ringtrace/tickets/ledger].
//
// # Roles
//
// The roles run apart and talk only through records' bytes:
//
//   - The [Collector] holds an ECDSA key, which signs the system's
//     [Parameters], each period's descriptor ([Period]), [Invoice]s,
//     [Receipt]s and [Forfeiture]s, and the arsig opener key, which names the
//     signer of any usage record. Its Book is the one place holding the
//     whole state.
//   - A user (a person, a car, a device) holds an arsig key. With the
//     parameters it registers and locks a deposit ([NewRegistration]); with a
//     period's descriptor it signs [Usage] ([NewUsage]) and checks its
//     invoices ([Invoice.Check]); it files a [Dispute] for a line that does
//     not verify and a [Refund] to leave.
//   - An [Edge] (a service front end, a charger, a meter) accepts usage from
//     the period's descriptor alone, offline if need be, and delivers the
//     bytes to the collector ([Collector.Collect]) later; a record delivered
//     twice, or by two edges, is billed once.
//   - Anyone with the collector's public key checks invoices and
//     forfeitures against a descriptor ([Forfeiture.Check]), and an auditor
//     with the ledger rebuilds the whole book ([Open]).
//
// Most users need [NewUsage] and [Invoice.Check] on the user's side,
// [NewEdge] and [Edge.Accept] at the edge, and [NewCollector] and its
// methods at the collector.
//
// # Keys and what each role keeps private
//
// The collector's ECDSA public key is the system's trust anchor: publish it
// out of band; every collector record is parsed against it (ParsePeriod,
// ParseInvoice, …). The opener key is the collector's most sensitive
// secret: whoever holds it can name the signer of every usage record, past
// and future, so keep it apart from the signing key and from the edges, and
// never hand it to a provider. The ECDSA key lets its holder issue invoices
// and descriptors in the collector's name. Each user's arsig private key
// stays with the user: with it anyone can sign usage billed to that user.
// An edge holds no key.
//
// A period's ring is every registered key with a whole deposit when the
// period opens; a key registered later joins the next period's ring, and a
// key whose deposit is refunded or cut by a forfeiture leaves it. A user may check the ring's size,
// its anonymity set, before signing ([Period.Ring]).
//
// # What is guaranteed
//
// By arsig's anonymity, an edge, the provider and anyone without the opener
// key learn from a usage record what it states — edge, amount, time,
// detail — and that a member of the period's ring signed it; not which
// member, nor whether two records have one signer. Records name their
// period by a digest of the descriptor's signed body, so every copy of a
// descriptor gives the same records.
//
// By arsig's traceability and non-frameability, every accepted record opens
// to exactly one member, and not even the collector can make an opening
// that names anyone else. Every invoice line carries the usage record and
// its opening, so a user checks with public data that each line is really
// theirs; the book accepts a dispute only if the line indeed fails, strikes
// it, and bills the record again to its real signer. A forfeiture carries
// fresh openings of the invoice's owed lines; the book checks them before
// taking anything, and they name only the forfeiting user's records.
//
// The book refuses, among others: a registration without a proof by the
// key's holder, or twice, or below the deposit; an invoice not signed by the
// collector, for a key outside the period's ring, for records of another
// period or already billed, or with a wrong total; a second payment; a
// forfeiture before the due date, of a settled invoice, twice, or of
// anything but the owed amount capped by the deposit; a refund not proved by
// the key's holder, of anything but the whole remaining deposit, or while it
// secures unsettled usage. [Open] verifies every record of a ledger against
// the key that must have signed it, so a ledger rewritten with its chain
// recomputed by anyone without the collector's keys does not open. Retrying
// a record already on the book changes nothing.
//
// The book does not check an invoice's openings when it is issued: that is
// each user's check, and forfeiture is where the book checks them itself.
// Records of a period are refused once it is closed, so a deployment with
// edges that deliver late closes a period only once they have delivered.
// Payments themselves are outside the package: [Collector.Pay] records one
// and signs its receipt.
//
// What the book cannot do. It has no clock: the times in records are the
// collector's word, so a forfeiture dated after the due date is accepted
// whenever it is appended. It has one writer, the collector, which can
// leave out any record a user files, a valid dispute among them; the
// invoice then stays owed and the deposit locked, but it cannot be
// forfeited, since no opening of the disputed line verifies for the user.
// The collector, holding its keys, can rewrite and re-sign its own records
// and recompute the chain; what holds it to them is what others keep: a
// user's receipts and a ledger checkpoint (tickets/ledger) held outside.
// A forfeiture takes at most what is left of the deposit and settles the
// invoice, so usage beyond the deposit is not enforced: choose the deposit,
// or cap what edges accept, to cover a period's usage. The book does not
// know who signed a record until it is invoiced, so a refund waits until
// every record of every period the key was in is billed, anyone's.
//
// # Records and errors
//
// Every record is an immutable value with Bytes and a strict parser; the
// wire formats, hash layouts and signature contexts are specified in
// docs/spec/billing.md in the repository. Errors wrap one of a few
// sentinels ([ErrMalformed], [ErrBadSignature], [ErrInvalidLine],
// [ErrPeriod], [ErrRefused]) and the underlying arsig, ecdsa or money error.
//
// # Cost
//
// Signing and verifying a usage record cost time linear in the ring size N
// (arsig: about a dozen microseconds per member to verify); opening costs a
// verification plus a constant. [Collector.Collect] and
// [Edge.AcceptBatch] verify records in batches with arsig.VerifyBatch, [Collector.DraftInvoices] opens records on
// runtime.GOMAXPROCS(0) goroutines, and Open verifies usage in batches.
package billing
