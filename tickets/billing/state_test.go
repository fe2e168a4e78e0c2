package billing

import (
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestReplayFile runs a cycle on the crash-safe file ledger, reopens the
// file and checks the rebuilt state equals the one that wrote it, and that
// the reopened collector carries on.
func TestReplayFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.ledger")
	l, err := ledger.OpenFile(path)
	must(t, err)
	w := newWorld(t, l, 3)
	for i := range w.users {
		w.use(i, 2, 100)
	}
	w.close()
	w.issueAll(tIssued, tDue)
	paid := w.invoiceFor(0).rec
	_, err = w.collector.Pay(ctx, paid.ID(), w.owed(paid), tIssued.Add(time.Second))
	must(t, err)
	want := w.book.st.digest()
	n := l.Len()
	must(t, l.Close())

	l2, err := ledger.OpenFile(path)
	must(t, err)
	defer l2.Close()
	if l2.Len() != n {
		t.Fatalf("reopened ledger has %d entries, want %d", l2.Len(), n)
	}
	c, err := NewCollector(ctx, l2, w.signer, w.opener, eurs(5000))
	must(t, err)
	if c.Book().st.digest() != want {
		t.Fatal("state rebuilt from the file differs")
	}
	_, err = c.Pay(ctx, paid.ID(), eurs(200), tIssued.Add(2*time.Second))
	wantErr(t, err, ErrRefused, errAlreadyPaid)
	_, err = c.Forfeit(ctx, w.invoiceFor(1).rec.ID(), tDue.Add(time.Second))
	must(t, err)
}

// TestReplayRefusesForeignRecords: a ledger holding a billing record that
// was never checked (appended behind the book's back) does not open;
// records of other packages' kinds are skipped.
func TestReplayRefusesForeignRecords(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	us := w.use(0, 1, 100)
	pub := w.signer.Public()
	_, err := w.l.Append(ctx, 0x0101, []byte("a toll record"))
	must(t, err)
	if _, err := Open(ctx, w.l, pub); err != nil {
		t.Fatalf("foreign kinds not skipped: %v", err)
	}
	bad := *us[0]
	bad.nonce[0] ^= 1 // the signature no longer matches
	enc, err := bad.encode()
	must(t, err)

	for name, tc := range map[string]struct {
		kind ledger.Kind
		enc  []byte
		want []error
	}{
		"unverified usage":             {kindUsage, enc, []error{ErrBadSignature, arsig.ErrInvalidSignature}},
		"usage under the dispute kind": {kindDispute, us[0].Bytes(), []error{ErrMalformed}},
		"unknown kind in the range":    {0x0b7f, us[0].Bytes(), []error{ErrMalformed}},
		"kind 0x0b00":                  {kindFirst, []byte{1, 0x0b, 0}, []error{ErrMalformed}},
		"usage twice":                  {kindUsage, us[0].Bytes(), []error{ErrRefused, errDuplicateUsage}},
	} {
		t.Run(name, func(t *testing.T) {
			l := copyLedger(t, w.l, nil)
			_, err := l.Append(ctx, tc.kind, tc.enc)
			must(t, err)
			_, err = Open(ctx, l, pub)
			wantErr(t, err, tc.want...)
		})
	}
}

