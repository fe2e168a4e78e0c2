package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// results is everything one run measured.
type results struct {
	Machine machine
	Date    time.Time
	Elapsed time.Duration
	Sweep   sweep
	Command string
	Refs    references // the faster of RefsStart and RefsEnd, for the charts
	RefsStart,
	RefsEnd references
	TRS []trsRow
	ARS []arsRow
	// One-minute load averages before and after, -1 if unknown.
	LoadStart, LoadEnd float64
}

// The AnonymousTollPass paper (Kim, Lee, Yeun, Seo, CMC 79(3), 2024)
// measured its Python implementation at ring size 50.
const (
	paperRing        = 50
	paperTicketGen   = 81 * time.Millisecond
	paperTicketVer   = 79 * time.Millisecond
	paperTicketTrace = 1737 * time.Millisecond
	paperTrace49     = 2500 * time.Millisecond // a ticket against 49 used ones
	paperKeySizeLow  = 8_600_000               // bytes; the paper's "key size"
	paperKeySizeHigh = 13_000_000
)

// Chart file names, relative to the output directory.
const (
	trsTimeSVG = "trs-time.svg"
	arsTimeSVG = "ars-time.svg"
	sizesSVG   = "signature-size.svg"
)

// writeReport writes report.md and the charts into dir and returns the
// names of the files written.
func writeReport(dir string, res *results) ([]string, error) {
	var files []string
	write := func(name string, content []byte) error {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return err
		}
		files = append(files, name)
		return nil
	}
	for _, c := range res.charts() {
		var b strings.Builder
		if err := c.chart.writeSVG(&b); err != nil {
			return files, err
		}
		if err := write(c.file, []byte(b.String())); err != nil {
			return files, err
		}
	}
	if err := write("report.md", []byte(res.markdown())); err != nil {
		return files, err
	}
	return files, nil
}

type namedChart struct {
	file  string
	alt   string
	chart chart
}

func (res *results) charts() []namedChart {
	var out []namedChart
	if len(res.TRS) > 0 {
		c := chart{
			Title:  "TRS (trs): time per operation vs ring size",
			XLabel: "ring size n (log scale)",
			YLabel: "time per operation (log scale)",
			YFmt:   formatNs,
			YTick:  formatNsTick,
			Refs:   []refLine{{"t2 = VarTimeDoubleScalarBaseMult", res.Refs.T2.NsPerOp}},
		}
		ops := []struct {
			name string
			get  func(trsRow) timing
		}{
			{"Sign", func(r trsRow) timing { return r.Sign }},
			{"Verify", func(r trsRow) timing { return r.Verify }},
			{"Verify, ring tables cached (trs.Verifier)", func(r trsRow) timing { return r.VerifyCached }},
			{"Trace", func(r trsRow) timing { return r.Trace }},
			{"Index check (n−1 stored)", func(r trsRow) timing { return r.Check }},
		}
		for _, op := range ops {
			s := series{Name: op.name}
			for _, r := range res.TRS {
				s.Points = append(s.Points, point{float64(r.N), op.get(r).NsPerOp})
			}
			c.Series = append(c.Series, s)
		}
		for _, r := range res.TRS {
			c.XTicks = append(c.XTicks, float64(r.N))
		}
		out = append(out, namedChart{trsTimeSVG, "TRS time per operation vs ring size", c})
	}
	if len(res.ARS) > 0 {
		c := chart{
			Title:  "ARS (arsig): time per operation vs ring size",
			XLabel: "ring size N (log scale)",
			YLabel: "time per operation (log scale)",
			YFmt:   formatNs,
			YTick:  formatNsTick,
			Refs: []refLine{
				{fmt.Sprintf("MSM(%d), variable time", res.Refs.Points), res.Refs.MSM.NsPerOp},
				{fmt.Sprintf("CTMSM(%d), constant time", res.Refs.Points), res.Refs.CTMSM.NsPerOp},
			},
		}
		ops := []struct {
			name string
			get  func(arsRow) timing
		}{
			{"Sign", func(r arsRow) timing { return r.Sign }},
			{"Verify", func(r arsRow) timing { return r.Verify }},
			{"Open", func(r arsRow) timing { return r.Open }},
			{fmt.Sprintf("Batch verify, per signature (k=%d)", res.Sweep.BatchK), func(r arsRow) timing { return r.Batch }},
		}
		for _, op := range ops {
			s := series{Name: op.name}
			for _, r := range res.ARS {
				s.Points = append(s.Points, point{float64(r.N), op.get(r).NsPerOp})
			}
			c.Series = append(c.Series, s)
		}
		for _, r := range res.ARS {
			c.XTicks = append(c.XTicks, float64(r.N))
		}
		out = append(out, namedChart{arsTimeSVG, "ARS time per operation vs ring size", c})
	}
	if len(res.TRS) > 0 || len(res.ARS) > 0 {
		c := chart{
			Title:  "Signature size vs ring size",
			XLabel: "ring size (log scale)",
			YLabel: "bytes (log scale)",
			YFmt:   func(v float64) string { return formatBytes(int(v + 0.5)) },
			YTick:  formatBytesTick,
		}
		if len(res.TRS) > 0 {
			s := series{Name: "TRS signature"}
			ring := series{Name: "TRS ring encoding"}
			for _, r := range res.TRS {
				s.Points = append(s.Points, point{float64(r.N), float64(r.SigBytes)})
				ring.Points = append(ring.Points, point{float64(r.N), float64(r.RingBytes)})
			}
			c.Series = append(c.Series, s, ring)
		}
		if len(res.ARS) > 0 {
			s := series{Name: "ARS signature"}
			for _, r := range res.ARS {
				s.Points = append(s.Points, point{float64(r.N), float64(r.SigBytes)})
			}
			c.Series = append(c.Series, s)
		}
		out = append(out, namedChart{sizesSVG, "signature size vs ring size", c})
	}
	return out
}

