// Package payments is private payments with accountable disputes: a
// customer pays a merchant with an accountable ring signature under its
// payment processor's ring of funded customers, so the merchant learns only
// that a funded customer paid, never who; and the processor, as the
// signature's opener, can name the payer of a disputed payment with a proof
// that the merchant and the customer check.
//
// It follows the payments of the e-commerce seed paper ("Cyber Security
// Intelligence and Ethereum Blockchain Technology for E-commerce"), where a
// merchant receives the customer's ID, name, location and phone number with
// every payment; here it receives none of them. The ring signatures are
// package [github.com/ringtrace/ringtrace/arsig]'s.
//
// # Roles
//
// The roles run apart and exchange only records' bytes:
//
//   - The [Processor] holds an ECDSA key, which signs its [Roster]s of
//     funded customers and its [Disclosure]s, and an arsig opener key. It
//     enrolls customers ([Processor.Enroll]) and opens a disputed payment
//     ([Processor.Open]).
//   - A customer holds an arsig key, enrolled with [NewEnrollment], and
//     pays with [NewPayment] under the processor's latest roster.
//   - A [Merchant] holds the rosters, checks each payment from them alone
//     ([Merchant.Accept]) and accepts it once, in a
//     [github.com/ringtrace/ringtrace/tickets.UsedSet] shared by all its
//     tills.
//
// Most users need [NewPayment] on the customer's side, [Merchant] at the
// merchant and [Processor] at the processor.
//
// # Keys and what stays private
//
// The processor's ECDSA public key is what merchants and customers trust
// its rosters and disclosures by; publish it out of band. Its ledger is
// private: enrollments link keys to accounts. The opener key names the
// payer of every payment under the processor's rosters: keep it apart from
// the signing key. A customer's arsig key is its means of payment: whoever
// holds it pays in the customer's name. A merchant holds no secret.
//
// # What is guaranteed
//
// By arsig's anonymity (DDH), a merchant learns from a payment what it
// states — roster, merchant, amount, reference, time — and that a member of
// the roster's ring signed it; not which member, nor whether two payments
// have one payer: a payment carries a fresh random nonce and a freshly
// randomised signature. By arsig's traceability, every valid payment opens
// to one funded customer, whom the processor stands behind; by
// non-frameability, not even the processor can make a disclosure that names
// anyone else. A disclosure carries its payment and opens it alone.
//
// A merchant accepts a payment once: its [Payment.ID] (a digest of all but
// the ring signature, so a re-signed copy has the same ID) is used in the
// merchant's used set before it is accepted, and a payment is accepted only
// while its roster is valid, so the set may forget the ID after that.
//
// Not guaranteed: privacy from the processor. Its opener key decrypts any
// payment, and settling a payment (outside the package) means debiting its
// payer, which the processor learns as a card network learns its
// cardholders' purchases. What the package keeps to disputes is the proof:
// a disclosure, the only record that names a payer to anyone else, is
// signed, states its reason and is kept on the processor's ledger, so an
// auditor of the ledger sees every one. A roster of few members, or
// one made for a few customers only, hides little: a customer may check a
// roster's size ([Roster.Ring]) and should pay under the processor's
// latest. What a payment's reference or timing reveals is the
// application's.
//
// # Records
//
// Every record is a canonical encoding of tickets/internal/wire (kinds
// 0x0c81–0x0c84) with a strict parser; docs/spec/payments.md in the
// repository has the layouts and checks. Errors wrap [ErrMalformed],
// [ErrBadSignature], [ErrUnknown], [ErrRefused] or [ErrUsed].
//
// # Cost
//
// Paying costs an arsig signature over the roster's ring, accepting one an
// arsig verification; with 200 funded customers, a few milliseconds each.
package payments
