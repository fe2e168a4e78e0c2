package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
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
	if err := run(tinySweep, dir, "go test ./bench", nil); err != nil {
		t.Fatal(err)
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
