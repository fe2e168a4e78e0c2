package main

import (
	"fmt"
	"io"
	"time"
)

// progress prints one line per measurement so a long sweep shows where it is:
//
//	[ 12/41   8.4s] TRS n=50 verify                    1.61 ms/op  (14 samples)
type progress struct {
	w     io.Writer // nil: silent
	start time.Time
	done  int
	total int // planned measurements; 0 if unknown
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, start: time.Now(), total: total}
}

// run measures with f, stores the result in dst and reports it.
func (p *progress) run(label string, f func() timing, dst *timing) {
	t := f()
	*dst = t
	p.done++
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "%s %-44s %12s/op  (%d samples)\n", p.prefix(), label, formatNs(t.NsPerOp), t.Samples)
}

// note reports work that is not itself measured, such as preparing keys.
func (p *progress) note(format string, args ...any) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "%s %s\n", p.prefix(), fmt.Sprintf(format, args...))
}

func (p *progress) prefix() string {
	elapsed := time.Since(p.start).Seconds()
	if p.total > 0 {
		return fmt.Sprintf("[%3d/%-3d %6.1fs]", p.done, p.total, elapsed)
	}
	return fmt.Sprintf("[%3d %6.1fs]", p.done, elapsed)
}
