// Package memcheck marks memory as secret or public for the constant-time
// checks that run under valgrind memcheck (trs and arsig's
// ct_valgrind_test.go). In the valgrind build (build tag valgrind, cgo and
// valgrind/memcheck.h needed) [Classify] marks bytes undefined, so that
// memcheck reports every branch, memory index or system call that depends
// on them, and [Declassify] marks them defined again. In every other build
// Declassify does nothing and Classify does not exist.
package memcheck
