package postgres

import (
	"net/url"
	"os/exec"
	"strings"
	"testing"
)

// TestTollExample runs the toll example's day on PostgreSQL, as the README
// says — go run ./examples/toll -postgres DSN — in a schema of its own
// and with small rings. The example exits non-zero if any outcome differs
// from the expected one; the database must then hold the day: a spent
// ticket per vehicle, a used entry commitment per exit that reached the
// stores (one per vehicle and the reused pass's second trip; the replay
// presents a used one, the forgery fails before), a tag per sale, and a
// chain per role.
func TestTollExample(t *testing.T) {
	server := serverDSN(t)
	if testing.Short() {
		t.Skip("builds and runs examples/toll; run without -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to run the example: %v", err)
	}
	cfg, schema := testSchema(t)
	dsn := withParams(server, "search_path", schema, "synchronous_commit", "off")
	cmd := exec.Command(goTool, "run", "./examples/toll", "-postgres", dsn, "-vehicles", "16", "-ring", "8")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run ./examples/toll -postgres: %v\n%s", err, out)
	}
	for _, want := range []string{"ledgers in PostgreSQL", "REVEALED", "LINKED", "ledger chains reopened", "ok: 16 trips paid once"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	db := openConfig(t, cfg)
	for table, want := range map[string]int{
		"ringtrace_spent":         16,
		"ringtrace_used":          17,
		"ringtrace_spent_tags":    2,
		"ringtrace_ledger_chains": 8, // the authority, 2 operators, 5 plazas
	} {
		if got := countRows(t, db, table); got != want {
			t.Errorf("%s: %d rows, want %d", table, got, want)
		}
	}
}

// withParams returns dsn, a connection string in URL or key=value form,
// with the parameters given as key, value pairs added. Values must not
// need quoting.
func withParams(dsn string, kv ...string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			for i := 0; i+1 < len(kv); i += 2 {
				q.Set(kv[i], kv[i+1])
			}
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		dsn += " " + kv[i] + "=" + kv[i+1]
	}
	return dsn
}
