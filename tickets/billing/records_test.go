package billing

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

var (
	corpusOnce sync.Once
	corpus     [][]byte         // one encoding of every record kind, from a real cycle
	corpusKey  *ecdsa.PublicKey // the collector that signed them
)

// sampleRecords runs a small cycle — usage, a tampered invoice and its
// dispute, payments, a forfeiture, a refund — and returns the encodings of
// its ledger's records.
func sampleRecords(t testing.TB) [][]byte {
	corpusOnce.Do(func() {
		l := ledger.NewMemory()
		w := newWorld(t, l, 3)
		for i := range w.users {
			w.use(i, 2, 100)
		}
		w.close()
		ia, ib, bad := tamper(t, w, 0, 1)
		must(t, w.dispute(ia, bad, tIssued.Add(time.Second)))
		_, err := w.collector.Pay(ctx, ib.ID(), w.owed(ib), tIssued.Add(2*time.Second))
		must(t, err)
		_, err = w.collector.Forfeit(ctx, ia.ID(), tDue.Add(time.Second))
		must(t, err)
		ic := w.invoiceFor(2).rec
		_, err = w.collector.Pay(ctx, ic.ID(), w.owed(ic), tIssued.Add(3*time.Second))
		must(t, err)
		// User 1's moved record is billed to them again.
		w.issueAll(tIssued.Add(4*time.Second), tDue)
		must(t, w.refundAll(2, tDue.Add(2*time.Second)))
		must(t, l.Scan(ctx, 0, func(e ledger.Entry) error {
			corpus = append(corpus, e.Payload)
			return nil
		}))
		corpusKey = w.signer.Public()
	})
	return corpus
}

func TestRecordRoundTrip(t *testing.T) {
	seen := make(map[ledger.Kind]bool)
	for i, enc := range sampleRecords(t) {
		rec, err := parseRecord(enc)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		seen[rec.kind()] = true
		again, err := rec.encode()
		must(t, err)
		if !bytes.Equal(again, enc) || !bytes.Equal(rec.Bytes(), enc) {
			t.Fatalf("record %d (%#04x) re-encodes differently", i, uint16(rec.kind()))
		}
	}
	for k := kindParameters; k <= kindForfeiture; k++ {
		if !seen[k] {
			t.Errorf("no %#04x record in the sample", uint16(k))
		}
	}
}

// TestPublicParsers: the parsers of the collector's records check its
// signature, and refuse another key.
func TestPublicParsers(t *testing.T) {
	other, err := ecdsa.GenerateKey()
	must(t, err)
	parsers := map[ledger.Kind]func([]byte, *ecdsa.PublicKey) (interface{ Bytes() []byte }, error){
		kindParameters: func(b []byte, k *ecdsa.PublicKey) (interface{ Bytes() []byte }, error) { return ParseParameters(b, k) },
		kindPeriod:     func(b []byte, k *ecdsa.PublicKey) (interface{ Bytes() []byte }, error) { return ParsePeriod(b, k) },
		kindInvoice:    func(b []byte, k *ecdsa.PublicKey) (interface{ Bytes() []byte }, error) { return ParseInvoice(b, k) },
		kindReceipt:    func(b []byte, k *ecdsa.PublicKey) (interface{ Bytes() []byte }, error) { return ParseReceipt(b, k) },
		kindForfeiture: func(b []byte, k *ecdsa.PublicKey) (interface{ Bytes() []byte }, error) { return ParseForfeiture(b, k) },
	}
	seen := 0
	for _, enc := range sampleRecords(t) {
		parse := parsers[recordKind(enc)]
		if parse == nil {
			continue
		}
		seen++
		rec, err := parse(enc, corpusKey)
		must(t, err)
		if !bytes.Equal(rec.Bytes(), enc) {
			t.Fatal("parsed record re-encodes differently")
		}
		_, err = parse(enc, other.Public())
		wantErr(t, err, ErrBadSignature)
		_, err = parse(enc, nil)
		if err == nil {
			t.Fatal("parsed with a nil key")
		}
	}
	if seen < len(parsers) {
		t.Fatal("sample lacks a signed record kind")
	}
}

// parsers are the parsers of each kind.
var parsers = map[ledger.Kind]func([]byte) (record, error){
	kindParameters:   func(b []byte) (record, error) { return asRecord(parseParameters(b)) },
	kindRegistration: func(b []byte) (record, error) { return asRecord(parseRegistration(b)) },
	kindRefund:       func(b []byte) (record, error) { return asRecord(parseRefund(b)) },
	kindPeriod:       func(b []byte) (record, error) { return asRecord(parsePeriod(b)) },
	kindPeriodClose:  func(b []byte) (record, error) { return asRecord(parsePeriodClose(b)) },
	kindUsage:        func(b []byte) (record, error) { return asRecord(parseUsage(b)) },
	kindInvoice:      func(b []byte) (record, error) { return asRecord(parseInvoice(b)) },
	kindDispute:      func(b []byte) (record, error) { return asRecord(parseDispute(b)) },
	kindReceipt:      func(b []byte) (record, error) { return asRecord(parseReceipt(b)) },
	kindForfeiture:   func(b []byte) (record, error) { return asRecord(parseForfeiture(b)) },
}

