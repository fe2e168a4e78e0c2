package arsig

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentUse shares one ring, opener key, signatures and openings
// between many goroutines that sign, verify, batch-verify, open and judge at
// once. Run it with -race.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t, 20, 21)
	o := f.open(t)
	goroutines, rounds := 8, 3
	if testing.Short() {
		goroutines, rounds = 4, 2
	}
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds*5)
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				msg := fmt.Appendf(nil, "goroutine %d round %d", g, r)
				signer := f.privs[(g+r)%len(f.privs)]
				sig, err := Sign(signer, f.ring, f.opener.Public(), msg)
				if err != nil {
					errs <- err
					continue
				}
				if err := Verify(f.ring, f.opener.Public(), msg, sig); err != nil {
					errs <- err
				}
				if err := Verify(f.ring, f.opener.Public(), f.msg, f.sig); err != nil {
					errs <- err
				}
				if err := VerifyOpening(f.ring, f.opener.Public(), f.msg, f.sig, o); err != nil {
					errs <- err
				}
				got, err := f.opener.Open(f.ring, msg, sig)
				if err != nil || !got.Signer().Equal(signer.Public()) {
					errs <- fmt.Errorf("open: %v", err)
				}
				for _, err := range VerifyBatch([]BatchItem{
					{f.ring, f.opener.Public(), msg, sig},
					{f.ring, f.opener.Public(), f.msg, f.sig},
				}) {
					if err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
