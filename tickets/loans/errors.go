package loans

import "errors"

var (
	// ErrMalformed is wrapped by every error about bytes that are not a
	// canonical record of this package.
	ErrMalformed = errors.New("loans: malformed record")

	// ErrBadSignature is wrapped when a record is not signed by the key
	// that must sign it: the platform, the borrower, the pledge's account
	// key, or (for a pledge's ring signature) a registered lender.
	ErrBadSignature = errors.New("loans: bad signature")

	// ErrUnregistered is wrapped when a record names a lender or borrower
	// key that is not registered, or a loan or pledge that is not in the
	// pool.
	ErrUnregistered = errors.New("loans: not in the pool")

	// ErrDuplicate is wrapped when a record is already in the pool: the same
	// bytes, a pledge with the same signed message, a key registered again,
	// a repayment of an instalment already paid, or a second disclosure of
	// a pledge. A retry after an append whose outcome was unknown, on the
	// pool opened again ([Pool.Submit]), can treat it as success.
	ErrDuplicate = errors.New("loans: already in the pool")

	// ErrRefused is wrapped when a record does not fit the pool's state:
	// the wrong period, amount or currency, a loan not open to it, a
	// statement that is not the netting of the period; and every record
	// after an append of unknown outcome ([Pool.Submit]).
	ErrRefused = errors.New("loans: refused")
)
