package tickets

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
)

// TripSecretSize is the size of a trip secret and of its commitment.
const TripSecretSize = 32

const tripLabel = "ringtrace-v1-toll-trip"

// TripCommitment returns SHA-256(lp("ringtrace-v1-toll-trip") || secret),
// with lp(x) = u64be(len(x)) || x: what a vehicle shows the entry plaza.
func TripCommitment(secret *[TripSecretSize]byte) [sha256.Size]byte {
	var prefix [8]byte
	binary.BigEndian.PutUint64(prefix[:], uint64(len(tripLabel)))
	h := sha256.New()
	h.Write(prefix[:])
	h.Write([]byte(tripLabel))
	h.Write(secret[:])
	var c [sha256.Size]byte
	h.Sum(c[:0])
	return c
}

// Trip is a vehicle's state for one journey: a fresh secret, its
// commitment, and the entry proof the entry plaza returned for it.
//
// The secret stays with the vehicle until it exits, when it goes into the
// signed ticket. An eavesdropper who copies the entry proof at the entry
// lane cannot open its commitment, so the proof is useless to any other
// vehicle (the paper's distance-forgery requirement).
type Trip struct {
	secret     [TripSecretSize]byte
	commitment [sha256.Size]byte
	proof      *EntryProof
}

// NewTrip starts a trip with a secret from crypto/rand.
func NewTrip() (*Trip, error) {
	t := new(Trip)
	if _, err := rand.Read(t.secret[:]); err != nil {
		return nil, fmt.Errorf("tickets: trip secret: %w", err)
	}
	t.commitment = TripCommitment(&t.secret)
	return t, nil
}

// Commitment returns the commitment to show at the entry plaza.
func (t *Trip) Commitment() [sha256.Size]byte { return t.commitment }

// SetEntryProof records the entry plaza's proof. It fails if the proof is
// for another commitment.
func (t *Trip) SetEntryProof(p *EntryProof) error {
	if p.Commitment != t.commitment {
		return fmt.Errorf("%w: proof is for another commitment", ErrBadEntryProof)
	}
	t.proof = p
	return nil
}

// EntryProof returns the recorded entry proof, or nil.
func (t *Trip) EntryProof() *EntryProof { return t.proof }

// EntryProof is an entry plaza's signed statement that a vehicle showing
// Commitment entered at Plaza at Time.
//
// Encoding (signed by the entry plaza under "ringtrace/toll/entry/v1"):
//
//	u8(1) || u8(0x06) || u32(plaza) || u64(time) || commitment[32] || sig[64]
type EntryProof struct {
	Plaza      PlazaID
	Time       time.Time
	Commitment [sha256.Size]byte
	sig        [ecdsa.SignatureSize]byte
}

// EntryProofSize is the size of an encoded EntryProof.
const EntryProofSize = 2 + 4 + 8 + sha256.Size + ecdsa.SignatureSize

func (p *EntryProof) body() []byte {
	t, _ := unixTime(p.Time)
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeEntryProof)
		b.AddUint32(uint32(p.Plaza))
		addTime(b, t)
		b.AddBytes(p.Commitment[:])
	})
}

// Bytes returns the canonical encoding.
func (p *EntryProof) Bytes() []byte { return append(p.body(), p.sig[:]...) }

// Verify checks the entry plaza's signature.
func (p *EntryProof) Verify(plaza *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(plaza, contextEntry, p.body(), p.sig[:]); err != nil {
		return fmt.Errorf("%w: %v", ErrBadEntryProof, err)
	}
	return nil
}

// Opens reports whether secret opens the proof's commitment.
func (p *EntryProof) Opens(secret *[TripSecretSize]byte) bool {
	c := TripCommitment(secret)
	return subtle.ConstantTimeCompare(c[:], p.Commitment[:]) == 1
}

// ParseEntryProof decodes a proof encoded by Bytes. It does not check the
// signature.
func ParseEntryProof(b []byte) (*EntryProof, error) {
	s := cryptobyte.String(b)
	p, ok := readEntryProof(&s)
	if !ok || !s.Empty() {
		return nil, malformed("entry proof")
	}
	return p, nil
}

func readEntryProof(s *cryptobyte.String) (*EntryProof, bool) {
	var (
		p     EntryProof
		plaza uint32
		t     uint64
	)
	if !readHeader(s, typeEntryProof) || !s.ReadUint32(&plaza) || !readTime(s, &t) ||
		!s.CopyBytes(p.Commitment[:]) || !readSignature(s, &p.sig) {
		return nil, false
	}
	p.Plaza, p.Time = PlazaID(plaza), timeOf(t)
	return &p, true
}
