package billing

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

const (
	// nonceSize is the size of a usage record's random nonce, which makes
	// every record distinct and says nothing about the user.
	nonceSize = 16
	// maxEdge is the longest edge identifier, in bytes.
	maxEdge = 64
	// maxDetail is the longest application-defined detail, in bytes.
	maxDetail = 256

	labelUsage = "ringtrace/billing/usage/v1"
)

// Usage is one anonymous usage record: a registered user's accountable ring
// signature, under its period's ring and opener key, on the period, the edge
// that served the use (a service, a charger, a meter: 1–64 bytes of
// printable ASCII without space), the amount owed, the time, a random nonce
// and up to 256 bytes of application-defined detail (for a charger, say, the
// energy delivered). An edge learns that some member of the ring signed and
// what the record states, nothing more; only the collector can open it.
//
// A record is named by its [Usage.ID], the digest of its signed message:
// the collector bills each ID once, however often and by whichever edges it
// is delivered. Layout: docs/spec/billing.md.
type Usage struct {
	period       uint32
	periodDigest [32]byte
	edge         string
	amount       money.Amount
	time         time.Time
	nonce        [nonceSize]byte
	detail       []byte
	sig          *arsig.Signature
	id           [32]byte
	enc          []byte
}

func (*Usage) kind() ledger.Kind { return kindUsage }

// NewUsage returns a usage record of period p signed with key, which must
// be the private key of a member of p's ring, for a use at edge at time t
// (within p's window) owing amount (in p's currency). detail is
// application-defined and may be empty.
func NewUsage(key *arsig.PrivateKey, p *Period, edge string, amount money.Amount, t time.Time, detail []byte) (*Usage, error) {
	if key == nil || p == nil || p.enc == nil {
		return nil, malformed("usage", "missing key or period")
	}
	u, err := unsignedUsage(p, edge, amount, t, detail)
	if err != nil {
		return nil, err
	}
	if err := p.fits(u); err != nil {
		return nil, err
	}
	return u.sign(key, p)
}

// unsignedUsage returns a usage record of p without its signature and
// without checking that it fits p.
func unsignedUsage(p *Period, edge string, amount money.Amount, t time.Time, detail []byte) (*Usage, error) {
	u := &Usage{period: p.id, periodDigest: p.digest, edge: edge, amount: amount, detail: clone(detail)}
	var err error
	if u.time, err = seconds(t, "usage time"); err != nil {
		return nil, err
	}
	if _, err := rand.Read(u.nonce[:]); err != nil {
		return nil, err
	}
	return u, nil
}

// sign sets the ring signature under p and the encoding.
func (u *Usage) sign(key *arsig.PrivateKey, p *Period) (*Usage, error) {
	body, err := u.body()
	if err != nil {
		return nil, err
	}
	u.id = wire.Digest(labelUsage, body)
	if u.sig, err = arsig.Sign(key, p.ring, p.opener, u.id[:]); err != nil {
		if errors.Is(err, arsig.ErrNotInRing) {
			return nil, fmt.Errorf("%w: signing usage: %w", ErrPeriod, err)
		}
		return nil, fmt.Errorf("billing: signing usage: %w", err)
	}
	if u.enc, err = u.encode(); err != nil {
		return nil, err
	}
	return u, nil
}

func checkEdge(s string) error {
	if len(s) == 0 || len(s) > maxEdge {
		return fmt.Errorf("edge identifier of %d bytes", len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return fmt.Errorf("edge identifier byte %#x", s[i])
		}
	}
	return nil
}

func (u *Usage) write(w *wire.Writer) {
	w.U32(u.period)
	w.Fixed(u.periodDigest[:])
	if err := checkEdge(u.edge); err != nil {
		w.Fail(err)
	}
	w.Bytes([]byte(u.edge))
	if !positive(u.amount) {
		w.Fail(fmt.Errorf("amount %v is not positive", u.amount))
	}
	w.Amount(u.amount)
	w.Time(u.time)
	w.Fixed(u.nonce[:])
	if len(u.detail) > maxDetail {
		w.Fail(fmt.Errorf("detail of %d bytes exceeds %d", len(u.detail), maxDetail))
	}
	w.Bytes(u.detail)
}

// body returns the encoding up to the signature.
func (u *Usage) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindUsage))
	u.write(w)
	return finish(w, "usage")
}

func (u *Usage) encode() ([]byte, error) {
	w := wire.NewWriter(uint16(kindUsage))
	u.write(w)
	writeRingSignature(w, u.sig)
	return finish(w, "usage")
}

func parseUsage(b []byte) (*Usage, error) {
	r := newReader(b, kindUsage, "usage")
	u := &Usage{period: r.U32("period"), periodDigest: readDigest(r, "period digest")}
	if e := r.Bytes("edge"); r.Err() == nil {
		if err := checkEdge(string(e)); err != nil {
			r.FailErr("edge", err)
		}
		u.edge = string(e)
	}
	u.amount = readPositive(r, "amount")
	u.time = r.Time("time")
	copy(u.nonce[:], r.Fixed("nonce", nonceSize))
	if u.detail = r.Bytes("detail"); r.Err() == nil && len(u.detail) > maxDetail {
		r.Fail("detail", fmt.Sprintf("%d bytes exceed %d", len(u.detail), maxDetail))
	}
	u.sig = readRingSignature(r, "signature")
	if err := r.Done(); err != nil {
		return nil, err
	}
	// The signature is the last field: u32 length || signature.
	u.id = wire.Digest(labelUsage, b[:len(b)-4-len(u.sig.Bytes())])
	u.enc = clone(b)
	return u, nil
}

// Bytes returns the record's encoding.
func (u *Usage) Bytes() []byte {
	if u == nil {
		return nil
	}
	return clone(u.enc)
}

// ID returns the record's identity: the digest of the message its ring
// signature signs. Two records with one ID are the same use, billed once.
func (u *Usage) ID() [32]byte {
	if u == nil {
		return [32]byte{}
	}
	return u.id
}

// Edge returns the identifier of the edge that served the use.
func (u *Usage) Edge() string {
	if u == nil {
		return ""
	}
	return u.edge
}

// Amount returns the amount the use owes.
func (u *Usage) Amount() money.Amount {
	if u == nil {
		return money.Amount{}
	}
	return u.amount
}

// Time returns the time of the use.
func (u *Usage) Time() time.Time {
	if u == nil {
		return time.Time{}
	}
	return u.time
}

// Detail returns a copy of the application-defined detail.
func (u *Usage) Detail() []byte {
	if u == nil {
		return nil
	}
	return clone(u.detail)
}
