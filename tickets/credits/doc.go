// Package credits is prepaid device credits on the generic one-use ticket
// of package [github.com/ringtrace/ringtrace/tickets]: a device buys
// credits of a fixed value from an issuer and spends each one, anonymously
// among the buyers of its sale, at any participating machine — a vending
// machine, a parking meter, a charger. A credit is good once; a device that
// spends one twice is revealed, and the issuer names the buyer.
//
// # Roles
//
// The roles run apart and talk only through records' bytes:
//
//   - The issuer is a [tickets.Issuer] selling one [tickets.Class]: the
//     credit's label and value. A device buys each credit with a fresh
//     one-time TRS key; when a ring of buyers is complete the issuer signs
//     a [tickets.Sale], which every machine and buyer receives.
//   - A device spends a credit at a machine with [NewSpend]: a ticket of
//     the sale over a [Spend] that names the machine and the time, with a
//     random nonce.
//   - A [Machine] accepts credits of its class ([Machine.AddSale]) and
//     redeems them ([Machine.Redeem]) against one spent store (a trs.Store)
//     shared by every participating machine, each with its own
//     [tickets.Redeemer].
//
// Most users need [NewSpend] in the device and [NewMachine] and
// [Machine.Redeem] in the machine, with a spent store that every machine
// reaches: tickets.OpenSpentStore for one process, a database store for
// machines apart.
//
// # What is guaranteed
//
// A spend shows only that some buyer of its sale spent a credit at this
// machine at this time: the machine, the other machines and the issuer
// cannot tell which buyer (tickets' anonymity), and spends of different
// credits are unlinkable. A credit spent once is spent for every machine
// on the store. A second spend of it anywhere carries another nonce, so the
// store reveals the credit's one-time key ([tickets.ReuseError], Revealed)
// and the issuer maps it to the buyer ([tickets.Issuer.Buyer]); a copy of
// the spend itself is refused as a replay (Linked) and reveals nothing. A
// machine refuses a spend made for another machine, or whose time is more
// than [MaxSkew] from its clock, before it touches the store, so a spend
// handed on to another machine is worth nothing there and leaves the
// credit as it was. A machine refuses sales of another class.
//
// Not guaranteed: that the device gets what it paid for (the machine's
// business), nor anonymity against a message the application adds, against
// the time of a spend, or against an issuer that sells small rings.
// Settling with the machines is the application's: an issuer pays each
// machine once per [tickets.Accepted.ID] it redeemed.
//
// # Records and errors
//
// A spend has a canonical encoding with a strict parser, specified in
// docs/spec/credits.md in the repository. Errors wrap [ErrMalformed] or
// [ErrRefused], and the tickets error that says why a credit was refused
// (tickets.ErrUnknownSale, ErrExpired, ErrInvalidSignature, ErrReused).
//
// # Cost
//
// Redeeming a credit costs one TRS verification, linear in the sale's ring
// size, and one check-and-add on the spent store.
package credits
