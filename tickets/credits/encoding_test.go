package credits

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// TestEncoding: a spend is laid out as docs/spec/credits.md says.
func TestEncoding(t *testing.T) {
	s := &Spend{machine: "m", time: t0, nonce: [nonceSize]byte{7}}
	want, err := hex.DecodeString(strings.ReplaceAll("01 0d81 00000001 6d 000000006b852580 07"+strings.Repeat("00", 15), " ", ""))
	must(t, err)
	if got := s.mustEncode(t); !bytes.Equal(got, want) {
		t.Fatalf("got %x\nwant %x", got, want)
	}
	if t0.Unix() != 0x6b852580 {
		t.Fatal("t0 moved")
	}
}
