package reviews

import "errors"

// Reasons a record is refused, for callers that branch on them. Errors wrap
// one of these and the underlying tickets, trs, arsig or ecdsa error; test
// with errors.Is. A second review with one right is refused with package
// tickets' error: errors.Is(err, tickets.ErrReused), and errors.As gives
// the [*tickets.ReuseError] that says Linked or Revealed.
var (
	// ErrMalformed: the bytes are not the canonical encoding of the record,
	// or an argument is nil or out of range.
	ErrMalformed = errors.New("reviews: malformed record")

	// ErrBadSignature: a signature does not verify under the key or ring
	// that must have made it: the shop's ECDSA signature on a roster, the
	// customer's proof on an order, a review's ticket or author signature,
	// a disclosure's opening.
	ErrBadSignature = errors.New("reviews: bad signature")

	// ErrUnknown: the record names a sale, roster or review the board has
	// not applied, or one of another shop or moderator.
	ErrUnknown = errors.New("reviews: unknown sale, roster or review")

	// ErrRefused: a well-formed, correctly signed record that does not fit:
	// a review of another product than its sale's, written outside the
	// sale's validity or after the time it is posted, an order for another
	// shop or for a right already sold.
	ErrRefused = errors.New("reviews: refused")
)

var errNilContext = errors.New("reviews: nil context")
