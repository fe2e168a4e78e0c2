package postgres

import (
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TestSchemaVersion(t *testing.T) {
	if SchemaVersion != len(migrations) {
		t.Fatalf("SchemaVersion = %d, %d migrations", SchemaVersion, len(migrations))
	}
}

func schemaVersion(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var v int
	if err := pool.QueryRow(ctx, `SELECT version FROM ringtrace_schema`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func tableExists(t *testing.T, pool *pgxpool.Pool, name string) bool {
	t.Helper()
	var ok bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestMigrate drives the migration machinery with steps of its own: each
// runs once, in order, a rerun is a no-op, a failing step leaves the
// schema as it was, and a schema newer than the steps is refused.
func TestMigrate(t *testing.T) {
	cfg, _ := testSchema(t)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	steps := []string{
		`CREATE TABLE m1 (x int)`,
		`CREATE TABLE m2 (x int); INSERT INTO m1 VALUES (1)`,
		`CREATE TABLE m3 (x int); SELECT 1/0`,
	}
	for _, n := range []int{1, 2, 2} {
		if err := migrate(ctx, pool, steps[:n]); err != nil {
			t.Fatal(err)
		}
		if v := schemaVersion(t, pool); v != n {
			t.Fatalf("version %d after migrating to %d", v, n)
		}
	}
	var rows int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM m1`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("step 2 ran %d times (%v)", rows, err)
	}
	if err := migrate(ctx, pool, steps); err == nil {
		t.Fatal("a failing step succeeded")
	}
	if v := schemaVersion(t, pool); v != 2 || tableExists(t, pool, "m3") {
		t.Fatalf("failed step left version %d, m3 exists: %v", v, tableExists(t, pool, "m3"))
	}
	if err := migrate(ctx, pool, steps[:1]); !errors.Is(err, ErrSchema) {
		t.Fatalf("a newer schema: %v", err)
	}
}

// TestOpenConcurrently: processes starting together on an empty schema
// all open it, and it ends at SchemaVersion with every table in place.
func TestOpenConcurrently(t *testing.T) {
	cfg, _ := testSchema(t)
	var wg sync.WaitGroup
	dbs := make([]*DB, 4)
	errs := make([]error, len(dbs))
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = open(ctx, cfg.Copy()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	if v := schemaVersion(t, dbs[0].pool); v != SchemaVersion {
		t.Fatalf("version %d", v)
	}
	for _, table := range []string{"ringtrace_spent_tags", "ringtrace_spent", "ringtrace_used", "ringtrace_ledger_chains", "ringtrace_ledger_entries"} {
		if !tableExists(t, dbs[0].pool, table) {
			t.Fatalf("%s missing", table)
		}
	}
	openConfig(t, cfg) // and once more, on the migrated schema
}

// TestStoreFormatRefused: a schema holding spent records of another
// trs.StoreFormat is refused.
func TestStoreFormatRefused(t *testing.T) {
	db, cfg := newTestDB(t)
	if _, err := db.pool.Exec(ctx, `UPDATE ringtrace_schema SET store_format = store_format + 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := open(ctx, cfg.Copy()); !errors.Is(err, ErrSchema) {
		t.Fatalf("another store format: %v", err)
	}
}
