package ledger

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentAppend has many goroutines append at once while others
// read. Every append must land exactly once, in one consistent chain, and
// each goroutine's own appends must be ordered as it made them.
func TestConcurrentAppend(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			writers, perWriter := 16, 100
			if impl.name == "file" {
				perWriter = 20 // every append is an fsync
			}
			if testing.Short() {
				perWriter /= 2
			}
			l := impl.new(t)
			total := uint64(writers * perWriter)

			acked := make([][]Entry, writers)
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					for i := range perWriter {
						e, err := l.Append(ctx, Kind(w), fmt.Appendf(nil, "writer %d append %d", w, i))
						if err != nil {
							t.Error(err)
							return
						}
						acked[w] = append(acked[w], e)
					}
				})
			}
			stopReaders := make(chan struct{})
			var readers sync.WaitGroup
			for range 4 {
				readers.Go(func() {
					for {
						select {
						case <-stopReaders:
							return
						default:
						}
						n := l.Len()
						var prev *Entry
						err := l.Scan(ctx, n/2, func(e Entry) error {
							if prev != nil && e.Prev != prev.Hash {
								return fmt.Errorf("entry %d does not chain to %d", e.Seq, prev.Seq)
							}
							prev = &e
							return nil
						})
						if err != nil {
							t.Error(err)
							return
						}
						_ = l.Head()
					}
				})
			}
			wg.Wait()
			close(stopReaders)
			readers.Wait()

			if l.Len() != total {
				t.Fatalf("Len = %d, want %d", l.Len(), total)
			}
			all := scanAll(t, l, 0)
			verifyChain(t, all, 0, [HashSize]byte{})
			if l.Head() != all[len(all)-1].Hash {
				t.Fatal("Head is not the last entry's hash")
			}
			seen := make(map[string]bool)
			for _, e := range all {
				if seen[string(e.Payload)] {
					t.Fatalf("payload %q stored twice", e.Payload)
				}
				seen[string(e.Payload)] = true
			}
			for w, entries := range acked {
				if len(entries) != perWriter {
					t.Fatalf("writer %d got %d acknowledgements", w, len(entries))
				}
				for i, e := range entries {
					if i > 0 && e.Seq <= entries[i-1].Seq {
						t.Fatalf("writer %d: append %d has Seq %d after %d", w, i, e.Seq, entries[i-1].Seq)
					}
					sameEntries(t, []Entry{e}, all[e.Seq:e.Seq+1])
				}
			}

			if f, ok := l.(*File); ok {
				head := f.Head()
				path := f.f.Name()
				if err := f.Close(); err != nil {
					t.Fatal(err)
				}
				re := newTestFile(t, filepath.Clean(path))
				if re.Len() != total || re.Head() != head {
					t.Fatalf("reopened: Len = %d, Head differs: %v", re.Len(), re.Head() != head)
				}
			}
		})
	}
}
