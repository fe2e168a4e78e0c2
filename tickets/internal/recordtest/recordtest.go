// Package recordtest holds the test helpers shared by the application
// packages' record tests.
package recordtest

import (
	"bytes"
	"testing"
)

// FuzzParser fuzzes a record parser from a valid encoding: parse must
// never panic, must return nothing with an error, and bytes it accepts
// must re-encode identically through encode. The corpus starts with seed,
// half of it, and it with a trailing byte.
func FuzzParser[T comparable](f *testing.F, seed []byte, parse func([]byte) (T, error), encode func(T) []byte) {
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add(append(bytes.Clone(seed), 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := parse(b)
		var zero T
		if err != nil {
			if v != zero {
				t.Fatalf("parser returned a value with error %v", err)
			}
			return
		}
		if got := encode(v); !bytes.Equal(got, b) {
			t.Fatalf("accepted %x\nre-encodes as %x", b, got)
		}
	})
}
