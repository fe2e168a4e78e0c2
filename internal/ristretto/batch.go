package ristretto

import "filippo.io/edwards25519/field"

// AppendDoubledEncodings appends, for each element P of elements in order,
// the canonical encoding of 2·P to dst and returns the extended slice.
//
// It costs one field inversion for the whole batch and about 25 field
// multiplications per element, against a square root (≈ 250 squarings) per
// element for [Element.Bytes]. The output is enc(2·P), not enc(P): protocols
// that absorb it must say so. Doubling is a bijection of the group, so the
// encoding stays injective. It is constant time in the elements.
func AppendDoubledEncodings(dst []byte, elements []*Element) []byte {
	type doubling struct{ e, f, g, h field.Element }
	st := make([]doubling, len(elements))
	inv := make([]field.Element, len(elements))

	var xx, yy, zz, dtt field.Element
	for i, el := range elements {
		X, Y, Z, T := el.p.ExtendedCoordinates()
		d := &st[i]
		// Doubling on a = −1 twisted Edwards in extended coordinates:
		// 2P = (e·h : g·f : f·h : e·g) with
		// e = 2XY, f = Z² + dT², g = Y² + X², h = Z² − dT².
		xx.Square(X)
		yy.Square(Y)
		zz.Square(Z)
		dtt.Square(T).Multiply(&dtt, curveD)
		d.e.Multiply(X, Y).Add(&d.e, &d.e)
		d.f.Add(&zz, &dtt)
		d.g.Add(&yy, &xx)
		d.h.Subtract(&zz, &dtt)
		// e·f·g·h is zero exactly for the elements equal to the identity
		// (P in the 4-torsion coset); invert 1 instead so that one zero
		// does not spoil the batch, and output zeros for it below.
		var ef, gh field.Element
		ef.Multiply(&d.e, &d.f)
		gh.Multiply(&d.g, &d.h)
		inv[i].Multiply(&ef, &gh)
		inv[i].Select(feOne, &inv[i], inv[i].Equal(feZero))
	}
	batchInvert(inv)

	var out [ElementSize]byte
	var ef, gh, eg, fh, invEF, invGH, zInv, x, y, ix, iy, denInv, tmp, negY field.Element
	for i := range st {
		d := &st[i]
		isIdentity := d.e.Equal(feZero) | d.g.Equal(feZero)
		ef.Multiply(&d.e, &d.f)
		gh.Multiply(&d.g, &d.h)
		eg.Multiply(&d.e, &d.g)
		fh.Multiply(&d.f, &d.h)
		// With Q = 2P = (X0 : Y0 : Z0 : T0) = (eh : gf : fh : eg), the
		// curve equation gives h² − g² = (a − d)·e², hence
		// u1·u2² = (a − d)·e⁴f⁴g²h² and RFC 9496's
		// invsqrt = INVSQRT_A_MINUS_D / (e²f²gh) up to sign; every
		// quantity of §4.3.2 follows with 1/(efgh) as the only inverse:
		//   den2 = invsqrt·u2 = INVSQRT_A_MINUS_D / (ef)
		//   enchanted_denominator = den1·INVSQRT_A_MINUS_D = 1 / (gh)
		//   z_inv = 1 / (fh)
		// The sign of invsqrt does not matter: s is made non-negative and
		// rotate and the y sign depend only on its square.
		invEF.Multiply(&gh, &inv[i])
		invGH.Multiply(&ef, &inv[i])
		zInv.Multiply(&eg, &inv[i])
		// x0 = eh, y0 = gf
		x.Multiply(&d.e, &d.h)
		y.Multiply(&d.g, &d.f)
		ix.Multiply(&x, sqrtM1)
		iy.Multiply(&y, sqrtM1)
		// rotate = IS_NEGATIVE(t0 * z_inv)
		rotate := tmp.Multiply(&eg, &zInv).IsNegative()
		// x = CT_SELECT(iy0 IF rotate ELSE x0)
		// y = CT_SELECT(ix0 IF rotate ELSE y0)
		x.Select(&iy, &x, rotate)
		y.Select(&ix, &y, rotate)
		// den_inv = CT_SELECT(enchanted_denominator IF rotate ELSE den2)
		denInv.Multiply(&invEF, invSqrtAMinusD)
		denInv.Select(&invGH, &denInv, rotate)
		// y = CT_NEG(y, IS_NEGATIVE(x * z_inv))
		negY.Negate(&y)
		y.Select(&negY, &y, tmp.Multiply(&x, &zInv).IsNegative())
		// s = CT_ABS(den_inv * (z0 - y))
		tmp.Subtract(&fh, &y)
		tmp.Multiply(&denInv, &tmp).Absolute(&tmp)
		tmp.Select(feZero, &tmp, isIdentity)
		copy(out[:], tmp.Bytes())
		dst = append(dst, out[:]...)
	}
	return dst
}

// batchInvert replaces every element of v with its inverse using
// Montgomery's trick: one inversion and 3(n−1) multiplications. Every
// element must be non-zero.
func batchInvert(v []field.Element) {
	if len(v) == 0 {
		return
	}
	prefix := make([]field.Element, len(v))
	prefix[0].Set(&v[0])
	for i := 1; i < len(v); i++ {
		prefix[i].Multiply(&prefix[i-1], &v[i])
	}
	var acc, t field.Element
	acc.Invert(&prefix[len(v)-1]) // 1 / (v0·…·v(n−1))
	for i := len(v) - 1; i > 0; i-- {
		t.Multiply(&acc, &prefix[i-1]) // 1 / v_i
		acc.Multiply(&acc, &v[i])      // 1 / (v0·…·v(i−1))
		v[i].Set(&t)
	}
	v[0].Set(&acc)
}
