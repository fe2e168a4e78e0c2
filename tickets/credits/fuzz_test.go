package credits

import (
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
)

// FuzzParseSpend: no panic, nothing returned with an error, and accepted
// bytes re-encode identically.
func FuzzParseSpend(f *testing.F) {
	seed := (&Spend{machine: "vending-1", time: t0, nonce: [nonceSize]byte{7}}).mustEncode(f)
	recordtest.FuzzParser(f, seed, ParseSpend, func(s *Spend) []byte {
		b, err := s.encode()
		if err != nil {
			return nil
		}
		return b
	})
}