// relTo returns a as a multiple of b, both measured against the same
// reference, or 0 if either is missing. Dividing the ratios rather than the
// times keeps the machine's drift between the two measurements out.
func relTo(a, b timing) float64 {
	if !a.Valid() || !b.Valid() || b.Rel == 0 {
		return 0
	}
	return a.Rel / b.Rel
}

// perMember returns t's ratio divided by the ring size n: the figure the
// TRS targets are set in, multiples of n·t2.
func perMember(t timing, n int) float64 {
	if !t.Valid() {
		return 0
	}
	return t.Rel / float64(n)
}

// cell prints a time with its multiple of its reference: "4.12 ms (68.1)".
func cell(t timing) string {
	if !t.Valid() {
		return "–"
	}
	return fmt.Sprintf("%s (%s)", formatNs(t.NsPerOp), formatRatio(t.Rel))
}

// speedup prints how many times faster ours is than the paper's figure.
func speedup(paper time.Duration, ours timing) string {
	if !ours.Valid() {
		return "–"
	}
	return "×" + formatRatio(float64(paper.Nanoseconds())/ours.NsPerOp)
}

func (res *results) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	refs := res.Refs
	msmName := fmt.Sprintf("MSM(%d)", refs.Points)
	ctmsmName := fmt.Sprintf("CTMSM(%d)", refs.Points)

	p("# ringtrace performance report\n\n")
	p("- **Machine:** %s\n", res.Machine)
	p("- **Date:** %s\n", res.Date.UTC().Format("2006-01-02 15:04 MST"))
	p("- **Sweep:** %s (%s of measuring); regenerate with `%s`\n", res.Sweep.Name, res.Elapsed.Round(time.Second), res.Command)
	if res.LoadStart >= 0 && res.LoadEnd >= 0 {
		p("- **Load average (1 min):** %.2f before, %.2f after", res.LoadStart, res.LoadEnd)
		if max(res.LoadStart, res.LoadEnd) > 0.5*float64(res.Machine.Cores) {
			p(" — other processes were competing for the cores, so absolute times are inflated and noisier; the ratios suffer less")
		}
		p("\n")
	}
	p("\nEvery time is the median over several samples of the time per operation on one goroutine, ")
	p("except batch verification, which uses every core it is given (GOMAXPROCS %d). ", res.Machine.GOMAXPROCS)
	p("Absolute times depend on the machine; the ratios to the primitive operations of ")
	p("`filippo.io/edwards25519` mostly do not, and are what the design targets are set in. ")
	p("Every sample of an operation is followed by a sample of its reference primitive lasting ")
	p("about as long, and a ratio is the median of the sample-by-sample ratios, so that the ")
	p("drift of a virtual machine's speed over the run does not enter it.")
	if res.Sweep.Name == "quick" {
		p(" This is a quick sweep: fewer ring sizes and shorter measurements, so expect a few percent of noise.")
	}
	p("\n\n")

	p("## Primitive references\n\n")
	p("Timed on their own before and after the schemes, for scale and for the charts (which ")
	p("draw the faster of the two); the ratios in the tables come from the reference samples ")
	p("taken beside each operation. A large gap between before and after means the machine's ")
	p("speed drifted or it was busy with something else.\n\n")
	p("| reference | operation | before | after |\n|---|---|---:|---:|\n")
	p("| t2 | `(*edwards25519.Point).VarTimeDoubleScalarBaseMult`: a·A + b·B | %s | %s |\n",
		formatNs(res.RefsStart.T2.NsPerOp), formatNs(res.RefsEnd.T2.NsPerOp))
	p("| %s | `(*edwards25519.Point).VarTimeMultiScalarMult` of %d points | %s | %s |\n", msmName, refs.Points,
		formatNs(res.RefsStart.MSM.NsPerOp), formatNs(res.RefsEnd.MSM.NsPerOp))
	p("| %s | `(*edwards25519.Point).MultiScalarMult` (constant time) of %d points | %s | %s |\n\n", ctmsmName, refs.Points,
		formatNs(res.RefsStart.CTMSM.NsPerOp), formatNs(res.RefsEnd.CTMSM.NsPerOp))

	res.trsMarkdown(p)
	res.arsMarkdown(p)
	res.targetsMarkdown(p)

	p("## Charts\n\n")
	for _, c := range res.charts() {
		p("![%s](%s)\n\n", c.alt, c.file)
	}

	p("## How this was measured\n\n")
	p("Each operation runs once to warm up, then in samples of enough operations to last ")
	p("about a tenth of the time budget (%s per operation, at least %d samples, at most %d); ",
		res.Sweep.Budget.MinTime, res.Sweep.Budget.MinSamples, res.Sweep.Budget.MaxSamples)
	p("the figure is the median of the per-operation times of the samples. Keys, rings and ")
	p("signatures are made fresh from `crypto/rand` for every ring size; preparing them is not timed. ")
	p("The TRS index check times `Index.CheckAndAddAccepted` of the last member's signature against ")
	p("the n−1 signatures the other members left under the tag, with a freshly filled in-memory ")
	p("store for every check (filling it is not timed). Up to %d of the stored signatures are real; ",
		res.Sweep.RealStored)
	p("beyond that they are synthetic records with random fingerprints, stored through `Store.CheckAndAdd`: ")
	p("a check costs one store call and n fingerprint probes whatever the records hold, and signing hundreds of real ")
	p("tickets at n = 1000 would add minutes and change nothing that is timed.\n")
	return b.String()
}

