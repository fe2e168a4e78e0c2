package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulate runs the example's day with small rings, in memory and on a
// file ledger; simulate itself fails on any unexpected outcome.
func TestSimulate(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "toll.ledger")} {
		var out bytes.Buffer
		if err := simulate(&out, options{vehicles: 16, ringSize: 8, ledgerPath: path}); err != nil {
			t.Fatalf("ledger %q: %v\n%s", path, err, out.String())
		}
		for _, want := range []string{"REVEALED", "REJECTED bad proof", "LINKED", "state equal", "ok:"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	}
}

func TestSimulateRefusesExistingLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "toll.ledger")
	if err := simulate(new(bytes.Buffer), options{vehicles: 16, ringSize: 8, ledgerPath: path}); err != nil {
		t.Fatal(err)
	}
	if err := simulate(new(bytes.Buffer), options{vehicles: 16, ringSize: 8, ledgerPath: path}); err == nil {
		t.Error("simulation reused an existing ledger file")
	}
}
