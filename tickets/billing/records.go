package billing

import (
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// The ledger kinds of the records, which are also the kinds in their wire
// headers. The package owns 0x0b00–0x0bff; replay skips other kinds and
// refuses unknown kinds in that range.
const (
	kindParameters   ledger.Kind = 0x0b01
	kindRegistration ledger.Kind = 0x0b02
	kindRefund       ledger.Kind = 0x0b03
	kindPeriod       ledger.Kind = 0x0b04
	kindPeriodClose  ledger.Kind = 0x0b05
	kindUsage        ledger.Kind = 0x0b06
	kindInvoice      ledger.Kind = 0x0b07
	kindDispute      ledger.Kind = 0x0b08
	kindReceipt      ledger.Kind = 0x0b09
	kindForfeiture   ledger.Kind = 0x0b0a

	kindFirst ledger.Kind = 0x0b00
	kindLast  ledger.Kind = 0x0bff
)

// The ECDSA contexts of the collector's signatures.
const (
	contextParameters  = "ringtrace/billing/parameters/v1"
	contextPeriod      = "ringtrace/billing/period/v1"
	contextPeriodClose = "ringtrace/billing/period-close/v1"
	contextInvoice     = "ringtrace/billing/invoice/v1"
	contextReceipt     = "ringtrace/billing/receipt/v1"
	contextForfeiture  = "ringtrace/billing/forfeiture/v1"
)

// record is one of the package's ledger records.
type record interface {
	kind() ledger.Kind
	// Bytes returns the canonical encoding the record was parsed from or
	// made as.
	Bytes() []byte
	// encode rebuilds the encoding from the record's fields. It equals
	// Bytes for every record; tests use it to check that parsers accept
	// only canonical encodings.
	encode() ([]byte, error)
}

// recordKind returns the kind in b's wire header, or 0.
func recordKind(b []byte) ledger.Kind {
	if len(b) < wire.HeaderSize {
		return 0
	}
	return ledger.Kind(b[1])<<8 | ledger.Kind(b[2])
}

// parseRecord parses any record of the package by the kind in its header.
// It checks structure only: no signature, proof or state.
func parseRecord(b []byte) (record, error) {
	var rec record
	var err error
	switch k := recordKind(b); k {
	case kindParameters:
		rec, err = asRecord(parseParameters(b))
	case kindRegistration:
		rec, err = asRecord(parseRegistration(b))
	case kindRefund:
		rec, err = asRecord(parseRefund(b))
	case kindPeriod:
		rec, err = asRecord(parsePeriod(b))
	case kindPeriodClose:
		rec, err = asRecord(parsePeriodClose(b))
	case kindUsage:
		rec, err = asRecord(parseUsage(b))
	case kindInvoice:
		rec, err = asRecord(parseInvoice(b))
	case kindDispute:
		rec, err = asRecord(parseDispute(b))
	case kindReceipt:
		rec, err = asRecord(parseReceipt(b))
	case kindForfeiture:
		rec, err = asRecord(parseForfeiture(b))
	default:
		err = fmt.Errorf("%w: unknown record kind %#04x", ErrMalformed, uint16(k))
	}
	return rec, err
}

// asRecord converts only non-nil pointers: a nil *T in a record interface
// would not compare equal to nil.
func asRecord[R record](r R, err error) (record, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}

func newReader(b []byte, k ledger.Kind, what string) *wire.Reader {
	return wire.NewReader(b, uint16(k), what, ErrMalformed)
}

func malformed(what, why string) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, what, why)
}

// finish returns the writer's encoding, its error wrapping ErrMalformed.
func finish(w *wire.Writer, what string) ([]byte, error) {
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	return b, nil
}

// seconds returns t as a record stores it (whole seconds, UTC).
func seconds(t time.Time, what string) (time.Time, error) {
	s, err := wire.Seconds(t)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	return s, nil
}

// Field helpers. Keys and openings have fixed sizes; ring signatures and
// rings carry a length prefix, and their own parsers judge their contents.

func writeUserKey(w *wire.Writer, k *arsig.PublicKey) {
	if !validUser(k) {
		w.Fail(errors.New("missing user key"))
		return
	}
	w.Fixed(k.Bytes())
}

