package billing

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

const (
	// InvoiceContext is the ecdsa context of the collector's signature on
	// an invoice.
	InvoiceContext = "ringtrace/billing/invoice/v1"

	// MaxLines is the most lines an invoice (or a forfeiture) may have.
	MaxLines = 4096
)

// A Line of an invoice names a usage record and carries the collector's
// opening of it: the signer's key with a proof that anyone holding the
// public ring and opener key can check (arsig.VerifyOpening).
type Line struct {
	Usage   Digest // the usage record's ID
	Opening *arsig.Opening
}

// Invoice bills one user for usage records of one closed period. Each line
// carries the opening that names the user as the signer, so the user can
// check every line with their own key before paying; a line that does not
// verify can be disputed by anyone and is then struck.
//
// The ledger checks an invoice's bookkeeping (registered user, records of
// that period not billed elsewhere, the total, the collector's signature) but
// not its openings: that is each user's check, as it would be too costly for
// a contract.
//
// Encoding:
//
//	u8 Version || u8 TypeInvoice
//	u32 period || u8-prefixed user (arsig public key)
//	u64 issued || u64 due (> issued)
//	total [12]byte        the sum of the lines' usage amounts, > 0
//	u16 count (1–MaxLines), then per line:
//	    usage ID [32]byte || u16-prefixed opening (arsig)
//	signature [64]byte    ecdsa, InvoiceContext, on all the bytes before it
type Invoice struct {
	Period    uint32
	User      *arsig.PublicKey
	Issued    int64
	Due       int64
	Total     money.Amount
	Lines     []Line
	Signature []byte
}

func (*Invoice) Type() RecordType { return TypeInvoice }

func addLines(b *cryptobyte.Builder, lines []Line, what string) {
	if len(lines) == 0 || len(lines) > MaxLines {
		b.SetError(malformed(what, fmt.Sprintf("%d lines", len(lines))))
		return
	}
	b.AddUint16(uint16(len(lines)))
	for i := range lines {
		b.AddBytes(lines[i].Usage[:])
		addOpening(b, lines[i].Opening, what+" line")
	}
}

func (p *parser) lines() []Line {
	n := int(p.u16("line count"))
	if p.err == nil && (n == 0 || n > MaxLines) {
		p.fail(fmt.Sprintf("%d lines", n))
	}
	if p.err != nil {
		return nil
	}
	lines := make([]Line, n)
	for i := range lines {
		lines[i].Usage = p.digest("line usage")
		lines[i].Opening = p.opening("line opening")
		if p.err != nil {
			return nil
		}
	}
	return lines
}

// signedPart returns the encoding up to the signature.
func (r *Invoice) signedPart() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypeInvoice)
	b.AddUint32(r.Period)
	addUserKey(b, r.User, "invoice user")
	addTime(b, r.Issued, "invoice issue time")
	addTime(b, r.Due, "invoice due date")
	if r.Due <= r.Issued {
		b.SetError(malformed("invoice", "due date not after issue"))
	}
	if !positive(r.Total) {
		b.SetError(malformed("invoice", "total must be positive"))
	}
	addAmount(b, r.Total)
	addLines(b, r.Lines, "invoice")
	return b.Bytes()
}

// Sign sets the collector's signature.
func (r *Invoice) Sign(collector *ecdsa.PrivateKey) error {
	m, err := r.signedPart()
	if err != nil {
		return err
	}
	sig, err := ecdsa.Sign(collector, InvoiceContext, m)
	if err != nil {
		return err
	}
	r.Signature = sig
	return nil
}

// VerifySignature checks the collector's signature.
func (r *Invoice) VerifySignature(collector *ecdsa.PublicKey) error {
	m, err := r.signedPart()
	if err != nil {
		return err
	}
	if err := ecdsa.Verify(collector, InvoiceContext, m, r.Signature); err != nil {
		return fmt.Errorf("%w: collector signature: %v", ErrInvalidInvoice, err)
	}
	return nil
}

func (r *Invoice) MarshalBinary() ([]byte, error) {
	m, err := r.signedPart()
	if err != nil {
		return nil, err
	}
	b := cryptobyte.NewBuilder(m)
	addCollectorSignature(b, r.Signature, "invoice signature")
	return b.Bytes()
}

// Digest returns the digest of the invoice's encoding, which receipts,
// disputes and forfeitures name it by.
func (r *Invoice) Digest() (Digest, error) {
	b, err := r.MarshalBinary()
	if err != nil {
		return Digest{}, err
	}
	return invoiceDigest(b), nil
}

func invoiceDigest(encoded []byte) Digest {
	return digest("ringtrace/billing/invoice-id/v1", encoded)
}

// ParseInvoice parses the encoding of an Invoice. It checks neither the
// signature nor the openings.
func ParseInvoice(b []byte) (*Invoice, error) {
	p := newParser(b, TypeInvoice)
	r := &Invoice{}
	r.Period = p.u32("period")
	r.User = p.userKey("user")
	r.Issued = p.time("issued")
	r.Due = p.time("due")
	if p.err == nil && r.Due <= r.Issued {
		p.fail("due date not after issue")
	}
	r.Total = p.amount("total")
	if p.err == nil && !positive(r.Total) {
		p.fail("total must be positive")
	}
	r.Lines = p.lines()
	r.Signature = p.collectorSignature("signature")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}

// verifyLine reports whether opening proves that user signed usage u under
// ring and opener. It is the check behind every invoice line, dispute and
// forfeiture, and it needs only public data.
func verifyLine(ring *arsig.Ring, opener *arsig.OpenerPublicKey, user *arsig.PublicKey, u *Usage, o *arsig.Opening) error {
	if u == nil {
		return fmt.Errorf("%w: no such usage record in the period", ErrInvalidLine)
	}
	if o == nil || !o.Signer().Equal(user) {
		return fmt.Errorf("%w: opening names another key", ErrInvalidLine)
	}
	msg, err := u.Message()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidLine, err)
	}
	if err := arsig.VerifyOpening(ring, opener, msg, u.Signature, o); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidLine, err)
	}
	return nil
}

// Dispute strikes line Line of an invoice because the line does not verify:
// its opening does not prove that the invoiced user signed the named record.
// Anyone may file it — the check uses only public data — and the ledger
// refuses a dispute of a line that verifies. A struck line is not owed, and
// its usage record may be billed again (to its real signer).
//
// Encoding:
//
//	u8 Version || u8 TypeDispute
//	invoice digest [32]byte || u16 line || u64 time
type Dispute struct {
	Invoice Digest
	Line    uint16
	Time    int64
}

func (*Dispute) Type() RecordType { return TypeDispute }

func (r *Dispute) MarshalBinary() ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	addHeader(b, TypeDispute)
	b.AddBytes(r.Invoice[:])
	b.AddUint16(r.Line)
	addTime(b, r.Time, "dispute time")
	return b.Bytes()
}

// ParseDispute parses the encoding of a Dispute record.
func ParseDispute(b []byte) (*Dispute, error) {
	p := newParser(b, TypeDispute)
	r := &Dispute{}
	r.Invoice = p.digest("invoice")
	r.Line = p.u16("line")
	r.Time = p.time("time")
	if err := p.done(); err != nil {
		return nil, err
	}
	return r, nil
}

var errNoSuchLine = errors.New("no such line")
