package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/trs"
)

// TestPlazaPrivileges: a role with only the rights the package doc lists
// for plazas (SELECT on ringtrace_schema; SELECT and INSERT on the store,
// set and ledger tables, INSERT on ringtrace_spent_tags only of digest and
// until; UPDATE of ringtrace_spent_tags.until) opens a migrated database,
// registers tags, checks and adds, uses identifiers and appends to a
// ledger, but cannot change a stored record, mark a tag pruned or
// un-prune one, prune or migrate.
func TestPlazaPrivileges(t *testing.T) {
	cfg, schema := testSchema(t)
	owner := openConfig(t, cfg)
	admin := adminConn(t, cfg)
	var b [8]byte
	rand.Read(b[:])
	role, password := "rt_test_plaza_"+hex.EncodeToString(b[:4]), hex.EncodeToString(b[4:])
	for _, sql := range []string{
		"CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
		"GRANT USAGE ON SCHEMA " + schema + " TO " + role,
		"GRANT SELECT ON ringtrace_schema TO " + role,
		"GRANT SELECT, INSERT ON ringtrace_spent, ringtrace_used, ringtrace_ledger_chains, ringtrace_ledger_entries TO " + role,
		"GRANT SELECT, INSERT (digest, until), UPDATE (until) ON ringtrace_spent_tags TO " + role,
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Skipf("cannot set up a restricted role on this server: %v", err)
		}
	}
	t.Cleanup(func() {
		admin := adminConn(t, cfg)
		admin.Exec(ctx, "DROP OWNED BY "+role)
		admin.Exec(ctx, "DROP ROLE "+role)
	})

	plazaCfg := cfg.Copy()
	plazaCfg.ConnConfig.User, plazaCfg.ConnConfig.Password = role, password
	db := openConfig(t, plazaCfg)

	privs, ring := testMembers(t, 2)
	tag := trs.NewTag([]byte("privileges"), ring)
	register(t, db.SpentStore(), tag)
	register(t, db.SpentStore(), tag) // again: the ON CONFLICT update
	res, err := trs.NewIndex(db.SpentStore()).CheckAndAddAccepted(ctx, accepted(t, privs[0], tag, "m"))
	if err != nil || res.Kind != trs.Fresh {
		t.Fatalf("check-and-add as the plaza role: %v, %v", res.Kind, err)
	}
	if first, err := db.UsedSet().Use(ctx, usedID(1), time.Now().Add(time.Hour)); err != nil || !first {
		t.Fatalf("Use as the plaza role: %v, %v", first, err)
	}
	l := openLedger(t, db, "plaza/1")
	if _, err := l.Append(ctx, 1, []byte("x")); err != nil {
		t.Fatalf("Append as the plaza role: %v", err)
	}
	// What the role can do to another role's chain: append to it, which
	// its writer meets as a conflict.
	operatorChain := openLedger(t, owner, "operator/1")
	if _, err := operatorChain.Append(ctx, 1, []byte("sale")); err != nil {
		t.Fatal(err)
	}
	if _, err := openLedger(t, db, "operator/1").Append(ctx, 1, []byte("planted")); err != nil {
		t.Fatalf("the plaza role appending to the operator's chain: %v", err)
	}
	if _, err := operatorChain.Append(ctx, 1, []byte("next")); !errors.Is(err, ErrConflict) {
		t.Fatalf("the operator's Append after the planted entry: %v", err)
	}
	if _, err := db.SpentStore().Prune(ctx, time.Now().Add(48*time.Hour)); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("Prune as the plaza role: %v", err)
	}
	if _, err := db.UsedSet().Prune(ctx, time.Now().Add(48*time.Hour)); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("UsedSet.Prune as the plaza role: %v", err)
	}
	if err := migrate(ctx, db.pool, append(migrations[:len(migrations):len(migrations)], "CREATE TABLE m (x int)")); err == nil {
		t.Fatal("the plaza role migrated the schema")
	}
	// The role cannot change what is stored: un-spend a ticket, un-use an
	// identifier, move a tag's records away or rewrite a chain.
	for _, sql := range []string{
		"UPDATE ringtrace_spent SET a1 = a0",
		"UPDATE ringtrace_used SET id = sha256(id)",
		"UPDATE ringtrace_spent_tags SET digest = sha512(digest)",
		"UPDATE ringtrace_ledger_entries SET payload = ''",
		"UPDATE ringtrace_ledger_chains SET name = name || 'x'",
		"UPDATE ringtrace_spent_tags SET pruned = false",
		// A tag's row inserted already pruned would refuse its tickets.
		"INSERT INTO ringtrace_spent_tags (digest, until, pruned) VALUES (sha512('x'), now(), true)",
		"INSERT INTO ringtrace_spent_tags (id, digest, until) OVERRIDING SYSTEM VALUE VALUES (1000000, sha512('y'), now())",
	} {
		if _, err := db.pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as the plaza role: %v", sql, err)
		}
	}
	if _, err := owner.SpentStore().Prune(ctx, time.Now().Add(48*time.Hour)); err != nil {
		t.Fatalf("Prune as the owner: %v", err)
	}
}