// TestReplayVerifiesRewrittenLedger rewrites one record of a finished
// cycle's ledger and recomputes the chain, as someone with write access to
// the file could: the hashes all check, but the book refuses to open,
// because every record is verified against the key that must have signed
// it.
func TestReplayVerifiesRewrittenLedger(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 3)
	for i := range w.users {
		w.use(i, 2, 100)
	}
	w.close()
	ia, _, bad := tamper(t, w, 0, 1)
	must(t, w.dispute(ia, bad, tIssued.Add(time.Second)))
	paid := w.invoiceFor(2).rec
	_, err := w.collector.Pay(ctx, paid.ID(), w.owed(paid), tIssued.Add(2*time.Second))
	must(t, err)
	_, err = w.collector.Forfeit(ctx, ia.ID(), tDue.Add(time.Second))
	must(t, err)
	pub := w.signer.Public()
	if _, err := Open(ctx, copyLedger(t, w.l, nil), pub); err != nil {
		t.Fatalf("the untouched copy does not open: %v", err)
	}

	attacker, err := ecdsa.GenerateKey()
	must(t, err)
	stranger, err := arsig.GenerateKey()
	must(t, err)
	// first returns a function editing the first record of kind k.
	first := func(k ledger.Kind, edit func([]byte) []byte) func(uint64, ledger.Kind, []byte) []byte {
		done := false
		return func(_ uint64, kind ledger.Kind, p []byte) []byte {
			if kind != k || done {
				return p
			}
			done = true
			return edit(p)
		}
	}
	amountAt := func(b []byte, from int) int { // offset of the first EUR amount
		for i := from; i+4 <= len(b); i++ {
			if b[i] == 1 && string(b[i+1:i+4]) == "EUR" {
				return i
			}
		}
		t.Fatal("no amount")
		return 0
	}
	raise := func(b []byte) []byte { // adds 100 to the first amount's units
		b = clone(b)
		i := amountAt(b, wireHeader) + 11
		b[i-1]++
		return b
	}
	for name, tc := range map[string]struct {
		edit func(uint64, ledger.Kind, []byte) []byte
		want []error
	}{
		"invoice total raised": {first(kindInvoice, raise), []error{ErrBadSignature, ecdsa.ErrInvalidSignature}},
		"invoice due date moved": {first(kindInvoice, func(b []byte) []byte {
			b = clone(b)
			b[wireHeader+4+32+8+7]++ // the due date's last byte
			return b
		}), []error{ErrBadSignature}},
		"registration key swapped": {first(kindRegistration, func(b []byte) []byte {
			b = clone(b)
			copy(b[wireHeader:], stranger.Public().Bytes())
			return b
		}), []error{ErrBadSignature, arsig.ErrInvalidSignature}},
		"registration replaced by a valid stranger's": {first(kindRegistration, func(b []byte) []byte {
			r, err := NewRegistration(stranger, w.params, eurs(5000), tStart)
			must(t, err)
			return r.Bytes()
		}), []error{ErrPeriod}},
		"parameters re-signed by another collector": {func(_ uint64, k ledger.Kind, p []byte) []byte {
			if k != kindParameters {
				return p
			}
			fake, err := newParameters(attacker, w.opener.Public(), eurs(5000))
			must(t, err)
			return fake.Bytes()
		}, []error{ErrBadSignature}},
		"period ring member swapped": {first(kindPeriod, func(b []byte) []byte {
			p, err := parsePeriod(b)
			must(t, err)
			if p.ring, err = arsig.NewRing([]*arsig.PublicKey{w.users[0].Public(), w.users[1].Public(), stranger.Public()}); err != nil {
				t.Fatal(err)
			}
			enc, err := p.encode()
			must(t, err)
			return enc
		}), []error{ErrBadSignature}},
		"usage amount raised":      {first(kindUsage, raise), []error{ErrBadSignature, arsig.ErrInvalidSignature}},
		"receipt amount raised":    {first(kindReceipt, raise), []error{ErrBadSignature}},
		"forfeiture amount raised": {first(kindForfeiture, raise), []error{ErrBadSignature}},
		"forfeiture evidence opening replaced": {first(kindForfeiture, func(b []byte) []byte {
			f, err := parseForfeiture(b)
			must(t, err)
			f.evidence = append([]Line(nil), f.evidence...)
			f.evidence[0].Opening = f.evidence[1].Opening
			enc, err := f.encode()
			must(t, err)
			return enc
		}), []error{ErrBadSignature}},
		"period close count changed": {first(kindPeriodClose, func(b []byte) []byte {
			b = clone(b)
			b[len(b)-wireSig-1]++
			return b
		}), []error{ErrBadSignature}},
		"dispute moved to an honest line": {first(kindDispute, func(b []byte) []byte {
			d, err := parseDispute(b)
			must(t, err)
			d.line = 0
			enc, err := d.encode()
			must(t, err)
			return enc
		}), []error{ErrRefused, errDisputeRejected}},
		"a usage record dropped": {first(kindUsage, func([]byte) []byte { return nil }), []error{ErrPeriod}},
	} {
		t.Run(name, func(t *testing.T) {
			l := copyLedger(t, w.l, tc.edit)
			if l.Head() == w.l.Head() {
				t.Fatal("the edit changed nothing")
			}
			_, err := Open(ctx, l, pub)
			if err == nil {
				t.Fatal("a rewritten ledger opened")
			}
			wantErr(t, err, tc.want...)
		})
	}
}

