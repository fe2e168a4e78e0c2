// Command fuzz runs a fuzzing campaign over every fuzz target of the
// module: it finds the targets with go test -list '^Fuzz', runs each in
// turn for the given time, and prints the executions each reached and any
// crasher. From the repository root:
//
//	go run ./internal/cmd/fuzz -fuzztime 60s
//	go run ./internal/cmd/fuzz -fuzztime 10s -want 0 ./tickets/ledger
//
// Arguments are package patterns (default ./...). A crasher is written by
// go test under the package's testdata/fuzz/<target>/, where it stays as a
// regression input for plain go test once committed; the command prints its
// path and the failure. -fuzzminimizetime bounds the minimisation of each
// new input, which with go test's default of 60s can take a slow target's
// whole window. The exit status is 1 if a target failed (a crasher or a
// build error) or reached fewer than -want executions.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

var (
	fuzzTime     = flag.String("fuzztime", "60s", "time (or Nx executions) per target, as go test -fuzztime")
	minimizeTime = flag.String("fuzzminimizetime", "1s", "minimisation time (or Nx) per input, as go test -fuzzminimizetime")
	parallel     = flag.Int("parallel", 0, "fuzzing workers per target (0: go test's default, GOMAXPROCS)")
	match        = flag.String("match", "", "run only targets whose package/name matches this regular expression")
	want         = flag.Int64("want", 10000, "report (and exit 1 for) targets below this many executions")
)

type target struct{ pkg, dir, name string }

type result struct {
	target
	execs    int64
	fuzzed   time.Duration // as go test reports it, without the build
	elapsed  time.Duration // wall time, with the build
	crashers []string
	failed   bool
	output   []byte
}

var (
	execsLine   = regexp.MustCompile(`fuzz: elapsed: (\S+), execs: (\d+) `)
	crasherLine = regexp.MustCompile(`Failing input written to (\S+)`)
	fuzzName    = regexp.MustCompile(`^Fuzz\w*$`)
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/cmd/fuzz [flags] [packages]")
		flag.PrintDefaults()
	}
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	var filter *regexp.Regexp
	if *match != "" {
		var err error
		if filter, err = regexp.Compile(*match); err != nil {
			fatal(err)
		}
	}

	targets, err := discover(patterns)
	if err != nil {
		fatal(err)
	}
	var selected []target
	for _, t := range targets {
		if filter == nil || filter.MatchString(t.pkg+"/"+t.name) {
			selected = append(selected, t)
		}
	}
	fmt.Printf("fuzz: %d targets, %s each, -fuzzminimizetime %s\n", len(selected), *fuzzTime, *minimizeTime)

	var results []result
	bad := false
	for i, t := range selected {
		r := run(t)
		results = append(results, r)
		status := "ok"
		switch {
		case r.failed:
			status = "FAIL"
		case r.execs < *want:
			status = fmt.Sprintf("below %d", *want)
		}
		fmt.Printf("[%d/%d] %s %s: %d execs in %v (%v with the build): %s\n",
			i+1, len(selected), t.pkg, t.name, r.execs, r.fuzzed, r.elapsed.Round(time.Second), status)
		if r.failed {
			bad = true
			os.Stdout.Write(tail(r.output, 40))
		}
		if r.execs < *want {
			bad = true
		}
	}
	summary(results)
	if bad {
		os.Exit(1)
	}
}

// discover lists the fuzz targets of the packages matching patterns.
func discover(patterns []string) ([]target, error) {
	args := append([]string{"list", "-f", "{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}"}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	var targets []target
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, dir, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if rel, err := filepath.Rel(wd, dir); err == nil {
			dir = rel
		}
		cmd := exec.Command("go", "test", "-list", "^Fuzz", pkg)
		cmd.Stderr = os.Stderr
		list, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go test -list %s: %w", pkg, err)
		}
		sc := bufio.NewScanner(bytes.NewReader(list))
		for sc.Scan() {
			if name := strings.TrimSpace(sc.Text()); fuzzName.MatchString(name) {
				targets = append(targets, target{pkg, dir, name})
			}
		}
	}
	return targets, nil
}

// run fuzzes one target and parses go test's report.
func run(t target) result {
	args := []string{"test", "-run", "^$", "-fuzz", "^" + t.name + "$",
		"-fuzztime", *fuzzTime, "-fuzzminimizetime", *minimizeTime}
	if *parallel > 0 {
		args = append(args, "-parallel", strconv.Itoa(*parallel))
	}
	args = append(args, t.pkg)
	start := time.Now()
	out, err := exec.Command("go", args...).CombinedOutput()
	r := result{target: t, elapsed: time.Since(start), output: out, failed: err != nil}
	r.execs, r.fuzzed, r.crashers = parseReport(out)
	for i, c := range r.crashers {
		r.crashers[i] = filepath.Join(t.dir, c)
	}
	return r
}

// parseReport returns the executions and fuzzing time of go test -fuzz's
// last status line and the crashers it wrote, relative to the package.
func parseReport(out []byte) (execs int64, fuzzed time.Duration, crashers []string) {
	for _, m := range execsLine.FindAllSubmatch(out, -1) {
		fuzzed, _ = time.ParseDuration(string(m[1]))
		execs, _ = strconv.ParseInt(string(m[2]), 10, 64)
	}
	for _, m := range crasherLine.FindAllSubmatch(out, -1) {
		crashers = append(crashers, string(m[1]))
	}
	return execs, fuzzed, crashers
}

func summary(results []result) {
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "execs\texecs/s\tpackage\ttarget\tcrashers")
	for _, r := range results {
		rate := float64(r.execs) / max(r.fuzzed.Seconds(), 1)
		crashers := "-"
		if len(r.crashers) > 0 {
			crashers = strings.Join(r.crashers, " ")
		} else if r.failed {
			crashers = "FAILED (see above)"
		}
		fmt.Fprintf(w, "%d\t%.0f\t%s\t%s\t%s\n", r.execs, rate, r.pkg, r.name, crashers)
	}
	w.Flush()
}

func tail(b []byte, lines int) []byte {
	for i := len(b) - 2; i >= 0; i-- {
		if b[i] == '\n' {
			if lines--; lines == 0 {
				return b[i+1:]
			}
		}
	}
	return b
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "fuzz:", err)
	os.Exit(1)
}
