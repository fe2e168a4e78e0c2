package ristretto

import (
	"sync"
	"unsafe"
)

// BaseTable holds precomputed multiples of one element P, for
// variable-time multiplications of P by many scalars
// ([Element.VarTimeMultiScalarMultTables]).
//
// Its shape is a window width w and a number of groups t. A scalar has
// n = ⌊253/w⌋ + 1 signed digits of w bits; digit l = k·t + r contributes
// d_l·2^(w·t·k)·2^(w·r)·P. The table keeps, for every k < ⌈n/t⌉, the
// multiples m·2^(w·t·k)·P for m = 1..2^(w−1) in affine-Niels form, so one
// multiplication costs n mixed additions and w·(t−1) doublings, and those
// doublings are shared by every table of the same multiplication. One
// group (t = 1) needs no doubling at all; more groups shrink the table t
// times at the cost of the doublings.
//
// A BaseTable is immutable and safe for concurrent use. The zero value is
// not valid.
type BaseTable struct {
	_       incomparable
	window  int
	groups  int
	digits  int
	entries []affineNiels // multiple m of subtable k at k·2^(w−1) + m − 1
}

// baseTableShapeOK reports whether window and groups make a table.
func baseTableShapeOK(window, groups int) bool {
	return window >= minWindow && window <= 8 && groups >= 1 && groups <= digitCount(window)
}

// BaseTableSize returns the size in bytes of the entries of a table of
// shape (window, groups), or 0 if the shape is invalid (see
// [NewBaseTable]).
func BaseTableSize(window, groups int) int {
	if !baseTableShapeOK(window, groups) {
		return 0
	}
	return baseTableEntries(window, groups) * int(unsafe.Sizeof(affineNiels{}))
}

func baseTableEntries(window, groups int) int {
	subtables := (digitCount(window) + groups - 1) / groups
	return subtables << (window - 1)
}

// NewBaseTable returns the table of p with window width window (2 to 8)
// and groups groups (1 to the digit count ⌊253/window⌋ + 1). It panics on
// any other shape. Building it costs about 253 doublings plus one addition
// and 7 field multiplications per entry, with a single field inversion; it
// is constant time in p.
func NewBaseTable(p *Element, window, groups int) *BaseTable {
	return NewBaseTables([]*Element{p}, window, groups)[0]
}

// NewBaseTables returns the tables of every element of elements, as
// [NewBaseTable] would, with their entries in one allocation and one field
// inversion for all of them.
func NewBaseTables(elements []*Element, window, groups int) []*BaseTable {
	if !baseTableShapeOK(window, groups) {
		panic("ristretto: invalid base table shape")
	}
	size := baseTableEntries(window, groups)
	points := make([]extendedPoint, len(elements)*size)
	for i, p := range elements {
		fillMultiples(points[i*size:(i+1)*size], p, window, groups)
	}
	entries := make([]affineNiels, len(points))
	toAffineNiels(entries, points)
	tables := make([]BaseTable, len(elements))
	out := make([]*BaseTable, len(elements))
	for i := range tables {
		tables[i] = BaseTable{window: window, groups: groups, digits: digitCount(window), entries: entries[i*size : (i+1)*size : (i+1)*size]}
		out[i] = &tables[i]
	}
	return out
}

// fillMultiples sets the entries of p's table, in extended coordinates.
func fillMultiples(points []extendedPoint, p *Element, window, groups int) {
	half := 1 << (window - 1)
	var base, dbl extendedPoint
	var baseN projectiveNiels
	var c completedPoint
	var pp projectivePoint
	base.fromElement(p)
	for k := range len(points) / half {
		if k > 0 {
			// base = 2^(w·t)·base
			pp.fromExtended(&base)
			for range window*groups - 1 {
				c.double(&pp)
				pp.fromCompleted(&c)
			}
			c.double(&pp)
			base.fromCompleted(&c)
		}
		row := points[k*half : (k+1)*half]
		row[0] = base
		if half > 1 {
			pp.fromExtended(&base)
			c.double(&pp)
			dbl.fromCompleted(&c)
			row[1] = dbl
		}
		baseN.fromExtended(&base)
		for m := 2; m < half; m++ {
			c.addProjective(&row[m-1], &baseN, false)
			row[m].fromCompleted(&c)
		}
	}
}

