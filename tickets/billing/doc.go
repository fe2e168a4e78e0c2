// Package billing is enforced bill collection with anonymous usage: users
// sign each use of a service anonymously, a bill collector opens the
// signatures into invoices the users can verify line by line, paid invoices
// get signed receipts, and an invoice left unpaid after its due date is
// taken from the user's deposit with the openings as public evidence.
//
// It follows Pooja L and Madhuri J, "Blockchain based Privacy Preserving
// Enforced Bill Collection System using Smart Contract" (IJIRCCE 10(6),
// 2022), which extends Isshiki et al.'s group-signature billing with the
// accountable ring signatures of Bootle et al. (ESORICS 2015), package
// [github.com/ringtrace/ringtrace/arsig]. The paper's smart contract becomes
// a [Book]: the billing state kept on an append-only, hash-chained
// [github.com/ringtrace/ringtrace/tickets/ledger], in memory or in a
// crash-safe file.
//
// # Roles
//
//   - The [Collector] holds the arsig opener key and an ECDSA key. It writes
//     the [Parameters], opens and closes periods, opens usage into
//     [Invoice]s, signs [Receipt]s and enforces [Forfeiture]s.
//   - Each [User] registers an arsig public key and locks a deposit
//     ([Registration]), signs [Usage] records, checks invoices and files
//     [Dispute]s.
//   - The [Provider] accepts usage records, verifying them in batches with
//     arsig.VerifyBatch. It holds no key and learns only that a member of
//     the period's ring signed.
//
// # What is guaranteed
//
// A period's ring is the canonical ring of every registered key with a full
// deposit when the period opens ([PeriodOpen] records its size and digest,
// and every usage record repeats the digest). Within it, by arsig's
// anonymity, the provider and anyone without the opener key cannot tell
// which member signed a record, nor whether two records have the same
// signer; the records themselves carry no identifier but the ring signature
// and a fresh random nonce. What a record states — service, amount, time —
// is of course visible.
//
// By arsig's traceability and non-frameability, every accepted record opens
// to exactly one member, and not even the collector can produce an opening
// that names anyone else. So each invoice line carries the opening, and the
// user checks it with arsig.VerifyOpening against public data
// ([User.CheckInvoice], [Book.VerifyLine]): the seed paper names "the user
// cannot verify the invoice" as the flaw of earlier systems. A line that does
// not verify — a record the user did not sign, an opening moved from another
// line — can be disputed by anyone; the book accepts the [Dispute] only if
// the line indeed fails, strikes it, and the record can be billed again to
// its real signer.
//
// A forfeiture carries fresh openings of the invoice's owed lines; the book
// checks them before taking anything, and anyone can re-check them with
// [Book.VerifyForfeiture]. They name only the forfeiting user's records.
//
// The book refuses, among others: any record before the parameters; a
// registration without a proof that the registrant holds the key's private
// key; a second registration of a key; an invoice for a key outside the
// period's ring, for records of another period or already billed, or with a
// wrong total or collector signature; a second payment; a forfeiture before
// the due date, of a paid invoice, twice, or of anything but the owed amount
// capped by the deposit; a refund not proved by the key's holder, of
// anything but the whole remaining deposit, or while the deposit still
// secures unsettled usage. Appending the exact bytes of a record already on
// the ledger is an idempotent retry.
//
// The book checks an invoice's bookkeeping but not its openings when the
// invoice is issued: that is each user's check (as it would be too costly
// for a contract), and forfeiture is where the book checks them itself.
//
// # Records
//
// Every record is encoded as a version byte ([Version]), a [RecordType]
// byte, then fixed-size or length-prefixed fields (golang.org/x/crypto/
// cryptobyte), as documented on each type; it is appended with ledger kind
// [KindBase] + type. Parsers are strict: they reject other versions and
// types, truncation, trailing bytes, and non-canonical keys, signatures,
// openings and amounts (through arsig's, ecdsa's and money's own parsers),
// and whatever they accept re-encodes identically. Money is an exact
// integer of minor units with a currency ([github.com/ringtrace/ringtrace/tickets/money]);
// times are seconds since the Unix epoch. Collector signatures use the
// ecdsa contexts [InvoiceContext] and [ReceiptContext].
//
// # Cost
//
// Signing and verifying a usage record cost time linear in the ring size N
// (arsig: about a dozen microseconds per member to verify); opening costs a
// verification plus a constant. [Collector.DraftInvoices] opens a period's
// records on runtime.GOMAXPROCS(0) workers, and [Open] replays a ledger
// checking usage signatures in batches.
package billing
