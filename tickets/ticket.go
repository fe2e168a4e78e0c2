package tickets

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/trs"
)

// Ticket is what a vehicle presents at the exit plaza: a traceable ring
// signature, under its sale's tag, over the ticket message (sale, entry
// proof, trip secret, exit plaza). It shows that some buyer of the sale is
// exiting at ExitPlaza after the entry in Entry, without saying which
// buyer; a buyer who signs two tickets of one sale is revealed.
//
// Encoding:
//
//	message = u8(1) || u8(0x07) || u64(sale) || entryProof[110]
//	             || tripSecret[32] || u32(exitPlaza)
//	ticket  = message || u32-prefixed TRS signature
//
// The TRS signature signs message exactly; its ring size is checked
// against the sale's ring when the ticket is verified.
type Ticket struct {
	Sale       SaleID
	Entry      *EntryProof
	TripSecret [TripSecretSize]byte
	ExitPlaza  PlazaID
	sig        *trs.Signature
}

func ticketMessage(sale SaleID, entry *EntryProof, secret *[TripSecretSize]byte, exit PlazaID) []byte {
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeTicket)
		b.AddUint64(uint64(sale))
		b.AddBytes(entry.Bytes())
		b.AddBytes(secret[:])
		b.AddUint32(uint32(exit))
	})
}

// Message returns the bytes the TRS signature signs. It is computed from
// the fields each time, so what is checked is always what is verified.
func (t *Ticket) Message() []byte {
	return ticketMessage(t.Sale, t.Entry, &t.TripSecret, t.ExitPlaza)
}

// Signature returns the ticket's traceable ring signature.
func (t *Ticket) Signature() *trs.Signature { return t.sig }

// Bytes returns the canonical encoding.
func (t *Ticket) Bytes() []byte {
	return buildBytes(func(b *cryptobyte.Builder) {
		b.AddBytes(t.Message())
		b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(t.sig.Bytes()) })
	})
}

// ParseTicket decodes a ticket encoded by Bytes. It parses the entry proof
// and the TRS signature strictly but verifies neither.
func ParseTicket(b []byte) (*Ticket, error) {
	s := cryptobyte.String(b)
	t, ok := readTicket(&s)
	if !ok || !s.Empty() {
		return nil, malformed("ticket")
	}
	return t, nil
}

func readTicket(s *cryptobyte.String) (*Ticket, bool) {
	var (
		t       Ticket
		sale    uint64
		exit    uint32
		sigText cryptobyte.String
		ok      bool
	)
	if !readHeader(s, typeTicket) || !s.ReadUint64(&sale) {
		return nil, false
	}
	if t.Entry, ok = readEntryProof(s); !ok {
		return nil, false
	}
	if !s.CopyBytes(t.TripSecret[:]) || !s.ReadUint32(&exit) {
		return nil, false
	}
	if !readUint32Prefixed(s, &sigText) {
		return nil, false
	}
	sig, err := trs.ParseSignature(sigText)
	if err != nil {
		return nil, false
	}
	t.Sale, t.ExitPlaza, t.sig = SaleID(sale), PlazaID(exit), sig
	return &t, true
}

// signTicket makes the ticket for pass key priv of sale.
func signTicket(priv *trs.PrivateKey, sale *Sale, entry *EntryProof, secret *[TripSecretSize]byte, exit PlazaID) (*Ticket, error) {
	t := &Ticket{Sale: sale.ID, Entry: entry, TripSecret: *secret, ExitPlaza: exit}
	sig, err := trs.Sign(priv, sale.Tag(), t.Message())
	if err != nil {
		return nil, fmt.Errorf("tickets: signing ticket: %w", err)
	}
	t.sig = sig
	return t, nil
}
