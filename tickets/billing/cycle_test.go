package billing

import (
	"bytes"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestCycle runs an honest period: usage, invoices that verify line by line
// with public data, payments with receipts, and one forfeiture whose
// evidence anyone checks.
func TestCycle(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 4)
	for i := range w.users {
		w.use(i, 2+i, 150)
	}
	w.close()
	invs := w.issueAll(tIssued, tDue)
	if len(invs) != len(w.users) {
		t.Fatalf("%d invoices for %d users", len(invs), len(w.users))
	}
	// Users see the collector's records as bytes only.
	pub := w.signer.Public()
	period, err := ParsePeriod(w.period.Bytes(), pub)
	must(t, err)
	mine := make([]*Invoice, len(w.users))
	for _, inv := range invs {
		got, err := ParseInvoice(inv.Bytes(), pub)
		must(t, err)
		for i, k := range w.users {
			if got.User().Equal(k.Public()) {
				mine[i] = got
			}
		}
	}
	for i, k := range w.users {
		inv := mine[i]
		if got := len(inv.Lines()); got != 2+i {
			t.Errorf("user %d: %d lines, want %d", i, got, 2+i)
		}
		if inv.Period() != 1 || !inv.Due().Equal(tDue) || inv.Total().Units() != int64(150*(2+i)) {
			t.Errorf("user %d: period %d, due %v, total %v", i, inv.Period(), inv.Due(), inv.Total())
		}
		lineErrs, err := inv.Check(period, k.Public())
		must(t, err)
		for j, err := range lineErrs {
			if err != nil {
				t.Errorf("user %d line %d: %v", i, j, err)
			}
		}
		// Another user's check of the same invoice fails as a whole.
		other := w.users[(i+1)%len(w.users)].Public()
		if _, err := inv.Check(period, other); err == nil {
			t.Errorf("user %d's invoice accepted by another user", i)
		}
	}

	// Users 0..2 pay; user 3 does not.
	for i := range 3 {
		inv := mine[i]
		owed := w.owed(inv)
		r, err := w.collector.Pay(ctx, inv.ID(), owed, tIssued.Add(100*time.Second))
		must(t, err)
		got, err := ParseReceipt(r.Bytes(), pub)
		must(t, err)
		must(t, got.Check(inv, owed))
		if _, err := w.collector.Pay(ctx, inv.ID(), owed, tIssued.Add(200*time.Second)); err == nil {
			t.Fatal("paid twice")
		}
		if st := w.invoiceFor(i).status; st != invoicePaid {
			t.Errorf("status %v", st)
		}
	}
	f, err := w.collector.Forfeit(ctx, mine[3].ID(), tDue.Add(time.Second))
	must(t, err)
	public, err := ParseForfeiture(f.Bytes(), pub)
	must(t, err)
	must(t, public.Check(period))
	for _, l := range public.evidence {
		if !l.Opening.Signer().Equal(w.users[3].Public()) {
			t.Error("evidence names another user")
		}
	}
	if a := w.account(3); a.deposit.Units() != 5000-5*150 || a.open != 0 {
		t.Errorf("after forfeiture: %+v", a)
	}
	// A deposit cut by a forfeiture no longer secures a place in a ring.
	for _, k := range w.book.st.ringMembers() {
		if k.Equal(w.users[3].Public()) {
			t.Error("a cut deposit keeps its key in the next ring")
		}
	}
	// Paid users get their deposits back; the ledger replays to the same state.
	for i := range 3 {
		must(t, w.refundAll(i, tDue.Add(10*time.Second)))
	}
	b2, err := Open(ctx, w.l, pub)
	must(t, err)
	if b2.st.digest() != w.book.st.digest() {
		t.Error("replayed state differs")
	}
}

// TestUsageReveals checks what an edge sees: no usage record carries its
// signer's key, and only the opener key opens it.
func TestUsageReveals(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	us := w.use(0, 2, 100)
	for _, u := range us {
		for _, x := range w.users {
			if bytes.Contains(u.Bytes(), x.Public().Bytes()) {
				t.Fatal("usage record contains a user key")
			}
		}
	}
	if bytes.Equal(us[0].sig.Bytes()[:64], us[1].sig.Bytes()[:64]) {
		t.Error("two records of one user share their ciphertext")
	}
	// Only the collector can open: another opener key names nobody.
	openings, err := w.collector.open(w.period, us)
	must(t, err)
	if !openings[0].Signer().Equal(w.users[0].Public()) {
		t.Error("opening names the wrong user")
	}
	stranger, err := arsig.GenerateOpenerKey()
	must(t, err)
	if _, err := stranger.Open(w.period.Ring(), us[0].id[:], us[0].sig); err == nil {
		t.Error("a stranger's opener key opened a usage record")
	}
}

// TestEdgeCannotTellUsersApart compares what an edge receives from one user
// twice and from another user: records with the same edge, amount, time and
// detail differ only in nonce and signature, have the same length, and
// their signatures share no group element or scalar — nothing an edge could
// compare to group records by signer.
func TestEdgeCannotTellUsersApart(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	edge, err := NewEdge(w.period, "svc")
	must(t, err)
	sign := func(i int) []byte {
		enc := w.sign(i, "svc", 100, tStart.Add(7*time.Second)).Bytes()
		_, err := edge.Accept(enc)
		must(t, err)
		return enc
	}
	// Users a, a, b. Each record ends with the detail, then a u32-prefixed
	// signature whose first three bytes are version, base and digits.
	recs := [][]byte{sign(0), sign(0), sign(1)}
	sigAt := len(recs[0]) - arsig.SignatureSize(3)
	nonceAt := sigAt - 4 - (4 + len("detail")) - nonceSize
	const sigHeader = 3
	chunks := make(map[[32]byte]int)
	for i, enc := range recs {
		if len(enc) != len(recs[0]) {
			t.Fatalf("record %d is %d bytes, record 0 is %d", i, len(enc), len(recs[0]))
		}
		if !bytes.Equal(enc[:nonceAt], recs[0][:nonceAt]) || !bytes.Equal(enc[nonceAt+nonceSize:sigAt], recs[0][nonceAt+nonceSize:sigAt]) {
			t.Errorf("record %d differs from record 0 outside the nonce and signature", i)
		}
		sig := enc[sigAt+sigHeader:]
		for j := 0; j+32 <= len(sig); j += 32 {
			c := [32]byte(sig[j : j+32])
			if prev, ok := chunks[c]; ok {
				t.Errorf("records %d and %d share signature bytes at %d", prev, i, j)
			}
			chunks[c] = i
		}
	}
}
