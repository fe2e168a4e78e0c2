package billing

import (
	"bytes"
	"testing"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// FuzzParseRecord checks the parser of every record: no panic, nothing
// returned with an error, and accepted bytes re-encode identically from the
// parsed fields. It parses structure only (no signature), so each execution
// is fast.
func FuzzParseRecord(f *testing.F) {
	for _, enc := range sampleRecords(f) {
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseRecord(b)
		if err != nil {
			if r != nil {
				t.Fatal("record returned with an error")
			}
			return
		}
		again, err := r.encode()
		if err != nil || !bytes.Equal(again, b) || !bytes.Equal(r.Bytes(), b) {
			t.Fatalf("accepted %x re-encodes as %x (%v)", b, again, err)
		}
	})
}

// fuzzPublic checks an exported parser of a collector record, which checks
// the signature too: no panic, nothing returned with an error, accepted
// bytes returned unchanged.
func fuzzPublic[R interface{ Bytes() []byte }](f *testing.F, k ledger.Kind, parse func([]byte, *ecdsa.PublicKey) (R, error)) {
	for _, enc := range sampleRecords(f) {
		if recordKind(enc) == k {
			f.Add(enc)
		}
	}
	key := corpusKey
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parse(b, key)
		if err != nil {
			if any(r) != any(*new(R)) {
				t.Fatal("record returned with an error")
			}
			return
		}
		if !bytes.Equal(r.Bytes(), b) {
			t.Fatalf("accepted %x returns %x", b, r.Bytes())
		}
	})
}

func FuzzParseParameters(f *testing.F) { fuzzPublic(f, kindParameters, ParseParameters) }
func FuzzParsePeriod(f *testing.F)     { fuzzPublic(f, kindPeriod, ParsePeriod) }
func FuzzParseInvoice(f *testing.F)    { fuzzPublic(f, kindInvoice, ParseInvoice) }
func FuzzParseReceipt(f *testing.F)    { fuzzPublic(f, kindReceipt, ParseReceipt) }
func FuzzParseForfeiture(f *testing.F) { fuzzPublic(f, kindForfeiture, ParseForfeiture) }

// FuzzEdgeAccept fuzzes the edge's parser of usage records, which verifies
// the ring signature of whatever parses.
func FuzzEdgeAccept(f *testing.F) {
	var edge *Edge
	for _, enc := range sampleRecords(f) {
		switch recordKind(enc) {
		case kindPeriod:
			p, err := ParsePeriod(enc, corpusKey)
			must(f, err)
			if edge == nil {
				edge, err = NewEdge(p, "svc-0")
				must(f, err)
			}
		case kindUsage:
			f.Add(enc)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := edge.Accept(b)
		if err != nil {
			if u != nil {
				t.Fatal("record returned with an error")
			}
			return
		}
		if !bytes.Equal(u.Bytes(), b) {
			t.Fatal("accepted bytes changed")
		}
	})
}

// fuzzKind checks the parser of one kind, seeded with that kind's records.
func fuzzKind(f *testing.F, k ledger.Kind) {
	for _, enc := range sampleRecords(f) {
		if recordKind(enc) == k {
			f.Add(enc)
		}
	}
	parse := parsers[k]
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parse(b)
		if err != nil {
			if r != nil {
				t.Fatal("record returned with an error")
			}
			return
		}
		again, err := r.encode()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("accepted %x re-encodes as %x (%v)", b, again, err)
		}
	})
}

func FuzzParseRegistration(f *testing.F) { fuzzKind(f, kindRegistration) }
func FuzzParseRefund(f *testing.F)       { fuzzKind(f, kindRefund) }
func FuzzParsePeriodClose(f *testing.F)  { fuzzKind(f, kindPeriodClose) }
func FuzzParseUsage(f *testing.F)        { fuzzKind(f, kindUsage) }
func FuzzParseDispute(f *testing.F)      { fuzzKind(f, kindDispute) }
