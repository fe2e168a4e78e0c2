package tickets

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/trs"
)

// Ticket is a one-time ticket: a traceable ring signature by a member of
// a sale's ring, under the sale's tag, over an application message. It
// names its sale; it says nothing of which member signed. Its layout is
// in docs/spec/tickets.md. A Ticket is immutable and safe for concurrent
// use.
type Ticket struct {
	sale SaleID
	msg  []byte
	sig  *trs.Signature
}

// NewTicket signs msg with the one-time key priv, which must be in the
// sale's ring. Signing a second ticket of the same sale with the same key
// reveals the key when both are redeemed; signing the same msg again makes
// an identical ticket, which is linked.
func NewTicket(priv *trs.PrivateKey, sale *Sale, msg []byte) (*Ticket, error) {
	if priv == nil || sale == nil || sale.tag == nil {
		return nil, errors.New("tickets: nil key or sale")
	}
	if len(msg) > wire.MaxField {
		return nil, fmt.Errorf("tickets: message of %d bytes exceeds %d", len(msg), wire.MaxField)
	}
	sig, err := trs.Sign(priv, sale.tag, msg)
	if err != nil {
		return nil, fmt.Errorf("tickets: signing ticket: %w", err)
	}
	return &Ticket{sale: sale.id, msg: bytes.Clone(msg), sig: sig}, nil
}

// Sale returns the ID of the ticket's sale.
func (t *Ticket) Sale() SaleID { return t.sale }

// Message returns a copy of the signed application message.
func (t *Ticket) Message() []byte { return bytes.Clone(t.msg) }

// Signature returns the ticket's ring signature.
func (t *Ticket) Signature() *trs.Signature { return t.sig }

// Bytes returns the canonical encoding.
func (t *Ticket) Bytes() []byte {
	w := wire.NewWriter(kindTicket)
	w.Fixed(t.sale[:])
	w.Bytes(t.msg)
	w.Bytes(t.sig.Bytes())
	b, _ := w.Finish() // the message length is checked when signed or parsed
	return b
}

// ParseTicket decodes a ticket encoded by [Ticket.Bytes]. It parses the
// ring signature strictly but does not verify it: [Redeemer.Accept] does,
// against the sale.
func ParseTicket(b []byte) (*Ticket, error) {
	r := wire.NewReader(b, kindTicket, "ticket", ErrMalformed)
	var t Ticket
	copy(t.sale[:], r.Fixed("sale", len(t.sale)))
	t.msg = r.Bytes("message")
	t.sig = wire.Value(r, "signature", trs.ParseSignature)
	if err := r.Done(); err != nil {
		return nil, err
	}
	return &t, nil
}
