package credits

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/trs"
)

// The record kind of a spend (docs/spec/credits.md). The package owns
// 0x0d80–0x0dff (package charging has 0x0d00–0x0d7f); a spend is never a
// ledger entry.
const kindSpend = 0x0d81

const (
	nonceSize  = 16
	maxMachine = 64
)

// Spend is what a credit is spent on, the message of its ticket: the
// machine, the time and a random nonce, so that two spends of one credit
// never have one message. Layout: docs/spec/credits.md. A Spend is
// immutable and safe for concurrent use.
type Spend struct {
	machine string
	time    time.Time
	nonce   [nonceSize]byte
	enc     []byte
}

// NewSpend returns the ticket with which the holder of the one-time key,
// bought in sale, spends the credit at machine (1 to 64 bytes of UTF-8) at
// time t. A second spend of the same credit, anywhere, reveals the key.
func NewSpend(key *trs.PrivateKey, sale *tickets.Sale, machine string, t time.Time) (*tickets.Ticket, error) {
	if key == nil || sale == nil {
		return nil, malformed("spend", "missing key or sale")
	}
	s := &Spend{machine: machine}
	var err error
	if s.time, err = wire.Seconds(t); err != nil {
		return nil, fmt.Errorf("%w: spend: %w", ErrMalformed, err)
	}
	if _, err := rand.Read(s.nonce[:]); err != nil {
		return nil, fmt.Errorf("credits: spend: %w", err)
	}
	if s.enc, err = s.encode(); err != nil {
		return nil, err
	}
	tk, err := tickets.NewTicket(key, sale, s.enc)
	if err != nil {
		return nil, fmt.Errorf("%w: spend: %w", ErrMalformed, err)
	}
	return tk, nil
}

func checkMachine(id string) error {
	if len(id) == 0 || len(id) > maxMachine || !utf8.ValidString(id) {
		return fmt.Errorf("machine identifier of %d bytes, want 1 to %d of UTF-8", len(id), maxMachine)
	}
	return nil
}

func (s *Spend) encode() ([]byte, error) {
	w := wire.NewWriter(kindSpend)
	if err := checkMachine(s.machine); err != nil {
		w.Fail(err)
	}
	w.Bytes([]byte(s.machine))
	w.Time(s.time)
	w.Fixed(s.nonce[:])
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: spend: %w", ErrMalformed, err)
	}
	return b, nil
}

// ParseSpend parses a spend, a credit ticket's message.
func ParseSpend(b []byte) (*Spend, error) {
	r := wire.NewReader(b, kindSpend, "spend", ErrMalformed)
	s := &Spend{}
	if m := r.Bytes("machine"); r.Err() == nil {
		if err := checkMachine(string(m)); err != nil {
			r.FailErr("machine", err)
		}
		s.machine = string(m)
	}
	s.time = r.Time("time")
	copy(s.nonce[:], r.Fixed("nonce", nonceSize))
	if err := r.Done(); err != nil {
		return nil, err
	}
	s.enc = bytes.Clone(b)
	return s, nil
}

// Bytes returns the spend's encoding.
func (s *Spend) Bytes() []byte {
	if s == nil {
		return nil
	}
	return bytes.Clone(s.enc)
}

// Machine returns the identifier of the machine the credit is spent at.
func (s *Spend) Machine() string {
	if s == nil {
		return ""
	}
	return s.machine
}

// Time returns when the credit is spent.
func (s *Spend) Time() time.Time {
	if s == nil {
		return time.Time{}
	}
	return s.time
}
