package billing

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestEdge: an edge built from the descriptor's bytes alone accepts its own
// users' records and refuses everything else.
func TestEdge(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	p, err := ParsePeriod(w.period.Bytes(), w.signer.Public())
	must(t, err)
	if p.ID() != 1 || !p.Start().Equal(tStart) || !p.End().Equal(tEnd) || p.Deposit() != eurs(5000) || p.Ring().Len() != 3 {
		t.Fatal("descriptor fields")
	}
	edge, err := NewEdge(p, "charger-7")
	must(t, err)
	detail := []byte{0, 0, 0x30, 0x39} // 12,345 Wh, say
	u, err := NewUsage(w.users[1], p, "charger-7", eurs(420), tStart.Add(time.Hour), detail)
	must(t, err)
	got, err := edge.Accept(u.Bytes())
	must(t, err)
	if got.ID() != u.ID() || got.Edge() != "charger-7" || got.Amount() != eurs(420) ||
		!got.Time().Equal(tStart.Add(time.Hour)) || !bytes.Equal(got.Detail(), detail) {
		t.Fatal("accepted record's fields")
	}

	t.Run("another edge's record", func(t *testing.T) {
		other, err := NewUsage(w.users[1], p, "charger-8", eurs(420), tStart, nil)
		must(t, err)
		_, err = edge.Accept(other.Bytes())
		wantErr(t, err, ErrPeriod)
	})
	t.Run("another period's record", func(t *testing.T) {
		w.close()
		next, err := w.collector.OpenPeriod(ctx, tEnd, tEnd.Add(time.Hour))
		must(t, err)
		later, err := NewUsage(w.users[1], next, "charger-7", eurs(1), tEnd, nil)
		must(t, err)
		_, err = edge.Accept(later.Bytes())
		wantErr(t, err, ErrPeriod)
		nextEdge, err := NewEdge(next, "charger-7")
		must(t, err)
		_, err = nextEdge.Accept(u.Bytes())
		wantErr(t, err, ErrPeriod)
	})
	t.Run("a descriptor from another collector", func(t *testing.T) {
		fake, err := ecdsa.GenerateKey()
		must(t, err)
		forged, err := newPeriod(fake, 1, w.params, tStart, tEnd, p.ring)
		must(t, err)
		_, err = ParsePeriod(forged.Bytes(), w.signer.Public())
		wantErr(t, err, ErrBadSignature)
	})
	t.Run("a record changed in transit", func(t *testing.T) {
		b := u.Bytes()
		b[len(b)-arsig.SignatureSize(3)-4-len(detail)+3] ^= 1 // the detail's last byte
		_, err := edge.Accept(b)
		wantErr(t, err, ErrBadSignature, arsig.ErrInvalidSignature)
	})
	t.Run("a record signed by a non-member", func(t *testing.T) {
		outsider, err := arsig.GenerateKey()
		must(t, err)
		ring, err := arsig.NewRing([]*arsig.PublicKey{outsider.Public(), w.users[0].Public()})
		must(t, err)
		fake := *p
		fake.ring = ring
		v, err := unsignedUsage(p, "charger-7", eurs(1), tStart, nil)
		must(t, err)
		v, err = v.sign(outsider, &fake)
		must(t, err)
		_, err = edge.Accept(v.Bytes())
		wantErr(t, err, ErrBadSignature)
	})
}

// TestDescriptorCopies: records name their period by the descriptor's
// signed body, so a descriptor signed twice is one period: records made
// from either copy are accepted by edges holding the other and by the
// collector.
func TestDescriptorCopies(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	body, err := w.period.body()
	must(t, err)
	again, err := signBody(w.signer, contextPeriod, body, "period")
	must(t, err)
	if bytes.Equal(again, w.period.Bytes()) {
		t.Fatal("the second signature is the first")
	}
	copyP, err := ParsePeriod(again, w.signer.Public())
	must(t, err)
	edge, err := NewEdge(w.period, "svc")
	must(t, err)
	u, err := NewUsage(w.users[0], copyP, "svc", eurs(5), tStart, nil)
	must(t, err)
	_, err = edge.Accept(u.Bytes())
	must(t, err)
	must(t, w.collector.Accept(ctx, u.Bytes()))
}

// TestEdgeAcceptBatch: a batch gives, record by record, what Accept gives:
// the good records among bad ones, and each bad one refused for its own
// reason.
func TestEdgeAcceptBatch(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	edge, err := NewEdge(w.period, "charger-7")
	must(t, err)
	good := func(i int) []byte {
		return w.sign(i%3, "charger-7", int64(10+i), tStart.Add(time.Duration(i)*time.Minute)).Bytes()
	}
	tampered := good(4)
	tampered[len(tampered)-1] ^= 1
	batch := [][]byte{
		good(0),
		w.sign(1, "charger-8", 5, tStart).Bytes(), // another edge's
		good(1),
		tampered,
		{1, 2, 3},
		good(2),
	}
	want := []error{nil, ErrPeriod, nil, ErrBadSignature, ErrMalformed, nil}
	us, errs := edge.AcceptBatch(batch)
	if len(us) != len(batch) || len(errs) != len(batch) {
		t.Fatalf("%d records and %d errors for %d inputs", len(us), len(errs), len(batch))
	}
	for i := range batch {
		u, err := edge.Accept(batch[i])
		if want[i] == nil {
			if errs[i] != nil || us[i] == nil || us[i].ID() != u.ID() || !bytes.Equal(us[i].Bytes(), batch[i]) {
				t.Errorf("record %d: %v", i, errs[i])
			}
			continue
		}
		if us[i] != nil {
			t.Errorf("record %d returned with error %v", i, errs[i])
		}
		wantErr(t, errs[i], want[i])
		wantErr(t, err, want[i])
	}
	if us, errs := (&Edge{}).AcceptBatch(batch[:1]); us[0] != nil || !errors.Is(errs[0], ErrMalformed) {
		t.Error("a zero Edge accepted a batch")
	}
	if us, errs := edge.AcceptBatch(nil); len(us) != 0 || len(errs) != 0 {
		t.Error("an empty batch")
	}
}
