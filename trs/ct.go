package trs

import (
	"unsafe"

	"github.com/ringtrace/ringtrace/internal/memcheck"
)

// declassify marks n bytes at p as public. It does nothing, except in the
// valgrind build (see ct_valgrind_test.go), where it tells memcheck that the
// bytes are no longer secret: values that are published (A1, the signature)
// or random and independent of every secret (the simulated c_j, z_j).
func declassify(p unsafe.Pointer, n uintptr) { memcheck.Declassify(p, n) }
