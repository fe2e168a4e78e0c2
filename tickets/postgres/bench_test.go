package postgres

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ringtrace/ringtrace/trs"
)

// BenchmarkPostgresCheckAndAdd times SpentStore.CheckAndAdd of a fresh
// signature at n = 50 against a store already holding 100,000 signatures
// (2,000 full tags of 50), from 1, 8 and 32 concurrent clients. Each client
// fills tags of its own, 50 signatures each, registering a new one when
// its tag is full, so a check reads 0 to 49 stored records of its tag, 24.5
// on average, as when sales fill up. Records are random (see randomRecord):
// the store's work is that of a real verified signature, whose decide with
// no candidates is trivial. checks/s counts completed checks per second of
// wall time; B/sig is pg_total_relation_size of the store's tables and
// indexes divided by the signatures stored. Commits are synchronous: the
// rate depends on the disk's flush latency, amortised over the clients by
// PostgreSQL's group commit.
func BenchmarkPostgresCheckAndAdd(b *testing.B) {
	const n, stored = 50, 100000
	cfg, _ := testSchema(b)
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	cfg.MaxConns = 40
	db := openConfig(b, cfg)
	s := db.SpentStore()
	_, ring := testMembers(b, 1)
	fillSpentStore(b, db, ring, n, stored)

	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("n=%d,stored=%d,clients=%d", n, stored, clients), func(b *testing.B) {
			jobs := make(chan struct{})
			var wg sync.WaitGroup
			run := benchRuns.Add(1) // -count repeats this function over the same store
			for c := range clients {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(run, uint64(c)))
					var tag [trs.DigestSize]byte
					used := n
					for range jobs {
						if used == n {
							t := trs.NewTag(fmt.Appendf(nil, "bench-%d-%d-%d", run, c, rng.Uint64()), ring)
							if err := s.Register(ctx, t, time.Now().Add(24*time.Hour)); err != nil {
								b.Error(err)
								return
							}
							tag, used = t.Digest(), 0
						}
						r, fps := randomRecord(rng, tag, n)
						err := s.CheckAndAdd(ctx, r, fps, func(ms []trs.Match) (bool, error) {
							if len(ms) > 0 {
								return false, fmt.Errorf("%d unexpected candidates", len(ms))
							}
							return true, nil
						})
						if err != nil {
							b.Error(err)
							return
						}
						used++
					}
				})
			}
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				jobs <- struct{}{}
			}
			close(jobs)
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "checks/s")
			b.ReportMetric(float64(spentStoreBytes(b, db))/float64(countRows(b, db, "ringtrace_spent")), "B/sig")
		})
	}
}

var benchRuns atomic.Uint64

// fillSpentStore stores count random records at ring size n in tags of n
// with COPY, in random order (as concurrent sales interleave), then
// analyses the tables as autovacuum would.
func fillSpentStore(tb testing.TB, db *DB, ring *trs.Ring, n, count int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	until := time.Now().Add(24 * time.Hour)
	tagRows := make([][]any, 0, count/n)
	for i := range count / n {
		d := trs.NewTag(fmt.Appendf(nil, "fill-%d", i), ring).Digest()
		tagRows = append(tagRows, []any{d[:], until})
	}
	if _, err := db.pool.CopyFrom(ctx, pgx.Identifier{"ringtrace_spent_tags"}, []string{"digest", "until"}, pgx.CopyFromRows(tagRows)); err != nil {
		tb.Fatal(err)
	}
	rows, err := db.pool.Query(ctx, `SELECT id FROM ringtrace_spent_tags`)
	if err != nil {
		tb.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		tb.Fatal(err)
	}
	spent := make([][]any, 0, count)
	for _, id := range ids {
		for range n {
			r, fps := randomRecord(rng, [trs.DigestSize]byte{}, n)
			spent = append(spent, []any{id, r.A0[:], r.A1[:], encodeFingerprints(fps)})
		}
	}
	rng.Shuffle(len(spent), func(i, j int) { spent[i], spent[j] = spent[j], spent[i] })
	if _, err := db.pool.CopyFrom(ctx, pgx.Identifier{"ringtrace_spent"}, []string{"tag_id", "a0", "a1", "fps"}, pgx.CopyFromRows(spent)); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `ANALYZE ringtrace_spent, ringtrace_spent_tags`); err != nil {
		tb.Fatal(err)
	}
}
