package toll

import (
	"fmt"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// ticket is a toll ticket: a generic ticket whose message is (entry proof,
// trip secret, exit plaza) (docs/spec/toll.md). It shows that some buyer
// of the sale is exiting at the exit plaza after the entry, without saying
// which buyer.
type ticket struct {
	generic      *tickets.Ticket
	entry        *entryProof
	secret       [TripSecretSize]byte
	exitOperator *ecdsa.PublicKey
	exit         plazaRef
}

// ticketMessage encodes what a ticket signs.
func ticketMessage(entry *entryProof, secret *[TripSecretSize]byte, operator *ecdsa.PublicKey, exit PlazaID) ([]byte, error) {
	w := wire.NewWriter(kindTicket)
	w.Fixed(entry.bytes())
	w.Fixed(secret[:])
	w.ECDSAKey(operator)
	w.U32(uint32(exit))
	return w.Finish()
}

func parseTicket(b []byte) (*ticket, error) {
	g, err := tickets.ParseTicket(b)
	if err != nil {
		return nil, fmt.Errorf("%w: ticket: %w", ErrMalformed, err)
	}
	r := wire.NewReader(g.Message(), kindTicket, "ticket message", ErrMalformed)
	t := &ticket{generic: g, entry: wire.FixedValue(r, "entry proof", entryProofSize, parseEntryProof)}
	copy(t.secret[:], r.Fixed("trip secret", TripSecretSize))
	t.exitOperator = r.ECDSAKey("exit operator")
	t.exit.id = PlazaID(r.U32("exit plaza"))
	if err := r.Done(); err != nil {
		return nil, err
	}
	t.exit.operator = idOf(t.exitOperator)
	return t, nil
}

// bytes returns the encoding, the generic ticket's.
func (t *ticket) bytes() []byte { return t.generic.Bytes() }
