package billing

import (
	"bytes"
	"testing"
)

// fuzzParser checks a parser: no panic, nothing returned with an error, and
// accepted bytes re-encode identically.
func fuzzParser[R Record](f *testing.F, typ RecordType, parse func([]byte) (R, error)) {
	for _, enc := range sampleRecords(f) {
		if RecordType(enc[1]) == typ {
			f.Add(enc)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parse(b)
		if err != nil {
			var zero R
			if any(r) != any(zero) {
				t.Fatal("record returned with an error")
			}
			return
		}
		again, err := r.MarshalBinary()
		if err != nil {
			t.Fatalf("accepted record does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("accepted %x re-encodes as %x", b, again)
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	for _, enc := range sampleRecords(f) {
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRecord(b)
		if err != nil {
			if r != nil {
				t.Fatal("record returned with an error")
			}
			return
		}
		again, err := r.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("accepted %x re-encodes as %x (%v)", b, again, err)
		}
	})
}

func FuzzParseParameters(f *testing.F)   { fuzzParser(f, TypeParameters, ParseParameters) }
func FuzzParseRegistration(f *testing.F) { fuzzParser(f, TypeRegistration, ParseRegistration) }
func FuzzParseRefund(f *testing.F)       { fuzzParser(f, TypeRefund, ParseRefund) }
func FuzzParsePeriodOpen(f *testing.F)   { fuzzParser(f, TypePeriodOpen, ParsePeriodOpen) }
func FuzzParsePeriodClose(f *testing.F)  { fuzzParser(f, TypePeriodClose, ParsePeriodClose) }
func FuzzParseUsage(f *testing.F)        { fuzzParser(f, TypeUsage, ParseUsage) }
func FuzzParseInvoice(f *testing.F)      { fuzzParser(f, TypeInvoice, ParseInvoice) }
func FuzzParseDispute(f *testing.F)      { fuzzParser(f, TypeDispute, ParseDispute) }
func FuzzParseReceipt(f *testing.F)      { fuzzParser(f, TypeReceipt, ParseReceipt) }
func FuzzParseForfeiture(f *testing.F)   { fuzzParser(f, TypeForfeiture, ParseForfeiture) }
