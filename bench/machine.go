package main

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// A machine describes where the figures were measured.
type machine struct {
	CPU        string // model name, or "unknown"
	Cores      int    // logical CPUs visible to the process
	GOMAXPROCS int
	OS, Arch   string
	GoVersion  string
}

func currentMachine() machine {
	m := machine{
		CPU:        cpuModel(),
		Cores:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		GoVersion:  runtime.Version(),
	}
	return m
}

// cpuModel reads the processor name from /proc/cpuinfo, where Linux keeps
// it; other systems report "unknown" rather than shelling out to a tool that
// may not exist.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "model name", // x86
			"Model",     // Raspberry Pi and other arm boards
			"cpu model", // mips
			"uarch":     // riscv
			if v := strings.TrimSpace(value); v != "" {
				return v
			}
		}
	}
	return "unknown"
}

// loadAverage returns the one-minute load average from /proc/loadavg, or
// -1 where there is none. A load well above zero while the sweep runs means
// other processes competed for the cores and the times are inflated.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	first, _, _ := strings.Cut(string(b), " ")
	v, err := strconv.ParseFloat(first, 64)
	if err != nil {
		return -1
	}
	return v
}

// String returns a one-line description, such as
// "Intel(R) Xeon(R) Processor, 2 cores, linux/amd64, go1.26.8".
func (m machine) String() string {
	var b strings.Builder
	b.WriteString(m.CPU)
	b.WriteString(", ")
	b.WriteString(plural(m.Cores, "core"))
	if m.GOMAXPROCS != m.Cores {
		b.WriteString(" (GOMAXPROCS " + itoa(m.GOMAXPROCS) + ")")
	}
	b.WriteString(", " + m.OS + "/" + m.Arch + ", " + m.GoVersion)
	return b.String()
}
