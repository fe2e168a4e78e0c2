//go:build !valgrind

package trs

import "unsafe"

// declassify marks n bytes at p as public. It does nothing, except in the
// valgrind build (ct_valgrind.go), where it tells memcheck that the bytes
// are no longer secret: values that are published (A1, the signature) or
// random and independent of every secret (the simulated c_j, z_j).
func declassify(p unsafe.Pointer, n uintptr) {}