func (res *results) trsMarkdown(p func(string, ...any)) {
	p("## TRS — traceable ring signatures (`trs`)\n\n")
	if len(res.TRS) == 0 {
		p("Not measured in this run.\n\n")
		return
	}
	p("Times, and in brackets as multiples of t2 (so 68.1 means 68.1 · t2). *Verify* is `trs.Verify` on a tag ")
	p("already used a few times (it keeps a table of its base h); *verify, cached ring* is the same through a ")
	p("`trs.Verifier` that holds precomputed tables of the ring's keys, as at a plaza checking many tickets of one sale. ")
	p("*Index check* is one spent-index check against ")
	p("the n−1 signatures already stored under the tag (a full sale); *accept* is the verification ")
	p("that precedes it (`trs.Accept`).\n\n")
	p("| n | sign (× t2) | verify (× t2) | verify, cached ring (× t2) | trace (× t2) | accept (× t2) | index check (× t2) | signature | ring |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range res.TRS {
		p("| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.N,
			cell(r.Sign), cell(r.Verify), cell(r.VerifyCached), cell(r.Trace),
			cell(r.Accept), cell(r.Check),
			formatBytes(r.SigBytes), formatBytes(r.RingBytes))
	}
	p("\nPer ring member, in units of n·t2 (the design targets at n = 50 are sign ≤ 1.95, verify ≤ 1.8, ")
	p("verify with the ring cached ≤ 1.1; at n = 1000 verify ≤ 1.65):\n\n")
	p("| n | sign / (n·t2) | verify / (n·t2) | verify, cached ring / (n·t2) | trace / (n·t2) | index check per member |\n")
	p("|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range res.TRS {
		p("| %d | %s | %s | %s | %s | %s |\n", r.N,
			formatRatio(perMember(r.Sign, r.N)), formatRatio(perMember(r.Verify, r.N)), formatRatio(perMember(r.VerifyCached, r.N)),
			formatRatio(perMember(r.Trace, r.N)), formatNs(r.Check.NsPerOp/float64(r.N)))
	}
	p("\n")

	p("### Against the AnonymousTollPass paper (n = %d)\n\n", paperRing)
	r, ok := res.trsAt(paperRing)
	if !ok {
		p("This sweep did not include n = %d.\n\n", paperRing)
		return
	}
	p("Kim, Lee, Yeun and Seo, *AnonymousTollPass* (CMC 79(3), 2024), report these figures for their ")
	p("Python implementation of the same Fujisaki–Suzuki scheme at ring size %d, on their hardware. ", paperRing)
	p("The comparison is indicative only: another language, another group and another machine; ")
	p("the speed-up says how far the figures are apart, not how fast one implementation is on the other's machine.\n\n")
	p("| paper | paper (Python) | ringtrace | this run | speed-up |\n|---|---:|---|---:|---:|\n")
	p("| ticketGEN | %s | `trs.Sign` | %s | %s |\n", formatNs(float64(paperTicketGen)), formatNs(r.Sign.NsPerOp), speedup(paperTicketGen, r.Sign))
	p("| ticketVER | %s | `trs.Verify` | %s | %s |\n", formatNs(float64(paperTicketVer)), formatNs(r.Verify.NsPerOp), speedup(paperTicketVer, r.Verify))
	p("| ticketTRACE | %s | `trs.Trace` (verifies both) | %s | %s |\n", groupDigits(paperTicketTrace.Milliseconds())+" ms", formatNs(r.Trace.NsPerOp), speedup(paperTicketTrace, r.Trace))
	p("| trace against %d used tickets | %s | index check against %d stored | %s | %s |\n",
		paperRing-1, formatNs(float64(paperTrace49)), r.Stored, formatNs(r.Check.NsPerOp), speedup(paperTrace49, r.Check))
	both := timing{NsPerOp: r.Accept.NsPerOp + r.Check.NsPerOp, Ops: 1}
	p("| trace against %d used tickets | %s | accept + index check (verification included) | %s | %s |\n",
		paperRing-1, formatNs(float64(paperTrace49)), formatNs(both.NsPerOp), speedup(paperTrace49, both))
	p("| \"key size\" | %s / %s | signature | %s | ×%s smaller |\n",
		formatBytes(paperKeySizeLow), formatBytes(paperKeySizeHigh), formatBytes(r.SigBytes),
		formatRatio(float64(paperKeySizeLow)/float64(r.SigBytes)))
	p("| \"key size\" | %s / %s | ring (%d public keys) | %s | ×%s smaller |\n\n",
		formatBytes(paperKeySizeLow), formatBytes(paperKeySizeHigh), paperRing, formatBytes(r.RingBytes),
		formatRatio(float64(paperKeySizeLow)/float64(r.RingBytes)))
	p("The spent index replaces the paper's tracing of a new ticket against each used one by n ")
	p("hash lookups, which is where the largest factor comes from; the row with verification ")
	p("included is the like-for-like one for an exit plaza. For sizes, ours are what a verifier ")
	p("needs per ticket on the wire (the signature) and per sale (the ring); size factors are ")
	p("against the smaller of the paper's two figures.\n\n")
}

