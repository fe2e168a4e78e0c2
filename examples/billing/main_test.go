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
		{"memory", config{users: 6, records: 24, edges: 3}},
		{"file", config{users: 5, records: 12, edges: 2, ledger: filepath.Join(t.TempDir(), "billing.ledger")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(tc.cfg, &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			for _, want := range []string{"invoices", "receipts checked", "1 for another edge refused", "1 rejected",
				"disputed and struck", "re-billed", "a second payment refused", "forfeited", "evidence checked", "replayed", "summary:"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
	for _, cfg := range []config{{users: 2, records: 10, edges: 2}, {users: 3, records: 10, edges: 1}} {
		if err := run(cfg, &bytes.Buffer{}); err == nil {
			t.Errorf("%+v accepted for the example", cfg)
		}
	}
}
