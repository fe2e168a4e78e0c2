package trs

import "github.com/ringtrace/ringtrace/internal/ristretto"

// commitments sets a[j] = z_j·g + c_j·Y_j and b[j] = z_j·h + c_j·σ_j for
// every slot j of the tag's ring, from the c and z of s and A0 = a0.
//
// With σ_j = A0 + (j+1)·A1, b_j is z_j·h + c_j·A0 + ((j+1)·c_j)·A1: three
// bases fixed for the whole signature, so b_j comes from fixed-base tables
// rather than doublings. A0's and A1's are built here with a shape sized by
// n; h's comes from the tag once the tag has been used enough to pay for
// it ([Tag.hTable]) and is built here like the others until then. a_j uses
// the ring's key tables when keys is non-nil and edwards25519's
// VarTimeDoubleScalarBaseMult otherwise.
//
// It runs in variable time: Verify gives it public values; Sign gives it
// the public h, A0 and A1 and random scalars independent of the key and
// the position.
func commitments(a, b []ristretto.Element, tag *Tag, keys *ringTables, s *Signature, a0 *ristretto.Element) {
	n := len(tag.ring.keys)
	hTable := tag.hTable()
	combs := 2
	if hTable == nil {
		combs = 3
	}
	w, groups, ok := ristretto.BaseTableShape(n, combs, 2)
	if !ok {
		// Too few members to pay for tables of A0 and A1.
		strausCommitments(a, b, tag, keys, s, a0)
		return
	}
	if hTable == nil {
		hTable = ristretto.NewBaseTable(&tag.h, w, groups)
	}
	bTables := []*ristretto.BaseTable{hTable, ristretto.NewBaseTable(a0, w, groups), ristretto.NewBaseTable(&s.a1, w, groups)}
	var pos, jc ristretto.Scalar
	bScalars := []*ristretto.Scalar{nil, nil, &jc}
	// All a_j first, then all b_j, so that each loop keeps its own tables
	// in the cache.
	for j := range tag.ring.keys {
		commitmentA(&a[j], keys, tag, s, j)
	}
	for j := range tag.ring.keys {
		// (j+1)·c_j, fully reduced before recoding.
		pos.SetUint64(uint64(j + 1))
		jc.Multiply(&pos, &s.c[j])
		bScalars[0], bScalars[1] = &s.z[j], &s.c[j]
		b[j].VarTimeMultiScalarMultTables(bScalars, bTables)
	}
}

// strausCommitments is commitments for small rings: b_j = z_j·h + c_j·σ_j
// by Straus' method, with σ_j = A0 + (j+1)·A1 by one addition per slot.
func strausCommitments(a, b []ristretto.Element, tag *Tag, keys *ringTables, s *Signature, a0 *ristretto.Element) {
	var sigma ristretto.Element
	scalars := make([]*ristretto.Scalar, 2)
	bases := []*ristretto.Element{&tag.h, &sigma}
	for j := range tag.ring.keys {
		if j == 0 {
			sigma.Add(a0, &s.a1)
		} else {
			sigma.Add(&sigma, &s.a1)
		}
		commitmentA(&a[j], keys, tag, s, j)
		scalars[0], scalars[1] = &s.z[j], &s.c[j]
		b[j].VarTimeMultiScalarMult(scalars, bases)
	}
}

// commitmentA sets a = z_j·g + c_j·Y_j, from the key's table if keys is
// not nil.
func commitmentA(a *ristretto.Element, keys *ringTables, tag *Tag, s *Signature, j int) {
	if keys == nil {
		a.VarTimeDoubleScalarBaseMult(&s.c[j], &tag.ring.keys[j].e, &s.z[j])
		return
	}
	a.VarTimeMultiScalarMultTables(
		[]*ristretto.Scalar{&s.z[j], &s.c[j]},
		[]*ristretto.BaseTable{ristretto.GeneratorTable(), keys.tables[j]})
}
