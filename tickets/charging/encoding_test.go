package charging

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes hex written with spaces between the fields.
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	must(t, err)
	return b
}

// TestEncodings: each record is laid out as docs/spec/charging.md says,
// field by field.
func TestEncodings(t *testing.T) {
	zeros := strings.Repeat("00", 31)
	for name, tc := range map[string]struct {
		enc  func() ([]byte, error)
		want string
	}{
		"session detail": {(&detail{energy: 12345, rate: rate}).bytes,
			"01 0d01 0000000000003039 01455552 0000000000000027"},
		"period entry": {(&periodEntry{descriptor: []byte("abc")}).bytes,
			"01 0d02 00000003 616263"},
		"accepted entry": {(&acceptedEntry{period: 3, records: [][]byte{[]byte("ab"), {}}}).bytes,
			"01 0d03 00000003 00000002 00000002 6162 00000000"},
		"delivered entry": {(&deliveredEntry{ids: [][32]byte{{1}, {2}}, outcomes: []byte{outcomeBilled, outcomeRefused}}).bytes,
			"01 0d04 00000002 01" + zeros + "01 02" + zeros + "02"},
	} {
		got, err := tc.enc()
		must(t, err)
		if want := unhex(t, tc.want); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %x\nwant %x", name, got, want)
		}
	}
	for name, enc := range map[string]func() ([]byte, error){
		"no records":         (&acceptedEntry{period: 1}).bytes,
		"too many records":   (&acceptedEntry{period: 1, records: make([][]byte, maxEntryRecords+1)}).bytes,
		"no ids":             (&deliveredEntry{}).bytes,
		"an unknown outcome": (&deliveredEntry{ids: [][32]byte{{}}, outcomes: []byte{3}}).bytes,
		"an outcome missing": (&deliveredEntry{ids: [][32]byte{{}, {}}, outcomes: []byte{1}}).bytes,
	} {
		if _, err := enc(); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
	for name, b := range map[string]string{
		"accepted, no records":   "01 0d03 00000003 00000000",
		"accepted, forged count": "01 0d03 00000003 7fffffff 00000000",
		"delivered, outcome 0":   "01 0d04 00000001 01" + zeros + "00",
		"delivered, no ids":      "01 0d04 00000000",
	} {
		_, err1 := parseAcceptedEntry(unhex(t, b))
		_, err2 := parseDeliveredEntry(unhex(t, b))
		if err1 == nil || err2 == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}
