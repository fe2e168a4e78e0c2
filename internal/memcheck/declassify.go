package memcheck

import "unsafe"

// DeclassifyValues marks the memory of every *v as public; see [Declassify].
func DeclassifyValues[T any](vs ...*T) {
	for _, v := range vs {
		Declassify(unsafe.Pointer(v), unsafe.Sizeof(*v))
	}
}

// DeclassifySlice marks the elements of s as public; see [Declassify].
func DeclassifySlice[T any](s []T) {
	if len(s) > 0 {
		Declassify(unsafe.Pointer(&s[0]), uintptr(len(s))*unsafe.Sizeof(s[0]))
	}
}
