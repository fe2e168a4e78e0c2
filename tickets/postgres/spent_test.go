package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ringtrace/ringtrace/trs"
)

// TestSpentStoreKinds runs one sequence of checks through an index over
// the PostgreSQL store and one over trs's memory store: every result must
// be the one the spec asks for, and the same for both.
func TestSpentStoreKinds(t *testing.T) {
	db, _ := newTestDB(t)
	store := db.SpentStore()
	privs, ring := testMembers(t, 6)
	tag, other := trs.NewTag([]byte("sale-1"), ring), trs.NewTag([]byte("sale-2"), ring)
	register(t, store, tag)
	register(t, store, other)
	pg, mem := trs.NewIndex(store), trs.NewIndex(trs.NewMemoryStore())

	check := func(tag *trs.Tag, k int, msg string, want trs.Kind, wantSlot int) {
		t.Helper()
		a := accepted(t, privs[k], tag, msg)
		for _, idx := range []*trs.Index{pg, mem} {
			res, err := idx.CheckAndAddAccepted(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind != want || res.Index != wantSlot {
				t.Fatalf("slot %d, %q: got %v at %d, want %v at %d", k, msg, res.Kind, res.Index, want, wantSlot)
			}
			if want == trs.Revealed && !res.Key.Equal(privs[k].Public()) {
				t.Fatal("wrong revealed key")
			}
		}
	}
	for k := range privs {
		check(tag, k, "first", trs.Fresh, -1)
	}
	check(tag, 2, "first", trs.Linked, -1)       // replay with fresh nonces
	check(tag, 4, "second", trs.Revealed, 4)     // double use
	check(tag, 4, "third", trs.Revealed, 4)      // the revealed one was not stored
	check(other, 4, "first", trs.Fresh, -1)      // another tag is independent
	check(other, 4, "exit 2", trs.Revealed, 4)   //
	check(other, 0, "first", trs.Fresh, -1)      //
	check(other, 0, "first", trs.Linked, -1)     //
	check(other, 5, "only once", trs.Fresh, -1)  //
	check(tag, 5, "only once", trs.Revealed, 5)  // tag's member 5 signed "first"
	check(other, 5, "only once", trs.Linked, -1) //

	// CheckAccepted answers without storing.
	a := accepted(t, privs[1], other, "not stored")
	for range 2 {
		if res, err := pg.CheckAccepted(ctx, a); err != nil || res.Kind != trs.Fresh {
			t.Fatalf("CheckAccepted: %v, %v", res.Kind, err)
		}
	}
	if n := countRows(t, db, "ringtrace_spent"); n != 9 {
		t.Fatalf("%d records stored, want 9 (the Fresh ones)", n)
	}
}

func countRows(t testing.TB, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// syntheticRecord is a record under tag with A0 and A1 made of seed; the
// store never looks inside them.
func syntheticRecord(tag *trs.Tag, seed byte) trs.Record {
	r := trs.Record{Tag: tag.Digest()}
	for i := range r.A0 {
		r.A0[i], r.A1[i] = seed, seed^0xff
	}
	return r
}

func addAlways([]trs.Match) (bool, error) { return true, nil }

// TestSpentStoreMatches: the store passes decide exactly the records that
// share a fingerprint, once per slot of the new signature having it, only
// under the same tag; it stores only when decide says so.
func TestSpentStoreMatches(t *testing.T) {
	db, _ := newTestDB(t)
	s := db.SpentStore()
	_, ring := testMembers(t, 1)
	tag, other := trs.NewTag([]byte("a"), ring), trs.NewTag([]byte("b"), ring)
	register(t, s, tag)
	register(t, s, other)
	r1, r2 := syntheticRecord(tag, 1), syntheticRecord(tag, 2)
	for _, add := range []struct {
		r   trs.Record
		fps []uint64
	}{{r1, []uint64{1, 2, 3}}, {r2, []uint64{3, 4}}, {syntheticRecord(other, 3), []uint64{1, 2, 3, 4}}} {
		if err := s.CheckAndAdd(ctx, add.r, add.fps, addAlways); err != nil {
			t.Fatal(err)
		}
	}

	key := func(m trs.Match) string { return fmt.Sprintf("%x/%d", m.Record.Bytes(), m.Slot) }
	lookup := func(fps []uint64) []string {
		t.Helper()
		var got []string
		err := s.CheckAndAdd(ctx, syntheticRecord(tag, 9), fps, func(ms []trs.Match) (bool, error) {
			for _, m := range ms {
				got = append(got, key(m))
			}
			return false, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		return got
	}
	want := []string{key(trs.Match{Record: r1, Slot: 1}), key(trs.Match{Record: r1, Slot: 2}), key(trs.Match{Record: r1, Slot: 3}),
		key(trs.Match{Record: r2, Slot: 1}), key(trs.Match{Record: r2, Slot: 3})}
	slices.Sort(want)
	// fp 3 at slots 1 and 3 (a duplicate the new signature may have), fp 2 at slot 2.
	if got := lookup([]uint64{9, 3, 2, 3}); !slices.Equal(got, want) {
		t.Fatalf("matches\n got %v\nwant %v", got, want)
	}
	if got := lookup([]uint64{9, 3, 2, 3}); !slices.Equal(got, want) {
		t.Fatal("a decide that returned false stored something")
	}
	if got := lookup([]uint64{7, 8}); len(got) != 0 {
		t.Fatalf("unrelated fingerprints matched %v", got)
	}

	stop := errors.New("stop")
	if err := s.CheckAndAdd(ctx, syntheticRecord(tag, 5), []uint64{5}, func([]trs.Match) (bool, error) { return true, stop }); err != stop {
		t.Fatalf("decide's error came back as %v", err)
	}
	if got := lookup([]uint64{5}); len(got) != 0 {
		t.Fatal("a decide that returned an error stored its record")
	}

	never := func([]trs.Match) (bool, error) { t.Fatal("decide called"); return false, nil }
	for _, fps := range [][]uint64{nil, make([]uint64, trs.MaxRingSize+1)} {
		if err := s.CheckAndAdd(ctx, r1, fps, never); err == nil {
			t.Fatalf("%d fingerprints accepted", len(fps))
		}
	}
	if err := s.CheckAndAdd(ctx, r1, []uint64{1}, nil); err == nil {
		t.Fatal("nil decide accepted")
	}
	var nilCtx context.Context
	if err := s.CheckAndAdd(nilCtx, r1, []uint64{1}, never); err == nil {
		t.Fatal("nil context accepted")
	}
	if err := s.Register(ctx, tag, time.Time{}); err == nil {
		t.Fatal("Register with a zero time accepted")
	}
	if err := s.Register(ctx, nil, time.Now()); err == nil {
		t.Fatal("Register of a nil tag accepted")
	}
}

// TestSpentStoreUnregistered: a check under a tag nobody registered is an
// error, never Fresh, and stores nothing.
func TestSpentStoreUnregistered(t *testing.T) {
	db, _ := newTestDB(t)
	privs, ring := testMembers(t, 3)
	tag := trs.NewTag([]byte("never registered"), ring)
	idx := trs.NewIndex(db.SpentStore())
	res, err := idx.CheckAndAddAccepted(ctx, accepted(t, privs[0], tag, "m"))
	if !errors.Is(err, ErrUnregisteredTag) || res.Kind == trs.Fresh {
		t.Fatalf("unregistered tag: %v, %v", res.Kind, err)
	}
	if n := countRows(t, db, "ringtrace_spent"); n != 0 {
		t.Fatalf("%d records stored", n)
	}
}

// TestSpentStoreConcurrent: goroutines on two pools (two "processes")
// present, at once, signatures by the same members on different messages:
// per member exactly one is Fresh and every other reveals the member.
func TestSpentStoreConcurrent(t *testing.T) {
	db, cfg := newTestDB(t)
	db2 := openConfig(t, cfg)
	const members, presenters = 6, 6
	privs, ring := testMembers(t, members)
	tag := trs.NewTag([]byte("concurrent"), ring)
	register(t, db.SpentStore(), tag)
	indexes := []*trs.Index{trs.NewIndex(db.SpentStore()), trs.NewIndex(db2.SpentStore())}

	sigs := make([][]*trs.Accepted, presenters)
	for p := range sigs {
		for k := range privs {
			sigs[p] = append(sigs[p], accepted(t, privs[k], tag, fmt.Sprintf("exit %d", p)))
		}
	}
	results := make([][]trs.TraceResult, presenters)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for p := range presenters {
		wg.Go(func() {
			<-start
			for k := range members {
				k := (k + p) % members // different orders, so checks on one tag meet
				res, err := indexes[p%2].CheckAndAddAccepted(ctx, sigs[p][k])
				if err != nil {
					t.Error(err)
					return
				}
				results[p] = append(results[p], res)
			}
		})
	}
	close(start)
	wg.Wait()
	for k := range members {
		fresh := 0
		for p := range presenters {
			res := results[p][(k-p+members)%members]
			switch {
			case res.Kind == trs.Fresh:
				fresh++
			case res.Kind != trs.Revealed || res.Index != k:
				t.Fatalf("member %d at presenter %d: %v at %d", k, p, res.Kind, res.Index)
			}
		}
		if fresh != 1 {
			t.Fatalf("member %d: %d Fresh", k, fresh)
		}
	}
}

// TestIsolation shows why the store runs READ COMMITTED: two checks of one
// member's signatures meet at the tag's lock, the second waiting for it.
// Under READ COMMITTED the waiter's read, a later statement, sees the
// first's record: exactly one is Fresh and the other Revealed. Under
// REPEATABLE READ the waiter's snapshot was taken when its locking
// statement began, before the lock was granted, and both are Fresh: the
// ticket is accepted twice. SERIALIZABLE is correct too, but aborts the
// waiter with a serialization failure instead of answering it.
func TestIsolation(t *testing.T) {
	for _, c := range []struct {
		level              pgx.TxIsoLevel
		wantFresh, wantErr int
	}{{pgx.ReadCommitted, 1, 0}, {pgx.RepeatableRead, 2, 0}, {pgx.Serializable, 1, 1}} {
		t.Run(string(c.level), func(t *testing.T) {
			fresh, failed := twoMeetAtTheLock(t, c.level)
			if fresh != c.wantFresh || failed != c.wantErr {
				t.Fatalf("of two signatures by one member, %d Fresh and %d failed; want %d and %d", fresh, failed, c.wantFresh, c.wantErr)
			}
		})
	}
}

// twoMeetAtTheLock runs two check-and-adds of signatures by one member on
// different messages, from two pools at isolation level, and returns how
// many were Fresh and how many failed with a serialization failure. The
// first holds the tag's lock until the second is seen waiting for it.
func twoMeetAtTheLock(t *testing.T, level pgx.TxIsoLevel) (fresh, failed int) {
	cfg, _ := testSchema(t)
	first := openConfig(t, cfg)
	secondCfg := cfg.Copy()
	secondCfg.ConnConfig.RuntimeParams["application_name"] = "ringtrace-isolation-second"
	second := openConfig(t, secondCfg)
	admin := adminConn(t, cfg)

	privs, ring := testMembers(t, 4)
	tag := trs.NewTag([]byte("isolation"), ring)
	register(t, first.SpentStore(), tag)
	a1 := accepted(t, privs[2], tag, "exit at plaza 1")
	a2 := accepted(t, privs[2], tag, "exit at plaza 2")

	s1, s2 := newSpentStore(first.pool), newSpentStore(second.pool)
	s1.isolation, s2.isolation = level, level
	locked, release := make(chan struct{}), make(chan struct{})
	s1.hook = func(p hookPoint, _ uint32) {
		if p == hookLocked {
			close(locked)
			<-release
		}
	}
	var results [2]trs.TraceResult
	var errs [2]error
	var wg sync.WaitGroup
	wg.Go(func() { results[0], errs[0] = trs.NewIndex(s1).CheckAndAddAccepted(ctx, a1) })
	<-locked
	wg.Go(func() { results[1], errs[1] = trs.NewIndex(s2).CheckAndAddAccepted(ctx, a2) })
	waitFor(t, admin, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ringtrace-isolation-second' AND wait_event_type = 'Lock'`)
	close(release)
	wg.Wait()

	for i, res := range results {
		var pgErr *pgconn.PgError
		switch {
		case errs[i] != nil && errors.As(errs[i], &pgErr) && pgErr.Code == "40001": // serialization_failure
			failed++
		case errs[i] != nil:
			t.Fatal(errs[i])
		case res.Kind == trs.Fresh:
			fresh++
		case res.Kind != trs.Revealed || res.Index != 2:
			t.Fatalf("check %d: %v at %d", i, res.Kind, res.Index)
		}
	}
	return fresh, failed
}

// waitFor polls query, a count, until it is positive.
func waitFor(t testing.TB, c *pgx.Conn, query string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		if err := c.QueryRow(ctx, query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", query)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTerminatedBackend kills the check-and-add's server process
// (pg_terminate_backend) after the lock, and after the insert before the
// commit: the check is an error, not Fresh, and nothing of it is stored —
// the same signature is Fresh afterwards, once.
func TestTerminatedBackend(t *testing.T) {
	for _, point := range []hookPoint{hookLocked, hookInserted} {
		t.Run(fmt.Sprint(point), func(t *testing.T) {
			db, cfg := newTestDB(t)
			admin := adminConn(t, cfg)
			privs, ring := testMembers(t, 3)
			tag := trs.NewTag([]byte("terminated"), ring)
			register(t, db.SpentStore(), tag)
			s := newSpentStore(db.pool)
			armed := true
			s.hook = func(p hookPoint, pid uint32) {
				if p != point || !armed {
					return
				}
				armed = false
				if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
					t.Error(err)
				}
				waitFor(t, admin, `SELECT count(*) FROM (SELECT 1) x WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)`, pid)
			}
			idx := trs.NewIndex(s)
			a := accepted(t, privs[1], tag, "exit")
			res, err := idx.CheckAndAddAccepted(ctx, a)
			if err == nil || res.Kind == trs.Fresh {
				t.Fatalf("terminated check: %v, %v", res.Kind, err)
			}
			t.Log(err)
			if n := countRows(t, db, "ringtrace_spent"); n != 0 {
				t.Fatalf("%d records stored by the terminated check", n)
			}
			for _, want := range []trs.Kind{trs.Fresh, trs.Linked} {
				if res, err := idx.CheckAndAddAccepted(ctx, a); err != nil || res.Kind != want {
					t.Fatalf("after the termination: %v, %v; want %v", res.Kind, err, want)
				}
			}
		})
	}
}

func (p hookPoint) String() string {
	return [...]string{"after-lock", "before-commit"}[p]
}

// TestContextWhileWaiting: a check whose context ends while it waits for
// the tag's lock fails and stores nothing.
func TestContextWhileWaiting(t *testing.T) {
	db, _ := newTestDB(t)
	privs, ring := testMembers(t, 3)
	tag := trs.NewTag([]byte("context"), ring)
	register(t, db.SpentStore(), tag)
	holder := newSpentStore(db.pool)
	locked, release := make(chan struct{}), make(chan struct{})
	holder.hook = func(p hookPoint, _ uint32) {
		if p == hookLocked {
			close(locked)
			<-release
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := trs.NewIndex(holder).CheckAndAddAccepted(ctx, accepted(t, privs[0], tag, "holder")); err != nil {
			t.Error(err)
		}
	})
	<-locked
	waiter := accepted(t, privs[1], tag, "waiter")
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	res, err := trs.NewIndex(db.SpentStore()).CheckAndAddAccepted(short, waiter)
	close(release)
	wg.Wait()
	if !errors.Is(err, context.DeadlineExceeded) || res.Kind == trs.Fresh {
		t.Fatalf("check with an expired context: %v, %v", res.Kind, err)
	}
	if res, err := trs.NewIndex(db.SpentStore()).CheckAccepted(ctx, waiter); err != nil || res.Kind != trs.Fresh {
		t.Fatalf("the timed-out signature: %v, %v; want Fresh (not stored)", res.Kind, err)
	}
}

// TestSpentStorePrune: Prune drops the records of every tag whose until
// has passed, over several batches, and nothing else; a pruned tag's
// checks fail instead of finding it empty. A later until given by a
// second registration wins; an earlier one does not shorten it.
func TestSpentStorePrune(t *testing.T) {
	db, _ := newTestDB(t)
	s := db.SpentStore()
	s.pruneBatch = 2
	_, ring := testMembers(t, 1)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	var expired, kept []*trs.Tag
	for i := range 5 {
		tag := trs.NewTag(fmt.Appendf(nil, "expired-%d", i), ring)
		if err := s.Register(ctx, tag, now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		expired = append(expired, tag)
	}
	for i := range 2 {
		tag := trs.NewTag(fmt.Appendf(nil, "kept-%d", i), ring)
		if err := s.Register(ctx, tag, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, tag)
	}
	// Extended by a second registration; an earlier until does not shorten it.
	if err := s.Register(ctx, expired[0], now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Register(ctx, expired[0], now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	expired, kept = expired[1:], append(kept, expired[0])
	for _, tag := range append(slices.Clone(expired), kept...) {
		for seed := range byte(3) {
			if err := s.CheckAndAdd(ctx, syntheticRecord(tag, seed), []uint64{uint64(seed)}, addAlways); err != nil {
				t.Fatal(err)
			}
		}
	}
	dropped, err := s.Prune(ctx, now)
	if err != nil || dropped != 3*int64(len(expired)) {
		t.Fatalf("Prune dropped %d records (%v), want %d", dropped, err, 3*len(expired))
	}
	if dropped, err := s.Prune(ctx, now); err != nil || dropped != 0 {
		t.Fatalf("second Prune dropped %d (%v)", dropped, err)
	}
	for _, tag := range expired {
		err := s.CheckAndAdd(ctx, syntheticRecord(tag, 0), []uint64{0}, addAlways)
		if !errors.Is(err, ErrUnregisteredTag) {
			t.Fatalf("check under a pruned tag: %v", err)
		}
	}
	for _, tag := range kept {
		n := 0
		err := s.CheckAndAdd(ctx, syntheticRecord(tag, 9), []uint64{0, 1, 2}, func(ms []trs.Match) (bool, error) {
			n = len(ms)
			return false, nil
		})
		if err != nil || n != 3 {
			t.Fatalf("kept tag: %d matches (%v), want 3", n, err)
		}
	}
	if got, want := countRows(t, db, "ringtrace_spent"), 3*len(kept); got != want {
		t.Fatalf("%d records left, want %d", got, want)
	}
	if got := countRows(t, db, "ringtrace_spent_tags WHERE NOT pruned"); got != len(kept) {
		t.Fatalf("%d tags left, want %d", got, len(kept))
	}
}

// TestRegisterAfterPrune: a tag pruned once its until has passed is not
// brought back, empty, by a later registration with that until — which is
// what a plaza replaying its sales at startup sends. A ticket spent under
// the tag is then refused (ErrUnregisteredTag), never Fresh. Time passing
// is simulated by moving the tag's until into the past.
func TestRegisterAfterPrune(t *testing.T) {
	db, cfg := newTestDB(t)
	admin := adminConn(t, cfg)
	s := db.SpentStore()
	privs, ring := testMembers(t, 2)
	tag := trs.NewTag([]byte("pruned, then registered again"), ring)
	register(t, s, tag)
	idx := trs.NewIndex(s)
	spent := accepted(t, privs[1], tag, "exit")
	if res, err := idx.CheckAndAddAccepted(ctx, spent); err != nil || res.Kind != trs.Fresh {
		t.Fatalf("first use: %v, %v", res.Kind, err)
	}
	until := time.Now().Add(-time.Hour).Truncate(time.Second)
	if _, err := admin.Exec(ctx, `UPDATE ringtrace_spent_tags SET until = $1`, until); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(ctx, time.Now()); err != nil || n != 1 {
		t.Fatalf("Prune: %d, %v", n, err)
	}
	for _, again := range []time.Time{until, time.Now().Add(24 * time.Hour)} {
		if err := s.Register(ctx, tag, again); err != nil {
			t.Fatalf("registering a pruned tag again: %v", err)
		}
		res, err := idx.CheckAndAddAccepted(ctx, spent)
		if !errors.Is(err, ErrUnregisteredTag) || res.Kind == trs.Fresh {
			t.Fatalf("the spent ticket after prune and registration until %v: %v, %v; want ErrUnregisteredTag", again, res.Kind, err)
		}
	}
	if n := countRows(t, db, "ringtrace_spent"); n != 0 {
		t.Fatalf("%d records stored under the pruned tag", n)
	}
}

// TestCheckWaitingForPrune: a check that waits for the tag's lock while
// Prune holds it (here, a transaction doing what Prune does) fails once
// Prune commits; it does not go on with the tag emptied under it.
func TestCheckWaitingForPrune(t *testing.T) {
	db, cfg := newTestDB(t)
	admin := adminConn(t, cfg)
	s := db.SpentStore()
	privs, ring := testMembers(t, 2)
	tag := trs.NewTag([]byte("pruned while waiting"), ring)
	register(t, s, tag)
	spent := accepted(t, privs[0], tag, "exit")
	if res, err := trs.NewIndex(s).CheckAndAddAccepted(ctx, spent); err != nil || res.Kind != trs.Fresh {
		t.Fatalf("first use: %v, %v", res.Kind, err)
	}
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM ringtrace_spent_tags FOR UPDATE`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var res trs.TraceResult
	done := make(chan error)
	go func() {
		var err error
		res, err = trs.NewIndex(s).CheckAndAddAccepted(ctx, spent)
		done <- err
	}()
	waitFor(t, admin2(t, cfg), `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
		cfg.ConnConfig.RuntimeParams["application_name"])
	for _, sql := range []string{`DELETE FROM ringtrace_spent WHERE tag_id = $1`, `UPDATE ringtrace_spent_tags SET pruned = true WHERE id = $1`} {
		if _, err := tx.Exec(ctx, sql, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrUnregisteredTag) || res.Kind == trs.Fresh {
		t.Fatalf("check that waited for the prune: %v, %v; want ErrUnregisteredTag", res.Kind, err)
	}
}

// admin2 is a second connection outside the pool, for watching while
// adminConn holds a transaction open.
func admin2(t testing.TB, cfg *pgxpool.Config) *pgx.Conn {
	t.Helper()
	c := cfg.ConnConfig.Copy()
	c.RuntimeParams["application_name"] = "ringtrace-watcher"
	conn, err := pgx.ConnectConfig(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}
