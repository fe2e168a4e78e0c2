package credits

import (
	"errors"
	"fmt"
)

// Reasons a spend is refused, for callers that branch on them. Errors wrap
// one of these and, where the cause is package tickets', its error too
// (for a credit spent before, a *[tickets.ReuseError] that errors.As
// finds): test with errors.Is.
var (
	// ErrMalformed: the bytes are not a canonical ticket or spend, or an
	// argument is nil or invalid.
	ErrMalformed = errors.New("credits: malformed record")

	// ErrRefused: a well-formed credit a machine does not take: spent at
	// another machine, too far from the machine's clock, of an unknown sale
	// or another class, outside its validity, with a ring signature that
	// does not verify, or spent before.
	ErrRefused = errors.New("credits: credit refused")
)

var errNilContext = fmt.Errorf("%w: nil context", ErrMalformed)

func malformed(what, why string) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, what, why)
}
