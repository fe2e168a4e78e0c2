package charging

import (
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/billing"
)

// Reasons a record is refused, for callers that branch on them. Errors wrap
// one of these and, where the cause is another package's, that package's
// error too (billing's, and through it arsig's): test with errors.Is.
var (
	// ErrMalformed: the bytes are not the canonical encoding of the record,
	// a session's detail does not match its amount, a charger's ledger
	// holds an entry it did not write, or an argument is nil or invalid.
	ErrMalformed = errors.New("charging: malformed record")

	// ErrRefused: a well-formed record a charger does not accept: for
	// another charger, naming another period or descriptor, outside the
	// period's window or too far from the charger's clock, at another rate,
	// or whose ring signature does not verify.
	ErrRefused = errors.New("charging: record refused")

	// ErrUnknownPeriod: the charger holds no period descriptor for the
	// present time: none within [MaxSkew] of its window, or, just after a
	// period ended or just before one starts, none open that the record
	// fits. The car has the descriptor it signed under: give its bytes to
	// [Charger.AddPeriod] and try again.
	ErrUnknownPeriod = errors.New("charging: unknown period")

	// ErrReplayed: the charger has already accepted this record.
	ErrReplayed = errors.New("charging: record already accepted")
)

var errNilContext = fmt.Errorf("%w: nil context", ErrMalformed)

func malformed(what, why string) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, what, why)
}

// fromBilling wraps an error of package billing in this package's sentinel:
// malformed bytes stay malformed, anything else billing refuses is refused.
func fromBilling(what string, err error) error {
	if errors.Is(err, billing.ErrMalformed) {
		return fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrRefused, what, err)
}
