package billing

import (
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Registration adds a user's arsig key to the registry and locks its
// deposit; the key joins the ring of every period opened afterwards while
// its deposit is whole. It carries a proof that the registrant holds the
// key's private key: without it anyone could register keys they do not hold
// (someone else's, or keys nobody can sign with), padding rings with members
// that never sign. The proof binds the system's [Parameters], so it does not
// carry over to another system. Layout and proof: docs/spec/billing.md.
type Registration struct{ r holderRecord }

// Refund returns what remains of a user's deposit and retires the key: it is
// in no later ring and cannot register again. Like a registration it carries
// a proof by the key's holder, so nobody can retire someone else's key. The
// book refuses it while the deposit still secures unsettled usage and for any
// amount but the whole remainder.
type Refund struct{ r holderRecord }

// A holderRecord is a request about a user's key, proved by the key's
// holder: an arsig signature under the ring of that key alone and the
// system's opener key, on a digest of the parameters and the record's body.
type holderRecord struct {
	k      ledger.Kind
	user   *arsig.PublicKey
	amount money.Amount
	time   time.Time
	proof  *arsig.Signature
	enc    []byte
}

// The labels of the digests a holder's proof signs.
const (
	labelRegistration = "ringtrace/billing/registration/v1"
	labelRefund       = "ringtrace/billing/refund/v1"
)

// NewRegistration returns the registration of key's public key with a
// deposit (at least params.Deposit(), in its currency) at time t, proved
// with key.
func NewRegistration(key *arsig.PrivateKey, params *Parameters, deposit money.Amount, t time.Time) (*Registration, error) {
	r, err := newHolderRecord(kindRegistration, key, params, deposit, t)
	if err != nil {
		return nil, err
	}
	return &Registration{r: *r}, nil
}

// NewRefund returns the refund of amount, the whole remaining deposit of
// key's public key, at time t, proved with key.
func NewRefund(key *arsig.PrivateKey, params *Parameters, amount money.Amount, t time.Time) (*Refund, error) {
	r, err := newHolderRecord(kindRefund, key, params, amount, t)
	if err != nil {
		return nil, err
	}
	return &Refund{r: *r}, nil
}

func (*Registration) kind() ledger.Kind         { return kindRegistration }
func (r *Registration) encode() ([]byte, error) { return r.r.encode() }
func (*Refund) kind() ledger.Kind               { return kindRefund }
func (r *Refund) encode() ([]byte, error)       { return r.r.encode() }

func parseRegistration(b []byte) (*Registration, error) {
	r, err := parseHolderRecord(b, kindRegistration)
	if err != nil {
		return nil, err
	}
	return &Registration{r: *r}, nil
}

func parseRefund(b []byte) (*Refund, error) {
	r, err := parseHolderRecord(b, kindRefund)
	if err != nil {
		return nil, err
	}
	return &Refund{r: *r}, nil
}

// Bytes returns the record's encoding.
func (r *Registration) Bytes() []byte {
	if r == nil {
		return nil
	}
	return clone(r.r.enc)
}

// Bytes returns the record's encoding.
func (r *Refund) Bytes() []byte {
	if r == nil {
		return nil
	}
	return clone(r.r.enc)
}

func (h *holderRecord) what() string {
	if h.k == kindRefund {
		return "refund"
	}
	return "registration"
}

func newHolderRecord(k ledger.Kind, key *arsig.PrivateKey, params *Parameters, amount money.Amount, t time.Time) (*holderRecord, error) {
	h := &holderRecord{k: k, amount: amount}
	if key == nil || params == nil || params.enc == nil {
		return nil, malformed(h.what(), "missing key or parameters")
	}
	h.user = key.Public()
	var err error
	if h.time, err = seconds(t, h.what()+" time"); err != nil {
		return nil, err
	}
	body, err := h.body()
	if err != nil {
		return nil, err
	}
	ring, err := arsig.NewRing([]*arsig.PublicKey{h.user})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, h.what(), err)
	}
	if h.proof, err = arsig.Sign(key, ring, params.opener, h.message(params, body)); err != nil {
		return nil, fmt.Errorf("billing: proving %s: %w", h.what(), err)
	}
	if h.enc, err = h.encode(); err != nil {
		return nil, err
	}
	return h, nil
}

// write writes the fields before the proof.
func (h *holderRecord) write(w *wire.Writer) {
	writeUserKey(w, h.user)
	switch {
	case !h.amount.Valid():
		w.Fail(errors.New("amount without a currency"))
	case h.k == kindRegistration && h.amount.Sign() <= 0:
		w.Fail(fmt.Errorf("deposit %v is not positive", h.amount))
	case h.amount.Sign() < 0:
		w.Fail(fmt.Errorf("amount %v is negative", h.amount))
	}
	w.Amount(h.amount)
	w.Time(h.time)
}

// body returns the encoding up to the proof: what the proof binds.
func (h *holderRecord) body() ([]byte, error) {
	w := wire.NewWriter(uint16(h.k))
	h.write(w)
	return finish(w, h.what())
}

func (h *holderRecord) encode() ([]byte, error) {
	w := wire.NewWriter(uint16(h.k))
	h.write(w)
	writeRingSignature(w, h.proof)
	return finish(w, h.what())
}

// message returns the digest the proof signs.
func (h *holderRecord) message(params *Parameters, body []byte) []byte {
	label := labelRegistration
	if h.k == kindRefund {
		label = labelRefund
	}
	d := wire.Digest(label, params.enc, body)
	return d[:]
}

// verify checks the proof against the system's parameters. What it
// checks is the record's own bytes: the proof is the last field, u32
// length || signature.
func (h *holderRecord) verify(params *Parameters) error {
	body := h.enc[:len(h.enc)-4-len(h.proof.Bytes())]
	ring, err := arsig.NewRing([]*arsig.PublicKey{h.user})
	if err == nil {
		err = arsig.Verify(ring, params.opener, h.message(params, body), h.proof)
	}
	if err != nil {
		return fmt.Errorf("%w: %s proof: %w", ErrBadSignature, h.what(), err)
	}
	return nil
}

func parseHolderRecord(b []byte, k ledger.Kind) (*holderRecord, error) {
	h := &holderRecord{k: k}
	r := newReader(b, k, h.what())
	h.user = readUserKey(r, "user")
	h.amount = r.Amount("amount")
	if r.Err() == nil && (h.amount.Sign() < 0 || k == kindRegistration && h.amount.Sign() == 0) {
		r.Fail("amount", "out of range")
	}
	h.time = r.Time("time")
	h.proof = readRingSignature(r, "proof")
	if err := r.Done(); err != nil {
		return nil, err
	}
	h.enc = clone(b)
	return h, nil
}
