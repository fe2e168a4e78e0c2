// Package postgres keeps the shared state of the ticket systems in
// PostgreSQL, for deployments on many machines: the spent-signature store
// that every exit plaza or redeemer checks a ticket against, the set of used
// identifiers (entry commitments, payment ids), and hash-chained ledgers.
// It relies only on row locks and READ COMMITTED — no advisory locks, no
// partitioning, no server-side code — so that wire-compatible databases
// (CockroachDB, YugabyteDB) can serve, but it is tested on PostgreSQL 15
// only.
//
// Most users need [Open], then [DB.SpentStore] under a [trs.Index],
// [DB.UsedSet] and [DB.Ledger]; for the toll roles of
// [github.com/ringtrace/ringtrace/tickets/toll], the spent store and the
// used set are the Spent and Used of every plaza's Stores, and each role's
// Ledger a chain of its own. This is the only package of the module that
// imports the driver (github.com/jackc/pgx/v5).
//
// # Spent signatures
//
// [SpentStore] is a [trs.Store]: [trs.Index.CheckAndAdd] over it is atomic
// across every process sharing the database, so copies of one ticket shown
// at two plazas at once are accepted once, and a second use reveals its key
// wherever it is shown. Each check-and-add locks the tag's row, reads the
// tag's records in a later statement at READ COMMITTED, lets the index
// decide, and inserts the record only if it is Fresh. docs/spec/postgres.md
// specifies the tables and the transaction, docs/spec/trs.md §8 the
// records and fingerprints ([trs.StoreFormat]).
//
// A stored signature of a ring of 50 takes about 530–560 bytes with its
// share of the indexes and of its tag's row; a check is one transaction of
// four round trips whose cost is mostly the commit's flush to disk. The
// README has measured rates.
//
// # Expiry and pruning
//
// The [trs.Store] interface carries no validity, so the store learns it
// from registration: a process registers each tag ([SpentStore.Register])
// with the time until which its records are needed — the sale's validity
// end plus the settlement grace — when it learns of the sale, before it
// checks signatures under it: a toll plaza or operator that applies a
// sale record s calls Register(ctx, s.Tag(), s.ValidUntil().Add(grace)). A check under a tag that was never registered
// is an error ([ErrUnregisteredTag]), never Fresh. [SpentStore.Prune] drops
// the records of tags past their time, in bounded batches; a pruned tag
// keeps a row that marks it, so a late ticket under it fails instead of
// being accepted against an empty store, even after a process replaying its
// sales registers the tag again. [UsedSet.Prune] forgets used identifiers
// past their time. Run both periodically, from any one process.
//
// # Ledgers
//
// [Ledger] is a [ledger.Ledger] over one named chain. A chain has one
// writer, which keeps its length and head in memory: each plaza or
// operator process writes a chain of its own ("plaza/7"), and anyone may
// read any chain. A second writer of a chain gets [ErrConflict] instead of
// forking it. Scans verify every hash, so [ledger.Checkpoint] works over
// these ledgers as over the others.
//
// # Failures
//
// Every call takes a [context.Context]. A check-and-add, Use or Append that
// returns an error acknowledged nothing: an error is never a Fresh, a first
// use or an appended entry. A transaction that fails, at its commit or by a
// lost connection, leaves nothing behind. The one case no client can
// settle is a connection lost after the commit was sent: the write may have
// happened although an error is reported. A retried signature is then
// Linked, a retried Use not first, and a [Ledger] checks the chain before
// its next Append.
//
// # Security
//
// The database holds no secrets, and is trusted with integrity: anyone who
// can write its tables can un-spend a ticket or rewrite a chain (which the
// chain's hashes and signed checkpoints detect, not prevent). Plazas need
// only SELECT on ringtrace_schema, SELECT and INSERT on the other tables —
// on ringtrace_spent_tags INSERT of the columns digest and until only — and
// UPDATE of one column, ringtrace_spent_tags.until (for the tag lock and
// registration): with no more, a plaza cannot change or remove a stored
// record, nor mark a tag pruned or un-prune one. It can still insert
// records its exit did not accept (which settlement then pays if they name
// it), lower a tag's until, so that the next Prune drops the tag's records
// before its sale ends, and append entries with valid hashes to any chain,
// another role's included, which that chain's writer then meets as
// [ErrConflict] and, reopened, replays. Keep DELETE and the update of
// ringtrace_spent_tags.pruned (pruning) and DDL (migration) to the
// operator's role, which opens the database first. Authenticate
// connections (TLS with sslmode=verify-full, or a Unix socket).
//
// # Schema
//
// [Open] creates the tables or migrates them to [SchemaVersion] in one
// transaction, safely when several processes start at once, and refuses a
// newer schema or one holding another [trs.StoreFormat] ([ErrSchema]). The
// tables live in the connection's first search_path schema: put
// search_path=... in the connection string to keep deployments apart.
//
// # Tests
//
// The package's tests need a server: set RINGTRACE_POSTGRES_DSN to a
// connection string (they create and drop schemas named rt_test_*).
// Without it they are skipped, unless CI is set, where they fail. .ci/run
// starts a throwaway cluster for them.
package postgres