func readUserKey(r *wire.Reader, field string) *arsig.PublicKey {
	return wire.FixedValue(r, field, arsig.PublicKeySize, arsig.ParsePublicKey)
}

func writeOpener(w *wire.Writer, k *arsig.OpenerPublicKey) {
	if k == nil || isZero(k.Bytes()) {
		w.Fail(errors.New("missing opener key"))
		return
	}
	w.Fixed(k.Bytes())
}

func readOpener(r *wire.Reader) *arsig.OpenerPublicKey {
	return wire.FixedValue(r, "opener", arsig.OpenerPublicKeySize, arsig.ParseOpenerPublicKey)
}

func writeRingSignature(w *wire.Writer, s *arsig.Signature) {
	if s == nil || s.Bytes() == nil {
		w.Fail(errors.New("missing ring signature"))
		return
	}
	w.Bytes(s.Bytes())
}

func readRingSignature(r *wire.Reader, field string) *arsig.Signature {
	return wire.Value(r, field, arsig.ParseSignature)
}

func writeOpening(w *wire.Writer, o *arsig.Opening) {
	if o == nil || o.Bytes() == nil {
		w.Fail(errors.New("missing opening"))
		return
	}
	w.Fixed(o.Bytes())
}

func readOpening(r *wire.Reader) *arsig.Opening {
	return wire.FixedValue(r, "opening", arsig.OpeningSize, arsig.ParseOpening)
}

func readDigest(r *wire.Reader, field string) [32]byte {
	var d [32]byte
	copy(d[:], r.Fixed(field, len(d)))
	return d
}

func readSignature(r *wire.Reader) []byte {
	return r.Fixed("signature", wire.SignatureSize)
}

// readPositive reads an amount that must be greater than zero.
func readPositive(r *wire.Reader, field string) money.Amount {
	a := r.Amount(field)
	if r.Err() == nil && a.Sign() <= 0 {
		r.Fail(field, "not positive")
	}
	return a
}

// positive reports whether a has a currency and is greater than zero.
func positive(a money.Amount) bool { return a.Valid() && a.Sign() > 0 }

// signed is what every record the collector signs has: its encoding
// body || sig, and sig.
type signed struct {
	sig []byte
	enc []byte
}

// sign sets the encoding to body() || key's signature under context.
func (s *signed) sign(key *ecdsa.PrivateKey, context, what string, body func() ([]byte, error)) error {
	b, err := body()
	if err != nil {
		return err
	}
	if s.enc, err = signBody(key, context, b, what); err != nil {
		return err
	}
	s.sig = clone(s.enc[len(b):])
	return nil
}

// signedBody returns the encoding up to the signature.
func (s *signed) signedBody() []byte { return s.enc[:len(s.enc)-wire.SignatureSize] }

// reencode returns body || sig for a body rebuilt from the fields.
func (s *signed) reencode(body []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return append(body[:len(body):len(body)], s.sig...), nil
}

// signBody returns body || key's signature of body under context.
func signBody(key *ecdsa.PrivateKey, context string, body []byte, what string) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: %s: missing collector key", ErrMalformed, what)
	}
	enc, err := wire.Sign(key, context, body)
	if err != nil {
		return nil, fmt.Errorf("billing: signing %s: %w", what, err)
	}
	return enc, nil
}

// verifyCollector checks that enc = body || sig carries key's signature.
func verifyCollector(key *ecdsa.PublicKey, context string, enc []byte, what string) error {
	if _, err := wire.Verify(key, context, enc); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadSignature, what, err)
	}
	return nil
}

// parseSigned parses b with parse and checks that collector signed it
// under context.
func parseSigned[R any](b []byte, collector *ecdsa.PublicKey, context, what string, parse func([]byte) (R, error)) (R, error) {
	var zero R
	r, err := parse(b)
	if err != nil {
		return zero, err
	}
	if err := verifyCollector(collector, context, b, what); err != nil {
		return zero, err
	}
	return r, nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// validUser reports whether k is a key made by arsig (the zero value is
// not).
func validUser(k *arsig.PublicKey) bool { return k != nil && !isZero(k.Bytes()) }

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
