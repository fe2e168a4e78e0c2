package postgres

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ringtrace/ringtrace/trs"
)

// spentStoreBytes is what the spent store keeps on disk: both tables with
// their indexes and TOAST, by pg_total_relation_size.
func spentStoreBytes(tb testing.TB, db *DB) int64 {
	tb.Helper()
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT pg_total_relation_size('ringtrace_spent') + pg_total_relation_size('ringtrace_spent_tags')`).Scan(&n)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// randomRecord is a record under tag with random points and n random
// fingerprints, as the store sees a verified signature: it never looks
// inside the points, and random fingerprints match nothing.
func randomRecord(rng *rand.Rand, tag [trs.DigestSize]byte, n int) (trs.Record, []uint64) {
	r := trs.Record{Tag: tag}
	for i := range r.A0 {
		r.A0[i], r.A1[i] = byte(rng.Uint32()), byte(rng.Uint32())
	}
	fps := make([]uint64, n)
	for j := range fps {
		fps[j] = rng.Uint64()
	}
	return r, fps
}

// TestSpentStoreSize: at n = 50, a stored signature costs at most 600
// bytes of everything the store keeps (tables, indexes, TOAST), measured
// by pg_total_relation_size over records written by CheckAndAdd, spread
// over tags of 50 the way sales fill up: interleaved. The fixed size of the
// empty tables is subtracted; BenchmarkPostgresCheckAndAdd reports the
// total over 100,000 signatures.
func TestSpentStoreSize(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 check-and-adds; the full run measures them")
	}
	const n, perTag, tags = 50, 50, 100
	cfg, _ := testSchema(t)
	db := openConfig(t, cfg)
	s := db.SpentStore()
	_, ring := testMembers(t, 1)
	empty := spentStoreBytes(t, db)
	rng := rand.New(rand.NewPCG(1, 2))
	var digests [][trs.DigestSize]byte
	for i := range tags {
		tag := trs.NewTag(fmt.Appendf(nil, "size-%d", i), ring)
		register(t, s, tag)
		digests = append(digests, tag.Digest())
	}
	for range perTag {
		for _, d := range digests {
			r, fps := randomRecord(rng, d, n)
			if err := s.CheckAndAdd(ctx, r, fps, addAlways); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE ringtrace_spent, ringtrace_spent_tags`); err != nil {
		t.Fatal(err)
	}
	perSig := float64(spentStoreBytes(t, db)-empty) / float64(tags*perTag)
	t.Logf("%.0f bytes per stored signature at n = %d (%d signatures)", perSig, n, tags*perTag)
	if perSig > 600 {
		t.Fatalf("%.0f bytes per stored signature at n = %d, want at most 600", perSig, n)
	}
}
