package payments

import "github.com/ringtrace/ringtrace/tickets/ledger"

// Record kinds of this package (docs/spec/payments.md): the kind in every
// record's header and, for records kept on a ledger, the entry kind. The
// package owns 0x0c80–0x0cff of the shop's range; package reviews owns the
// rest.
const (
	kindEnrollment ledger.Kind = 0x0c81 // Enrollment (wire; the processor's private ledger)
	kindRoster     ledger.Kind = 0x0c82 // Roster (wire; the processor's ledger)
	kindPayment    ledger.Kind = 0x0c83 // Payment (wire only)
	kindDisclosure ledger.Kind = 0x0c84 // Disclosure (wire; the processor's ledger)

	kindFirst ledger.Kind = 0x0c80
	kindLast  ledger.Kind = 0x0cff
)

func ownKind(k ledger.Kind) bool { return k >= kindFirst && k <= kindLast }

// ECDSA contexts of the processor's signed records.
const (
	contextRoster     = "ringtrace/payments/roster/v1"
	contextDisclosure = "ringtrace/payments/disclosure/v1"
)

// Domain-separation labels of the digests.
const (
	labelEnrollment = "ringtrace/payments/enrollment/v1" // the customer's proof on an enrollment
	labelRosterID   = "ringtrace/payments/roster-id/v1"  // Roster.ID
	labelPaymentID  = "ringtrace/payments/payment-id/v1" // Payment.ID, which the ring signature signs
)

// Field limits.
const (
	maxAccount   = 256 // bytes of an enrollment's account reference
	maxReference = 256 // bytes of a payment's reference
	maxReason    = 256 // bytes of UTF-8 of a disclosure's reason
	nonceSize    = 16
)
