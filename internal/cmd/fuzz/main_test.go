package main

import (
	"slices"
	"testing"
	"time"
)

// Outputs of go test -fuzz (Go 1.26), a clean run and a crash.
const (
	cleanRun = `fuzz: elapsed: 0s, gathering baseline coverage: 0/8 completed
fuzz: elapsed: 0s, gathering baseline coverage: 8/8 completed, now fuzzing with 2 workers
fuzz: elapsed: 3s, execs: 227811 (75930/sec), new interesting: 3 (total: 11)
fuzz: elapsed: 1m0s, execs: 2373503 (39558/sec), new interesting: 9 (total: 17)
PASS
ok  	github.com/ringtrace/ringtrace/arsig	60.103s
`
	crash = `fuzz: elapsed: 0s, gathering baseline coverage: 1/1 completed, now fuzzing with 2 workers
fuzz: elapsed: 3s, execs: 1200 (400/sec), new interesting: 1 (total: 2)
fuzz: minimizing 52-byte failing input file
fuzz: elapsed: 4s, minimizing
--- FAIL: FuzzBad (4.10s)
    --- FAIL: FuzzBad (0.00s)
        fz_test.go:9: boom
    
    Failing input written to testdata/fuzz/FuzzBad/1a4feb8ad1fe53b6
    To re-run:
    go test -run=FuzzBad/1a4feb8ad1fe53b6
FAIL
exit status 1
`
)

func TestParseReport(t *testing.T) {
	execs, fuzzed, crashers := parseReport([]byte(cleanRun))
	if execs != 2373503 || fuzzed != time.Minute || crashers != nil {
		t.Errorf("clean run: %d execs in %v, crashers %q", execs, fuzzed, crashers)
	}
	execs, fuzzed, crashers = parseReport([]byte(crash))
	if execs != 1200 || fuzzed != 3*time.Second || !slices.Equal(crashers, []string{"testdata/fuzz/FuzzBad/1a4feb8ad1fe53b6"}) {
		t.Errorf("crash: %d execs in %v, crashers %q", execs, fuzzed, crashers)
	}
}
