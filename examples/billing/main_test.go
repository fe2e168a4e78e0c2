package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"memory", config{users: 6, records: 24}},
		{"file", config{users: 5, records: 12, ledger: filepath.Join(t.TempDir(), "billing.ledger")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(tc.cfg, &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			for _, want := range []string{"invoices", "receipts", "1 rejected", "disputed, struck", "forfeited", "summary:"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
	if err := run(config{users: 2, records: 10}, &bytes.Buffer{}); err == nil {
		t.Error("a ring of two users accepted for the example")
	}
}
