package trs

import (
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// Shape of a ring key's table: window 5, two groups. A multiplication by
// the key then costs 51 mixed additions and 5 doublings instead of about
// 250 doublings; the table has 26·16 entries, 49,920 bytes, and takes
// about 4 t2 to build.
const (
	keyTableWindow = 5
	keyTableGroups = 2
)

// ringTables holds a fixed-base table for every key of a ring, in slot
// order, for a_j = z_j·g + c_j·Y_j without doublings. It is read-only once
// built and shared by goroutines.
type ringTables struct {
	tables []*ristretto.BaseTable
}

// ringTablesChunk is how many key tables are built in one allocation
// (about 800 KB) by one goroutine.
const ringTablesChunk = 16

// newRingTables builds the tables of every key of r, on every core.
func newRingTables(r *Ring) *ringTables {
	n := len(r.keys)
	rt := &ringTables{tables: make([]*ristretto.BaseTable, n)}
	parallel.For((n+ringTablesChunk-1)/ringTablesChunk, func(c int) {
		lo, hi := c*ringTablesChunk, min((c+1)*ringTablesChunk, n)
		keys := make([]*ristretto.Element, hi-lo)
		for j := range keys {
			keys[j] = &r.keys[lo+j].e
		}
		copy(rt.tables[lo:hi], ristretto.NewBaseTables(keys, keyTableWindow, keyTableGroups))
	})
	return rt
}
