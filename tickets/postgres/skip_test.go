package postgres

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWithoutServer runs PostgreSQL tests of this binary again without
// RINGTRACE_POSTGRES_DSN (one of the store, and the toll example's run):
// they are skipped with a message saying how to run them, or, with CI
// set, fail.
func TestWithoutServer(t *testing.T) {
	run := func(ci string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^(TestUsedSet|TestTollExample)$", "-test.v")
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
	tests := []string{"TestUsedSet", "TestTollExample"}
	out, err := run("")
	for _, name := range tests {
		if err != nil || !strings.Contains(out, "--- SKIP: "+name) || strings.Count(out, dsnVariable) < len(tests) || !strings.Contains(out, ".ci/run") {
			t.Fatalf("without a server (%v):\n%s", err, out)
		}
	}
	out, err = run("true")
	for _, name := range tests {
		if err == nil || !strings.Contains(out, "--- FAIL: "+name) || strings.Count(out, "CI is set") < len(tests) {
			t.Fatalf("without a server under CI (%v):\n%s", err, out)
		}
	}
}
