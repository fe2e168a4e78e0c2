//go:build valgrind

package trs

// This file exists only in the valgrind build, which checks with memcheck
// that signing never branches on or indexes memory by the private key or
// the signer's position (see ct_valgrind_test.go for the command).

/*
#include <stddef.h>
#include <stdint.h>
#include <valgrind/memcheck.h>

// Addresses arrive as integers: the marked bytes may sit in structs that
// hold Go pointers, which cgo's pointer checks forbid passing as pointers.
static void trs_make_undefined(uintptr_t p, size_t n) { VALGRIND_MAKE_MEM_UNDEFINED((void *)p, n); }
static void trs_make_defined(uintptr_t p, size_t n) { VALGRIND_MAKE_MEM_DEFINED((void *)p, n); }
*/
import "C"

import "unsafe"

func declassify(p unsafe.Pointer, n uintptr) {
	C.trs_make_defined(C.uintptr_t(uintptr(p)), C.size_t(n))
}

// classify marks n bytes at p as secret: memcheck reports every branch,
// memory index or system call that depends on them.
func classify(p unsafe.Pointer, n uintptr) {
	C.trs_make_undefined(C.uintptr_t(uintptr(p)), C.size_t(n))
}
