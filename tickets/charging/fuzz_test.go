package charging

import (
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
)

// The parsers of the session detail and of a charger's ledger entries:
// no panic, nothing returned with an error, and accepted bytes re-encode
// identically. They parse structure only (no ring signature), so each
// execution is fast.

func FuzzParseDetail(f *testing.F) {
	seed, err := (&detail{energy: 12345, rate: rate}).bytes()
	must(f, err)
	recordtest.FuzzParser(f, seed, parseDetail, reencode((*detail).bytes))
}

func FuzzParsePeriodEntry(f *testing.F) {
	seed, err := (&periodEntry{descriptor: []byte("a period descriptor")}).bytes()
	must(f, err)
	recordtest.FuzzParser(f, seed, parsePeriodEntry, reencode((*periodEntry).bytes))
}

func FuzzParseAcceptedEntry(f *testing.F) {
	seed, err := (&acceptedEntry{period: 3, records: [][]byte{[]byte("one usage record"), {}, []byte("another")}}).bytes()
	must(f, err)
	recordtest.FuzzParser(f, seed, parseAcceptedEntry, reencode((*acceptedEntry).bytes))
}

func FuzzParseDeliveredEntry(f *testing.F) {
	seed, err := (&deliveredEntry{ids: [][32]byte{{1}, {2}}, outcomes: []byte{outcomeBilled, outcomeRefused}}).bytes()
	must(f, err)
	recordtest.FuzzParser(f, seed, parseDeliveredEntry, reencode((*deliveredEntry).bytes))
}

// reencode adapts an encoder to FuzzParser: a parsed value must encode.
func reencode[T any](enc func(T) ([]byte, error)) func(T) []byte {
	return func(v T) []byte {
		b, err := enc(v)
		if err != nil {
			return nil
		}
		return b
	}
}
