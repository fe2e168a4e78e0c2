package netting

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/toll"
)

// TollObligations returns the obligations of the toll statements
// ([toll.Statement]) settled in the period from start (inclusive) to end
// (exclusive), times taken in whole seconds as by [NewStatement]: for
// each, its debtor owes its creditor its amount, both named by the bytes
// of their ECDSA keys (an operator owes one of its plazas, or a partner
// operator). Statements settled outside the period are left out, so
// netting consecutive periods nets each statement once; a statement given
// twice, byte for byte, counts once. A statement whose creditor is its
// debtor (a plaza its operator registered under its own key) owes nobody
// else and is left out too: netting refuses an obligation to oneself.
//
// Every statement given, in the period or not, must be signed by the
// debtor it names, and that debtor must be one of operators, the operators
// whose debts the netter accepts: a debt nobody can hold its debtor to
// would be netted against the claims of parties that debtor never dealt
// with. TollObligations fails, with an error wrapping [ErrInvalid] (and
// toll.ErrBadSignature for a signature), on a statement of another debtor
// or not signed by its own, on two different statements with one debtor
// and number (a forked operator), and on nil inputs.
func TollObligations(start, end time.Time, operators []*ecdsa.PublicKey, statements []*toll.Statement) ([]Obligation, error) {
	from, to, err := period(start, end)
	if err != nil {
		return nil, err
	}
	for i, k := range operators {
		if k == nil {
			return nil, fmt.Errorf("%w: operator %d is nil", ErrInvalid, i)
		}
	}
	type numbered struct {
		debtor string
		number uint64
	}
	seen := make(map[numbered][]byte)
	var obs []Obligation
	for i, st := range statements {
		if st == nil {
			return nil, fmt.Errorf("%w: toll statement %d is nil", ErrInvalid, i)
		}
		debtor := st.Debtor()
		if !trusted(debtor, operators) {
			return nil, fmt.Errorf("%w: toll statement %d: its debtor is not a trusted operator", ErrInvalid, i)
		}
		if err := st.Verify(debtor); err != nil {
			return nil, fmt.Errorf("%w: toll statement %d: %w", ErrInvalid, i, err)
		}
		enc := st.Bytes()
		id := numbered{string(debtor.Bytes()), st.Number()}
		if prev, ok := seen[id]; ok {
			if !bytes.Equal(prev, enc) {
				return nil, fmt.Errorf("%w: toll statement %d: its debtor signed another statement %d", ErrInvalid, i, st.Number())
			}
			continue
		}
		seen[id] = enc
		if t := st.Time(); t.Before(from) || !t.Before(to) {
			continue
		}
		if st.Creditor().Equal(debtor) {
			continue // a debt to itself: nobody else is owed anything
		}
		obs = append(obs, Obligation{Payer: Party(debtor.Bytes()), Payee: Party(st.Creditor().Bytes()), Amount: st.Amount()})
	}
	return obs, nil
}

func trusted(k *ecdsa.PublicKey, keys []*ecdsa.PublicKey) bool {
	for _, t := range keys {
		if t.Equal(k) {
			return true
		}
	}
	return false
}
