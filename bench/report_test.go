package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// tinySweep exercises every code path of the report in a few seconds.
var tinySweep = sweep{
	Name:       "tiny",
	TRSSizes:   []int{2, 4},
	ARSSizes:   []int{4, 16},
	BatchK:     2,
	RefPoints:  16,
	Budget:     tinyBudget,
	RealStored: 2,
}

func TestReportFiles(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	if err := run(tinySweep, dir, "go test ./bench", &log); err != nil {
		t.Fatal(err)
	}
	// The progress display ends at the number of measurements planned.
	planned := plannedMeasurements(tinySweep)
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if last, want := lines[len(lines)-1], fmt.Sprintf("[%3d/%-3d", planned, planned); !strings.HasPrefix(last, want) {
		t.Errorf("progress ends at %q, want %d of %d measurements", last, planned, planned)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# ringtrace performance report",
		"## Primitive references",
		"## TRS",
		"## ARS",
		"## Design targets",
		"verify, cached ring (× t2)",
		"| TRS verify, ring tables cached, n = 50 |",
		"(" + trsTimeSVG + ")",
		"(" + sizesSVG + ")",
	} {
		if !bytes.Contains(report, []byte(want)) {
			t.Errorf("report.md lacks %q", want)
		}
	}

	svgs, err := filepath.Glob(filepath.Join(dir, "*.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if len(svgs) < 2 {
		t.Fatalf("wrote %d SVG files, want at least 2", len(svgs))
	}
	trsChart, err := os.ReadFile(filepath.Join(dir, trsTimeSVG))
	if err != nil {
		t.Fatal(err)
	}
	for _, curve := range []string{">Verify<", ">Verify, ring tables cached (trs.Verifier)<"} {
		if !bytes.Contains(trsChart, []byte(curve)) {
			t.Errorf("%s lacks the curve %s", trsTimeSVG, curve)
		}
	}
	for _, name := range svgs {
		checkSVG(t, name)
		if !bytes.Contains(report, []byte("("+filepath.Base(name)+")")) {
			t.Errorf("report.md does not show %s", filepath.Base(name))
		}
	}
}

// checkSVG parses a chart as XML and checks that it is a standalone SVG
// document with something drawn in it.
func checkSVG(t *testing.T, name string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var root *xml.StartElement
	counts := map[string]int{}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(name), err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == nil {
				root = &se
			}
			counts[se.Name.Local]++
		}
	}
	if root == nil || root.Name.Local != "svg" || root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("%s: root element is %v, want svg in the SVG namespace", filepath.Base(name), root)
	}
	if counts["polyline"] == 0 || counts["text"] == 0 {
		t.Errorf("%s: %d polylines and %d texts, want some of each", filepath.Base(name), counts["polyline"], counts["text"])
	}
}

func TestChartEscapesText(t *testing.T) {
	c := chart{
		Title:  `a <b> & "c"`,
		Series: []series{{Name: "x<y", Points: []point{{1, 1}, {10, 100}}}},
	}
	var b strings.Builder
	if err := c.writeSVG(&b); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(b.String()), new(struct{})); err != nil {
		t.Fatalf("chart with markup in its labels is not XML: %v", err)
	}
	if strings.Contains(b.String(), "<b>") {
		t.Error("title markup reached the SVG unescaped")
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{formatNs(812), "812 ns"},
		{formatNs(61_400), "61.4 µs"},
		{formatNs(1_610_000), "1.61 ms"},
		{formatNs(2.5e9), "2.50 s"},
		{formatNsTick(1e6), "1 ms"},
		{formatNsTick(1e2), "100 ns"},
		{formatBytes(1412), "1,412 B"},
		{formatBytes(33_800), "33.8 kB"},
		{formatBytes(8_600_000), "8.60 MB"},
		{formatRatio(1210.4), "1,210"},
		{formatRatio(0.4123), "0.412"},
		{groupDigits(-1234567), "-1,234,567"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestPaperComparison renders the report of a run at the paper's ring size
// and checks the AnonymousTollPass figures stand beside ours with the
// speed-up, and that the report names the machine and Go version. Both
// sweeps of the command measure that ring size.
func TestPaperComparison(t *testing.T) {
	for _, sw := range []sweep{quickSweep, fullSweep} {
		if !slices.Contains(sw.TRSSizes, paperRing) {
			t.Errorf("the %s sweep does not measure n = %d, the paper's ring size", sw.Name, paperRing)
		}
	}
	ms := func(v float64) timing { return timing{NsPerOp: v * 1e6, Samples: 5, Ops: 5} }
	res := &results{
		Machine: currentMachine(),
		Sweep:   quickSweep,
		Refs:    references{Points: 1024, T2: ms(0.03), MSM: ms(9), CTMSM: ms(14)},
		TRS: []trsRow{{N: paperRing, Sign: ms(8.1), Verify: ms(7.9), Trace: ms(173.7), Accept: ms(8),
			Check: ms(0.0025), Stored: paperRing - 1, Real: paperRing - 1, SigBytes: 3232, RingBytes: 1604}},
	}
	report := res.markdown()
	for _, want := range []string{
		"| ticketGEN | 81.0 ms | `trs.Sign` | 8.10 ms | ×10.0 |",
		"| ticketVER | 79.0 ms | `trs.Verify` | 7.90 ms | ×10.0 |",
		"| ticketTRACE | 1,737 ms | `trs.Trace` (verifies both) | 174 ms | ×10.0 |",
		"| trace against 49 used tickets | 2.50 s |",
		"8.60 MB / 13.0 MB",
		runtime.Version(),
		res.Machine.CPU,
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
