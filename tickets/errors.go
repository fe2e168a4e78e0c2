package tickets

import (
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/trs"
)

// Reasons a record or ticket is refused, for callers that branch on them.
// Errors wrap one of these and, where there is one, the underlying trs or
// ecdsa error; test with errors.Is.
var (
	// ErrMalformed: the bytes are not the canonical encoding of the record.
	ErrMalformed = errors.New("tickets: malformed record")

	// ErrBadSignature: a record's ECDSA signature does not verify under the
	// key that must have signed it.
	ErrBadSignature = errors.New("tickets: bad record signature")

	// ErrUnknownSale: the ticket's sale was not applied to the redeemer, or
	// a sale's issuer is not one the redeemer trusts.
	ErrUnknownSale = errors.New("tickets: unknown sale")

	// ErrExpired: the ticket is used outside its sale's validity window.
	ErrExpired = errors.New("tickets: outside the ticket's validity")

	// ErrInvalidSignature: the ticket's ring signature does not verify
	// under its sale's tag.
	ErrInvalidSignature = errors.New("tickets: invalid ticket signature")

	// ErrReused: the ticket's one-time key has already been spent; the
	// error is a [*ReuseError].
	ErrReused = errors.New("tickets: ticket reused")
)

var errNilContext = errors.New("tickets: nil context")

// ReuseError refuses a ticket whose one-time key has been spent. Kind is
// [trs.Linked] when exactly this ticket (the same key on the same message)
// was spent, a replay, and [trs.Revealed] when the key spent a different
// ticket of the sale: then Index is the key's slot in the sale's ring and
// Key the key, which the sale's issuer maps to the buyer.
type ReuseError struct {
	Sale *Sale
	trs.TraceResult
}

func (e *ReuseError) Error() string {
	if e == nil || e.Sale == nil {
		return "tickets: ticket reused"
	}
	if e.Kind == trs.Revealed {
		return fmt.Sprintf("tickets: ticket reused: sale %d of %x, key in slot %d revealed", e.Sale.Number(), e.Sale.ID().prefix(), e.Index)
	}
	return fmt.Sprintf("tickets: ticket reused: sale %d of %x, identical ticket already spent", e.Sale.Number(), e.Sale.ID().prefix())
}

// Unwrap makes errors.Is(err, ErrReused) hold.
func (e *ReuseError) Unwrap() error { return ErrReused }
