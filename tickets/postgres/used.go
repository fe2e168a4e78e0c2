package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// UsedSet is a [github.com/ringtrace/ringtrace/tickets.UsedSet]: a set of
// 32-byte identifiers that may be used once (entry commitments, payment
// ids, delivered record digests), kept as a unique key
// in PostgreSQL: Use is one INSERT … ON CONFLICT DO NOTHING, atomic against
// every other Use of the database, from any process. One set serves every
// purpose, so identifiers must be digests under a label of their own,
// never raw values that two purposes could share.
type UsedSet struct {
	pool       *pgxpool.Pool
	pruneBatch int
}

// Use records id as used and reports whether this call was its first use.
// The set may forget id after until (see [UsedSet.Prune]); until must be
// after every time at which the application's other checks could still
// accept a second use. An error means the outcome is unknown to the
// caller, who must not treat the use as first: if the connection was lost
// after the server stored id, a retry reports false.
func (u *UsedSet) Use(ctx context.Context, id [32]byte, until time.Time) (first bool, err error) {
	if ctx == nil || until.IsZero() {
		return false, errors.New("postgres: used set: nil context or zero time")
	}
	tag, err := u.pool.Exec(ctx, `INSERT INTO ringtrace_used (id, until) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, id[:], until)
	if err != nil {
		return false, fmt.Errorf("postgres: used set: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Prune forgets every identifier whose until is before now, in
// transactions of a bounded number of rows, and returns how many it
// forgot.
func (u *UsedSet) Prune(ctx context.Context, now time.Time) (int64, error) {
	if ctx == nil {
		return 0, errors.New("postgres: used set: nil context")
	}
	var dropped int64
	for {
		tag, err := u.pool.Exec(ctx, `
DELETE FROM ringtrace_used WHERE id IN (
	SELECT id FROM ringtrace_used WHERE until < $1 LIMIT $2
)`, now, u.pruneBatch)
		if err != nil {
			return dropped, fmt.Errorf("postgres: used set: pruning: %w", err)
		}
		dropped += tag.RowsAffected()
		if tag.RowsAffected() < int64(u.pruneBatch) {
			return dropped, nil
		}
	}
}
