package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// Kind is the record type of an [Entry]. The ledger stores it but gives it
// no meaning; each package that appends records owns a range of kinds, so
// that packages can share one ledger and skip each other's records:
//
//	0x00xx  package ledger itself ([Checkpoint])
//	0x01xx  package tickets (the generic one-use ticket)
//	0x02xx  package tickets/toll
//	0x0Bxx  package tickets/billing
//	0x0Cxx  shop, reviews and payments
//	0x0Dxx  charging and device credits
//	0x0Exx  netting
//	0x0Fxx  loans
//
// A package's replay skips kinds it does not own and refuses unknown kinds
// inside its own range.
type Kind uint16

// MaxPayload is the largest payload [Ledger.Append] accepts, in bytes; a
// longer one is an error and changes nothing.
const MaxPayload = 16 << 20

// HashSize is the size of an entry hash in bytes.
const HashSize = sha256.Size

// hashLabel is the domain separation label of [ChainHash].
const hashLabel = "ringtrace-v1-ledger-entry"

var (
	// ErrClosed is returned by operations on a closed ledger.
	ErrClosed = errors.New("ledger: closed")

	// ErrCorrupt is wrapped by errors that report stored bytes that are not
	// an intact ledger: a file that is not a ledger of this format, damage
	// that recovery must not repair (see [OpenFile]), records that changed
	// on disk after OpenFile verified them (from a File's Scan), a
	// checkpoint that does not parse, and a ledger that no longer holds a
	// checkpoint's chain ([Checkpoint.Check]).
	ErrCorrupt = errors.New("ledger: corrupt")
)

// An Entry is one record of a ledger.
//
// Entries handed out by a ledger are copies: changing Payload changes
// nothing stored.
type Entry struct {
	Seq     uint64         // position in the ledger, from 0
	Kind    Kind           // record type, chosen by the caller
	Payload []byte         // record contents, at most MaxPayload bytes
	Prev    [HashSize]byte // Hash of entry Seq-1; all zeros for entry 0
	Hash    [HashSize]byte // ChainHash(Seq, Kind, Payload, Prev)
}

// ChainHash returns the hash that links an entry into the chain
// (docs/spec/ledger.md):
//
//	SHA-256(lp(label) || u64be(seq) || u16be(kind) || lp(payload) || prev)
//
// where label is the ASCII string "ringtrace-v1-ledger-entry" and
// lp(x) = u64be(len(x)) || x. The first entry's prev is all zeros.
func ChainHash(seq uint64, kind Kind, payload []byte, prev [HashSize]byte) [HashSize]byte {
	var fixed [8 + len(hashLabel) + 8 + 2 + 8]byte
	b := binary.BigEndian.AppendUint64(fixed[:0], uint64(len(hashLabel)))
	b = append(b, hashLabel...)
	b = binary.BigEndian.AppendUint64(b, seq)
	b = binary.BigEndian.AppendUint16(b, uint16(kind))
	b = binary.BigEndian.AppendUint64(b, uint64(len(payload)))

	h := sha256.New()
	h.Write(b)
	h.Write(payload)
	h.Write(prev[:])
	var out [HashSize]byte
	h.Sum(out[:0])
	return out
}

// A Ledger is an append-only, hash-chained log of records.
//
// Implementations are safe for concurrent use. Appends are serialised: each
// gets the next sequence number and chains to the entry before it.
type Ledger interface {
	// Append adds a record and returns its entry. It returns only once the
	// record is durable (for a file: written and synced); on error nothing
	// was acknowledged. The payload is copied. A context that is nil or
	// already done is an error; one that ends during the call may or may
	// not stop it, as the implementation says.
	Append(ctx context.Context, kind Kind, payload []byte) (Entry, error)

	// Len returns the number of entries.
	Len() uint64

	// Head returns the Hash of the last entry, or all zeros if the ledger
	// is empty.
	Head() [HashSize]byte

	// Scan calls fn for entries from, from+1, … in order, up to the last
	// entry present when Scan was called. It stops at the first error from
	// fn and returns it unchanged. from == Len() scans nothing; from > Len()
	// is an error. fn may call Append; the entries it adds are not scanned.
	// If the ledger is closed during the Scan, Scan returns ErrClosed.
	// A context that is done stops the Scan with its error; a nil context
	// or fn is an error.
	Scan(ctx context.Context, from uint64, fn func(Entry) error) error

	// Close releases the ledger. Later Append and Scan calls return
	// ErrClosed, as does a second Close; Len and Head keep working.
	Close() error
}

// errNilArgument is returned for a nil context or Scan function.
var errNilArgument = errors.New("ledger: nil context or scan function")

func checkPayload(p []byte) error {
	if len(p) > MaxPayload {
		return fmt.Errorf("ledger: payload of %d bytes exceeds MaxPayload (%d)", len(p), MaxPayload)
	}
	return nil
}

func clonePayload(p []byte) []byte {
	// Never nil, so a stored empty payload reads back the same as any other.
	return append(make([]byte, 0, len(p)), p...)
}
