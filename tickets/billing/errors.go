package billing

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these where a
// caller may branch on the reason; the message says the rest.
var (
	// ErrMalformed is wrapped by every parser error: wrong version or
	// record type, wrong lengths, trailing bytes, non-canonical keys,
	// amounts or signatures.
	ErrMalformed = errors.New("billing: malformed record")

	// ErrNotSetUp is returned for any record before the Parameters record,
	// and ErrAlreadySetUp for a second Parameters record.
	ErrNotSetUp     = errors.New("billing: no parameters on the ledger")
	ErrAlreadySetUp = errors.New("billing: parameters already on the ledger")

	// ErrUnregistered is returned for a key that has no active registration
	// (or is not a member of the period's ring).
	ErrUnregistered = errors.New("billing: key is not registered")
	// ErrAlreadyRegistered is returned for a second registration of a key.
	ErrAlreadyRegistered = errors.New("billing: key already registered")
	// ErrInvalidProof is returned for a registration or refund whose proof
	// does not verify: it was not made with the key's private key, on this
	// record and these parameters.
	ErrInvalidProof = errors.New("billing: proof of the key's holder does not verify")
	// ErrDepositTooSmall is returned for a registration whose deposit is
	// below the required one.
	ErrDepositTooSmall = errors.New("billing: deposit below the required amount")
	// ErrDepositLocked is returned for a refund while the deposit still
	// secures usage that is not settled.
	ErrDepositLocked = errors.New("billing: deposit still secures unsettled usage")
	// ErrExceedsDeposit is returned for a refund or forfeiture of anything
	// other than what remains of the deposit (or the owed part of it).
	ErrExceedsDeposit = errors.New("billing: amount does not match the deposit")

	// ErrPeriod is returned for a record that does not fit the period it
	// names: unknown, not open, not closed, outside its time window, or
	// naming another ring.
	ErrPeriod = errors.New("billing: record does not fit the period")

	// ErrDuplicateUsage is returned for a usage record whose signed message
	// is already on the ledger.
	ErrDuplicateUsage = errors.New("billing: usage already accepted")
	// ErrInvalidUsage is returned for a usage record whose ring signature
	// does not verify.
	ErrInvalidUsage = errors.New("billing: usage signature does not verify")

	// ErrInvalidInvoice is returned for an invoice that does not fit the
	// ledger: unknown or already billed records, a wrong total, a bad
	// collector signature.
	ErrInvalidInvoice = errors.New("billing: invalid invoice")
	// ErrUnknownInvoice is returned for a record naming an invoice that is
	// not on the ledger.
	ErrUnknownInvoice = errors.New("billing: unknown invoice")
	// ErrInvalidLine is wrapped by the error of an invoice line whose
	// opening does not prove that the invoiced user signed the record.
	ErrInvalidLine = errors.New("billing: invoice line does not verify")

	// ErrDisputeRejected is returned for a dispute of a line that verifies.
	ErrDisputeRejected = errors.New("billing: disputed line verifies")
	// ErrAlreadyDisputed is returned for a dispute of a struck line.
	ErrAlreadyDisputed = errors.New("billing: line already struck")

	// ErrAlreadyPaid is returned for a payment or a forfeiture of a paid
	// invoice.
	ErrAlreadyPaid = errors.New("billing: invoice already paid")
	// ErrAlreadyForfeited is returned for a payment, dispute or second
	// forfeiture of a forfeited invoice.
	ErrAlreadyForfeited = errors.New("billing: invoice already enforced")
	// ErrSettled is returned for a record about an invoice that owes
	// nothing any more (every line struck).
	ErrSettled = errors.New("billing: invoice owes nothing")
	// ErrWrongAmount is returned for a payment of anything but the owed
	// amount.
	ErrWrongAmount = errors.New("billing: amount differs from the amount owed")
	// ErrInvalidReceipt is returned for a receipt that is not the
	// collector's signature on the given invoice, amount and payer.
	ErrInvalidReceipt = errors.New("billing: invalid receipt")

	// ErrNotDue is returned for a forfeiture at or before the due date.
	ErrNotDue = errors.New("billing: invoice not yet due")
	// ErrInvalidEvidence is returned for a forfeiture whose evidence does
	// not match the owed lines of the invoice or does not verify.
	ErrInvalidEvidence = errors.New("billing: invalid forfeiture evidence")
)
