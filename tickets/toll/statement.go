package toll

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Statement is a debtor's signed acknowledgement, from one settlement,
// that it owes a creditor an amount for a list of usage requests: an
// operator to one of its plazas, or an operator to a partner for the
// partner's exits of its tickets. It is an obligation (debtor, creditor,
// amount and its currency) that netting can use as it is, and the
// creditor can check that each request it filed is paid once
// ([Statement.Pays]). The layout is in docs/spec/toll.md. A Statement is
// immutable and safe for concurrent use.
type Statement struct {
	debtor   *ecdsa.PublicKey
	creditor *ecdsa.PublicKey
	number   uint64
	time     time.Time
	amount   money.Amount
	requests [][32]byte // strictly increasing
	sig      []byte
}

// maxStatementRequests bounds the requests one statement lists.
const maxStatementRequests = 1 << 20

func (s *Statement) body() ([]byte, error) {
	if !s.amount.Valid() || s.amount.Sign() <= 0 {
		return nil, errors.New("toll: statement amount is not positive")
	}
	if len(s.requests) == 0 || len(s.requests) > maxStatementRequests {
		return nil, fmt.Errorf("toll: statement lists %d requests, want 1..%d", len(s.requests), maxStatementRequests)
	}
	w := wire.NewWriter(kindStatement)
	w.ECDSAKey(s.debtor)
	w.ECDSAKey(s.creditor)
	w.U64(s.number)
	w.Time(s.time)
	w.Amount(s.amount)
	w.Count(len(s.requests))
	for i, d := range s.requests {
		if i > 0 && bytes.Compare(s.requests[i-1][:], d[:]) >= 0 {
			return nil, errors.New("toll: statement requests are not strictly increasing")
		}
		w.Fixed(d[:])
	}
	return w.Finish()
}

// Bytes returns the canonical encoding.
func (s *Statement) Bytes() []byte {
	b, _ := s.body() // checked when signed or parsed
	return append(b, s.sig...)
}

// ParseStatement decodes a statement encoded by [Statement.Bytes]. It does
// not check the signature; [Statement.Verify] does.
func ParseStatement(b []byte) (*Statement, error) {
	r, sig := wire.NewSignedReader(b, kindStatement, "statement", ErrMalformed)
	s := &Statement{debtor: r.ECDSAKey("debtor"), creditor: r.ECDSAKey("creditor"), number: r.U64("number"), sig: sig}
	s.time = r.Time("time")
	s.amount = r.Amount("amount")
	n := r.Count("requests", 32)
	if r.Err() == nil {
		s.requests = make([][32]byte, n)
		for i := range s.requests {
			copy(s.requests[i][:], r.Fixed("request", 32))
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	if _, err := s.body(); err != nil {
		return nil, fmt.Errorf("%w: statement: %w", ErrMalformed, err)
	}
	return s, nil
}

// Verify checks that the statement is signed by debtor, which must be the
// debtor it names.
func (s *Statement) Verify(debtor *ecdsa.PublicKey) error {
	if s == nil || debtor == nil {
		return errors.New("toll: nil statement or key")
	}
	if !s.debtor.Equal(debtor) {
		return fmt.Errorf("%w: statement names another debtor", ErrBadSignature)
	}
	return verifyRecord(debtor, contextStatement, "statement", s.Bytes())
}

// Debtor returns the key of the party that owes (and signed).
func (s *Statement) Debtor() *ecdsa.PublicKey { return s.debtor }

// Creditor returns the key of the party that is owed: a plaza's or an
// operator's.
func (s *Statement) Creditor() *ecdsa.PublicKey { return s.creditor }

// Number returns the statement's sequence number at its debtor.
func (s *Statement) Number() uint64 { return s.number }

// Time returns when the settlement that issued the statement ran.
func (s *Statement) Time() time.Time { return s.time }

// Amount returns what the debtor owes the creditor, positive.
func (s *Statement) Amount() money.Amount { return s.amount }

// Len returns the number of usage requests the statement pays.
func (s *Statement) Len() int { return len(s.requests) }

// Pays reports whether the statement pays the usage request encoded as
// request.
func (s *Statement) Pays(request []byte) bool {
	_, ok := slices.BinarySearchFunc(s.requests, requestDigest(request), func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	return ok
}
