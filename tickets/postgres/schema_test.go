package postgres

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ringtrace/ringtrace/trs"
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

// TestMigrateFromVersion1: a database at schema version 1, with a tag and a
// record under it, migrates to SchemaVersion on Open, and the tag still
// works: the record is found, Prune marks the tag instead of deleting it.
func TestMigrateFromVersion1(t *testing.T) {
	cfg, _ := testSchema(t)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := migrate(ctx, pool, migrations[:1]); err != nil {
		t.Fatal(err)
	}
	_, ring := testMembers(t, 1)
	tag := trs.NewTag([]byte("version 1"), ring)
	digest := tag.Digest()
	r := syntheticRecord(tag, 1)
	if _, err := pool.Exec(ctx, `WITH t AS (INSERT INTO ringtrace_spent_tags (digest, until) VALUES ($1, now() + interval '1 day') RETURNING id)
INSERT INTO ringtrace_spent (tag_id, a0, a1, fps) SELECT id, $2, $3, $4 FROM t`, digest[:], r.A0[:], r.A1[:], encodeFingerprints([]uint64{7})); err != nil {
		t.Fatal(err)
	}
	db := openConfig(t, cfg)
	if v := schemaVersion(t, db.pool); v != SchemaVersion {
		t.Fatalf("version %d after Open, want %d", v, SchemaVersion)
	}
	n := 0
	err = db.SpentStore().CheckAndAdd(ctx, syntheticRecord(tag, 2), []uint64{7}, func(ms []trs.Match) (bool, error) {
		n = len(ms)
		return false, nil
	})
	if err != nil || n != 1 {
		t.Fatalf("after the migration: %d matches (%v), want 1", n, err)
	}
	if dropped, err := db.SpentStore().Prune(ctx, time.Now().Add(48*time.Hour)); err != nil || dropped != 1 {
		t.Fatalf("Prune: %d, %v", dropped, err)
	}
	if got := countRows(t, db, "ringtrace_spent_tags WHERE pruned"); got != 1 {
		t.Fatalf("%d pruned tag rows, want 1", got)
	}
}

// TestTablesInFirstSchema: the tables live in the first schema of the
// search_path. Tables found only in a later schema of the path are
// another deployment's: Open refuses them (ErrSchema), neither using them
// nor creating new, empty ones in front of them, and changes nothing.
func TestTablesInFirstSchema(t *testing.T) {
	laterCfg, later := testSchema(t)
	openConfig(t, laterCfg)
	firstCfg, first := testSchema(t)
	cfg := firstCfg.Copy()
	cfg.ConnConfig.RuntimeParams["search_path"] = first + ", " + later
	if db, err := open(ctx, cfg); !errors.Is(err, ErrSchema) {
		if err == nil {
			db.Close()
		}
		t.Fatalf("Open with search_path %q: %v, want ErrSchema", cfg.ConnConfig.RuntimeParams["search_path"], err)
	}
	owner := openConfig(t, firstCfg) // search_path: first only
	if !tableExists(t, owner.pool, later+".ringtrace_spent_tags") || !tableExists(t, owner.pool, first+".ringtrace_schema") {
		t.Fatal("tables missing")
	}
	// Once the first schema has its own, the path opens on them.
	db := openConfig(t, cfg)
	if _, err := db.UsedSet().Use(ctx, usedID(1), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM "+later+".ringtrace_used").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the later schema's used set holds %d identifiers (%v)", n, err)
	}
}
