package toll

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// commitmentOf returns the commitment to a trip secret,
// Digest("ringtrace-v1-toll-trip", secret).
func commitmentOf(secret *[TripSecretSize]byte) [32]byte {
	return wire.Digest(labelTrip, secret[:])
}

// entryProof is an entry plaza's signed statement that a vehicle showing
// a commitment entered at the plaza at a time (docs/spec/toll.md).
type entryProof struct {
	plaza      plazaRef
	operator   *ecdsa.PublicKey
	time       time.Time
	commitment [32]byte
	sig        []byte
}

// entryProofSize is the size of an encoded entry proof.
const entryProofSize = wire.HeaderSize + ecdsa.PublicKeySize + 4 + 8 + 32 + wire.SignatureSize

func (p *entryProof) body() ([]byte, error) {
	w := wire.NewWriter(kindEntry)
	w.ECDSAKey(p.operator)
	w.U32(uint32(p.plaza.id))
	w.Time(p.time)
	w.Fixed(p.commitment[:])
	return w.Finish()
}

func (p *entryProof) bytes() []byte {
	b, _ := p.body() // checked when signed or parsed
	return append(b, p.sig...)
}

// opens reports whether secret opens the proof's commitment.
func (p *entryProof) opens(secret *[TripSecretSize]byte) bool {
	c := commitmentOf(secret)
	return subtle.ConstantTimeCompare(c[:], p.commitment[:]) == 1
}

func parseEntryProof(b []byte) (*entryProof, error) {
	r, sig := wire.NewSignedReader(b, kindEntry, "entry proof", ErrMalformed)
	p := &entryProof{operator: r.ECDSAKey("operator")}
	p.plaza.id = PlazaID(r.U32("plaza"))
	p.time = r.Time("time")
	copy(p.commitment[:], r.Fixed("commitment", 32))
	p.sig = sig
	if err := r.Done(); err != nil {
		return nil, err
	}
	p.plaza.operator = idOf(p.operator)
	return p, nil
}

// Trip is a vehicle's state for one journey: a fresh secret, its
// commitment, and the entry proof the entry plaza returned.
//
// The secret stays with the vehicle until the exit, where it goes into the
// signed ticket. Someone who copies the entry proof at the entry lane
// cannot open its commitment, so the proof is useless to any other vehicle
// (the paper's distance-forgery requirement).
type Trip struct {
	secret     [TripSecretSize]byte
	commitment [32]byte
	proof      *entryProof
}

// NewTrip starts a trip with a secret from crypto/rand.
func NewTrip() (*Trip, error) {
	t := new(Trip)
	if _, err := rand.Read(t.secret[:]); err != nil {
		return nil, fmt.Errorf("toll: trip secret: %w", err)
	}
	t.commitment = commitmentOf(&t.secret)
	return t, nil
}

// Commitment returns the commitment to show at the entry plaza.
func (t *Trip) Commitment() [32]byte { return t.commitment }

// SetEntryProof records the entry plaza's proof. It fails if the proof is
// malformed or for another commitment ([ErrBadEntryProof]). The plaza's
// signature is checked at the exit.
func (t *Trip) SetEntryProof(b []byte) error {
	p, err := parseEntryProof(b)
	if err != nil {
		return err
	}
	if p.commitment != t.commitment {
		return fmt.Errorf("%w: proof is for another commitment", ErrBadEntryProof)
	}
	t.proof = p
	return nil
}

var errNoEntry = errors.New("toll: trip has no entry proof")
