package billing

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// ReceiptContext is the ecdsa context of the collector's signature on a
// receipt.
const ReceiptContext = "ringtrace/billing/receipt/v1"

// Receipt is the collector's signed acknowledgement that an invoice was
// paid in full. The ledger accepts one per invoice.
//
// Encoding:
//
//	u8 Version || u8 TypeReceipt
//	invoice digest [32]byte
//	amount [12]byte       the amount owed when paid, > 0
//	u8-prefixed payer     the invoiced user's arsig public key
//	u64 time
//	signature [64]byte    ecdsa, ReceiptContext, on all the bytes before it
type Receipt struct {
	Invoice   Digest
	Amount    money.Amount
	Payer     *arsig.PublicKey
	Time      int64
	Signature []byte
}

func (*Receipt) Type() RecordType { return TypeReceipt }

func (r *Receipt) signedPart() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypeReceipt)
	b.AddBytes(r.Invoice[:])
	if !positive(r.Amount) {
		b.SetError(malformed("receipt", "amount must be positive"))
	}
	addAmount(b, r.Amount)
	addUserKey(b, r.Payer, "receipt payer")
	addTime(b, r.Time, "receipt time")
	return b.Bytes()
}

func (r *Receipt) MarshalBinary() ([]byte, error) {
	m, err := r.signedPart()
	if err != nil {
		return nil, err
	}
	b := cryptobyte.NewBuilder(m)
	addCollectorSignature(b, r.Signature, "receipt signature")
	return b.Bytes()
}

// ParseReceipt parses the encoding of a Receipt. It does not check the
// signature.
func ParseReceipt(b []byte) (*Receipt, error) {
	p := newParser(b, TypeReceipt)
	r := &Receipt{}
	r.Invoice = p.digest("invoice")
	r.Amount = p.amount("amount")
	if p.err == nil && !positive(r.Amount) {
		p.fail("amount must be positive")
	}
	r.Payer = p.userKey("payer")
	r.Time = p.time("time")
	r.Signature = p.collectorSignature("signature")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}

// Sign sets the collector's signature.
func (r *Receipt) Sign(collector *ecdsa.PrivateKey) error {
	m, err := r.signedPart()
	if err != nil {
		return err
	}
	sig, err := ecdsa.Sign(collector, ReceiptContext, m)
	if err != nil {
		return err
	}
	r.Signature = sig
	return nil
}

// VerifyReceipt reports whether r is the collector's receipt for inv paid
// by inv's user in the given amount. A receipt for any other invoice,
// payer or amount, or with a bad signature, is rejected with an error
// wrapping ErrInvalidReceipt.
func VerifyReceipt(collector *ecdsa.PublicKey, inv *Invoice, amount money.Amount, r *Receipt) error {
	d, err := inv.Digest()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidReceipt, err)
	}
	if r.Invoice != d {
		return fmt.Errorf("%w: receipt is for another invoice", ErrInvalidReceipt)
	}
	if r.Payer == nil || !r.Payer.Equal(inv.User) {
		return fmt.Errorf("%w: receipt names another payer", ErrInvalidReceipt)
	}
	if c, err := r.Amount.Cmp(amount); err != nil || c != 0 {
		return fmt.Errorf("%w: receipt is for %v, not %v", ErrInvalidReceipt, r.Amount, amount)
	}
	m, err := r.signedPart()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidReceipt, err)
	}
	if err := ecdsa.Verify(collector, ReceiptContext, m, r.Signature); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidReceipt, err)
	}
	return nil
}
