package arsig

import (
	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// sizeBudget is the signature length the base choice tries to stay within.
const sizeBudget = 1536

// paramsFor returns the base n and digit count m that [Sign] uses for a
// ring of size members [choice, from measurement]: the fewest digits m whose
// signature fits in sizeBudget bytes, and among those the shortest
// signature; if no base fits, the shortest signature.
//
// Signing costs m constant-time multi-scalar multiplications over the ring
// (one per digit), which dominate everything else from about 64 members
// on, so fewer digits sign faster; a larger base costs m·(n−1) scalars of
// signature, and verification hardly depends on the base. Measured at 1,024
// members (ms, one core): n=2, m=10: 168; n=3, m=7: 148; n=4, m=5: 94;
// n=5, m=5: 99; n=6, m=4: 68; n=8, m=4: 60 (1,571 bytes, over budget);
// n=16, m=3: 46 (2,051 bytes). So this picks n = 6, m = 4 at 1,024 members
// (1,315 bytes), n = 16, m = 2 at 256 (1,507 bytes), n = 4, m = 6 at 4,096
// (1,379 bytes; n = 6, m = 5 would be 3 bytes over budget).
func paramsFor(size int) oneofmany.Params {
	var best oneofmany.Params
	bestLen, bestFits := 0, false
	for n := oneofmany.MinBase; n <= oneofmany.MaxBase; n++ {
		p, err := oneofmany.NewParams(n, size)
		if err != nil {
			panic("arsig: internal error: ring size out of range")
		}
		l := signatureLen(p)
		fits := l <= sizeBudget
		better := false
		switch {
		case best.Base == 0:
			better = true
		case fits != bestFits:
			better = fits
		case fits:
			better = p.Digits < best.Digits || (p.Digits == best.Digits && l < bestLen)
		default:
			better = l < bestLen || (l == bestLen && p.Digits < best.Digits)
		}
		if better {
			best, bestLen, bestFits = p, l, fits
		}
	}
	return best
}

// signatureLen returns the encoded length of a signature with params p.
func signatureLen(p oneofmany.Params) int {
	points, scalars := elementCount(p.Digits), scalarCount(p.Base, p.Digits)
	return headerSize + points*ristretto.ElementSize + scalars*ristretto.ScalarSize
}

// elementCount is the number of group elements of a signature: c1, c2, A,
// B, C, D, G_t (two each) and T1, T2.
func elementCount(m int) int { return 8 + 2*m }

// scalarCount is the number of scalars: f_{j,i} for i ≥ 1, z_A, z_C, z,
// z_sk, z_r.
func scalarCount(n, m int) int { return m*(n-1) + 5 }

// SignatureSize returns the length of the signatures [Sign] makes for a
// ring of ringSize members, or -1 if ringSize is outside 1..[MaxRingSize].
func SignatureSize(ringSize int) int {
	if ringSize < 1 || ringSize > MaxRingSize {
		return -1
	}
	return signatureLen(paramsFor(ringSize))
}
