package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/trs"
)

// trsOps is the number of measurements per TRS ring size.
const trsOps = 6

// A trsRow holds the TRS figures for one ring size.
type trsRow struct {
	N      int
	Sign   timing
	Verify timing
	// VerifyCached is Verify through a trs.Verifier that holds the ring's
	// key tables, as at a plaza that checks many tickets of one sale.
	VerifyCached timing
	Trace        timing // two signatures by one member on different messages: Revealed
	Accept       timing // Verify plus what the index needs
	Check        timing // Index.CheckAndAddAccepted against Stored signatures
	Stored       int    // signatures under the tag when Check ran
	Real         int    // how many of them are real signatures
	SigBytes,
	RingBytes int
}

// trsMembers holds a ring of n fresh keys and the private key in each slot.
type trsMembers struct {
	ring  *trs.Ring
	privs []*trs.PrivateKey // by 0-based slot in the canonical ring
}

func newTRSMembers(n int) (*trsMembers, error) {
	privs := make([]*trs.PrivateKey, n)
	pubs := make([]*trs.PublicKey, n)
	for i := range privs {
		k, err := trs.GenerateKey()
		if err != nil {
			return nil, err
		}
		privs[i], pubs[i] = k, k.Public()
	}
	ring, err := trs.NewRing(pubs)
	if err != nil {
		return nil, err
	}
	bySlot := make([]*trs.PrivateKey, n)
	for _, k := range privs {
		slot, ok := ring.IndexOf(k.Public())
		if !ok {
			return nil, fmt.Errorf("key missing from its own ring")
		}
		bySlot[slot] = k
	}
	return &trsMembers{ring: ring, privs: bySlot}, nil
}

