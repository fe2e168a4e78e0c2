package postgres

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/ringtrace/ringtrace/trs"
)

// FuzzSpentRow feeds decodeSpentRow arbitrary column values and matches
// the accepted ones against arbitrary new fingerprints: no panic, a row
// accepted only with exact column lengths, its columns kept exactly, and
// one match per (stored fingerprint, new slot) pair that are equal —
// checked against a brute-force count.
func FuzzSpentRow(f *testing.F) {
	fps := encodeFingerprints([]uint64{1, 2, 3, 3})
	f.Add(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), fps, encodeFingerprints([]uint64{3, 9, 1}))
	f.Add(bytes.Repeat([]byte{1}, 31), bytes.Repeat([]byte{2}, 32), fps, fps)
	f.Add(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), fps[:7], fps)
	f.Add(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), []byte{}, fps)
	f.Fuzz(func(t *testing.T, a0, a1, stored, fresh []byte) {
		var tag [trs.DigestSize]byte
		tag[0] = 7
		r, got, err := decodeSpentRow(&tag, a0, a1, stored)
		if err != nil {
			if r != (trs.Record{}) || got != nil {
				t.Fatal("a refused row returned values")
			}
			return
		}
		if len(a0) != 32 || len(a1) != 32 || len(stored) == 0 || len(stored)%8 != 0 || len(stored) > 8*trs.MaxRingSize {
			t.Fatalf("accepted lengths %d, %d, %d", len(a0), len(a1), len(stored))
		}
		if r.Tag != tag || !bytes.Equal(r.A0[:], a0) || !bytes.Equal(r.A1[:], a1) || !bytes.Equal(got, stored) {
			t.Fatal("decoded row differs from its columns")
		}
		var newFPs []uint64
		for i := 0; i+8 <= len(fresh) && len(newFPs) < 64; i += 8 {
			newFPs = append(newFPs, binary.BigEndian.Uint64(fresh[i:]))
		}
		if len(newFPs) == 0 {
			return
		}
		matches := slotsOf(newFPs).appendMatches(nil, r, got)
		want := map[int]int{}
		for i := 0; i < len(got); i += 8 {
			for j, fp := range newFPs {
				if binary.BigEndian.Uint64(got[i:]) == fp {
					want[j]++
				}
			}
		}
		have := map[int]int{}
		for _, m := range matches {
			if m.Record != r {
				t.Fatal("match of another record")
			}
			have[m.Slot]++
		}
		if len(have) != len(want) {
			t.Fatalf("matches by slot %v, want %v", have, want)
		}
		for j, n := range want {
			if have[j] != n {
				t.Fatalf("matches by slot %v, want %v", have, want)
			}
		}
	})
}