// TestBadLengths grows and shrinks every record by one byte, changes the
// version and the kind, and expects every parser to refuse.
func TestBadLengths(t *testing.T) {
	for i, enc := range sampleRecords(t) {
		bad := [][]byte{
			enc[:len(enc)-1],
			append(clone(enc), 0),
			append([]byte{enc[0] + 1}, enc[1:]...),
			enc[:wireHeader],
			{enc[0]},
			nil,
			append([]byte{enc[0], 0x0b, 0x00}, enc[wireHeader:]...),
			append([]byte{enc[0], 0x0b, 0x0b}, enc[wireHeader:]...),
			append([]byte{enc[0], 0x01, enc[2]}, enc[wireHeader:]...),
		}
		for j, b := range bad {
			if _, err := parseRecord(b); !errors.Is(err, ErrMalformed) {
				t.Errorf("record %d variant %d: got %v, want ErrMalformed", i, j, err)
			}
		}
		// Each kind's parser refuses every other kind.
		k := recordKind(enc)
		for other, parse := range parsers {
			if other == k {
				continue
			}
			if _, err := parse(enc); !errors.Is(err, ErrMalformed) {
				t.Errorf("record %d: kind %#04x parsed as %#04x", i, uint16(k), uint16(other))
			}
		}
	}
}

// TestNonCanonicalFields flips single bytes; whatever a parser accepts must
// re-encode to the same bytes (so no field has two encodings). It flips
// every byte; under -short, the first 160 bytes of each record and every
// 29th byte after.
func TestNonCanonicalFields(t *testing.T) {
	for i, enc := range sampleRecords(t) {
		for j := range enc {
			if testing.Short() && j >= 160 && j%29 != 0 {
				continue
			}
			for _, x := range []byte{0x01, 0x80, 0xff} {
				b := clone(enc)
				b[j] ^= x
				rec, err := parseRecord(b)
				if err != nil {
					continue
				}
				again, err := rec.encode()
				if err != nil || !bytes.Equal(again, b) {
					t.Fatalf("record %d byte %d ^ %#x: accepted but re-encodes differently (%v)", i, j, x, err)
				}
			}
		}
	}
}

func TestRecordKinds(t *testing.T) {
	for _, enc := range sampleRecords(t) {
		k := recordKind(enc)
		if k < kindFirst || k > kindLast || enc[0] != 1 {
			t.Fatalf("header %x outside the package's range", enc[:3])
		}
	}
}

// TestEncodeRefusesIncompleteRecords: zero-value records have no encoding.
func TestEncodeRefusesIncompleteRecords(t *testing.T) {
	for _, r := range []record{
		&Parameters{}, &Registration{r: holderRecord{k: kindRegistration}}, &Refund{r: holderRecord{k: kindRefund}},
		&Period{}, &Usage{}, &Invoice{}, &Receipt{}, &Forfeiture{},
	} {
		if _, err := r.encode(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%T: zero value encodes (%v)", r, err)
		}
	}
	u := &Usage{period: 1, edge: "bad edge", amount: eurs(1)}
	if _, err := u.body(); err == nil {
		t.Error("edge identifier with a space encodes")
	}
	u.edge, u.detail = "edge", make([]byte, maxDetail+1)
	if _, err := u.body(); err == nil {
		t.Error("oversized detail encodes")
	}
}

