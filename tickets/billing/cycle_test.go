package billing

import (
	"bytes"
	"testing"

	"github.com/ringtrace/ringtrace/arsig"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestCycle runs an honest period: usage, invoices that verify line by line,
// payments with receipts, and one forfeiture whose evidence anyone checks.
func TestCycle(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 4)
	for i := range w.users {
		w.use(i, 2+i, 150)
	}
	w.close()
	invs, err := w.collector.IssueInvoices(1, tIssued, tDue)
	must(t, err)
	if len(invs) != len(w.users) {
		t.Fatalf("%d invoices for %d users", len(invs), len(w.users))
	}
	for i, u := range w.users {
		info := w.invoiceFor(i)
		if got := len(info.Invoice.Lines); got != 2+i {
			t.Errorf("user %d: %d lines, want %d", i, got, 2+i)
		}
		lineErrs, err := u.CheckInvoice(info.Invoice)
		must(t, err)
		for j, err := range lineErrs {
			if err != nil {
				t.Errorf("user %d line %d: %v", i, j, err)
			}
		}
		// Another user's check of the same invoice fails as a whole.
		if _, err := w.users[(i+1)%len(w.users)].CheckInvoice(info.Invoice); err == nil {
			t.Errorf("user %d's invoice accepted by another user", i)
		}
	}

	// Users 0..2 pay; user 3 does not.
	for i := range 3 {
		info := w.invoiceFor(i)
		r, err := w.collector.Pay(info.Digest, info.Owed, tIssued+100)
		must(t, err)
		must(t, w.users[i].CheckReceipt(info.Invoice, info.Owed, r))
		if _, err := w.collector.Pay(info.Digest, info.Owed, tIssued+200); err == nil {
			t.Fatal("paid twice")
		}
		if got := w.invoiceFor(i).Status; got != InvoicePaid {
			t.Errorf("status %v", got)
		}
	}
	late := w.invoiceFor(3)
	f, err := w.collector.Forfeit(late.Digest, tDue+1)
	must(t, err)
	must(t, w.book.VerifyForfeiture(f))
	for _, l := range f.Evidence {
		if !l.Opening.Signer().Equal(w.users[3].Public()) {
			t.Error("evidence names another user")
		}
	}
	acct, err := w.book.Account(w.users[3].Public())
	must(t, err)
	if acct.Deposit.Units() != 5000-5*150 || acct.OpenInvoices != 0 {
		t.Errorf("after forfeiture: %+v", acct)
	}
	// Paid users get their deposits back; the ledger replays to the same state.
	for i := range 3 {
		must(t, w.users[i].Refund(tDue+10))
	}
	b2, err := Open(w.l)
	must(t, err)
	if b2.Digest() != w.book.Digest() {
		t.Error("replayed state differs")
	}
}

// TestUsageReveals checks what the provider sees: no usage record carries
// its signer's key, and only the opener key opens it.
func TestUsageReveals(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	us := w.use(0, 2, 100)
	for _, u := range us {
		enc, err := u.MarshalBinary()
		must(t, err)
		for _, x := range w.users {
			if bytes.Contains(enc, x.Public().Bytes()) {
				t.Fatal("usage record contains a user key")
			}
		}
	}
	if bytes.Equal(us[0].Signature.Bytes()[:64], us[1].Signature.Bytes()[:64]) {
		t.Error("two records of one user share their ciphertext")
	}
	// Only the collector can open: another opener key names nobody.
	openings, errs := w.collector.Open(1, us)
	must(t, errs[0])
	if !openings[0].Signer().Equal(w.users[0].Public()) {
		t.Error("opening names the wrong user")
	}
	stranger, err := arsig.GenerateOpenerKey()
	must(t, err)
	info, err := w.book.Period(1)
	must(t, err)
	msg, err := us[0].Message()
	must(t, err)
	if _, err := stranger.Open(info.Ring, msg, us[0].Signature); err == nil {
		t.Error("a stranger's opener key opened a usage record")
	}
}

// TestProviderCannotTellUsersApart compares what the provider receives from
// one user twice and from two users: records with the same service, amount
// and time differ only in nonce and signature, have the same length, and
// their signatures share no group element or scalar — nothing the provider
// could compare to group records by signer.
func TestProviderCannotTellUsersApart(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	sign := func(i int) []byte {
		u, err := w.users[i].Use("svc", eurs(100), tStart+7)
		must(t, err)
		must(t, w.provider.Accept(u))
		enc, err := u.MarshalBinary()
		must(t, err)
		return enc
	}
	// Users a, a, b; each record is its body, then a u16-prefixed
	// signature whose first three bytes are version, base and digits.
	recs := [][]byte{sign(0), sign(0), sign(1)}
	body := len(recs[0]) - 2 - arsig.SignatureSize(3)
	const header = 3
	chunks := make(map[[32]byte]int)
	for i, enc := range recs {
		if len(enc) != len(recs[0]) {
			t.Fatalf("record %d is %d bytes, record 0 is %d", i, len(enc), len(recs[0]))
		}
		nonceAt := body - NonceSize
		if !bytes.Equal(enc[:nonceAt], recs[0][:nonceAt]) {
			t.Errorf("record %d differs from record 0 before the nonce", i)
		}
		sig := enc[body+2+header:]
		for j := 0; j+32 <= len(sig); j += 32 {
			c := [32]byte(sig[j : j+32])
			if prev, ok := chunks[c]; ok {
				t.Errorf("records %d and %d share signature bytes at %d", prev, i, j)
			}
			chunks[c] = i
		}
	}
}
