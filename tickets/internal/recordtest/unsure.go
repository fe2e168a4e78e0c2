package recordtest

import (
	"context"
	"errors"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// ErrLostReply is the error an [UnsureLedger] reports for an entry it
// stored.
var ErrLostReply = errors.New("recordtest: connection lost, outcome unknown")

// UnsureLedger is a memory ledger whose next Append of kind Fail stores
// the entry and still reports [ErrLostReply]: what a database ledger
// reports when the connection is lost after the insert reached the server
// (tickets/postgres). Later Appends go on from the stored entry.
type UnsureLedger struct {
	*ledger.Memory
	Fail ledger.Kind
}

// Append implements [ledger.Ledger].
func (l *UnsureLedger) Append(ctx context.Context, kind ledger.Kind, payload []byte) (ledger.Entry, error) {
	e, err := l.Memory.Append(ctx, kind, payload)
	if err == nil && kind == l.Fail {
		l.Fail = 0
		return ledger.Entry{}, ErrLostReply
	}
	return e, err
}
