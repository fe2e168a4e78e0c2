package main

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// A chart is a log–log line chart: one polyline with markers per series, an
// optional set of horizontal reference lines, a legend on the right.
type chart struct {
	Title  string
	XLabel string
	YLabel string
	XTicks []float64            // labelled x positions; nil: 1, 2, 5 per decade
	YFmt   func(float64) string // values in tooltips
	YTick  func(float64) string // decade labels on the y axis
	Series []series
	Refs   []refLine
}

type series struct {
	Name   string
	Points []point
}

type point struct{ X, Y float64 }

// A refLine is a dashed horizontal line across the plot, such as the time of
// a primitive operation measured in the same run.
type refLine struct {
	Name string
	Y    float64
}

// Okabe–Ito colours: distinguishable with the common colour-vision
// deficiencies. Marker shapes differ too, for grey-scale printing.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"}

const (
	minWidth   = 820
	svgHeight  = 480
	plotLeft   = 84
	plotTop    = 56
	plotRight  = 600 // the legend lives to the right of this
	plotBottom = 404
)

// writeSVG renders c as a standalone SVG document.
func (c *chart) writeSVG(w io.Writer) error {
	var xs, ys []float64
	for _, s := range c.Series {
		for _, p := range s.Points {
			if p.X > 0 && p.Y > 0 {
				xs = append(xs, p.X)
				ys = append(ys, p.Y)
			}
		}
	}
	for _, r := range c.Refs {
		if r.Y > 0 {
			ys = append(ys, r.Y)
		}
	}
	if len(xs) == 0 {
		xs, ys = []float64{1, 10}, []float64{1, 10}
	}
	// The legend sets the width: about 7 pixels per character at 12 px.
	longest := len("primitive, same run")
	for _, s := range c.Series {
		longest = max(longest, utf8.RuneCountInString(s.Name))
	}
	svgWidth := max(minWidth, plotRight+20+36+7*longest+16)

	xMin, xMax := logBounds(xs, 0.08)
	yMin, yMax := decadeBounds(ys)
	xPos := func(x float64) float64 {
		return plotLeft + (math.Log10(x)-xMin)/(xMax-xMin)*(plotRight-plotLeft)
	}
	yPos := func(y float64) float64 {
		return plotBottom - (math.Log10(y)-yMin)/(yMax-yMin)*(plotBottom-plotTop)
	}
	yFmt, yTick := c.YFmt, c.YTick
	if yFmt == nil {
		yFmt = formatRatio
	}
	if yTick == nil {
		yTick = yFmt
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">
`, svgWidth, svgHeight, svgWidth, svgHeight)
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(c.Title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, svgHeight)
	fmt.Fprintf(&b, `<text x="%d" y="30" font-size="16" font-weight="bold">%s</text>`+"\n", plotLeft, esc(c.Title))

	// Horizontal gridlines: every decade labelled, 2…9 within it faint.
	b.WriteString(`<g stroke-width="1">` + "\n")
	for e := int(math.Round(yMin)); e <= int(math.Round(yMax)); e++ {
		decade := math.Pow(10, float64(e))
		y := yPos(decade)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#bbbbbb"/>`+"\n", plotLeft, y, plotRight, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle" stroke="none" fill="#333333">%s</text>`+"\n",
			plotLeft-8, y, esc(yTick(decade)))
		if float64(e) >= yMax {
			continue
		}
		for k := 2; k <= 9; k++ {
			y := yPos(float64(k) * decade)
			fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eeeeee"/>`+"\n", plotLeft, y, plotRight, y)
		}
	}

	// Vertical gridlines at the labelled ring sizes.
	ticks := c.XTicks
	if ticks == nil {
		ticks = oneTwoFive(xMin, xMax)
	}
	for _, t := range ticks {
		x := xPos(t)
		if x < plotLeft-0.5 || x > plotRight+0.5 {
			continue
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#dddddd"/>`+"\n", x, plotTop, x, plotBottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#333333">%s</text>`+"\n", x, plotBottom+18, esc(formatTick(t)))
	}
	b.WriteString("</g>\n")

	// Plot frame and axis labels.
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333333"/>`+"\n",
		plotLeft, plotTop, plotRight-plotLeft, plotBottom-plotTop)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="13">%s</text>`+"\n",
		(plotLeft+plotRight)/2, plotBottom+44, esc(c.XLabel))
	fmt.Fprintf(&b, `<text transform="translate(22 %d) rotate(-90)" text-anchor="middle" font-size="13">%s</text>`+"\n",
		(plotTop+plotBottom)/2, esc(c.YLabel))

	// Reference lines, labelled at their left end inside the plot, where
	// times growing with the ring leave most room: above
	// the line, or below it when the label above would collide with the
	// previous one.
	refs := slices.Clone(c.Refs)
	slices.SortFunc(refs, func(a, b refLine) int { return cmp.Compare(b.Y, a.Y) })
	lastLabel := math.Inf(-1)
	for _, r := range refs {
		if !(r.Y > 0) {
			continue
		}
		y := yPos(r.Y)
		labelY := y - 4
		if labelY-lastLabel < 13 {
			labelY = y + 13
		}
		lastLabel = labelY
		fmt.Fprintf(&b, `<g><title>%s</title>`, esc(r.Name+": "+yFmt(r.Y)))
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#777777" stroke-width="1.2" stroke-dasharray="6 4"/>`,
			plotLeft, y, plotRight, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11" fill="#555555" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text></g>`+"\n",
			plotLeft+6, labelY, esc(r.Name))
	}

	// Series.
	for i, s := range c.Series {
		color := palette[i%len(palette)]
		var pts []string
		for _, p := range s.Points {
			if p.X > 0 && p.Y > 0 {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", xPos(p.X), yPos(p.Y)))
			}
		}
		fmt.Fprintf(&b, `<g fill="%s" stroke="%s">`+"\n", color, color)
		if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke-width="2"/>`+"\n", strings.Join(pts, " "))
		}
		for _, p := range s.Points {
			if p.X > 0 && p.Y > 0 {
				fmt.Fprintf(&b, `<g><title>%s</title>%s</g>`+"\n",
					esc(fmt.Sprintf("%s at %s: %s", s.Name, formatTick(p.X), yFmt(p.Y))),
					marker(i, xPos(p.X), yPos(p.Y)))
			}
		}
		b.WriteString("</g>\n")
	}

	// Legend.
	lx, ly := plotRight+20, plotTop+6
	for i, s := range c.Series {
		color := palette[i%len(palette)]
		y := float64(ly + 22*i)
		fmt.Fprintf(&b, `<g fill="%s" stroke="%s"><line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke-width="2"/>%s</g>`,
			color, color, lx, y, lx+28, y, marker(i, float64(lx+14), y))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" dominant-baseline="middle">%s</text>`+"\n", lx+36, y, esc(s.Name))
	}
	if len(c.Refs) > 0 {
		y := float64(ly + 22*len(c.Series))
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#777777" stroke-width="1.2" stroke-dasharray="6 4"/>`,
			lx, y, lx+28, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" dominant-baseline="middle">primitive, same run</text>`+"\n", lx+36, y)
	}

	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// marker draws the i-th marker shape centred on (x, y).