func (res *results) trsAt(n int) (trsRow, bool) {
	for _, r := range res.TRS {
		if r.N == n {
			return r, true
		}
	}
	return trsRow{}, false
}

func (res *results) arsAt(n int) (arsRow, bool) {
	for _, r := range res.ARS {
		if r.N == n {
			return r, true
		}
	}
	return arsRow{}, false
}

// An arsRow holds the ARS figures for one ring size.
type arsRow struct {
	N        int
	Sign     timing
	Verify   timing
	Open     timing // the opener names the signer, with a proof
	Batch    timing // VerifyBatch of BatchK signatures on one ring, per signature
	BatchK   int
	SigBytes int
}

func (res *results) arsMarkdown(p func(string, ...any)) {
	refs := res.Refs
	msmName := fmt.Sprintf("MSM(%d)", refs.Points)
	ctmsmName := fmt.Sprintf("CTMSM(%d)", refs.Points)
	p("## ARS — accountable ring signatures (`arsig`)\n\n")
	if len(res.ARS) == 0 {
		p("Not measured in this run.\n\n")
		return
	}
	p("Times, and in brackets as multiples of %s (signing, which is constant time in the secrets) ", ctmsmName)
	p("or %s (everything else, which handles public data). *Batch* is `arsig.VerifyBatch` ", msmName)
	p("of k signatures on one ring, divided by k; *batch / verify* compares it with one `arsig.Verify`.\n\n")
	p("| N | sign (× %s) | verify (× %s) | open (× %s) | batch, per signature (× %s) | batch / verify | signature |\n",
		ctmsmName, msmName, msmName, msmName)
	p("|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range res.ARS {
		batch := cell(r.Batch)
		if r.Batch.Valid() {
			batch += fmt.Sprintf(", k=%d", r.BatchK)
		}
		p("| %d | %s | %s | %s | %s | %s | %s |\n", r.N,
			cell(r.Sign), cell(r.Verify),
			cell(r.Open), batch,
			formatRatio(relTo(r.Batch, r.Verify)), formatBytes(r.SigBytes))
	}
	p("\n")
}

