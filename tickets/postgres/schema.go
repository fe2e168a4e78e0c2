package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ringtrace/ringtrace/trs"
)

// SchemaVersion is the version of the tables this package creates and
// uses; docs/spec/postgres.md specifies them. [Open] brings an older schema
// up to it, one migration at a time, and refuses a newer one.
const SchemaVersion = 2

// migrations[v] turns schema version v into v+1. Each runs in the
// transaction that records the new version, so a migration is applied
// whole or not at all. Released entries never change; a new schema
// version appends one.
var migrations = []string{
	// 0 → 1
	`
CREATE TABLE ringtrace_spent_tags (
	id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	digest bytea NOT NULL UNIQUE CHECK (length(digest) = 64),
	until  timestamptz NOT NULL
);
CREATE INDEX ringtrace_spent_tags_until ON ringtrace_spent_tags (until);
CREATE TABLE ringtrace_spent (
	tag_id bigint NOT NULL,
	a0     bytea NOT NULL CHECK (length(a0) = 32),
	a1     bytea NOT NULL CHECK (length(a1) = 32),
	fps    bytea NOT NULL CHECK (length(fps) BETWEEN 8 AND 32768 AND length(fps) % 8 = 0)
);
CREATE INDEX ringtrace_spent_tag ON ringtrace_spent (tag_id);

CREATE TABLE ringtrace_used (
	id    bytea PRIMARY KEY CHECK (length(id) = 32),
	until timestamptz NOT NULL
);
CREATE INDEX ringtrace_used_until ON ringtrace_used (until);

CREATE TABLE ringtrace_ledger_chains (
	id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE
);
CREATE TABLE ringtrace_ledger_entries (
	chain   integer NOT NULL,
	seq     bigint NOT NULL CHECK (seq >= 0),
	kind    integer NOT NULL CHECK (kind BETWEEN 0 AND 65535),
	payload bytea NOT NULL,
	hash    bytea NOT NULL CHECK (length(hash) = 32),
	PRIMARY KEY (chain, seq)
);
`,
	// 1 → 2: a pruned tag keeps its row, marked, so that registering it
	// again cannot bring it back empty. Processes of version 1 still
	// running must be stopped before the first Prune at version 2: they
	// would take a marked row for a registered, empty tag.
	`
ALTER TABLE ringtrace_spent_tags ADD COLUMN pruned boolean NOT NULL DEFAULT false;
DROP INDEX ringtrace_spent_tags_until;
CREATE INDEX ringtrace_spent_tags_until ON ringtrace_spent_tags (until) WHERE NOT pruned;
`,
}

// ErrSchema is wrapped by the error [Open] returns for a database whose
// schema this package cannot use: written by a newer version of the
// package, or keeping spent records of another [trs.StoreFormat].
var ErrSchema = errors.New("postgres: incompatible schema")

// migrate brings the schema up to len(steps). Processes that open one
// database at once serialise on the version row; the loser of the race to
// create the version table itself gets a unique violation from the
// catalog and tries again, finding the table.
func migrate(ctx context.Context, pool *pgxpool.Pool, steps []string) error {
	for attempt := 0; ; attempt++ {
		err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
			return migrateTx(ctx, tx, steps)
		})
		var pgErr *pgconn.PgError
		if attempt < 3 && errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P07") {
			continue // unique_violation, duplicate_table: a concurrent first Open
		}
		if err != nil && !errors.Is(err, ErrSchema) {
			return fmt.Errorf("postgres: migrating the schema: %w", err)
		}
		return err
	}
}

func migrateTx(ctx context.Context, tx pgx.Tx, steps []string) error {
	// The usual case, a schema already up to date, only reads, so that a
	// role without DDL rights can open the database.
	//
	// The tables belong in the first schema of the search_path, where they
	// are created. Tables found further along the path are refused rather
	// than used (they are another deployment's, or a misconfiguration) or
	// shadowed by new, empty ones (which would split the spent store).
	var first, found *string
	if err := tx.QueryRow(ctx, `SELECT current_schema(), (SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = to_regclass('ringtrace_schema'))`).Scan(&first, &found); err != nil {
		return err
	}
	if found != nil && (first == nil || *found != *first) {
		return fmt.Errorf("%w: the tables are in schema %q, not in the first schema of the search_path", ErrSchema, *found)
	}
	if exists := found != nil; exists {
		current, err := schemaState(ctx, tx, steps)
		if err != nil || current {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `
CREATE TABLE IF NOT EXISTS ringtrace_schema (
	singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	version      integer NOT NULL,
	store_format integer NOT NULL
)`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ringtrace_schema (version, store_format) VALUES (0, $1) ON CONFLICT DO NOTHING`, trs.StoreFormat); err != nil {
		return err
	}
	var version int
	if err := tx.QueryRow(ctx, `SELECT version FROM ringtrace_schema FOR UPDATE`).Scan(&version); err != nil {
		return err
	}
	// Locked: check again, another process may have migrated meanwhile.
	if current, err := schemaState(ctx, tx, steps); err != nil || current {
		return err
	}
	for v := version; v < len(steps); v++ {
		if _, err := tx.Exec(ctx, steps[v]); err != nil {
			return fmt.Errorf("version %d to %d: %w", v, v+1, err)
		}
	}
	_, err := tx.Exec(ctx, `UPDATE ringtrace_schema SET version = $1`, len(steps))
	return err
}

// schemaState reads the version row and reports whether the schema is
// current, or an error wrapping ErrSchema if this package cannot use it.
func schemaState(ctx context.Context, tx pgx.Tx, steps []string) (current bool, err error) {
	var version, format int
	if err := tx.QueryRow(ctx, `SELECT version, store_format FROM ringtrace_schema`).Scan(&version, &format); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return false, nil
		}
		return false, err
	}
	if format != trs.StoreFormat {
		return false, fmt.Errorf("%w: spent records of trs store format %d, this package uses %d", ErrSchema, format, trs.StoreFormat)
	}
	if version > len(steps) {
		return false, fmt.Errorf("%w: schema version %d is newer than this package's %d", ErrSchema, version, len(steps))
	}
	return version == len(steps), nil
}