// TestNilInputs: nil and zero-value arguments return errors, never panic.
func TestNilInputs(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	key := w.users[0]
	zeroKey := &arsig.PrivateKey{}
	var nilInv *Invoice
	var nilCtx context.Context
	checks := map[string]func() error{
		"registration nil key":    func() error { _, err := NewRegistration(nil, w.params, eurs(1), tStart); return err },
		"registration nil params": func() error { _, err := NewRegistration(key, nil, eurs(1), tStart); return err },
		"registration zero params": func() error {
			_, err := NewRegistration(key, &Parameters{}, eurs(1), tStart)
			return err
		},
		"registration zero amount": func() error { _, err := NewRegistration(key, w.params, eurs(0), tStart); return err },
		"registration zero key":    func() error { _, err := NewRegistration(zeroKey, w.params, eurs(5000), tStart); return err },
		"refund nil key":           func() error { _, err := NewRefund(nil, w.params, eurs(0), tStart); return err },
		"usage nil key":            func() error { _, err := NewUsage(nil, w.period, "e", eurs(1), tStart, nil); return err },
		"usage nil period":         func() error { _, err := NewUsage(key, nil, "e", eurs(1), tStart, nil); return err },
		"usage zero period":        func() error { _, err := NewUsage(key, &Period{}, "e", eurs(1), tStart, nil); return err },
		"usage zero amount":        func() error { _, err := NewUsage(key, w.period, "e", eurs(0), tStart, nil); return err },
		"usage empty edge":         func() error { _, err := NewUsage(key, w.period, "", eurs(1), tStart, nil); return err },
		"usage before 1970": func() error {
			_, err := NewUsage(key, w.period, "e", eurs(1), time.Unix(-1, 0), nil)
			return err
		},
		"invoice nil signer": func() error {
			_, err := NewInvoice(nil, w.period, key.Public(), tIssued, tDue, []Line{{}})
			return err
		},
		"invoice nil period": func() error { _, err := NewInvoice(w.signer, nil, key.Public(), tIssued, tDue, nil); return err },
		"invoice nil user":   func() error { _, err := NewInvoice(w.signer, w.period, nil, tIssued, tDue, nil); return err },
		"invoice no lines":   func() error { _, err := NewInvoice(w.signer, w.period, key.Public(), tIssued, tDue, nil); return err },
		"invoice zero line": func() error {
			_, err := NewInvoice(w.signer, w.period, key.Public(), tIssued, tDue, []Line{{}})
			return err
		},
		"dispute nil invoice":  func() error { _, err := NewDispute(nil, 0, tIssued); return err },
		"dispute zero invoice": func() error { _, err := NewDispute(&Invoice{}, 0, tIssued); return err },
		"parse nil bytes":      func() error { _, err := ParsePeriod(nil, w.signer.Public()); return err },
		"parse nil key":        func() error { _, err := ParsePeriod(w.period.Bytes(), nil); return err },
		"parameters nil key":   func() error { _, err := ParseParameters(w.params.Bytes(), nil); return err },
		"check nil invoice":    func() error { _, err := nilInv.Check(w.period, key.Public()); return err },
		"check zero invoice":   func() error { _, err := (&Invoice{}).Check(w.period, key.Public()); return err },
		"check nil period": func() error {
			_, err := (&Invoice{signed: signed{enc: []byte{1}}}).Check(nil, key.Public())
			return err
		},
		"receipt check zero":    func() error { return (&Receipt{}).Check(nil, eurs(1)) },
		"forfeiture check zero": func() error { return (&Forfeiture{}).Check(w.period) },
		"edge nil period":       func() error { _, err := NewEdge(nil, "e"); return err },
		"edge bad id":           func() error { _, err := NewEdge(w.period, "a b"); return err },
		"edge zero value":       func() error { _, err := (&Edge{}).Accept(nil); return err },
		"edge nil bytes":        func() error { e, _ := NewEdge(w.period, "e"); _, err := e.Accept(nil); return err },
		"open nil ledger":       func() error { _, err := Open(ctx, nil, w.signer.Public()); return err },
		"open nil context":      func() error { _, err := Open(nilCtx, w.l, w.signer.Public()); return err },
		"accept nil context": func() error {
			k, err := arsig.GenerateKey()
			must(t, err)
			r, err := NewRegistration(k, w.params, eurs(5000), tStart)
			must(t, err)
			return w.collector.Accept(nilCtx, r.Bytes())
		},
		"collect nil context":     func() error { return w.collector.Collect(nilCtx, [][]byte{w.sign(0, "e", 1, tStart).Bytes()})[0] },
		"open nil key":            func() error { _, err := Open(ctx, w.l, nil); return err },
		"collector nil ledger":    func() error { _, err := NewCollector(ctx, nil, w.signer, w.opener, eurs(1)); return err },
		"collector nil signer":    func() error { _, err := NewCollector(ctx, w.l, nil, w.opener, eurs(1)); return err },
		"collector nil opener":    func() error { _, err := NewCollector(ctx, w.l, w.signer, nil, eurs(1)); return err },
		"collector zero deposit":  func() error { _, err := NewCollector(ctx, ledger.NewMemory(), w.signer, w.opener, eurs(0)); return err },
		"issue nil":               func() error { return w.collector.Issue(ctx, nil) },
		"issue zero":              func() error { return w.collector.Issue(ctx, &Invoice{}) },
		"accept nil":              func() error { return w.collector.Accept(ctx, nil) },
		"accept collector record": func() error { return w.collector.Accept(ctx, w.period.Bytes()) },
		"collect nil":             func() error { return w.collector.Collect(ctx, [][]byte{nil})[0] },
		"deposit nil key":         func() error { _, err := w.book.Deposit(nil); return err },
		"owed unknown":            func() error { _, err := w.book.Owed([32]byte{}); return err },
		"period unknown":          func() error { _, err := w.book.Period(9); return err },
		"zero book":               func() error { _, err := (&Book{}).Period(0); return err },
		"zero book owed":          func() error { _, err := (&Book{}).Owed([32]byte{}); return err },
		"zero book deposit":       func() error { _, err := (*Book)(nil).Deposit(key.Public()); return err },
		"zero collector open":     func() error { _, err := (&Collector{}).OpenPeriod(ctx, tStart, tEnd); return err },
		"zero collector close":    func() error { return (*Collector)(nil).ClosePeriod(ctx, tEnd) },
		"zero collector accept":   func() error { return (&Collector{}).Accept(ctx, nil) },
		"zero collector collect":  func() error { return (&Collector{}).Collect(ctx, [][]byte{nil})[0] },
		"zero collector draft":    func() error { _, err := (&Collector{}).DraftInvoices(1, tIssued, tDue); return err },
		"zero collector issue":    func() error { return (&Collector{}).Issue(ctx, nil) },
		"zero collector pay":      func() error { _, err := (&Collector{}).Pay(ctx, [32]byte{}, eurs(1), tIssued); return err },
		"zero collector forfeit":  func() error { _, err := (&Collector{}).Forfeit(ctx, [32]byte{}, tDue); return err },
	}
	for name, f := range checks {
		t.Run(name, func(t *testing.T) {
			if err := f(); err == nil {
				t.Fatal("no error")
			}
		})
	}
	// Accessors of nil records return zero values.
	var u *Usage
	var p *Period
	var r *Receipt
	var f *Forfeiture
	var pa *Parameters
	if u.Bytes() != nil || u.ID() != ([32]byte{}) || u.Edge() != "" || u.Amount().Valid() || !u.Time().IsZero() || u.Detail() != nil ||
		p.Bytes() != nil || p.ID() != 0 || !p.Start().IsZero() || !p.End().IsZero() || p.Deposit().Valid() || p.Ring() != nil ||
		nilInv.Bytes() != nil || nilInv.ID() != ([32]byte{}) || nilInv.Period() != 0 || nilInv.User() != nil || !nilInv.Due().IsZero() ||
		nilInv.Total().Valid() || nilInv.Lines() != nil || r.Bytes() != nil || r.Invoice() != ([32]byte{}) || r.Amount().Valid() ||
		f.Bytes() != nil || f.Invoice() != ([32]byte{}) || f.Amount().Valid() || pa.Bytes() != nil || pa.Deposit().Valid() ||
		(*Registration)(nil).Bytes() != nil || (*Refund)(nil).Bytes() != nil || (*Dispute)(nil).Bytes() != nil ||
		(*Book)(nil).Parameters() != nil || (*Collector)(nil).Book() != nil {
		t.Fatal("an accessor of a nil record returned something")
	}
}

