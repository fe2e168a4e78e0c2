package billing

import "errors"

// Errors returned by this package wrap one of these sentinels; the message
// says the rest. Where the cause is another package's (arsig, ecdsa, money,
// ledger), errors.Is finds that package's sentinel too.
var (
	// ErrMalformed is wrapped by every error about bytes that are not a
	// canonical record — wrong kind or version, wrong lengths, trailing
	// bytes, non-canonical keys, signatures, amounts or times, out-of-range
	// fields — and about nil or zero-value arguments.
	ErrMalformed = errors.New("billing: malformed record")

	// ErrBadSignature is wrapped when a signed record is not signed by the
	// key that must have signed it: a collector's ECDSA signature, a usage
	// record's ring signature, the proof of a key's holder on a
	// registration or refund.
	ErrBadSignature = errors.New("billing: signature does not verify")

	// ErrInvalidLine is wrapped by the error of an invoice line, or of a
	// forfeiture's evidence, whose opening does not prove that the invoiced
	// user signed the line's usage record.
	ErrInvalidLine = errors.New("billing: invoice line does not verify")

	// ErrPeriod is wrapped when a record does not fit the period it names:
	// unknown, not open, not closed, outside its window, another descriptor,
	// another currency, another edge, or a key outside the period's ring.
	ErrPeriod = errors.New("billing: record does not fit the period")

	// ErrRefused is wrapped when a well-formed, correctly signed record
	// conflicts with the collector's book: a key registered twice, a
	// deposit too small, still locked or not matching, an invoice already
	// paid or enforced, a payment of the wrong amount, a forfeiture before
	// the due date, a dispute of a line that verifies, and so on.
	ErrRefused = errors.New("billing: refused by the book")
)