func marker(i int, x, y float64) string {
	const r = 4.5
	switch i % 4 {
	case 0:
		return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="%.1f"/>`, x, y, r)
	case 1:
		return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, x-r, y-r, 2*r, 2*r)
	case 2:
		return fmt.Sprintf(`<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f"/>`,
			x, y-r-1, x+r+1, y+r, x-r-1, y+r)
	default:
		return fmt.Sprintf(`<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f"/>`,
			x, y-r-1, x+r+1, y, x, y+r+1, x-r-1, y)
	}
}

// logBounds returns log10 bounds around values with a margin, as a fraction
// of the span (at least a tenth of a decade), on each side.
func logBounds(values []float64, margin float64) (lo, hi float64) {
	lo, hi = math.Log10(slices.Min(values)), math.Log10(slices.Max(values))
	pad := max((hi-lo)*margin, 0.1)
	return lo - pad, hi + pad
}

// decadeBounds returns the log10 of the decades enclosing values, at least
// one decade apart.
func decadeBounds(values []float64) (lo, hi float64) {
	lo = math.Floor(math.Log10(slices.Min(values)))
	hi = math.Ceil(math.Log10(slices.Max(values)))
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

// oneTwoFive lists 1, 2 and 5 times each power of ten within the log10
// bounds.
func oneTwoFive(lo, hi float64) []float64 {
	var ticks []float64
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if l := math.Log10(v); l >= lo && l <= hi {
				ticks = append(ticks, v)
			}
		}
	}
	return ticks
}

func formatTick(v float64) string {
	if v == math.Trunc(v) && v < 1e15 {
		return groupDigits(int64(v))
	}
	return formatRatio(v)
}

// esc escapes s for use in XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
