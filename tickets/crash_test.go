package tickets

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestCrashDuringSettlement cuts the ledger file inside the record of a
// settlement batch, as a crash during its append would, and reopens it:
// the provider comes back exactly as before that batch (which was never
// acknowledged), and settling the batch again pays each request once.
func TestCrashDuringSettlement(t *testing.T) {
	path := filepath.Join(t.TempDir(), "toll.ledger")
	l, err := ledger.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, l, 2)
	reqs := w.day(t)
	half := len(reqs) / 2
	if _, err := w.provider.Settle(reqs[:half], day0.Add(20*time.Hour)); err != nil {
		t.Fatal(err)
	}
	before := w.provider.Stats()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	sizeBefore := fi.Size()
	if _, err := w.provider.Settle(reqs[half:], day0.Add(21*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	fi, _ = os.Stat(path)
	for _, cut := range []int64{1, (fi.Size() - sizeBefore) / 2, fi.Size() - sizeBefore - 1} {
		torn := filepath.Join(t.TempDir(), "torn.ledger")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(torn, data[:fi.Size()-cut], 0o600); err != nil {
			t.Fatal(err)
		}
		l2, err := ledger.OpenFile(torn)
		if err != nil {
			t.Fatalf("cut %d: %v", cut, err)
		}
		p, err := OpenProvider(w.providerKey, w.authority.PublicKey(), l2, testConfig)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Stats(); !reflect.DeepEqual(got, before) {
			t.Errorf("cut %d: state\n got %+v\nwant %+v", cut, got, before)
		}
		s, err := p.Settle(reqs, day0.Add(22*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range s.Results {
			switch {
			case i < half && r.Outcome != AlreadySettled:
				t.Errorf("cut %d: request %d settled again: %v", cut, i, r.Outcome)
			case i >= half && i < len(reqs)-1 && r.Outcome != Paid:
				t.Errorf("cut %d: request %d after recovery: %v %v", cut, i, r.Outcome, r.Err)
			}
		}
		l2.Close()
	}
}
