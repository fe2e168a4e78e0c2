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

// Forfeiture enforces an invoice left unpaid after its due date, signed by
// the collector: the owed amount (or all that remains of the deposit, if
// that is less) passes from the user's deposit to the collector.
//
// Its evidence lists every line of the invoice that is not struck, each
// with the usage record and a fresh opening of it. Anyone holding the
// period's descriptor checks it ([Forfeiture.Check]): each opening proves
// that the forfeiting user signed the record. The evidence names only that
// user's records, so it tells nothing about anyone else's usage. Layout:
// docs/spec/billing.md.
type Forfeiture struct {
	invoice  [32]byte
	user     *arsig.PublicKey
	amount   money.Amount
	time     time.Time
	evidence []Line
	signed
}

func (*Forfeiture) kind() ledger.Kind { return kindForfeiture }

func newForfeiture(signer *ecdsa.PrivateKey, inv *Invoice, amount money.Amount, t time.Time, evidence []Line) (*Forfeiture, error) {
	f := &Forfeiture{invoice: inv.id, user: inv.user, amount: amount, evidence: evidence}
	var err error
	if f.time, err = seconds(t, "forfeiture time"); err != nil {
		return nil, err
	}
	if err := f.sign(signer, contextForfeiture, "forfeiture", f.body); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *Forfeiture) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindForfeiture))
	w.Fixed(f.invoice[:])
	writeUserKey(w, f.user)
	if !positive(f.amount) {
		w.Fail(fmt.Errorf("amount %v is not positive", f.amount))
	}
	w.Amount(f.amount)
	w.Time(f.time)
	writeLines(w, f.evidence)
	return finish(w, "forfeiture")
}

func (f *Forfeiture) encode() ([]byte, error) { return f.reencode(f.body()) }

// ParseForfeiture parses a forfeiture and checks that collector signed it.
// Errors wrap [ErrMalformed] or [ErrBadSignature]. It does not check the
// evidence: that is [Forfeiture.Check].
func ParseForfeiture(b []byte, collector *ecdsa.PublicKey) (*Forfeiture, error) {
	return parseSigned(b, collector, contextForfeiture, "forfeiture", parseForfeiture)
}

func parseForfeiture(b []byte) (*Forfeiture, error) {
	r := newReader(b, kindForfeiture, "forfeiture")
	f := &Forfeiture{invoice: readDigest(r, "invoice"), user: readUserKey(r, "user")}
	f.amount = readPositive(r, "amount")
	f.time = r.Time("time")
	f.evidence = readLines(r)
	f.sig = readSignature(r)
	if err := r.Done(); err != nil {
		return nil, err
	}
	f.enc = clone(b)
	return f, nil
}

// Check checks the forfeiture as anyone can, with the descriptor of the
// invoice's period: that p's collector signed it, that every line of
// evidence, each of another usage record, proves (arsig.VerifyOpening) that the forfeiting user signed its
// usage record of period p, and that the amount taken is no more than the
// evidence bills. Errors wrap [ErrBadSignature], [ErrInvalidLine] or
// [ErrRefused]. That the evidence is exactly the invoice's owed lines, and
// the amount exactly what was owed or left of the deposit, is the book's
// check when it accepts the forfeiture.
func (f *Forfeiture) Check(p *Period) error {
	if f == nil || f.enc == nil || p == nil || p.enc == nil {
		return malformed("forfeiture check", "missing forfeiture or period")
	}
	if err := verifyCollector(p.collector, contextForfeiture, f.enc, "forfeiture"); err != nil {
		return err
	}
	if err := distinct(f.evidence); err != nil {
		return err
	}
	billed := money.Zero(p.deposit.Currency())
	for i, l := range f.evidence {
		if err := verifyLine(p, f.user, l); err != nil {
			return fmt.Errorf("evidence line %d: %w", i, err)
		}
		var err error
		if billed, err = billed.Add(l.Usage.amount); err != nil {
			return fmt.Errorf("%w: evidence total: %w", ErrRefused, err)
		}
	}
	if c, err := f.amount.Cmp(billed); err != nil || c > 0 {
		return fmt.Errorf("%w: forfeiture of %v, the evidence bills %v", ErrRefused, f.amount, billed)
	}
	return nil
}

// Bytes returns the forfeiture's encoding.
func (f *Forfeiture) Bytes() []byte {
	if f == nil {
		return nil
	}
	return clone(f.enc)
}

// Invoice returns the ID of the enforced invoice.
func (f *Forfeiture) Invoice() [32]byte {
	if f == nil {
		return [32]byte{}
	}
	return f.invoice
}

// Amount returns the amount taken from the deposit.
func (f *Forfeiture) Amount() money.Amount {
	if f == nil {
		return money.Amount{}
	}
	return f.amount
}
