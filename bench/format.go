package main

import (
	"math"
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// formatNs prints a duration in nanoseconds with three significant digits
// and a unit chosen so the number lies between 1 and 1000: "812 ns",
// "61.4 µs", "1.61 ms", "2.50 s".
func formatNs(ns float64) string {
	if !(ns > 0) || math.IsInf(ns, 0) {
		return "–"
	}
	scale, unit := timeUnit(ns)
	return sig3(ns/scale) + " " + unit
}

// formatNsTick prints a round duration for an axis label without trailing
// zeros: "1 ms", "10 µs", "200 ns".
func formatNsTick(ns float64) string {
	scale, unit := timeUnit(ns)
	return strconv.FormatFloat(ns/scale, 'g', 3, 64) + " " + unit
}

// timeUnit returns the largest of s, ms and µs that ns is at least one of,
// or ns.
func timeUnit(ns float64) (scale float64, unit string) {
	switch {
	case ns >= 1e9:
		return 1e9, "s"
	case ns >= 1e6:
		return 1e6, "ms"
	case ns >= 1e3:
		return 1e3, "µs"
	}
	return 1, "ns"
}

// formatBytesTick prints a round size for an axis label: "100 B", "10 kB".
func formatBytesTick(n float64) string {
	switch {
	case n >= 1e6:
		return strconv.FormatFloat(n/1e6, 'g', 3, 64) + " MB"
	case n >= 1e3:
		return strconv.FormatFloat(n/1e3, 'g', 3, 64) + " kB"
	default:
		return strconv.FormatFloat(n, 'g', 3, 64) + " B"
	}
}

// sig3 prints v (at least 1) with three significant digits.
func sig3(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// formatRatio prints a ratio with about three significant digits: "0.412",
// "3.07", "41.2", "1,210".
func formatRatio(r float64) string {
	if !(r > 0) || math.IsInf(r, 0) {
		return "–"
	}
	switch {
	case r >= 1000:
		return groupDigits(int64(math.Round(r)))
	case r >= 1:
		return sig3(r)
	default:
		return strconv.FormatFloat(r, 'g', 3, 64)
	}
}

// formatBytes prints a size exactly in bytes below 10 kB and in decimal
// units above, as the papers do: "1,412 B", "33.8 kB", "8.60 MB".
func formatBytes(n int) string {
	switch {
	case n <= 0:
		return "–"
	case n < 10_000:
		return groupDigits(int64(n)) + " B"
	case n < 1_000_000:
		return sig3(float64(n)/1e3) + " kB"
	default:
		return sig3(float64(n)/1e6) + " MB"
	}
}

// groupDigits prints n with a comma between groups of three digits.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
