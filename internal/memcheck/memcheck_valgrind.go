//go:build valgrind

package memcheck

/*
#include <stddef.h>
#include <stdint.h>
#include <valgrind/memcheck.h>

// Addresses arrive as integers: the marked bytes may sit in structs that
// hold Go pointers, which cgo's pointer checks forbid passing as pointers.
static void ringtrace_make_undefined(uintptr_t p, size_t n) { VALGRIND_MAKE_MEM_UNDEFINED((void *)p, n); }
static void ringtrace_make_defined(uintptr_t p, size_t n) { VALGRIND_MAKE_MEM_DEFINED((void *)p, n); }
*/
import "C"

import "unsafe"

// Enabled reports whether this is the valgrind build.
const Enabled = true

// Declassify marks n bytes at p as public (defined, for memcheck).
func Declassify(p unsafe.Pointer, n uintptr) {
	C.ringtrace_make_defined(C.uintptr_t(uintptr(p)), C.size_t(n))
}

// Classify marks n bytes at p as secret: memcheck reports every branch,
// memory index or system call that depends on them.
func Classify(p unsafe.Pointer, n uintptr) {
	C.ringtrace_make_undefined(C.uintptr_t(uintptr(p)), C.size_t(n))
}
