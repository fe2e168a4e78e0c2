// Package charging is metered machine-to-machine payment at the edge: a car
// pays a charger for energy with an anonymous usage record of
// [github.com/ringtrace/ringtrace/tickets/billing], which the charger
// checks from the period's public descriptor alone, offline if need be,
// queues on its own ledger, and delivers to the bill collector when it is
// online. The collector opens the records into invoices as for any billing
// usage. Prepaid credits, the other way a device pays a machine, are
// package [github.com/ringtrace/ringtrace/tickets/credits].
//
// # Roles
//
// The roles run apart and talk only through records' bytes:
//
//   - A car is a billing user: an arsig key registered with the collector
//     and a deposit. At the end of a session it signs a [Session]
//     ([NewSession]) under the period's descriptor: the charger, the energy
//     in Wh, the rate per kWh, the price ([Price]), the time, a random
//     nonce. It checks its invoices with billing's [billing.Invoice.Check];
//     [SessionOf] reads an invoice line as a session.
//   - A [Charger] holds no key: the descriptors it was given
//     ([Charger.AddPeriod]), the collector's public key, its rate and its
//     ledger. It accepts sessions ([Charger.Accept], [Charger.AcceptBatch])
//     and delivers its queue ([Charger.Deliver]) to the collector's
//     [billing.Collector.Collect].
//   - The collector is billing's [billing.Collector]; nothing changes for it.
//
// Most users need [NewSession] in the car, and [OpenCharger],
// [Charger.Accept] and [Charger.Deliver] in the charger.
//
// # What is guaranteed
//
// A session says what billing's usage records say, and no more: by arsig's
// anonymity a charger learns the energy, the price and the time, and that
// a member of the period's ring signed, not which one, nor whether two
// sessions have one signer. Only the collector's opener key names the car.
//
// A charger cannot change a session: the car's ring signature covers the
// charger, the energy, the rate, the amount and the time, so a record
// changed after signing fails at the collector (and at every charger). It
// cannot make up one: without the key of a ring member no record verifies
// under the period's ring, and a descriptor not signed by the collector is
// refused by chargers and names no period at the collector.
//
// A charger refuses a session it has already accepted ([ErrReplayed]),
// across restarts. A session accepted is on the charger's ledger before
// Accept returns, and stays queued until the collector has answered for it:
// the queue survives a crash. Delivery is idempotent: the collector bills
// each record once by its [billing.Usage.ID], however often and by however
// many chargers it is delivered (chargers of one station may share an
// identifier), and every record it bills is invoiced to the car that signed
// it.
//
// A charger checks the session's time against its clock ([MaxSkew]), so a
// car cannot pay with a record of a period that has closed. It does not
// check the energy against its meter: the application compares
// [Session.Energy] with what it delivered before it lets the car go. The
// collector refuses records of a closed period, so a deployment closes a
// period only after its chargers have delivered.
//
// A signed session is a bill whoever delivers it: the collector bills any
// valid record of an open period, and does not know whether a charger
// refused it (for its rate, or its clock). So a car that must pay again
// after a refusal or a lost answer sends the same session again rather
// than signing a new one — a charger that took the first answers
// [ErrReplayed], and the car has paid once — and signs a new session only
// for a session the charger has not taken: one refused for its content
// (the charger named, the rate, the time) can still be billed if the
// charger delivers it anyway, which an honest charger does not.
//
// # Records and errors
//
// A session is a billing usage record whose detail is this package's
// session detail. The detail and the entries of a charger's ledger have
// canonical encodings with strict parsers, specified in
// docs/spec/charging.md in the repository. Errors wrap [ErrMalformed],
// [ErrRefused], [ErrUnknownPeriod] or [ErrReplayed], and billing's error
// where billing refused the record.
//
// # Cost
//
// Accepting a session costs one arsig verification (linear in the ring
// size) and one ledger append. [Charger.AcceptBatch] and [OpenCharger]
// verify many records with one arsig.VerifyBatch per period, which costs
// about one verification plus a small constant per record.
package charging
