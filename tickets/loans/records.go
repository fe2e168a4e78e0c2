package loans

import (
	"crypto/sha256"
	"fmt"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Ledger kinds of the pool's records (docs/spec/loans.md). The netting
// statement that closes a period has netting.Kind.
const (
	kindParameters ledger.Kind = 0x0F01
	kindLender     ledger.Kind = 0x0F02
	kindBorrower   ledger.Kind = 0x0F03
	kindRequest    ledger.Kind = 0x0F04
	kindPledge     ledger.Kind = 0x0F05
	kindRepayment  ledger.Kind = 0x0F06
	kindDefault    ledger.Kind = 0x0F07
	kindDisclosure ledger.Kind = 0x0F08

	kindFirst, kindLast = 0x0F00, 0x0FFF
)

// An ID names a loan (the digest of its request) or a pledge (the digest
// of its ring-signed message).
type ID [sha256.Size]byte

// A record is a parsed record of the pool: check verifies it against the
// pool's state and its signatures, apply makes the change it records and
// cannot fail once check passed.
type record interface {
	encoded() []byte
	check(p *Pool) error
	apply(p *Pool)
}

// parseRecord parses b as a record of kind k.
func parseRecord(k ledger.Kind, b []byte) (record, error) {
	switch k {
	case kindParameters:
		return asRecord(parseParameters(b))
	case kindLender:
		return asRecord(parseLenderRegistration(b))
	case kindBorrower:
		return asRecord(parseBorrowerRegistration(b))
	case kindRequest:
		return asRecord(parseRequest(b))
	case kindPledge:
		return asRecord(parsePledge(b))
	case kindRepayment:
		return asRecord(parseRepayment(b))
	case kindDefault:
		return asRecord(parseDefault(b))
	case kindDisclosure:
		return asRecord(parseDisclosure(b))
	}
	return nil, fmt.Errorf("%w: unknown kind %#04x", ErrMalformed, uint16(k))
}

func asRecord[R record](r R, err error) (record, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}

// bodyOf returns the body of a record signed with ECDSA, body || sig.
func bodyOf(b []byte, what string) ([]byte, error) {
	if len(b) < wire.HeaderSize+wire.SignatureSize {
		return nil, fmt.Errorf("%w: %s: %d bytes", ErrMalformed, what, len(b))
	}
	return b[:len(b)-wire.SignatureSize], nil
}

// seal encodes a record's body and returns body || sig, sig by key under
// the record's context.
func seal(key *ecdsa.PrivateKey, context string, body func() ([]byte, error)) ([]byte, error) {
	b, err := body()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return wire.Sign(key, context, b)
}

// verify checks the ECDSA signature that ends enc.
func verify(key *ecdsa.PublicKey, context string, enc []byte, what string) error {
	if _, err := wire.Verify(key, context, enc); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadSignature, what, err)
	}
	return nil
}

func contextOf(record string) string { return "ringtrace/loans/" + record + "/v1" }

// Digest labels.
const (
	poolLabel   = "ringtrace/loans/pool/v1"
	loanLabel   = "ringtrace/loans/loan/v1"
	pledgeLabel = "ringtrace/loans/pledge/v1"
	recordLabel = "ringtrace/loans/record/v1"
)

func digest(label string, b []byte) ID { return wire.Digest(label, b) }

// readID reads a pool, loan or pledge ID.
func readID(r *wire.Reader, field string) ID {
	var id ID
	copy(id[:], r.Fixed(field, len(id)))
	return id
}

// readPeriod reads a period number, which starts at 1.
func readPeriod(r *wire.Reader, field string) int {
	v := r.U32(field)
	if r.Err() == nil && v == 0 {
		r.Fail(field, "period 0")
	}
	return int(v)
}

func readCurrency(r *wire.Reader, field string) money.Currency {
	return wire.FixedValue(r, field, len(money.Currency{}), func(b []byte) (money.Currency, error) {
		return money.ParseCurrency(string(b))
	})
}

// readPositive reads an amount and refuses one that is not positive.
func readPositive(r *wire.Reader, field string) money.Amount {
	a := r.Amount(field)
	if r.Err() == nil && a.Sign() <= 0 {
		r.Fail(field, "not positive")
	}
	return a
}

// writePeriod writes a period number; periods fit in a u32.
func writePeriod(w *wire.Writer, n int) {
	if n < 1 || n > 1<<32-1 {
		w.Fail(fmt.Errorf("period %d out of range", n))
	}
	w.U32(uint32(n))
}
