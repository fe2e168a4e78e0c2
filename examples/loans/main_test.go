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
		{"memory", config{lenders: 10, borrowers: 4}},
		{"file", config{lenders: 8, borrowers: 3, ledger: filepath.Join(t.TempDir(), "loans.ledger")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(tc.cfg, &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			for _, want := range []string{"a pledge replayed", "a pledge moved to another loan", "a repayment counted twice",
				"defaulted after 3 of 6", "after netting:", "fewer)", "1 defaulted, 1 lapsed", "same state"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
	if err := run(config{lenders: 10, borrowers: 2}, &bytes.Buffer{}); err == nil {
		t.Error("two borrowers accepted for the example")
	}
}
