package netting

import (
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
)

// BillingObligations returns what users still owe on the billing invoices
// ([billing.Invoice]) due in the period from start (inclusive) to end
// (exclusive), times taken in whole seconds as by [NewStatement]: for
// each open invoice, its user owes the collector what book says is owed,
// the total less the lines struck by disputes. The user is named by the
// bytes of its arsig key, the collector by those of its ECDSA key, so a
// collector that is also, say, a toll operator is one party in both. An
// invoice paid (it has a receipt), enforced from the deposit (a
// forfeiture) or wholly struck owes nothing and is left out, as is one
// due outside the period, so netting consecutive periods nets each
// invoice once; an invoice given twice counts once.
//
// Netting does not pay an invoice: once the transfers are paid, the
// collector records each payment ([billing.Collector.Pay]). Until then the
// invoice is open on the book, and once past its due date the collector
// can still take it from the deposit (a forfeiture): a user whose transfer
// paid it holds the proof of that transfer, not a receipt.
//
// book is the collector's book, or one an auditor rebuilt from its ledger
// ([billing.Open]); collector is the collector's key, which must be the
// one that signed book's parameters. Every invoice given, due in the
// period or not, must be on book: one the collector signed but did not
// issue is no debt. BillingObligations
// fails, with an error wrapping [ErrInvalid] and the billing package's
// error, on such an invoice, another collector's key, and nil inputs.
func BillingObligations(start, end time.Time, book *billing.Book, collector *ecdsa.PublicKey, invoices []*billing.Invoice) ([]Obligation, error) {
	from, to, err := period(start, end)
	if err != nil {
		return nil, err
	}
	if book == nil || collector == nil {
		return nil, fmt.Errorf("%w: missing book or collector key", ErrInvalid)
	}
	params := book.Parameters()
	if params == nil {
		return nil, fmt.Errorf("%w: the book has no parameters", ErrInvalid)
	}
	if _, err := billing.ParseParameters(params.Bytes(), collector); err != nil {
		return nil, fmt.Errorf("%w: the book is not the collector's: %w", ErrInvalid, err)
	}
	seen := make(map[[32]byte]bool)
	var obs []Obligation
	for i, inv := range invoices {
		if inv == nil || inv.User() == nil {
			return nil, fmt.Errorf("%w: invoice %d is missing", ErrInvalid, i)
		}
		owed, err := book.Owed(inv.ID())
		if err != nil {
			return nil, fmt.Errorf("%w: invoice %d: %w", ErrInvalid, i, err)
		}
		if seen[inv.ID()] {
			continue
		}
		seen[inv.ID()] = true
		if d := inv.Due(); d.Before(from) || !d.Before(to) || owed.Sign() == 0 {
			continue
		}
		obs = append(obs, Obligation{Payer: Party(inv.User().Bytes()), Payee: Party(collector.Bytes()), Amount: owed})
	}
	return obs, nil
}
