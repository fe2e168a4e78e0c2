package netting

import (
	"bytes"
	"cmp"
	"fmt"
	"strings"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// MaxPartySize is the longest party name, in bytes.
const MaxPartySize = 64

// A Party names a participant in netting: any byte string of 1 to
// [MaxPartySize] bytes, compared byte for byte. The package gives names no
// meaning, so a toll operator's or plaza's ECDSA key, a user's arsig key and
// a pool account can all be parties: Party(key.Bytes()). Systems that share
// a netting must choose names that cannot collide (keys do not).
type Party string

func (p Party) valid() bool { return len(p) > 0 && len(p) <= MaxPartySize }

// An Obligation is a debt: Payer owes Payee Amount, which must be positive.
// The same type describes the transfers that settle a [Settlement], so
// paying the transfers has the effect of paying every obligation.
type Obligation struct {
	Payer, Payee Party
	Amount       money.Amount
}

func (o Obligation) check() error {
	switch {
	case !o.Payer.valid() || !o.Payee.valid():
		return fmt.Errorf("%w: party name of %d or %d bytes, want 1 to %d", ErrInvalid, len(o.Payer), len(o.Payee), MaxPartySize)
	case o.Payer == o.Payee:
		return fmt.Errorf("%w: payer %x is its own payee", ErrInvalid, string(o.Payer))
	case !o.Amount.Valid() || o.Amount.Sign() <= 0:
		return fmt.Errorf("%w: amount %v is not positive", ErrInvalid, o.Amount)
	}
	return nil
}

// compareObligations is the canonical order: currency, payer, payee,
// amount.
func compareObligations(a, b Obligation) int {
	if c := compareCurrency(a.Amount.Currency(), b.Amount.Currency()); c != 0 {
		return c
	}
	if c := cmpParty(a.Payer, b.Payer); c != 0 {
		return c
	}
	if c := cmpParty(a.Payee, b.Payee); c != 0 {
		return c
	}
	return cmp.Compare(a.Amount.Units(), b.Amount.Units())
}

func cmpParty(a, b Party) int { return strings.Compare(string(a), string(b)) }

func compareCurrency(a, b money.Currency) int { return bytes.Compare(a[:], b[:]) }

// obligationsKind is the wire kind of the canonical obligation list that
// the obligations digest covers. The list is never a ledger record.
const obligationsKind = 0x0E02

const obligationsLabel = "ringtrace/netting/obligations/v1"

// digestOf returns the obligations digest of sorted, a list in canonical
// order (docs/spec/netting.md).
func digestOf(sorted []Obligation) ([DigestSize]byte, error) {
	w := wire.NewWriter(obligationsKind)
	w.Count(len(sorted))
	for _, o := range sorted {
		w.Bytes([]byte(o.Payer))
		w.Bytes([]byte(o.Payee))
		w.Amount(o.Amount)
	}
	b, err := w.Finish()
	if err != nil {
		return [DigestSize]byte{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return wire.Digest(obligationsLabel, b), nil
}