// Size returns the size in bytes of the table's entries.
func (t *BaseTable) Size() int { return BaseTableSize(t.window, t.groups) }

// maxInlineTables is how many tables VarTimeMultiScalarMultTables recodes
// into stack memory before it allocates.
const maxInlineTables = 4

// VarTimeMultiScalarMultTables sets v = Σ scalars[i]·P_i, where P_i is the
// element of tables[i], and returns v. The slices must have equal lengths.
// It costs one mixed addition per non-zero digit of every scalar and the
// doublings of the table with the most groups, w·(t−1); it does not
// allocate for up to four tables.
//
// Execution time depends on the inputs.
func (v *Element) VarTimeMultiScalarMultTables(scalars []*Scalar, tables []*BaseTable) *Element {
	if len(scalars) != len(tables) {
		panic("ristretto: multi-scalar multiplication with different size inputs")
	}
	var inline [maxInlineTables * maxDigits]int16
	digits := inline[:]
	if len(tables) > maxInlineTables {
		digits = make([]int16, len(tables)*maxDigits)
	}
	levels := 0 // doublings still to come before the first addition
	for i, t := range tables {
		signedDigits(digits[i*maxDigits:], scalars[i], t.window)
		levels = max(levels, t.window*(t.groups-1))
	}
	// Horner over the doublings: at level L (L doublings to come), add the
	// digits of group r = L/w of every table whose window divides L.
	var acc accumulator
	for level := levels; level >= 0; level-- {
		for i, t := range tables {
			if level%t.window != 0 || level/t.window >= t.groups {
				continue
			}
			half := 1 << (t.window - 1)
			row, di := 0, digits[i*maxDigits:]
			for l := level / t.window; l < t.digits; l += t.groups {
				switch d := int(di[l]); {
				case d > 0:
					acc.addAffine(&t.entries[row+d-1], false)
				case d < 0:
					acc.addAffine(&t.entries[row-d-1], true)
				}
				row += half
			}
		}
		if level > 0 {
			acc.double(1)
		}
	}
	return acc.extended().toElement(v)
}

// Relative costs of the shape model, in mixed additions (7M each, about
// 85 ns on a 2020s x86-64 core): a doubling; one table entry (the addition
// that makes it and its share of the batch normalisation); and, for
// Straus' method without tables, each base's share of a multiplication
// (its 8-entry table and about 42 additions of 8M).
const (
	costDoubling    = 0.9
	costEntry       = 2.5
	costStrausBase  = 58
	scalarBitLength = 253
)

// BaseTableShape returns the table shape (window, groups) that minimises
// the cost model for building tables tables of distinct bases and then
// using every one of them in each of uses multiplications by
// [Element.VarTimeMultiScalarMultTables], which share their doublings.
// Few uses favour small tables with many groups (little to build, a few
// doublings per use), many uses large windows with a single group. It
// reports false if, by the same model, the uses are cheaper as
// [Element.VarTimeMultiScalarMult] of strausBases terms each, without
// tables.
func BaseTableShape(uses, tables, strausBases int) (window, groups int, ok bool) {
	best := -1.0
	for w := minWindow; w <= 8; w++ {
		n := digitCount(w)
		adds := float64(n) * (1 - 1/float64(int(1)<<w)) // zero digits are free
		for t := 1; t <= n; t++ {
			build := float64(tables) * ((scalarBitLength-1)*costDoubling + float64(baseTableEntries(w, t))*costEntry)
			use := float64(uses) * (float64(tables)*adds + float64(w*(t-1))*costDoubling)
			if cost := build + use; best < 0 || cost < best {
				best, window, groups = cost, w, t
			}
		}
	}
	straus := float64(uses) * (scalarBitLength*costDoubling + float64(strausBases)*costStrausBase)
	return window, groups, best < straus
}

// GeneratorTable returns the table of the generator g with window 8 and
// one group (491,520 bytes), built on first use and shared: a
// multiplication by g through it costs 32 mixed additions and no doubling.
func GeneratorTable() *BaseTable { return generatorTable() }

var generatorTable = sync.OnceValue(func() *BaseTable {
	return NewBaseTable(NewGeneratorElement(), 8, 1)
})
