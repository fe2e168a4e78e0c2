package trs

import "github.com/ringtrace/ringtrace/internal/parallel"

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
	parallel.For(len(items), func(i int) {
		it := &items[i]
		errs[i] = Verify(it.Tag, it.Message, it.Signature)
	})
	return errs
}
