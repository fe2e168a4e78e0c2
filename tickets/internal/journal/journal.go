// Package journal appends a role's records to its ledger and stops at the
// first append whose outcome is unknown, and replays the ledger when the
// role is opened.
//
// A ledger reports an error for an append that may still have stored the
// record: a database ledger whose connection broke after the insert reached
// the server does (tickets/postgres). A role that went on appending would
// then build on a state that lacks a record its ledger holds — a retry
// stored twice, a number used twice — and its ledger might no longer
// replay. So after a failed append a Journal refuses every later one, and
// the role must be opened again from its ledger, which replays whatever was
// stored.
package journal

import (
	"context"
	"errors"
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// Journal appends to one ledger. It is not safe for concurrent use: the
// role that owns it holds its own lock across checking its state,
// appending and applying the record.
type Journal struct {
	l      ledger.Ledger
	role   string // names the role in errors, such as "billing: the book"
	failed error
}

// New returns a journal on l for the role named role.
func New(l ledger.Ledger, role string) *Journal {
	return &Journal{l: l, role: role}
}

// Ready returns the error that Append would refuse with now, without
// appending, or nil if Append would try the ledger. A role calls it before
// a step that it cannot undo and that an append must follow (spending a
// ticket in a store of its own), so that it does not take the step only to
// be refused the append.
func (j *Journal) Ready(ctx context.Context, sentinel error) error {
	if j == nil || j.l == nil {
		return errors.New("journal: no ledger")
	}
	refused := func(format string, args ...any) error {
		err := fmt.Errorf(format, args...)
		if sentinel != nil {
			err = fmt.Errorf("%w: %w", sentinel, err)
		}
		return err
	}
	if ctx == nil {
		return refused("%s: nil context", j.role)
	}
	if j.failed != nil {
		return refused("%s: an earlier append may or may not be on the ledger; open it again from the ledger: %w", j.role, j.failed)
	}
	return nil
}

// Append appends a record of kind to the ledger. After an append that
// failed it returns an error without appending, until the role is opened
// again; that error, and the one for a nil context, wrap sentinel if it is
// not nil.
func (j *Journal) Append(ctx context.Context, kind ledger.Kind, payload []byte, sentinel error) error {
	_, err := j.AppendEntry(ctx, kind, payload, sentinel)
	return err
}

// AppendEntry is [Journal.Append] for a role that needs the entry appended,
// to know where its ledger is read up to.
func (j *Journal) AppendEntry(ctx context.Context, kind ledger.Kind, payload []byte, sentinel error) (ledger.Entry, error) {
	if err := j.Ready(ctx, sentinel); err != nil {
		return ledger.Entry{}, err
	}
	e, err := j.l.Append(ctx, kind, payload)
	if err != nil {
		j.failed = err
		return ledger.Entry{}, fmt.Errorf("%s: appending to the ledger: %w", j.role, err)
	}
	return e, nil
}

// Replay calls apply for every entry of the ledger, in order, as the role
// is opened; the error of the first entry apply refuses names the role and
// the entry.
func (j *Journal) Replay(ctx context.Context, apply func(ledger.Entry) error) error {
	if j == nil || j.l == nil {
		return errors.New("journal: no ledger")
	}
	if ctx == nil || apply == nil {
		return fmt.Errorf("%s: nil context or replay function", j.role)
	}
	return j.l.Scan(ctx, 0, func(e ledger.Entry) error {
		if err := apply(e); err != nil {
			return fmt.Errorf("%s: ledger entry %d: %w", j.role, e.Seq, err)
		}
		return nil
	})
}
