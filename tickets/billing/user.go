package billing

import (
	"crypto/rand"
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// A User holds an arsig key registered with the system. It signs usage
// anonymously within its period's ring and checks its invoices line by line
// before paying.
type User struct {
	book *Book
	key  *arsig.PrivateKey
}

// NewUser returns a user with a new key, not yet registered.
func NewUser(book *Book) (*User, error) {
	k, err := arsig.GenerateKey()
	if err != nil {
		return nil, err
	}
	return &User{book: book, key: k}, nil
}

// UserFromKey returns the user holding key.
func UserFromKey(book *Book, key *arsig.PrivateKey) *User {
	return &User{book: book, key: key}
}

// Public returns the user's public key, the one invoices and receipts name.
func (u *User) Public() *arsig.PublicKey { return u.key.Public() }

// Register appends the user's registration, locking deposit.
func (u *User) Register(deposit money.Amount, t int64) error {
	r := &Registration{User: u.Public(), Deposit: deposit, Time: t}
	if err := r.Prove(u.key, u.book.Parameters()); err != nil {
		return err
	}
	_, err := u.book.Append(r)
	return err
}

// Use signs a usage record for the current period at time t. The record is
// handed to the provider; nothing in it but the ring signature relates to
// the user, and only the collector can open that.
func (u *User) Use(service string, amount money.Amount, t int64) (*Usage, error) {
	id := u.book.CurrentPeriod()
	info, err := u.book.Period(id)
	if err != nil {
		return nil, err
	}
	if info.Closed {
		return nil, fmt.Errorf("%w: period %d is closed", ErrPeriod, id)
	}
	params := u.book.Parameters()
	r := &Usage{Period: id, RingDigest: info.Open.RingDigest, Service: service, Amount: amount, Time: t}
	if _, err := rand.Read(r.Nonce[:]); err != nil {
		return nil, err
	}
	msg, err := r.Message()
	if err != nil {
		return nil, err
	}
	if r.Signature, err = arsig.Sign(u.key, info.Ring, params.Opener, msg); err != nil {
		return nil, err
	}
	return r, nil
}

// CheckInvoice checks an invoice addressed to the user: the collector's
// signature, and every line with VerifyOpening against the public ring. It
// returns an error for the invoice as a whole, or one entry per line, nil
// where the line verifies (an error wrapping ErrInvalidLine otherwise).
func (u *User) CheckInvoice(inv *Invoice) ([]error, error) {
	if !inv.User.Equal(u.Public()) {
		return nil, fmt.Errorf("%w: addressed to another key", ErrInvalidInvoice)
	}
	params := u.book.Parameters()
	if params == nil {
		return nil, ErrNotSetUp
	}
	if err := inv.VerifySignature(params.Collector); err != nil {
		return nil, err
	}
	errs := make([]error, len(inv.Lines))
	for i := range inv.Lines {
		errs[i] = u.book.VerifyLine(inv, i)
	}
	return errs, nil
}

// Dispute files a dispute of line i of an invoice at time t. The ledger
// accepts it only if the line does not verify.
func (u *User) Dispute(invoice Digest, i int, t int64) error {
	if i < 0 || i >= MaxLines {
		return fmt.Errorf("%w: line %d", ErrDisputeRejected, i)
	}
	_, err := u.book.Append(&Dispute{Invoice: invoice, Line: uint16(i), Time: t})
	return err
}

// CheckReceipt checks that r is the collector's receipt for the user's
// payment of amount on inv.
func (u *User) CheckReceipt(inv *Invoice, amount money.Amount, r *Receipt) error {
	params := u.book.Parameters()
	if params == nil {
		return ErrNotSetUp
	}
	if !inv.User.Equal(u.Public()) {
		return fmt.Errorf("%w: invoice addressed to another key", ErrInvalidReceipt)
	}
	return VerifyReceipt(params.Collector, inv, amount, r)
}

// Refund asks for the user's remaining deposit back at time t, retiring the
// key.
func (u *User) Refund(t int64) error {
	a, err := u.book.Account(u.Public())
	if err != nil {
		return err
	}
	r := &Refund{User: u.Public(), Amount: a.Deposit, Time: t}
	if err := r.Prove(u.key, u.book.Parameters()); err != nil {
		return err
	}
	_, err = u.book.Append(r)
	return err
}
