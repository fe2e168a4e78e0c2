package billing

import (
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Receipt is the collector's signed acknowledgement that an invoice was
// paid: the invoice, the payer (the invoiced user), the amount (what was
// owed when paid) and the time. The book accepts one per invoice. Layout:
// docs/spec/billing.md.
type Receipt struct {
	invoice [32]byte
	payer   *arsig.PublicKey
	amount  money.Amount
	time    time.Time
	signed
}

func (*Receipt) kind() ledger.Kind { return kindReceipt }

func newReceipt(signer *ecdsa.PrivateKey, inv *Invoice, amount money.Amount, t time.Time) (*Receipt, error) {
	r := &Receipt{invoice: inv.id, payer: inv.user, amount: amount}
	var err error
	if r.time, err = seconds(t, "receipt time"); err != nil {
		return nil, err
	}
	if err := r.sign(signer, contextReceipt, "receipt", r.body); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Receipt) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindReceipt))
	w.Fixed(r.invoice[:])
	writeUserKey(w, r.payer)
	if !positive(r.amount) {
		w.Fail(fmt.Errorf("amount %v is not positive", r.amount))
	}
	w.Amount(r.amount)
	w.Time(r.time)
	return finish(w, "receipt")
}

func (r *Receipt) encode() ([]byte, error) { return r.reencode(r.body()) }

// ParseReceipt parses a receipt and checks that collector signed it. Errors
// wrap [ErrMalformed] or [ErrBadSignature].
func ParseReceipt(b []byte, collector *ecdsa.PublicKey) (*Receipt, error) {
	return parseSigned(b, collector, contextReceipt, "receipt", parseReceipt)
}

func parseReceipt(b []byte) (*Receipt, error) {
	rd := newReader(b, kindReceipt, "receipt")
	r := &Receipt{invoice: readDigest(rd, "invoice"), payer: readUserKey(rd, "payer")}
	r.amount = readPositive(rd, "amount")
	r.time = rd.Time("time")
	r.sig = readSignature(rd)
	if err := rd.Done(); err != nil {
		return nil, err
	}
	r.enc = clone(b)
	return r, nil
}

// Check checks that r is the receipt for inv paid by inv's user in the given
// amount; an error wrapping [ErrRefused] says what differs. The
// collector's signature was checked when r was parsed.
func (r *Receipt) Check(inv *Invoice, amount money.Amount) error {
	switch {
	case r == nil || r.enc == nil || inv == nil || inv.enc == nil:
		return malformed("receipt check", "missing receipt or invoice")
	case r.invoice != inv.id:
		return fmt.Errorf("%w: receipt is for another invoice", ErrRefused)
	case !r.payer.Equal(inv.user):
		return fmt.Errorf("%w: receipt names another payer", ErrRefused)
	case r.amount != amount:
		return fmt.Errorf("%w: receipt is for %v, not %v", ErrRefused, r.amount, amount)
	}
	return nil
}

// Bytes returns the receipt's encoding.
func (r *Receipt) Bytes() []byte {
	if r == nil {
		return nil
	}
	return clone(r.enc)
}

// Invoice returns the ID of the paid invoice.
func (r *Receipt) Invoice() [32]byte {
	if r == nil {
		return [32]byte{}
	}
	return r.invoice
}

// Amount returns the amount paid.
func (r *Receipt) Amount() money.Amount {
	if r == nil {
		return money.Amount{}
	}
	return r.amount
}
