package postgres

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ringtrace/ringtrace/trs"
)

var ctx = context.Background()

// dsnVariable names the server the PostgreSQL tests use.
const dsnVariable = "RINGTRACE_POSTGRES_DSN"

// serverDSN returns the test server's connection string. Without one the
// test is skipped, unless CI is set, where it fails: CI must run them.
func serverDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(dsnVariable)
	if dsn != "" {
		return dsn
	}
	msg := fmt.Sprintf("PostgreSQL tests need %s, a connection string such as "+
		"\"host=/tmp port=5432 user=postgres dbname=postgres\" (they create and drop schemas rt_test_*); "+
		".ci/run starts a throwaway cluster and sets it", dsnVariable)
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatal("CI is set but " + msg)
	}
	t.Skip(msg)
	return ""
}

// testSchema creates a schema of its own for the test, dropped at the end,
// and returns a pool configuration whose search_path names it.
func testSchema(t testing.TB) (*pgxpool.Config, string) {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := "rt_test_" + hex.EncodeToString(b[:])
	return schemaConfig(t, serverDSN(t), schema, true), schema
}

// schemaConfig returns a pool configuration for schema on the server at
// dsn, creating the schema (and dropping it at cleanup) if create is set.
func schemaConfig(t testing.TB, dsn, schema string, create bool) *pgxpool.Config {
	t.Helper()
	cfg, err := poolConfig(dsn, schema)
	if err != nil {
		t.Fatalf("%s: %v", dsnVariable, err)
	}
	if create {
		admin := adminConn(t, cfg)
		if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin := adminConn(t, cfg)
			if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				t.Error(err)
			}
		})
	}
	return cfg
}

// poolConfig returns the configuration of dsn with schema as the
// search_path, and as the application name by which tests find their
// server processes. Commits do not wait for the disk: what a commit makes
// visible to other sessions, and when, is the same, and no test crashes
// the server (the benchmark turns it back on).
func poolConfig(dsn, schema string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.RuntimeParams["application_name"] = schema
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	return cfg, nil
}

// adminConn opens a connection outside the pool under test, closed at
// cleanup.
func adminConn(t testing.TB, cfg *pgxpool.Config) *pgx.Conn {
	t.Helper()
	c, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatalf("cannot reach the PostgreSQL server of %s: %v", dsnVariable, err)
	}
	t.Cleanup(func() { c.Close(ctx) })
	return c
}

// newTestDB opens a DB in a fresh schema.
func newTestDB(t testing.TB) (*DB, *pgxpool.Config) {
	t.Helper()
	cfg, _ := testSchema(t)
	return openConfig(t, cfg), cfg
}

func openConfig(t testing.TB, cfg *pgxpool.Config) *DB {
	t.Helper()
	db, err := open(ctx, cfg.Copy())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// testMembers returns n keys in the order of their ring, which sorts keys
// by encoding: privs[k] signs at slot k.
func testMembers(t testing.TB, n int) ([]*trs.PrivateKey, *trs.Ring) {
	t.Helper()
	privs := make([]*trs.PrivateKey, n)
	pubs := make([]*trs.PublicKey, n)
	for i := range privs {
		k, err := trs.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		privs[i] = k
	}
	slices.SortFunc(privs, func(a, b *trs.PrivateKey) int { return bytes.Compare(a.Public().Bytes(), b.Public().Bytes()) })
	for i, k := range privs {
		pubs[i] = k.Public()
	}
	ring, err := trs.NewRing(pubs)
	if err != nil {
		t.Fatal(err)
	}
	return privs, ring
}

// accepted signs msg with priv under tag and verifies it.
func accepted(t testing.TB, priv *trs.PrivateKey, tag *trs.Tag, msg string) *trs.Accepted {
	t.Helper()
	sig, err := trs.Sign(priv, tag, []byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	a, err := trs.Accept(tag, []byte(msg), sig)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// register registers tag with the spent store, valid for a day.
func register(t testing.TB, s *SpentStore, tag *trs.Tag) {
	t.Helper()
	if err := s.Register(ctx, tag, time.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
}
