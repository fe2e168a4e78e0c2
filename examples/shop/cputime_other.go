//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "time"

// cpuTime reports that the CPU time is not known on this system.
func cpuTime() (time.Duration, bool) { return 0, false }