// wireHeader is the size of a record's header.
const wireHeader = 3

// TestConcurrentSettlement races payments and forfeitures of one invoice
// from many goroutines: exactly one settlement wins.
func TestConcurrentSettlement(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	w.use(0, 2, 100)
	w.use(1, 1, 100)
	w.close()
	w.issueAll(tIssued, tDue)
	inv := w.invoiceFor(0).rec
	owed := w.owed(inv)
	var wg sync.WaitGroup
	var paid, forfeited atomic.Int32
	for i := range 16 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = w.collector.Pay(ctx, inv.ID(), owed, tDue.Add(time.Duration(i)*time.Second))
				if err == nil {
					paid.Add(1)
				}
			} else {
				_, err = w.collector.Forfeit(ctx, inv.ID(), tDue.Add(time.Duration(i)*time.Second))
				if err == nil {
					forfeited.Add(1)
				}
			}
			if err != nil && !errors.Is(err, errAlreadyPaid) && !errors.Is(err, errAlreadyForfeited) {
				t.Error(err)
			}
			_, _ = w.book.Owed(inv.ID())
			_, _ = w.book.Deposit(w.users[0].Public())
		})
	}
	wg.Wait()
	if paid.Load()+forfeited.Load() != 1 {
		t.Fatalf("%d payments and %d forfeitures", paid.Load(), forfeited.Load())
	}
}

// TestRolesConcurrently runs users, edges and the collector on their own
// goroutines with nothing but bytes between them (run it with -race): users
// sign usage from the period's bytes, each edge accepts from the
// descriptor's bytes, and every record is delivered by two edges at once.
// Each record is billed exactly once.
func TestRolesConcurrently(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 4)
	pub, periodBytes := w.signer.Public(), w.period.Bytes()
	const edges, perUser = 3, 3
	inbox := make([]chan []byte, edges)
	for i := range inbox {
		inbox[i] = make(chan []byte, len(w.users)*perUser)
	}
	var users sync.WaitGroup
	for i, key := range w.users {
		users.Go(func() {
			p, err := ParsePeriod(periodBytes, pub)
			if err != nil {
				t.Error(err)
				return
			}
			for j := range perUser {
				u, err := NewUsage(key, p, "edge", eurs(10), p.Start().Add(time.Duration(i*perUser+j)*time.Second), nil)
				if err != nil {
					t.Error(err)
					return
				}
				// Two edges get every record.
				inbox[(i+j)%edges] <- u.Bytes()
				inbox[(i+j+1)%edges] <- u.Bytes()
			}
		})
	}
	var edgeWG sync.WaitGroup
	var delivered atomic.Int32
	for i := range edges {
		edgeWG.Go(func() {
			p, err := ParsePeriod(periodBytes, pub)
			if err == nil {
				var e *Edge
				if e, err = NewEdge(p, "edge"); err == nil {
					var queue [][]byte
					for b := range inbox[i] {
						if _, err := e.Accept(b); err != nil {
							t.Error(err)
							continue
						}
						queue = append(queue, b)
						if len(queue) == 2 {
							for _, err := range w.collector.Collect(ctx, queue) {
								if err != nil {
									t.Error(err)
								}
							}
							delivered.Add(int32(len(queue)))
							queue = nil
						}
					}
					for _, err := range w.collector.Collect(ctx, queue) {
						if err != nil {
							t.Error(err)
						}
					}
					delivered.Add(int32(len(queue)))
				}
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	users.Wait()
	for _, c := range inbox {
		close(c)
	}
	edgeWG.Wait()
	want := len(w.users) * perUser
	if int(delivered.Load()) != 2*want {
		t.Fatalf("%d deliveries, want %d", delivered.Load(), 2*want)
	}
	w.close()
	invs := w.issueAll(tIssued, tDue)
	lines := 0
	for _, inv := range invs {
		lines += len(inv.Lines())
	}
	if lines != want || len(w.book.st.period(1).usages) != want {
		t.Fatalf("%d lines and %d records on the book for %d uses", lines, len(w.book.st.period(1).usages), want)
	}
}
