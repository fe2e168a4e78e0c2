package toll

import "errors"

var errNilContext = errors.New("toll: nil context")

// Reasons a record, ticket or request is refused, for callers that branch
// on them. Errors wrap one of these (or one of package tickets' for the
// ticket itself: ErrUnknownSale, ErrExpired, ErrInvalidSignature,
// ErrReused) and the underlying error; test with errors.Is.
var (
	// ErrMalformed: the bytes are not the canonical encoding of the record.
	ErrMalformed = errors.New("toll: malformed record")

	// ErrBadSignature: a record's ECDSA signature does not verify under the
	// key that must have signed it.
	ErrBadSignature = errors.New("toll: bad record signature")

	// ErrNotRegistered: a vehicle's registration does not verify under the
	// registration authority's key, or is for another key.
	ErrNotRegistered = errors.New("toll: vehicle not registered")

	// ErrUnknownPlaza: a plaza named by a ticket, entry proof or request is
	// not registered by the operator it names, or that operator is not
	// trusted here.
	ErrUnknownPlaza = errors.New("toll: unknown plaza")

	// ErrWrongPlaza: a ticket is presented at, or filed by, another plaza
	// than the exit plaza it names.
	ErrWrongPlaza = errors.New("toll: ticket names another exit plaza")

	// ErrBadEntryProof: the entry proof's signature does not verify under
	// the entry plaza's key, or the ticket's trip secret does not open the
	// proof's commitment (someone else's overheard proof).
	ErrBadEntryProof = errors.New("toll: bad entry proof")

	// ErrEntryReused: the entry proof was already presented with a valid
	// ticket; its trip secret is public since, so it proves nothing.
	ErrEntryReused = errors.New("toll: entry proof already used")

	// ErrNoFare: no fare table was in force at entry, or it has no fare
	// for the route.
	ErrNoFare = errors.New("toll: no fare for this route")

	// ErrFareExceedsPrice: the fare of the trip is more than the ticket's
	// price, or in another currency.
	ErrFareExceedsPrice = errors.New("toll: fare exceeds ticket price")

	// ErrNotSpent: settlement found the request's ticket not spent: no exit
	// accepted it.
	ErrNotSpent = errors.New("toll: ticket was not accepted by an exit")
)
