package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is a connection pool to one PostgreSQL database (or a wire-compatible
// one) with the package's schema in place. It is safe for concurrent use;
// every store it hands out shares its connections.
type DB struct {
	pool  *pgxpool.Pool
	spent *SpentStore
	used  *UsedSet
}

// Open connects to the database named by dsn, a PostgreSQL connection
// string in URL or key=value form, and creates or migrates the package's
// tables (see [SchemaVersion]). The tables live in the first schema of the
// connection's search_path, so a search_path parameter in dsn keeps several
// deployments, or test runs, apart in one database. The pool holds up to
// pool_max_conns connections (a dsn parameter; the driver's default is the
// larger of 4 and the number of CPUs): make it at least the number of
// concurrent checks.
//
// Open fails with an error wrapping [ErrSchema] if the database holds a
// schema this package cannot use, or if the first schema of the
// search_path has no tables of the package but a later one has: those are
// another deployment's, and Open neither uses them nor hides them behind
// new, empty ones.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if ctx == nil {
		return nil, errors.New("postgres: nil context")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return open(ctx, cfg)
}

func open(ctx context.Context, cfg *pgxpool.Config) (*DB, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool, migrations); err != nil {
		pool.Close()
		return nil, err
	}
	db := &DB{pool: pool}
	db.spent = newSpentStore(pool)
	db.used = &UsedSet{pool: pool, pruneBatch: 10000}
	return db, nil
}

// Close closes every connection. Stores and ledgers obtained from db fail
// afterwards.
func (db *DB) Close() { db.pool.Close() }

// SpentStore returns the database's spent-signature store.
func (db *DB) SpentStore() *SpentStore { return db.spent }

// UsedSet returns the database's set of used identifiers.
func (db *DB) UsedSet() *UsedSet { return db.used }