// A target is one line of the design's performance targets.
type target struct {
	What     string
	Measured string
	Limit    string
	Met      bool
	Known    bool // false: not measured in this run
	Note     string
}

func (res *results) targets() []target {
	var ts []target
	trsTarget := func(what string, n int, get func(trsRow) timing, limit float64) target {
		r, ok := res.trsAt(n)
		rel := perMember(get(r), n)
		return target{What: fmt.Sprintf("TRS %s, n = %d", what, n), Limit: fmt.Sprintf("≤ %s n·t2", formatRatio(limit)),
			Known: ok && get(r).Valid(), Measured: formatRatio(rel) + " n·t2", Met: rel <= limit}
	}
	r, ok := res.trsAt(50)
	ts = append(ts,
		trsTarget("sign", 50, func(r trsRow) timing { return r.Sign }, 1.95),
		trsTarget("verify", 50, func(r trsRow) timing { return r.Verify }, 1.8),
		trsTarget("verify", 1000, func(r trsRow) timing { return r.Verify }, 1.65),
		trsTarget("verify, ring tables cached", 50, func(r trsRow) timing { return r.VerifyCached }, 1.1),
		target{What: "TRS index check, n = 50", Limit: "≤ 100 µs", Known: ok && r.Check.Valid(),
			Measured: formatNs(r.Check.NsPerOp), Met: r.Check.NsPerOp <= 100e3,
			Note: fmt.Sprintf("against %d stored here; `BenchmarkPlazaExit` checks against a large store", r.Stored)},
	)
	arsVerify := func(n int, limit float64) target {
		a, ok := res.arsAt(n)
		return target{What: fmt.Sprintf("ARS verify, N = %d", n), Limit: fmt.Sprintf("≤ %s MSM(1024)", formatRatio(limit)),
			Known:    ok && a.Verify.Valid() && res.Refs.Points == 1024,
			Measured: formatRatio(a.Verify.Rel) + " MSM(1024)", Met: a.Verify.Rel <= limit}
	}
	a, ok := res.arsAt(1024)
	ts = append(ts,
		arsVerify(1024, 0.7),
		arsVerify(4096, 1.9),
		target{What: "ARS sign, N = 1024", Limit: "≤ 6 CTMSM(1024)", Known: ok && a.Sign.Valid() && res.Refs.Points == 1024,
			Measured: formatRatio(a.Sign.Rel) + " CTMSM(1024)", Met: a.Sign.Rel <= 6},
		target{What: "ARS signature, N = 1024", Limit: "≤ 1.5 KiB (1,536 B)", Known: ok && a.SigBytes > 0,
			Measured: formatBytes(a.SigBytes), Met: a.SigBytes <= 1536},
		target{What: "ARS batch verification, N = 1024", Limit: "≤ 0.25 of single verifications", Known: ok && a.Batch.Valid(),
			Measured: formatRatio(relTo(a.Batch, a.Verify)), Met: relTo(a.Batch, a.Verify) <= 0.25,
			Note: batchNote(a.BatchK, res.Machine.GOMAXPROCS)},
	)
	return ts
}

func (res *results) targetsMarkdown(p func(string, ...any)) {
	p("## Design targets\n\n")
	p("| target | limit | this run | met | note |\n|---|---|---:|:---:|---|\n")
	for _, t := range res.targets() {
		if !t.Known {
			p("| %s | %s | – | not measured | |\n", t.What, t.Limit)
			continue
		}
		met := "no"
		if t.Met {
			met = "yes"
		}
		p("| %s | %s | %s | %s | %s |\n", t.What, t.Limit, t.Measured, met, t.Note)
	}
	p("\n")
}

func batchNote(k, procs int) string {
	note := fmt.Sprintf("k = %d signatures, GOMAXPROCS %d", k, procs)
	if k != 100 {
		note += "; the target is for k = 100, where the shared work is spread further"
	}
	return note
}
