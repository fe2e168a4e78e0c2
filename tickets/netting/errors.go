package netting

import "errors"

var (
	// ErrInvalid is wrapped by errors about obligations that cannot be
	// netted: a party name that is empty or too long, a payer who is its
	// own payee, an amount that is not positive, or totals beyond the range
	// of money (which also wrap money.ErrOverflow); and about records that
	// are no obligations ([TollObligations], [BillingObligations]).
	ErrInvalid = errors.New("netting: invalid obligations")

	// ErrMalformed is wrapped by every error of [ParseStatement]: bytes that
	// are not a canonical statement, or a statement whose transfers do not
	// settle its nets.
	ErrMalformed = errors.New("netting: malformed statement")

	// ErrBadSignature is wrapped when a statement is not signed by the
	// expected netter.
	ErrBadSignature = errors.New("netting: bad statement signature")

	// ErrMismatch is wrapped when a settlement does not match the
	// obligations it is checked against.
	ErrMismatch = errors.New("netting: settlement does not match the obligations")
)
