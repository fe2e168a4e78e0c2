package payments

import "errors"

// Reasons a record is refused, for callers that branch on them. Errors wrap
// one of these and the underlying arsig, ecdsa or money error; test with
// errors.Is.
var (
	// ErrMalformed: the bytes are not the canonical encoding of the record,
	// or an argument is nil or out of range.
	ErrMalformed = errors.New("payments: malformed record")

	// ErrBadSignature: a signature does not verify under the key or ring
	// that must have made it: the processor's ECDSA signature on a roster
	// or disclosure, a customer's proof on an enrollment, a payment's ring
	// signature, a disclosure's opening.
	ErrBadSignature = errors.New("payments: bad signature")

	// ErrUnknown: the record names a roster or customer key the receiver
	// does not know, or is of another processor.
	ErrUnknown = errors.New("payments: unknown roster or customer")

	// ErrRefused: a well-formed, correctly signed record that does not fit:
	// a payment to another merchant, above the roster's limit, in another
	// currency, outside the roster's validity or made after it is
	// received; an enrollment of a key enrolled already.
	ErrRefused = errors.New("payments: refused")

	// ErrUsed: the payment was accepted before (by this merchant or any
	// other sharing its used set).
	ErrUsed = errors.New("payments: payment already accepted")
)

var errNilContext = errors.New("payments: nil context")