// TestErrorsWrapCauses: errors.Is finds both this package's sentinel and
// the underlying arsig, ecdsa or money one.
func TestErrorsWrapCauses(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	other, err := ecdsa.GenerateKey()
	must(t, err)
	_, err = ParsePeriod(w.period.Bytes(), other.Public())
	wantErr(t, err, ErrBadSignature)
	p, err := newPeriod(other, 1, w.params, tStart, tEnd, w.period.ring)
	must(t, err)
	_, err = ParsePeriod(p.Bytes(), w.signer.Public())
	wantErr(t, err, ErrBadSignature)
	p.collector = w.signer.Public()
	body, err := p.body()
	must(t, err)
	forged, err := signBody(other, contextPeriod, body, "period")
	must(t, err)
	_, err = ParsePeriod(forged, w.signer.Public())
	wantErr(t, err, ErrBadSignature, ecdsa.ErrInvalidSignature)

	bad := w.period.Bytes()
	copy(bad[wireHeader+4:], make([]byte, ecdsa.PublicKeySize))
	_, err = ParsePeriod(bad, w.signer.Public())
	wantErr(t, err, ErrMalformed)

	u := w.sign(0, "svc", 10, tStart).Bytes()
	sigAt := len(u) - arsig.SignatureSize(2)
	u[sigAt] = 7 // the signature's version byte
	edge, err := NewEdge(w.period, "svc")
	must(t, err)
	_, err = edge.Accept(u)
	wantErr(t, err, ErrMalformed, arsig.ErrMalformed)

	stranger, err := arsig.GenerateKey()
	must(t, err)
	_, err = NewUsage(stranger, w.period, "svc", eurs(10), tStart, nil)
	wantErr(t, err, ErrPeriod, arsig.ErrNotInRing)
}
