package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

const (
	// checkpointKind is the record kind of a Checkpoint, in the ledger's own
	// range 0x00xx.
	checkpointKind Kind = 0x0001

	checkpointContext = "ringtrace/ledger/checkpoint/v1"

	checkpointBodySize = wire.HeaderSize + 8 + HashSize + 8
	checkpointSize     = checkpointBodySize + wire.SignatureSize
)

// A Checkpoint is a signed statement that a ledger held Count entries, the
// last of which hashed to Head, at Time. Kept where the ledger's owner
// cannot rewrite it (with an auditor, on another machine, in another
// operator's ledger), it detects what the hash chain alone cannot: a ledger
// rewritten with every hash recomputed, and one cut back to an earlier
// record boundary. A Checkpoint is immutable and safe for concurrent use.
//
// Its encoding, a record of kind 0x0001 signed with ECDSA under the context
// "ringtrace/ledger/checkpoint/v1", is specified in docs/spec/ledger.md.
type Checkpoint struct {
	count uint64
	head  [HashSize]byte
	time  time.Time
	enc   []byte
}

// NewCheckpoint signs with key the current state of l: its length and head,
// read together (re-read until no Append came between them), and now,
// truncated to whole seconds in UTC. It works on any [Ledger]; a checkpoint
// of an empty ledger is valid and says nothing.
func NewCheckpoint(l Ledger, key *ecdsa.PrivateKey, now time.Time) (*Checkpoint, error) {
	if l == nil || key == nil {
		return nil, errors.New("ledger: checkpoint: nil ledger or key")
	}
	t, err := wire.Seconds(now)
	if err != nil {
		return nil, fmt.Errorf("ledger: checkpoint: %w", err)
	}
	// Appends only ever increase Len, and change it together with Head, so
	// an unchanged Len around Head means Head belongs to that length.
	n, head := l.Len(), l.Head()
	for m := l.Len(); m != n; m = l.Len() {
		n, head = m, l.Head()
	}
	w := wire.NewWriter(uint16(checkpointKind))
	w.U64(n)
	w.Fixed(head[:])
	w.Time(t)
	body, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("ledger: checkpoint: %w", err)
	}
	enc, err := wire.Sign(key, checkpointContext, body)
	if err != nil {
		return nil, fmt.Errorf("ledger: checkpoint: %w", err)
	}
	return &Checkpoint{count: n, head: head, time: t, enc: enc}, nil
}

// ParseCheckpoint decodes a checkpoint. It is strict: exact length, the
// checkpoint's record header, a time that is whole seconds after 1970, and
// a head of all zeros exactly when the count is 0; the error wraps
// [ErrCorrupt]. It does not verify the signature: call
// [Checkpoint.Verify] with the key that must have signed it.
func ParseCheckpoint(b []byte) (*Checkpoint, error) {
	if len(b) != checkpointSize {
		return nil, fmt.Errorf("%w: checkpoint is %d bytes, want %d", ErrCorrupt, len(b), checkpointSize)
	}
	r := wire.NewReader(b[:checkpointBodySize], uint16(checkpointKind), "ledger: checkpoint", ErrCorrupt)
	c := &Checkpoint{count: r.U64("count")}
	copy(c.head[:], r.Fixed("head", HashSize))
	c.time = r.Time("time")
	if err := r.Done(); err != nil {
		return nil, err
	}
	if (c.count == 0) != (c.head == [HashSize]byte{}) {
		return nil, fmt.Errorf("%w: checkpoint of %d entries with head %x", ErrCorrupt, c.count, c.head)
	}
	c.enc = slices.Clone(b)
	return c, nil
}

// Bytes returns the encoding of the checkpoint, signature included.
func (c *Checkpoint) Bytes() []byte { return slices.Clone(c.enc) }

// Count returns the number of entries the ledger held.
func (c *Checkpoint) Count() uint64 { return c.count }

// Head returns the hash of entry Count-1, or all zeros if Count is 0.
func (c *Checkpoint) Head() [HashSize]byte { return c.head }

// Time returns when the checkpoint was made, by its signer's clock.
func (c *Checkpoint) Time() time.Time { return c.time }

// Verify checks that key signed the checkpoint. The error wraps
// [ecdsa.ErrInvalidSignature] for a signature that does not verify.
func (c *Checkpoint) Verify(key *ecdsa.PublicKey) error {
	if c == nil || c.enc == nil {
		return errors.New("ledger: checkpoint is nil or was not built by this package")
	}
	if _, err := wire.Verify(key, checkpointContext, c.enc); err != nil {
		return fmt.Errorf("ledger: checkpoint signature: %w", err)
	}
	return nil
}

// errCheckpointReached stops Check's Scan at entry Count-1.
var errCheckpointReached = errors.New("checkpoint reached")

// Check reports whether l still holds the checkpointed chain: entries 0 to
// Count-1 are there, and recomputing the chain over them, from entry 0,
// ends at Head. It returns an error wrapping [ErrCorrupt] if l has fewer
// entries than Count (cut back) or the chain differs (rewritten, even with
// every hash recomputed), and Scan's error if reading fails.
//
// Check recomputes every hash itself, so it trusts nothing the
// implementation reports but the entries' sequence, kinds and payloads; it
// works on any [Ledger] and reads the first Count entries. Entries after
// Count-1 are not checked: a later checkpoint covers them. Check does not
// verify the signature; call [Checkpoint.Verify] first.
func (c *Checkpoint) Check(ctx context.Context, l Ledger) error {
	if c == nil || c.enc == nil || l == nil || ctx == nil {
		return errors.New("ledger: checkpoint check: nil checkpoint, ledger or context")
	}
	if c.count == 0 {
		return nil
	}
	if n := l.Len(); n < c.count {
		return fmt.Errorf("%w: the ledger has %d entries, fewer than the %d of the checkpoint of %v",
			ErrCorrupt, n, c.count, c.time)
	}
	var h [HashSize]byte
	var seq uint64
	err := l.Scan(ctx, 0, func(e Entry) error {
		if e.Seq != seq || e.Prev != h {
			return fmt.Errorf("%w: entry %d is out of place in the chain", ErrCorrupt, seq)
		}
		h = ChainHash(seq, e.Kind, e.Payload, h)
		if e.Hash != h {
			return fmt.Errorf("%w: entry %d does not hash to the hash the ledger reports", ErrCorrupt, seq)
		}
		if seq++; seq == c.count {
			return errCheckpointReached
		}
		return nil
	})
	switch {
	case err == errCheckpointReached:
	case err != nil:
		return fmt.Errorf("ledger: checkpoint check: %w", err)
	default:
		return fmt.Errorf("%w: the ledger ended at %d entries during the check, the checkpoint has %d",
			ErrCorrupt, seq, c.count)
	}
	if h != c.head {
		return fmt.Errorf("%w: entry %d hashes to %x, the checkpoint of %v has %x: the chain was rewritten",
			ErrCorrupt, c.count-1, h, c.time, c.head)
	}
	return nil
}
