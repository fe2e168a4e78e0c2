// Command bench measures ringtrace on the machine it runs on and writes a
// report: tables per scheme across ring sizes, every figure also as a
// multiple of a filippo.io/edwards25519 primitive timed in the same run,
// the AnonymousTollPass paper's figures side by side, and SVG charts.
//
// Usage:
//
//	go run ./bench [-quick] [-o DIR]
//
// The full sweep (TRS n = 5…1000, ARS N = 16…4096, batches of 100) takes
// about three minutes on two cores, longer on a busy machine; -quick
// measures fewer ring sizes, for less time each, with batches of 10, and
// takes about a minute. Progress goes to standard error; the report goes
// to DIR/report.md, with the charts beside it.
//
// The package also holds scenario benchmarks that span packages (a toll
// plaza's exit check, a settlement batch, a billing period):
//
//	go test -run '^$' -bench . ./bench
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// A sweep says what to measure and for how long.
type sweep struct {
	Name      string // "quick", "full"
	TRSSizes  []int
	ARSSizes  []int
	BatchK    int // signatures per ARS batch verification
	RefPoints int // size of the reference multi-scalar multiplications
	Budget    budget
	// RealStored caps how many of the n−1 signatures stored before a TRS
	// index check are real; the rest are synthetic records (see trs.go).
	RealStored int
}

var (
	fullSweep = sweep{
		Name:       "full",
		TRSSizes:   []int{5, 10, 50, 100, 500, 1000},
		ARSSizes:   []int{16, 64, 256, 1024, 4096},
		BatchK:     100,
		RefPoints:  1024,
		Budget:     fullBudget,
		RealStored: 99,
	}
	quickSweep = sweep{
		Name:       "quick",
		TRSSizes:   []int{5, 50, 100},
		ARSSizes:   []int{16, 64, 256, 1024},
		BatchK:     10,
		RefPoints:  1024,
		Budget:     quickBudget,
		RealStored: 99,
	}
)

func main() {
	quick := flag.Bool("quick", false, "measure a reduced sweep (about a minute on two cores)")
	out := flag.String("o", "bench-report", "directory to write report.md and the SVG charts to")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./bench [-quick] [-o DIR]\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	sw := fullSweep
	command := "go run ./bench -o " + *out
	if *quick {
		sw = quickSweep
		command = "go run ./bench -quick -o " + *out
	}
	if err := run(sw, *out, command, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run measures sw, writing progress to log (nil for none), and writes the
// report into dir.
func run(sw sweep, dir, command string, log io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	res := &results{
		Machine: currentMachine(),
		Date:    time.Now(),
		Sweep:   sw,
		Command: command,
	}
	res.LoadStart = loadAverage()
	p := newProgress(log, plannedMeasurements(sw))
	p.note("ringtrace bench, %s sweep, on %s", sw.Name, res.Machine)

	prims := newPrimitives(sw.RefPoints)
	res.RefsStart = measureReferences(sw.Budget, prims, "start", p)
	var err error
	if res.TRS, err = measureTRS(sw, prims, p); err != nil {
		return fmt.Errorf("trs: %w", err)
	}
	if res.ARS, err = measureARS(sw, prims, p); err != nil {
		return fmt.Errorf("arsig: %w", err)
	}
	res.RefsEnd = measureReferences(sw.Budget, prims, "end", p)
	res.Refs = faster(res.RefsStart, res.RefsEnd)
	res.LoadEnd = loadAverage()
	res.Elapsed = time.Since(p.start)

	files, err := writeReport(dir, res)
	if err != nil {
		return err
	}
	p.note("done in %s; wrote %v to %s", res.Elapsed.Round(time.Second/10), files, dir)
	return nil
}

// plannedMeasurements counts the measurements sw makes, for the progress
// display.
func plannedMeasurements(sw sweep) int {
	return 6 + trsOps*len(sw.TRSSizes) + arsOps*len(sw.ARSSizes)
}
