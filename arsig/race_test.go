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

// TestRingPreparationStages verifies valid and tampered signatures from
// several goroutines on a ring large enough to get shifted copies, across
// the verification that builds them: every result stays right, and the
// ring ends up with one set of copies. A small ring never gets them. Run
// it with -race.
func TestRingPreparationStages(t *testing.T) {
	f := newFixture(t, ringSplitMin, 22)
	bad := f.sig.Bytes()
	bad[len(bad)-1] ^= 1 // the last scalar, still canonical
	tampered, err := ParseSignature(bad)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range ringSplitAfter / 2 {
				if err := Verify(f.ring, f.opener.Public(), f.msg, f.sig); err != nil {
					t.Error(err)
				}
				if err := Verify(f.ring, f.opener.Public(), f.msg, tampered); err == nil {
					t.Error("tampered signature verified")
				}
			}
		})
	}
	wg.Wait()
	split := f.ring.split.Load()
	if split == nil || f.ring.prepared() != split {
		t.Fatal("no shifted copies after many verifications, or more than one set")
	}
	small := newFixture(t, ringSplitMin-1, 23)
	if small.ring.prep != nil {
		t.Fatal("a ring prepared before its first verification")
	}
	for range ringSplitAfter + 1 {
		if err := Verify(small.ring, small.opener.Public(), small.msg, small.sig); err != nil {
			t.Fatal(err)
		}
	}
	if small.ring.split.Load() != nil || small.ring.prep == nil {
		t.Fatal("a ring below ringSplitMin got shifted copies, or was not normalised")
	}
}
