package loans

import (
	"bytes"
	"sync"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

var (
	samplesOnce sync.Once
	samples     map[ledger.Kind][][]byte
)

// sampleRecords returns records of every kind, from a small pool run
// through a whole cycle.
func sampleRecords(f *testing.F) map[ledger.Kind][][]byte {
	samplesOnce.Do(func() {
		h := newHarness(f, 2, 2)
		a := h.request(0, 100, 120, 2, 1)
		h.request(1, 50, 50, 1, 1)
		h.submit(h.pledge(0, a, 70))
		h.submit(h.pledge(1, a, 30))
		h.submit(h.must(h.platform.Disclose(h.pool, h.loan(a).Pledges[0].ID, "fraud inquiry")))
		h.close()
		h.submit(h.must(h.borrowers[0].Repay(h.pool, a)))
		h.close()
		h.close()
		h.submit(h.must(h.platform.Default(h.pool, a)))
		samples = make(map[ledger.Kind][][]byte)
		_ = h.ledger.Scan(h.ctx, 0, func(e ledger.Entry) error {
			samples[e.Kind] = append(samples[e.Kind], e.Payload)
			return nil
		})
	})
	return samples
}

// fuzzParser checks a record parser: no panic, nothing returned with an
// error, and accepted bytes re-encode, from the parsed fields, to the same
// bytes.
func fuzzParser[R interface {
	record
	body() ([]byte, error)
}](f *testing.F, kind ledger.Kind, parse func([]byte) (R, error)) {
	seeds := sampleRecords(f)[kind]
	if len(seeds) == 0 {
		f.Fatalf("no sample of kind %#04x", uint16(kind))
	}
	for _, b := range seeds {
		f.Add(b)
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
		body, err := r.body()
		if err != nil {
			t.Fatalf("accepted record does not encode: %v", err)
		}
		if !bytes.Equal(append(body, b[len(b)-wire.SignatureSize:]...), b) || !bytes.Equal(r.encoded(), b) {
			t.Fatal("accepted bytes re-encode differently")
		}
	})
}

func FuzzParseParameters(f *testing.F) { fuzzParser(f, kindParameters, parseParameters) }
func FuzzParseLenderRegistration(f *testing.F) {
	fuzzParser(f, kindLender, parseLenderRegistration)
}
func FuzzParseBorrowerRegistration(f *testing.F) {
	fuzzParser(f, kindBorrower, parseBorrowerRegistration)
}
func FuzzParseRequest(f *testing.F)    { fuzzParser(f, kindRequest, parseRequest) }
func FuzzParsePledge(f *testing.F)     { fuzzParser(f, kindPledge, parsePledge) }
func FuzzParseRepayment(f *testing.F)  { fuzzParser(f, kindRepayment, parseRepayment) }
func FuzzParseDefault(f *testing.F)    { fuzzParser(f, kindDefault, parseDefault) }
func FuzzParseDisclosure(f *testing.F) { fuzzParser(f, kindDisclosure, parseDisclosure) }
