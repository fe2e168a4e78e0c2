package postgres

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportGraph: only this package (and programs built on it) imports
// the PostgreSQL driver. The cryptographic packages, internal/... and the
// other tickets packages, tests included, depend neither on pgx nor on
// this package.
func TestImportGraph(t *testing.T) {
	const module = "github.com/ringtrace/ringtrace"
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the import graph: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-test", "-f", `{{.ImportPath}}|{{join .Deps " "}}`, module+"/...").Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	// restricted reports whether pkg, or its test variant "pkg [pkg.test]",
	// "pkg_test [pkg.test]" or "pkg.test", is one that must not use pgx.
	restricted := func(pkg string) bool {
		pkg, _, _ = strings.Cut(pkg, " ")
		pkg = strings.TrimSuffix(strings.TrimSuffix(pkg, ".test"), "_test")
		if pkg == module+"/tickets/postgres" {
			return false
		}
		for _, root := range []string{"", "/trs", "/arsig", "/ecdsa", "/internal", "/tickets"} {
			if pkg == module+root || (root != "" && strings.HasPrefix(pkg, module+root+"/")) {
				return true
			}
		}
		return false
	}
	checked := map[string]bool{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, "|")
		if !restricted(pkg) {
			continue
		}
		checked[strings.Fields(pkg)[0]] = true
		for dep := range strings.FieldsSeq(deps) {
			if strings.HasPrefix(dep, "github.com/jackc/") || dep == module+"/tickets/postgres" {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
	// The check must have seen the packages it protects.
	for _, pkg := range []string{"trs", "arsig", "ecdsa", "internal/ristretto", "tickets", "tickets/ledger"} {
		if !checked[module+"/"+pkg] {
			t.Errorf("go list did not report %s", pkg)
		}
	}
}
