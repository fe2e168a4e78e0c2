package netting

import (
	"bytes"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

// FuzzParseStatement: no panic, nothing returned with an error, and a
// statement accepted re-encodes, from its parsed fields, to the same bytes.
func FuzzParseStatement(f *testing.F) {
	key := testKey(f)
	for _, obs := range [][]Obligation{nil, sampleObligations(), {ob(0, 1, 1, eur)}} {
		f.Add(signRaw(f, key, periodStart, periodEnd, mustNet(f, obs)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseStatement(b)
		if err != nil {
			if st != nil {
				t.Fatal("statement returned with an error")
			}
			return
		}
		body, err := st.encodeBody()
		if err != nil {
			t.Fatalf("accepted statement does not encode: %v", err)
		}
		if !bytes.Equal(append(body, b[len(b)-wire.SignatureSize:]...), b) || !bytes.Equal(st.Bytes(), b) {
			t.Fatal("accepted bytes re-encode differently")
		}
		if err := st.Settlement().validate(); err != nil {
			t.Fatal(err)
		}
	})
}
