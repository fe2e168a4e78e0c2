package trs

import (
	"cmp"
	"crypto/sha512"
	"slices"

	"github.com/ringtrace/ringtrace/internal/parallel"
)

// BatchItem is one (tag, message, signature) triple for [VerifyBatch].
type BatchItem struct {
	Tag       *Tag
	Message   []byte
	Signature *Signature
}

const (
	// batchTablesAfter is how many items of a batch must share a ring for
	// VerifyBatch to build the ring's key tables (they pay for themselves
	// after five or six verifications, see verifierBuildAfter).
	batchTablesAfter = 8

	// batchTablesMaxBytes bounds the key tables one VerifyBatch call
	// builds: 64 MiB, the tables of about 1,300 ring members.
	batchTablesMaxBytes = 64 << 20
)

// VerifyBatch verifies every item, spreading the work over
// runtime.GOMAXPROCS(0) goroutines, and returns one entry per item: nil if
// the item's signature is valid, the error [Verify] would return otherwise.
// Items are independent; they may share or differ in tags.
//
// When 8 or more items share a ring, VerifyBatch first builds precomputed
// tables of that ring's keys, as a [Verifier] does, which makes each of
// their verifications about 40% cheaper; it builds at most 64 MiB of
// tables ([RingTableSize] bytes per member), for the rings with the most
// items first, and drops them when it returns.
func VerifyBatch(items []BatchItem) []error {
	keys := batchRingTables(items, batchTablesMaxBytes)
	errs := make([]error, len(items))
	parallel.For(len(items), func(i int) {
		it := &items[i]
		_, errs[i] = verifyWith(it.Tag, it.Message, it.Signature, keys[i])
	})
	return errs
}

// batchRingTables returns, for every item, the key tables of its ring if
// the batch builds them, and nil otherwise. It builds at most maxBytes of
// tables.
func batchRingTables(items []BatchItem, maxBytes int) []*ringTables {
	type ringCount struct {
		ring  *Ring
		items int
	}
	counts := make(map[[sha512.Size]byte]*ringCount)
	for i := range items {
		it := &items[i]
		if !it.checkable() {
			continue
		}
		key := it.Tag.ring.encodingDigest()
		if rc, ok := counts[*key]; ok {
			rc.items++
		} else {
			counts[*key] = &ringCount{ring: it.Tag.ring, items: 1}
		}
	}
	var shared []*ringCount
	for _, rc := range counts {
		if rc.items >= batchTablesAfter {
			shared = append(shared, rc)
		}
	}
	slices.SortFunc(shared, func(a, b *ringCount) int { return cmp.Compare(b.items, a.items) })
	built := make(map[*Ring]*ringTables)
	budget := maxBytes
	for _, rc := range shared {
		if size := rc.ring.Len() * RingTableSize; size <= budget {
			budget -= size
			built[rc.ring] = newRingTables(rc.ring)
		}
	}
	keys := make([]*ringTables, len(items))
	if len(built) == 0 {
		return keys
	}
	for i := range items {
		it := &items[i]
		if !it.checkable() {
			continue
		}
		if rc, ok := counts[*it.Tag.ring.encodingDigest()]; ok {
			keys[i] = built[rc.ring]
		}
	}
	return keys
}

// checkable reports whether verifying it goes past the size checks to the
// multiplications.
func (it *BatchItem) checkable() bool {
	return it.Tag.valid() && it.Signature != nil && it.Signature.RingSize() == it.Tag.ring.Len()
}