func measureTRS(sw sweep, prims primitives, p *progress) ([]trsRow, error) {
	var rows []trsRow
	for _, n := range sw.TRSSizes {
		row, err := measureTRSAt(sw, prims, n, p)
		if err != nil {
			return nil, fmt.Errorf("n=%d: %w", n, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// measureTRSAt measures every operation at ring size n against t2.
func measureTRSAt(sw sweep, prims primitives, n int, p *progress) (trsRow, error) {
	row := trsRow{N: n}
	m, err := newTRSMembers(n)
	if err != nil {
		return row, err
	}
	tag := trs.NewTag([]byte("ringtrace bench: sale 1"), m.ring)
	signer := m.privs[n-1]
	msg1, msg2 := []byte("exit at plaza 4"), []byte("exit at plaza 9")
	sig1, err := trs.Sign(signer, tag, msg1)
	if err != nil {
		return row, err
	}
	sig2, err := trs.Sign(signer, tag, msg2)
	if err != nil {
		return row, err
	}
	row.SigBytes = len(sig1.Bytes())
	row.RingBytes = len(m.ring.Bytes())

	label := func(op string) string { return fmt.Sprintf("TRS n=%d %s", n, op) }
	var failed error
	fail := func(err error) {
		if err != nil && failed == nil {
			failed = err
		}
	}
	p.run(label("sign"), func() timing {
		return measure(sw.Budget, loop(func() {
			_, err := trs.Sign(signer, tag, msg1)
			fail(err)
		}), prims.T2)
	}, &row.Sign)
	p.run(label("verify"), func() timing {
		return measure(sw.Budget, loop(func() { fail(trs.Verify(tag, msg1, sig1)) }), prims.T2)
	}, &row.Verify)
	p.run(label("verify, ring tables cached"), func() timing {
		v := trs.NewVerifier((n + 1) * trs.RingTableSize)
		// The Verifier builds the ring's tables on its fifth successful
		// verification; these warm it up, untimed.
		for range 8 {
			fail(v.Verify(tag, msg1, sig1))
		}
		return measure(sw.Budget, loop(func() { fail(v.Verify(tag, msg1, sig1)) }), prims.T2)
	}, &row.VerifyCached)
	p.run(label("trace"), func() timing {
		return measure(sw.Budget, loop(func() {
			res, err := trs.Trace(tag, msg1, sig1, msg2, sig2)
			fail(err)
			if err == nil && res.Kind != trs.Revealed {
				fail(fmt.Errorf("trace gave %v, want revealed", res.Kind))
			}
		}), prims.T2)
	}, &row.Trace)
	p.run(label("accept"), func() timing {
		return measure(sw.Budget, loop(func() {
			_, err := trs.Accept(tag, msg1, sig1)
			fail(err)
		}), prims.T2)
	}, &row.Accept)
	if failed != nil {
		return row, failed
	}

	// The index check: slot n−1's signature against the n−1 signatures the
	// other members already left under the tag, the last ticket of a full
	// sale. Each timed check gets a freshly filled index, since a fresh
	// signature is stored by the check.
	p.note("TRS n=%d: preparing the %d stored signatures for the index check", n, n-1)
	base, real, err := trsStoredRecords(sw, m, tag)
	if err != nil {
		return row, err
	}
	row.Stored, row.Real = len(base), real
	candidate, err := trs.Accept(tag, msg1, sig1)
	if err != nil {
		return row, err
	}
	p.run(label(fmt.Sprintf("index check (%d stored)", len(base))), func() timing {
		return measure(sw.Budget, func(iters int) time.Duration {
			var spent time.Duration
			for range iters {
				s := trs.NewMemoryStore()
				for _, r := range base {
					fail(s.CheckAndAdd(context.Background(), r.rec, r.fps, func([]trs.Match) (bool, error) { return true, nil }))
				}
				idx := trs.NewIndex(s)
				start := time.Now()
				res, err := idx.CheckAndAddAccepted(context.Background(), candidate)
				spent += time.Since(start)
				fail(err)
				if err == nil && res.Kind != trs.Fresh {
					fail(fmt.Errorf("index check gave %v, want fresh", res.Kind))
				}
			}
			return spent
		}, prims.T2)
	}, &row.Check)
	return row, failed
}

type storedRecord struct {
	rec trs.Record
	fps []uint64
}

// trsStoredRecords returns what an index holds after slots 0…n−2 have each
// signed once under tag. The first sw.RealStored are real signatures, signed
// and accepted here. Beyond that the records are synthetic: random A0, A1 and
// fingerprints under the tag's digest. A check costs n store lookups whatever
// the records hold, and the index looks at a record's points only when a
// fingerprint matches, which random ones do with probability about
// stored·n²/2⁶⁴; signing a thousand real tickets at n = 1000 would add
// minutes to the sweep and change nothing that is timed.
func trsStoredRecords(sw sweep, m *trsMembers, tag *trs.Tag) (records []storedRecord, real int, err error) {
	n := m.ring.Len()
	real = min(n-1, sw.RealStored)
	records = make([]storedRecord, n-1)
	errs := make([]error, real)
	parallel.For(real, func(i int) {
		msg := []byte(fmt.Sprintf("exit at plaza %d", i))
		sig, err := trs.Sign(m.privs[i], tag, msg)
		if err != nil {
			errs[i] = err
			return
		}
		a, err := trs.Accept(tag, msg, sig)
		if err != nil {
			errs[i] = err
			return
		}
		rec := a.Record()
		fps, err := rec.Fingerprints(n)
		records[i] = storedRecord{rec, fps}
		errs[i] = err
	})
	for _, err := range errs {
		if err != nil {
			return nil, 0, err
		}
	}
	digest := tag.Digest()
	buf := make([]byte, 64+8*n)
	for i := real; i < n-1; i++ {
		rand.Read(buf)
		r := storedRecord{rec: trs.Record{Tag: digest}, fps: make([]uint64, n)}
		copy(r.rec.A0[:], buf[:32])
		copy(r.rec.A1[:], buf[32:64])
		for j := range r.fps {
			r.fps[j] = binary.LittleEndian.Uint64(buf[64+8*j:])
		}
		records[i] = r
	}
	return records, real, nil
}
