package reviews

import (
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// Roster is the shop's signed ring of its customers' long-term keys, with
// the moderator's opener key: every review carries an accountable ring
// signature under a roster, which shows that some customer wrote it and
// lets the moderator, and only the moderator, name which. Rosters are
// numbered from 0; each lists every customer who had ordered when it was
// made. Layout: docs/spec/reviews.md. A Roster is immutable and safe for
// concurrent use.
type Roster struct {
	shop   *ecdsa.PublicKey
	number uint64
	opener *arsig.OpenerPublicKey
	time   time.Time
	ring   *arsig.Ring

	sig []byte

	id [32]byte
}

func (r *Roster) body() ([]byte, error) {
	if r.opener == nil || r.ring == nil {
		return nil, fmt.Errorf("%w: roster without an opener or a ring", ErrMalformed)
	}
	w := wire.NewWriter(uint16(kindRoster))
	w.ECDSAKey(r.shop)
	w.U64(r.number)
	w.Fixed(r.opener.Bytes())
	w.Time(r.time)
	w.Bytes(r.ring.Bytes())
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: roster: %w", ErrMalformed, err)
	}
	return b, nil
}

// newRoster signs a roster with the shop's key.
func newRoster(key *ecdsa.PrivateKey, number uint64, opener *arsig.OpenerPublicKey, at time.Time, ring *arsig.Ring) (*Roster, error) {
	r := &Roster{shop: key.Public(), number: number, opener: opener, time: at, ring: ring}
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	signed, err := wire.Sign(key, contextRoster, body)
	if err != nil {
		return nil, err
	}
	r.sig = signed[len(body):]
	r.id = wire.Digest(labelRosterID, body)
	return r, nil
}

// ParseRoster decodes a roster encoded by [Roster.Bytes]. It does not
// check the signature: [Roster.Verify] does, and a [Board] does when it
// applies the roster.
func ParseRoster(b []byte) (*Roster, error) {
	rd, sig := wire.NewSignedReader(b, uint16(kindRoster), "roster", ErrMalformed)
	r := &Roster{shop: rd.ECDSAKey("shop"), number: rd.U64("number"), sig: sig}
	r.opener = wire.FixedValue(rd, "opener", arsig.OpenerPublicKeySize, arsig.ParseOpenerPublicKey)
	r.time = rd.Time("time")
	r.ring = wire.Value(rd, "ring", arsig.ParseRing)
	if err := rd.Done(); err != nil {
		return nil, err
	}
	r.id = wire.Digest(labelRosterID, b[:len(b)-wire.SignatureSize])
	return r, nil
}

// Verify checks that the roster is signed by shop, which must be the key
// it names.
func (r *Roster) Verify(shop *ecdsa.PublicKey) error {
	if shop == nil || !shop.Equal(r.shop) {
		return fmt.Errorf("%w: roster %d is not the shop's", ErrUnknown, r.number)
	}
	if _, err := wire.Verify(shop, contextRoster, r.Bytes()); err != nil {
		return fmt.Errorf("%w: roster %d: %w", ErrBadSignature, r.number, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (r *Roster) Bytes() []byte {
	body, _ := r.body() // checked when signed or parsed
	return append(body, r.sig...)
}

// ID names the roster: a digest of everything the shop signed, which a
// review names.
func (r *Roster) ID() [32]byte { return r.id }

// Number returns the roster's sequence number at its shop.
func (r *Roster) Number() uint64 { return r.number }

// Ring returns the customers' keys: the anonymity set of every review
// signed under the roster.
func (r *Roster) Ring() *arsig.Ring { return r.ring }

// Opener returns the moderator's opener key, to which every review under
// the roster encrypts its author. A buyer checks it is the moderator it
// trusts before signing.
func (r *Roster) Opener() *arsig.OpenerPublicKey { return r.opener }
