package billing

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

var (
	corpusOnce sync.Once
	corpus     [][]byte // one encoding of every record type, from a real cycle
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
		da, _ := ia.Digest()
		must(t, w.users[0].Dispute(da, bad, tIssued+1))
		db, _ := ib.Digest()
		infoB, _ := w.book.Invoice(db)
		_, err := w.collector.Pay(db, infoB.Owed, tIssued+2)
		must(t, err)
		_, err = w.collector.Forfeit(da, tDue+1)
		must(t, err)
		infoC := w.invoiceFor(2)
		_, err = w.collector.Pay(infoC.Digest, infoC.Owed, tIssued+3)
		must(t, err)
		// User 1's moved record is billed to them again.
		_, err = w.collector.IssueInvoices(1, tIssued+4, tDue)
		must(t, err)
		must(t, w.users[2].Refund(tDue+2))
		must(t, l.Scan(ctx, 0, func(e ledger.Entry) error {
			corpus = append(corpus, e.Payload)
			return nil
		}))
	})
	return corpus
}

func TestRecordRoundTrip(t *testing.T) {
	seen := make(map[RecordType]bool)
	for i, enc := range sampleRecords(t) {
		rec, err := ParseRecord(enc)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		seen[rec.Type()] = true
		again, err := rec.MarshalBinary()
		must(t, err)
		if !bytes.Equal(again, enc) {
			t.Fatalf("record %d (%v) re-encodes differently", i, rec.Type())
		}
	}
	for typ := TypeParameters; typ <= maxRecordType; typ++ {
		if !seen[typ] {
			t.Errorf("no %v record in the sample", typ)
		}
	}
}

// TestBadLengths grows and shrinks every record by one byte, changes the
// version and the type, and expects every parser to refuse.
func TestBadLengths(t *testing.T) {
	for i, enc := range sampleRecords(t) {
		bad := [][]byte{
			enc[:len(enc)-1],
			append(append([]byte(nil), enc...), 0),
			append([]byte{Version + 1}, enc[1:]...),
			{enc[0]},
			nil,
		}
		for _, typ := range []byte{0, byte(maxRecordType) + 1} {
			bad = append(bad, append([]byte{enc[0], typ}, enc[2:]...))
		}
		for j, b := range bad {
			if _, err := ParseRecord(b); !errors.Is(err, ErrMalformed) {
				t.Errorf("record %d variant %d: got %v, want ErrMalformed", i, j, err)
			}
		}
		// The type-specific parser refuses every other type.
		rec, _ := ParseRecord(enc)
		for typ := TypeParameters; typ <= maxRecordType; typ++ {
			if typ == rec.Type() {
				continue
			}
			other := append([]byte{enc[0], byte(typ)}, enc[2:]...)
			if r, err := parseAs(rec.Type(), other); err == nil {
				t.Errorf("record %d: %v parser accepted type %v: %v", i, rec.Type(), typ, r)
			}
		}
	}
}

func parseAs(t RecordType, b []byte) (Record, error) {
	switch t {
	case TypeParameters:
		return ParseParameters(b)
	case TypeRegistration:
		return ParseRegistration(b)
	case TypeRefund:
		return ParseRefund(b)
	case TypePeriodOpen:
		return ParsePeriodOpen(b)
	case TypePeriodClose:
		return ParsePeriodClose(b)
	case TypeUsage:
		return ParseUsage(b)
	case TypeInvoice:
		return ParseInvoice(b)
	case TypeDispute:
		return ParseDispute(b)
	case TypeReceipt:
		return ParseReceipt(b)
	case TypeForfeiture:
		return ParseForfeiture(b)
	}
	return nil, errors.New("unknown type")
}

// TestNonCanonicalFields flips single bytes; whatever a parser accepts must
// re-encode to the same bytes (so no field has two encodings).
func TestNonCanonicalFields(t *testing.T) {
	for i, enc := range sampleRecords(t) {
		for j := range enc {
			for _, x := range []byte{0x01, 0x80, 0xff} {
				b := append([]byte(nil), enc...)
				b[j] ^= x
				rec, err := ParseRecord(b)
				if err != nil {
					continue
				}
				again, err := rec.MarshalBinary()
				if err != nil || !bytes.Equal(again, b) {
					t.Fatalf("record %d byte %d ^ %#x: accepted but re-encodes differently (%v)", i, j, x, err)
				}
			}
		}
	}
}

func TestRecordKinds(t *testing.T) {
	for typ := TypeParameters; typ <= maxRecordType; typ++ {
		if typ.Kind() != KindBase+ledger.Kind(typ) {
			t.Fatal(typ)
		}
	}
	if RecordType(0).String() != "record-type-0" || TypeInvoice.String() != "invoice" {
		t.Fatal("names")
	}
}

func TestMarshalRefusesIncompleteRecords(t *testing.T) {
	for _, r := range []Record{
		&Parameters{}, &Registration{}, &Refund{}, &PeriodOpen{}, &Usage{}, &Invoice{},
		&Receipt{}, &Forfeiture{},
	} {
		if _, err := r.MarshalBinary(); err == nil {
			t.Errorf("%T: zero value encodes", r)
		}
	}
	u := &Usage{Period: 1, Service: "bad service", Amount: eurs(1)}
	if _, err := u.Message(); err == nil {
		t.Error("service with a space encodes")
	}
}
