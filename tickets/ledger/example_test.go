package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

func Example() {
	ctx := context.Background()
	l := ledger.NewMemory() // or ledger.OpenFile(path)
	defer l.Close()

	const kindSale, kindUsage ledger.Kind = 1, 2
	l.Append(ctx, kindSale, []byte("sale 7: ring of 50, price 320 EUR cents"))
	l.Append(ctx, kindUsage, []byte("plaza 3: ticket digest 9f2c…"))

	// Replay, as at startup.
	err := l.Scan(ctx, 0, func(e ledger.Entry) error {
		fmt.Printf("%d kind=%d %q\n", e.Seq, e.Kind, e.Payload)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("head %x\n", l.Head())
	// Output:
	// 0 kind=1 "sale 7: ring of 50, price 320 EUR cents"
	// 1 kind=2 "plaza 3: ticket digest 9f2c…"
	// head 1e5d40b132509d55a17e5e3f47f9842ac7646e80f4634ea1ad3037af23fd357b
}

// spentStore records spent tickets in a ledger. Its mutex makes
// check-then-append atomic: two plazas presenting the same ticket at once
// cannot both succeed.
type spentStore struct {
	mu     sync.Mutex
	ledger ledger.Ledger
	spent  map[string]bool // rebuilt from the ledger at startup
}

const kindSpent ledger.Kind = 0x0100

var errSpent = errors.New("ticket already spent")

func openSpentStore(ctx context.Context, l ledger.Ledger) (*spentStore, error) {
	s := &spentStore{ledger: l, spent: make(map[string]bool)}
	err := l.Scan(ctx, 0, func(e ledger.Entry) error {
		if e.Kind == kindSpent {
			s.spent[string(e.Payload)] = true
		}
		return nil
	})
	return s, err
}

func (s *spentStore) checkAndAdd(ctx context.Context, ticket []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spent[string(ticket)] {
		return errSpent
	}
	// Only after the record is durable does the ticket count as spent.
	if _, err := s.ledger.Append(ctx, kindSpent, ticket); err != nil {
		return err
	}
	s.spent[string(ticket)] = true
	return nil
}

func Example_checkThenAppend() {
	ctx := context.Background()
	l := ledger.NewMemory()
	store, err := openSpentStore(ctx, l)
	if err != nil {
		log.Fatal(err)
	}

	var wg sync.WaitGroup
	results := make([]error, 2)
	for plaza := range 2 {
		wg.Go(func() { results[plaza] = store.checkAndAdd(ctx, []byte("ticket-42")) })
	}
	wg.Wait()

	accepted := 0
	for _, err := range results {
		if err == nil {
			accepted++
		}
	}
	fmt.Println("accepted:", accepted, "ledger entries:", l.Len())

	// A restart rebuilds the same state from the ledger.
	again, _ := openSpentStore(ctx, l)
	fmt.Println(again.checkAndAdd(ctx, []byte("ticket-42")))
	// Output:
	// accepted: 1 ledger entries: 1
	// ticket already spent
}

// A checkpoint kept by someone else detects a ledger that was rewritten
// with every hash recomputed, which the chain alone cannot.
func ExampleCheckpoint() {
	ctx := context.Background()
	auditorKey, _ := ecdsa.GenerateKey()
	l := ledger.NewMemory()
	l.Append(ctx, 0x0201, []byte("sale 7"))
	l.Append(ctx, 0x0202, []byte("ticket spent"))

	// The auditor signs the state and keeps the bytes.
	cp, _ := ledger.NewCheckpoint(l, auditorKey, time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC))
	kept := cp.Bytes()

	// A rewritten ledger: the same kinds, one payload changed, a valid chain.
	forged := ledger.NewMemory()
	forged.Append(ctx, 0x0201, []byte("sale 7"))
	forged.Append(ctx, 0x0202, []byte("nothing happened"))

	c, err := ledger.ParseCheckpoint(kept)
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Verify(auditorKey.Public()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Count(), c.Time().Format(time.RFC3339))
	fmt.Println("original:", c.Check(ctx, l))
	fmt.Println("forged corrupt:", errors.Is(c.Check(ctx, forged), ledger.ErrCorrupt))
	// Output:
	// 2 2026-11-21T18:00:00Z
	// original: <nil>
	// forged corrupt: true
}
