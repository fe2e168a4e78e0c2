// Package toll is the AnonymousTollPass toll system (Kim, Lee, Yeun and
// Seo, "AnonymousTollPass: A Blockchain-Based Privacy-Preserving
// Electronic Toll Payment Model", CMC 79(3), 2024) on the generic one-use
// ticket of [github.com/ringtrace/ringtrace/tickets], with several toll
// operators that do not trust each other.
//
// Every role runs on its own: it is built from its own keys, the public
// records it has received (each verified, when applied, against the key
// that must have signed it) and its stores, and it talks to the others
// only by records' bytes. Most users need [OpenOperator] for a toll
// operator, [OpenPlaza] for each plaza, [NewVehicle] for an on-board unit
// and [OpenAuthority] for the registration authority, with one spent store
// ([trs.Store]) and one [tickets.UsedSet] shared by every exit.
//
// # Roles
//
//   - The registration authority ([Authority]) certifies that a vehicle ID
//     belongs to the holder of an ECDSA key.
//   - An operator ([Operator], the paper's toll service provider) registers
//     its plazas, publishes its fare table, sells tickets (a ring of
//     one-time keys per sale, through [tickets.Issuer]) to registered
//     vehicles, and settles. Operators that interoperate (each other's
//     [Config.Partners]) accept each other's tickets on their roads.
//   - A plaza ([Plaza]) signs entry proofs and checks tickets at exit
//     against its operator's records and the sales of its operator and the
//     partners; an accepted ticket is spent in the shared spent store and
//     becomes a signed usage request for settlement.
//   - A vehicle ([Vehicle]) orders tickets with fresh one-time keys, claims
//     its [Pass] from the published sale, and makes a [Trip] per journey.
//
// # A trip
//
// At entry the vehicle shows a commitment to a fresh secret ([Trip]) and
// gets the plaza's signed entry proof of (operator, plaza, time,
// commitment). At exit it presents a ticket: a traceable ring signature
// under its sale's tag over (entry proof, secret, exit plaza). The exit
// plaza checks, cheapest first: that the ticket names this plaza
// ([ErrWrongPlaza]) and that both plazas are registered by its operator
// ([ErrUnknownPlaza]); the entry proof's signature and that the secret
// opens its commitment ([ErrBadEntryProof]: an overheard proof is useless
// without the secret); the sale ([tickets.ErrUnknownSale]); the time
// bounds ([tickets.ErrExpired]: entry within the sale's validity, exit
// after entry and before the validity ends, the trip no longer than the
// fare table allows); the fare of the route in the table in force at entry
// ([ErrNoFare]), at most the ticket's price ([ErrFareExceedsPrice]); the
// ring signature ([tickets.ErrInvalidSignature]); then the shared stores.
// An entry proof pays for one ticket ([ErrEntryReused]): a ticket that
// presents a used one is checked against the spent store but not spent,
// so a double user is still revealed and a raced honest pass stays
// usable. A second ticket of one pass reveals its one-time key (a
// [*tickets.ReuseError], Revealed), which the operator that sold it maps
// to the buyer ([Operator.Reveal]); an identical replay is Linked.
//
// A trip stays on one operator's road: entry and exit plazas belong to the
// same operator, whose fare table applies, whoever sold the ticket.
//
// # Settlement
//
// Plazas file their usage requests with their operator; an operator also
// receives, from each partner, the requests of the partner's plazas for
// tickets this operator sold. [Operator.Settle] re-checks every request
// from public records (the plaza's signature and registration, the ticket,
// the fare) and pays it only if the exit's spend stands: a ticket names
// its exit plaza and every exit refuses tickets naming another, so "this
// exact ticket is in the spent store" means "that plaza's exit accepted
// it". A ticket any exit refused is not stored ([ErrNotSpent]) or is
// revealed by the spent one; either way it is not paid, whoever files it
// first. Each spent ticket is paid once. The result is a [Statement] per
// creditor, signed by the debtor: what the operator owes each of its
// plazas, and what it owes each partner for its tickets that the
// partner's exits accepted, at the partner's fares.
//
// # Rings over time
//
// A sale's ring is fixed when the operator signs it: RingSize orders of one
// price, each ticket anonymous among them. A vehicle that orders later
// waits for the next sale of its price, which has a new ring and so a new
// tag. An operator whose ring does not fill can sell the waiting orders as
// a smaller sale with [Operator.Flush], never below MinRingSize (see
// [tickets]); a vehicle learns the size of its ring from its pass's sale.
//
// # Keys and what stays private
//
// Each role keeps its own ECDSA key. The operator's purchase records link
// one-time keys to vehicles: a deployment that publishes its ledger keeps
// kind 0x0101 private. A vehicle's one-time keys (inside each [Pass]) and
// trip secrets never leave it before they are used; a Vehicle keeps them
// in memory. A plaza holds nothing secret but its key.
//
// # What is guaranteed
//
// A ticket shows only that one of its sale's buyers is exiting (anonymity
// among the ring, DDH), and tickets of different sales are unlinkable. Of
// concurrent presentations of one ticket at any plazas, exactly one is
// accepted, as atomic as the shared stores. Not guaranteed: privacy from
// timing, from the route itself, or from the operator's purchase records
// beyond the ring; protection against a spent store written by a party
// that does not follow the protocol (see [tickets]); that settlement pays
// the fare the exit saw: it pays the fare of the table it knows in force
// at entry, and an operator can still sign a table dated after its
// current one but before the present, repricing its unsettled trips since
// that date up to each ticket's price (docs/spec/toll.md).
//
// # Records and ledgers
//
// Every record is a canonical encoding with a strict parser, specified in
// docs/spec/toll.md in the repository, and every signed record is verified
// against the key that must have signed it when a role applies it, also
// when a role is rebuilt from its ledger: a ledger whose records do not
// verify is refused, even with its hash chain recomputed. Operators,
// plazas and the authority keep their state on a [ledger.Ledger] and
// rebuild it when opened; a settlement is one ledger entry, so a crash
// leaves it recorded whole or not at all.
package toll
