package trs

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// BatchItem is one (tag, message, signature) triple for [VerifyBatch].
type BatchItem struct {
	Tag       *Tag
	Message   []byte
	Signature *Signature
}

// VerifyBatch verifies every item, spreading the work over
// runtime.GOMAXPROCS(0) goroutines, and returns one entry per item: nil if
// the item's signature is valid, the error [Verify] would return otherwise.
// Items are independent; they may share or differ in tags.
func VerifyBatch(items []BatchItem) []error {
	errs := make([]error, len(items))
	workers := min(runtime.GOMAXPROCS(0), len(items))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(items) {
					return
				}
				it := &items[i]
				errs[i] = Verify(it.Tag, it.Message, it.Signature)
			}
		})
	}
	wg.Wait()
	return errs
}
