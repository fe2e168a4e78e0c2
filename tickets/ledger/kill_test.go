package ledger

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// killPayload is the payload of entry seq in TestKilledWriter: large
// enough that a kill usually lands inside a write.
func killPayload(seq uint64) []byte {
	return bytes.Repeat([]byte{byte(seq), byte(seq >> 8)}, 32<<10)
}

// TestKilledWriter kills a process that is appending to a file ledger, at
// a moment it does not choose, and reopens the file: every entry whose
// Append returned before the kill is there, intact, and the ledger goes
// on. The child reports each acknowledged entry on stdout.
func TestKilledWriter(t *testing.T) {
	if path := os.Getenv("RINGTRACE_LEDGER_KILL_CHILD"); path != "" {
		l, err := OpenFile(path)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		for seq := l.Len(); ; seq++ {
			if _, err := l.Append(ctx, Kind(seq), killPayload(seq)); err != nil {
				fmt.Println("error", err)
				os.Exit(1)
			}
			fmt.Println(seq)
		}
	}

	path := filepath.Join(t.TempDir(), "ledger")
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	acked := uint64(0) // entries acknowledged so far, over all rounds
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriter$")
		cmd.Env = append(os.Environ(), "RINGTRACE_LEDGER_KILL_CHILD="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		for target := acked + 5 + uint64(round); acked < target && lines.Scan(); {
			seq, err := strconv.ParseUint(lines.Text(), 10, 64)
			if err != nil || seq != acked {
				cmd.Process.Kill()
				t.Fatalf("child: %q, want entry %d", lines.Text(), acked)
			}
			acked++
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		l, err := OpenFile(path)
		if err != nil {
			t.Fatalf("round %d: reopening after the kill: %v", round, err)
		}
		if l.Len() < acked {
			t.Fatalf("round %d: %d entries after recovery, %d were acknowledged", round, l.Len(), acked)
		}
		err = l.Scan(ctx, 0, func(e Entry) error {
			if e.Kind != Kind(e.Seq) || !bytes.Equal(e.Payload, killPayload(e.Seq)) {
				return fmt.Errorf("entry %d differs", e.Seq)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		// An Append may have completed after the last line was read.
		acked = l.Len()
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
