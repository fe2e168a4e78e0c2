package billing

import (
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// Dispute strikes a line of an invoice that does not verify: its opening
// does not prove that the invoiced user signed the line's usage record.
// Anyone may file it, since the check uses only public data, and it needs
// no signature: the book accepts it only if the line indeed fails. A struck
// line is not owed, and its usage record is billed again, to its real
// signer. Layout: docs/spec/billing.md.
type Dispute struct {
	invoice [32]byte
	line    uint32
	time    time.Time
	enc     []byte
}

func (*Dispute) kind() ledger.Kind { return kindDispute }

// NewDispute returns the dispute, at time t, of line (0-based) of inv.
func NewDispute(inv *Invoice, line int, t time.Time) (*Dispute, error) {
	if inv == nil || inv.enc == nil {
		return nil, malformed("dispute", "missing invoice")
	}
	if line < 0 || line >= len(inv.lines) {
		return nil, malformed("dispute", fmt.Sprintf("line %d of %d", line, len(inv.lines)))
	}
	d := &Dispute{invoice: inv.id, line: uint32(line)}
	var err error
	if d.time, err = seconds(t, "dispute time"); err != nil {
		return nil, err
	}
	if d.enc, err = d.encode(); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Dispute) encode() ([]byte, error) {
	w := wire.NewWriter(uint16(kindDispute))
	w.Fixed(d.invoice[:])
	w.U32(d.line)
	w.Time(d.time)
	return finish(w, "dispute")
}

func parseDispute(b []byte) (*Dispute, error) {
	r := newReader(b, kindDispute, "dispute")
	d := &Dispute{invoice: readDigest(r, "invoice"), line: r.U32("line"), time: r.Time("time")}
	if err := r.Done(); err != nil {
		return nil, err
	}
	d.enc = clone(b)
	return d, nil
}

// Bytes returns the record's encoding.
func (d *Dispute) Bytes() []byte {
	if d == nil {
		return nil
	}
	return clone(d.enc)
}
