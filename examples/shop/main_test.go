package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestSimulate runs the example with small rings; simulate itself fails on
// any unexpected outcome.
func TestSimulate(t *testing.T) {
	var out bytes.Buffer
	if err := simulate(&out, options{customers: 16, ring: 4}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, s := range []string{"20 orders paid privately", "5 sales of 4", "REVEALED", "buyer customer-003", "LINKED",
		"proof names customer-001", "accepted once", "dispute opened", "customer-007 check", "all verified: 14 reviews",
		"tea review stands", "ok:"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}
}

func TestSimulateRefusesBadSizes(t *testing.T) {
	for _, o := range []options{{customers: 12, ring: 4}, {customers: 8, ring: 1}, {customers: 4, ring: 4}} {
		if err := simulate(new(bytes.Buffer), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
