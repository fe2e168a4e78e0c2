package arsig

import "testing"

// TestBaseChoice pins the base choices and sizes that params.go and the
// package documentation state, and the 1,536-byte budget of issue 4.
func TestBaseChoice(t *testing.T) {
	for _, c := range []struct{ size, n, m, bytes int }{
		{1, 2, 1, 515},
		{16, 16, 1, 963},
		{17, 5, 2, 803},
		{256, 16, 2, 1507},
		{1024, 6, 4, 1315},
		{4096, 4, 6, 1379},
	} {
		p := paramsFor(c.size)
		if p.Base != c.n || p.Digits != c.m || SignatureSize(c.size) != c.bytes {
			t.Errorf("N'=%d: n=%d, m=%d, %d bytes; want n=%d, m=%d, %d bytes",
				c.size, p.Base, p.Digits, SignatureSize(c.size), c.n, c.m, c.bytes)
		}
	}
	for size := 1; size <= 4096; size++ {
		if l := SignatureSize(size); l > sizeBudget {
			t.Fatalf("N'=%d: %d-byte signatures, over the %d-byte budget", size, l, sizeBudget)
		}
	}
	for _, size := range []int{0, -1, MaxRingSize + 1} {
		if l := SignatureSize(size); l != -1 {
			t.Errorf("SignatureSize(%d) = %d, want -1", size, l)
		}
	}
}
