package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// rollbackTimeout bounds the rollback of a failed transaction, so that an
// unreachable server does not hold the caller after its operation failed.
// The server rolls back by itself when the connection goes.
const rollbackTimeout = 5 * time.Second

// rollback ends tx if it is still open; after Commit it does nothing.
func rollback(ctx context.Context, tx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	tx.Rollback(ctx)
}
