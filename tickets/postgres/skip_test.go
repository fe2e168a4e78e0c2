package postgres

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWithoutServer runs a PostgreSQL test of this binary again without
// RINGTRACE_POSTGRES_DSN: it is skipped with a message saying how to run
// it, or, with CI set, fails.
func TestWithoutServer(t *testing.T) {
	run := func(ci string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestUsedSet$", "-test.v")
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, dsnVariable+"=") && !strings.HasPrefix(kv, "CI=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		if ci != "" {
			cmd.Env = append(cmd.Env, "CI="+ci)
		}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("")
	if err != nil || !strings.Contains(out, "--- SKIP: TestUsedSet") || !strings.Contains(out, dsnVariable) || !strings.Contains(out, ".ci/run") {
		t.Fatalf("without a server (%v):\n%s", err, out)
	}
	out, err = run("true")
	if err == nil || !strings.Contains(out, "--- FAIL: TestUsedSet") || !strings.Contains(out, "CI is set") {
		t.Fatalf("without a server under CI (%v):\n%s", err, out)
	}
}
