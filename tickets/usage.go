package tickets

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
)

// UsageRequest is an exit plaza's claim for the fare of a ticket it
// accepted, the paper's exchange_request: the provider settles it and pays
// the plaza.
//
// Encoding (signed by the exit plaza under "ringtrace/toll/usage/v1"):
//
//	u8(1) || u8(0x08) || u32(plaza) || u64(exitTime)
//	   || u32-prefixed ticket || sig[64]
type UsageRequest struct {
	Plaza    PlazaID
	ExitTime time.Time
	Ticket   *Ticket
	sig      [ecdsa.SignatureSize]byte
}

func (r *UsageRequest) body() []byte {
	t, _ := unixTime(r.ExitTime)
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeUsageRequest)
		b.AddUint32(uint32(r.Plaza))
		addTime(b, t)
		b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Ticket.Bytes()) })
	})
}

// Bytes returns the canonical encoding.
func (r *UsageRequest) Bytes() []byte { return append(r.body(), r.sig[:]...) }

// Verify checks the plaza's signature.
func (r *UsageRequest) Verify(plaza *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(plaza, contextUsage, r.body(), r.sig[:]); err != nil {
		return fmt.Errorf("%w: usage request: %v", ErrBadSignature, err)
	}
	return nil
}

const usageDigestLabel = "ringtrace-v1-toll-usage-request"

// Digest identifies the request: SHA-256(lp(label) || encoding). Settling
// is idempotent per digest. ECDSA signatures here are low-S and canonical,
// so nobody but the plaza can make a second encoding of the same claim.
func (r *UsageRequest) Digest() [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(usageDigestLabel)))
	h.Write(n[:])
	h.Write([]byte(usageDigestLabel))
	h.Write(r.Bytes())
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

// ParseUsageRequest decodes a request encoded by Bytes. It parses the
// ticket strictly but verifies no signature.
func ParseUsageRequest(b []byte) (*UsageRequest, error) {
	s := cryptobyte.String(b)
	var (
		r      UsageRequest
		plaza  uint32
		t      uint64
		ticket cryptobyte.String
		ok     bool
	)
	if !readHeader(&s, typeUsageRequest) || !s.ReadUint32(&plaza) || !readTime(&s, &t) ||
		!readUint32Prefixed(&s, &ticket) {
		return nil, malformed("usage request")
	}
	if r.Ticket, ok = readTicket(&ticket); !ok || !ticket.Empty() {
		return nil, malformed("usage request ticket")
	}
	if !readSignature(&s, &r.sig) || !s.Empty() {
		return nil, malformed("usage request")
	}
	r.Plaza, r.ExitTime = PlazaID(plaza), timeOf(t)
	return &r, nil
}
