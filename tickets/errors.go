package tickets

import (
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/trs"
)

// Reasons a ticket, record or request is refused. Errors returned by this
// package wrap one of them where a caller may want to branch; test with
// errors.Is.
var (
	// ErrMalformed is wrapped by every parser error: the bytes are not the
	// canonical encoding of the record.
	ErrMalformed = errors.New("tickets: malformed record")

	// ErrBadSignature is wrapped when an ECDSA attestation (registration,
	// sale, fare table, purchase, usage request, payout) does not verify.
	ErrBadSignature = errors.New("tickets: bad attestation signature")

	// ErrUnknownPlaza: a plaza named by a ticket or request is not
	// registered with the provider.
	ErrUnknownPlaza = errors.New("tickets: unknown plaza")

	// ErrWrongPlaza: a ticket is presented at, or filed by, another plaza
	// than the exit plaza it names.
	ErrWrongPlaza = errors.New("tickets: ticket names another exit plaza")

	// ErrUnknownSale: the ticket's sale was not published by the provider.
	ErrUnknownSale = errors.New("tickets: unknown sale")

	// ErrBadEntryProof: the entry proof's signature does not verify under
	// the entry plaza's key, or the ticket's trip secret does not open the
	// proof's commitment (someone else's overheard proof).
	ErrBadEntryProof = errors.New("tickets: bad entry proof")

	// ErrEntryReused: the entry proof was already presented with a valid
	// ticket. Its trip secret became public then, so it proves nothing any
	// more.
	ErrEntryReused = errors.New("tickets: entry proof already used")

	// ErrNoFare: the fare table has no fare from the entry to the exit plaza.
	ErrNoFare = errors.New("tickets: no fare for this route")

	// ErrFareExceedsPrice: the fare for the trip is more than the ticket's
	// prepaid price (or in another currency).
	ErrFareExceedsPrice = errors.New("tickets: fare exceeds ticket price")

	// ErrExpired: a time bound fails — entry outside the sale's validity,
	// exit before entry, exit after the validity end, or a trip longer than
	// the maximum duration.
	ErrExpired = errors.New("tickets: outside the ticket's time bounds")

	// ErrInvalidSignature: the ticket's traceable ring signature does not
	// verify under its sale's tag.
	ErrInvalidSignature = errors.New("tickets: invalid ticket signature")

	// ErrReused: the ticket's one-time key already signed a ticket that was
	// accepted. The error is a *[ReuseError] with the details.
	ErrReused = errors.New("tickets: ticket reused")

	// ErrNotRegistered: a vehicle's registration does not verify under the
	// registration authority's key, or does not match its request.
	ErrNotRegistered = errors.New("tickets: vehicle not registered")
)

// ReuseError is the rejection of a ticket whose one-time key has already
// been spent. Kind is [trs.Linked] when the very same ticket message was
// accepted before (a replay), and [trs.Revealed] when the key signed a
// different ticket: then Slot and Key name the key in the sale's ring and,
// if the provider knows the purchase, Buyer names the vehicle that bought
// it.
type ReuseError struct {
	Sale       SaleID
	Kind       trs.Kind
	Slot       int
	Key        *trs.PublicKey
	Buyer      VehicleID
	BuyerKnown bool
}

func (e *ReuseError) Error() string {
	if e.Kind == trs.Revealed {
		if e.BuyerKnown {
			return fmt.Sprintf("tickets: ticket reused: sale %d, key in slot %d revealed, bought by vehicle %d", e.Sale, e.Slot, e.Buyer)
		}
		return fmt.Sprintf("tickets: ticket reused: sale %d, key in slot %d revealed", e.Sale, e.Slot)
	}
	return fmt.Sprintf("tickets: ticket reused: sale %d, identical ticket already accepted", e.Sale)
}

// Unwrap makes errors.Is(err, ErrReused) hold.
func (e *ReuseError) Unwrap() error { return ErrReused }

func malformed(what string) error {
	return fmt.Errorf("%w: %s", ErrMalformed, what)
}
