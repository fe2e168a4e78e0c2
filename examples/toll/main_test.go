package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulate runs the example's day with small rings, in memory and on
// file ledgers; simulate itself fails on any unexpected outcome.
func TestSimulate(t *testing.T) {
	for _, dir := range []string{"", filepath.Join(t.TempDir(), "ledgers")} {
		var out bytes.Buffer
		if err := simulate(&out, options{vehicles: 16, ringSize: 8, ledgerDir: dir}); err != nil {
			t.Fatalf("ledgers %q: %v\n%s", dir, err, out.String())
		}
		want := []string{"REJECTED bad proof", "REVEALED", "names the buyer", "LINKED", "payout", "interop", "saved", "transfer", "state equal", "ok:"}
		if dir != "" {
			want = append(want, "ledger files reopened")
		}
		for _, s := range want {
			if !strings.Contains(out.String(), s) {
				t.Errorf("output lacks %q:\n%s", s, out.String())
			}
		}
	}
}

func TestSimulateRefusesExistingLedgers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledgers")
	if err := simulate(new(bytes.Buffer), options{vehicles: 16, ringSize: 8, ledgerDir: dir}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatal("no ledger files written")
	}
	if err := simulate(new(bytes.Buffer), options{vehicles: 16, ringSize: 8, ledgerDir: dir}); err == nil {
		t.Error("simulation reused existing ledgers")
	}
	if err := simulate(new(bytes.Buffer), options{vehicles: 12, ringSize: 8}); err == nil {
		t.Error("a number of vehicles that is not a multiple of the ring accepted")
	}
}
