package charging

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// The edge's cost at N = 256, measured against arsig's own verification of
// a signature on the same ring in the same run: BenchmarkChargerAccept
// should be about BenchmarkReferenceVerify, and BenchmarkChargerAcceptBatch
// about BenchmarkReferenceVerifyBatch.
const benchRing, benchBatch = 256, 100

var (
	benchOnce     sync.Once
	benchWorld    *world
	benchSessions []*Session
	benchItems    []arsig.BatchItem
)

func benchFixture(b *testing.B) (*world, []*Session, []arsig.BatchItem) {
	benchOnce.Do(func() {
		w := newWorld(b, benchRing)
		p := w.descriptor()
		now := tStart.Add(time.Hour)
		opener, err := arsig.ParseOpenerPublicKey(w.period[3+4+33 : 3+4+33+32])
		must(b, err)
		for i := range benchBatch {
			s, err := NewSession(w.cars[i*7%benchRing], p, "charger-1", uint64(1000+i), rate, now)
			must(b, err)
			benchSessions = append(benchSessions, s)
			msg := s.ID()
			sig, err := arsig.Sign(w.cars[i*7%benchRing], p.Ring(), opener, msg[:])
			must(b, err)
			benchItems = append(benchItems, arsig.BatchItem{Ring: p.Ring(), Opener: opener, Message: msg[:], Signature: sig})
		}
		benchWorld = w
	})
	return benchWorld, benchSessions, benchItems
}

// forget makes the charger forget what it accepted, so that the benchmark
// can accept the same records again.
func (c *Charger) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.seen)
	c.queue = c.queue[:0]
}

func BenchmarkChargerAccept(b *testing.B) {
	b.Run(fmt.Sprintf("N=%d", benchRing), func(b *testing.B) {
		w, ss, _ := benchFixture(b)
		c := w.charger(ledger.NewMemory(), "charger-1")
		rec, now := ss[0].Bytes(), ss[0].Time()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Accept(ctx, rec, now); err != nil {
				b.Fatal(err)
			}
			c.forget()
		}
		b.ReportMetric(float64(len(rec)), "B/record")
	})
}

func BenchmarkChargerAcceptBatch(b *testing.B) {
	b.Run(fmt.Sprintf("N=%d,k=%d", benchRing, benchBatch), func(b *testing.B) {
		w, ss, _ := benchFixture(b)
		c := w.charger(ledger.NewMemory(), "charger-1")
		recs, now := records(ss), ss[0].Time()
		b.ReportAllocs()
		for b.Loop() {
			_, errs := c.AcceptBatch(ctx, recs, now)
			if err := errors.Join(errs...); err != nil {
				b.Fatal(err)
			}
			c.forget()
		}
	})
}

// BenchmarkNewSession is the car's side: one arsig signature.
func BenchmarkNewSession(b *testing.B) {
	b.Run(fmt.Sprintf("N=%d", benchRing), func(b *testing.B) {
		w, ss, _ := benchFixture(b)
		p := w.descriptor()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewSession(w.cars[0], p, "charger-1", 1000, rate, ss[0].Time()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkReferenceVerify(b *testing.B) {
	b.Run(fmt.Sprintf("N=%d", benchRing), func(b *testing.B) {
		_, _, items := benchFixture(b)
		it := items[0]
		b.ReportAllocs()
		for b.Loop() {
			if err := arsig.Verify(it.Ring, it.Opener, it.Message, it.Signature); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkReferenceVerifyBatch(b *testing.B) {
	b.Run(fmt.Sprintf("N=%d,k=%d", benchRing, benchBatch), func(b *testing.B) {
		_, _, items := benchFixture(b)
		b.ReportAllocs()
		for b.Loop() {
			if err := errors.Join(arsig.VerifyBatch(items)...); err != nil {
				b.Fatal(err)
			}
		}
	})
}
