package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRun runs the example with a smaller cast; run itself fails on any
// missing outcome.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	cfg := config{cars: 60, chargers: 8, sessions: 40, dir: t.TempDir()}
	if err := run(cfg, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"replays refused", "a restart kept a queue", "resent after lost answers",
		"taken by both connectors", "descriptor from a car", "inflated amount refused", "receipts checked",
		"1 forfeiture", "double spend revealed, bought by car-7", "ok:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, bad := range []config{{cars: 10, chargers: 8, sessions: 40}, {cars: 60, chargers: 3, sessions: 40}} {
		if err := run(bad, &bytes.Buffer{}); err == nil {
			t.Errorf("%+v accepted for the example", bad)
		}
	}
}
