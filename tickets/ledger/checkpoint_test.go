package ledger

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
)

var checkpointTime = time.Date(2026, 11, 21, 8, 30, 0, 0, time.UTC)

func testSigner(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustCheckpoint(t testing.TB, l Ledger, key *ecdsa.PrivateKey) *Checkpoint {
	t.Helper()
	c, err := NewCheckpoint(l, key, checkpointTime)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCheckpointRoundTrip: on every implementation, a checkpoint parses
// back to the same values, verifies under its key and not another, and
// checks against the ledger, also after more appends.
func TestCheckpointRoundTrip(t *testing.T) {
	key, other := testSigner(t), testSigner(t)
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			l := impl.new(t)
			for _, n := range []int{0, 1, 7} {
				appendAll(t, l, n-int(l.Len()), uint64(n))
				c := mustCheckpoint(t, l, key)
				if c.Count() != uint64(n) || c.Head() != l.Head() || !c.Time().Equal(checkpointTime) {
					t.Fatalf("checkpoint of %d entries: Count %d, Head %x, Time %v", n, c.Count(), c.Head(), c.Time())
				}
				p, err := ParseCheckpoint(c.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				if p.Count() != c.Count() || p.Head() != c.Head() || !p.Time().Equal(c.Time()) || !bytes.Equal(p.Bytes(), c.Bytes()) {
					t.Fatal("parsed checkpoint differs")
				}
				if err := p.Verify(key.Public()); err != nil {
					t.Fatal(err)
				}
				if err := p.Verify(other.Public()); !errors.Is(err, ecdsa.ErrInvalidSignature) {
					t.Fatalf("Verify under another key: %v", err)
				}
				if err := p.Check(ctx, l); err != nil {
					t.Fatalf("Check: %v", err)
				}
			}
			appendAll(t, l, 3, 99)
			if err := mustCheckpoint(t, NewMemory(), key).Check(ctx, l); err != nil {
				t.Fatalf("empty checkpoint: %v", err)
			}
		})
	}
}

// TestCheckpointKnownAnswer: the signed body of a checkpoint of
// testdata/v1.ledger at checkpointTime, from the layout in
// docs/spec/ledger.md by the script in testdata/README.md.
func TestCheckpointKnownAnswer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger")
	writeFile(t, path, readFile(t, "testdata/v1.ledger"))
	key := testSigner(t)
	c := mustCheckpoint(t, newTestFile(t, path), key)
	const want = "0100010000000000000003" +
		"6e8e7028eb9203ded4c6ea05f4ad473fef6614413b510ad13a2040ae924aa2ed" +
		"000000006b015688"
	enc := c.Bytes()
	if got := hex.EncodeToString(enc[:checkpointBodySize]); got != want || len(enc) != checkpointSize {
		t.Fatalf("body %s (%d bytes in all), want %s", got, len(enc), want)
	}
	if err := ecdsa.Verify(key.Public(), "ringtrace/ledger/checkpoint/v1", enc[:checkpointBodySize], enc[checkpointBodySize:]); err != nil {
		t.Fatalf("the signature is not ECDSA over the body under the spec's context: %v", err)
	}
}

// TestCheckpointTime: the time is stored in whole seconds, UTC.
func TestCheckpointTime(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	c, err := NewCheckpoint(NewMemory(), testSigner(t), time.Date(2026, 11, 21, 9, 30, 0, 999_999_999, berlin))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Time().Equal(checkpointTime) || c.Time().Location() != time.UTC {
		t.Fatalf("Time = %v", c.Time())
	}
	if _, err := NewCheckpoint(NewMemory(), testSigner(t), time.Unix(-1, 0)); err == nil {
		t.Fatal("a checkpoint before 1970 was made")
	}
}

// rewrite returns a ledger file holding the kinds and payloads of entries,
// renumbered from 0, with the payload at position i replaced and the whole
// chain recomputed, as an attacker with write access to the file would
// write it: it opens cleanly.
func rewrite(t *testing.T, entries []Entry, i int, payload []byte) []byte {
	t.Helper()
	b := appendHeader(nil)
	var prev [HashSize]byte
	for seq, e := range entries {
		p := e.Payload
		if seq == i {
			p = payload
		}
		b = appendFrame(b, uint64(seq), e.Kind, &prev, p)
		prev = ChainHash(uint64(seq), e.Kind, p, prev)
	}
	return b
}

// TestCheckpointDetectsRewrite is the guarantee of issue 10 item 5: with
// the checkpoint kept elsewhere (here, only its bytes), a file whose chain
// was rewritten and recomputed, or cut back at a record boundary, opens
// cleanly — the chain alone cannot tell — and Check catches it.
func TestCheckpointDetectsRewrite(t *testing.T) {
	key := testSigner(t)
	path := filepath.Join(t.TempDir(), "ledger")
	l := newTestFile(t, path)
	entries := appendAll(t, l, 6, 1)
	kept := mustCheckpoint(t, l, key).Bytes()
	later := appendAll(t, l, 2, 2)
	all := append(entries, later...)
	l.Close()
	orig := readFile(t, path)

	cases := map[string][]byte{
		"entry 0 rewritten":           rewrite(t, all, 0, []byte("forged")),
		"entry 5 rewritten":           rewrite(t, all, 5, append(bytes.Clone(all[5].Payload), 1)),
		"cut back to 5 entries":       orig[:len(rewrite(t, all[:5], -1, nil))],
		"cut back to no entries":      orig[:headerSize],
		"cut back and extended again": rewrite(t, append(all[:4:4], all[5:]...), -1, nil),
	}
	for name, b := range cases {
		writeFile(t, path, b)
		l, err := OpenFile(path)
		if err != nil {
			t.Fatalf("%s: the rewritten file does not open: %v", name, err)
		}
		if torn, _ := l.TornTail(); torn != 0 {
			t.Fatalf("%s: the rewritten file has a torn tail", name)
		}
		c, err := ParseCheckpoint(kept)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Verify(key.Public()); err != nil {
			t.Fatal(err)
		}
		if err := c.Check(ctx, l); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Check = %v, want ErrCorrupt", name, err)
		}
		l.Close()
	}

	// What the checkpoint does not cover: entries after it.
	writeFile(t, path, rewrite(t, all, 7, []byte("after the checkpoint")))
	l = newTestFile(t, path)
	c, _ := ParseCheckpoint(kept)
	if err := c.Check(ctx, l); err != nil {
		t.Fatalf("a change after the checkpoint: Check = %v, want nil", err)
	}
}

// lyingLedger serves a Memory ledger's entries with one payload changed but
// the stored Prev and Hash, and the real Head: an implementation whose
// reported hashes cannot be trusted.
type lyingLedger struct {
	*Memory
	seq uint64
}

func (l lyingLedger) Scan(ctx context.Context, from uint64, fn func(Entry) error) error {
	return l.Memory.Scan(ctx, from, func(e Entry) error {
		if e.Seq == l.seq {
			e.Payload = append(e.Payload, 'x')
		}
		return fn(e)
	})
}

// TestCheckpointRecomputes: Check recomputes the chain instead of trusting
// the hashes a ledger reports.
func TestCheckpointRecomputes(t *testing.T) {
	m := NewMemory()
	appendAll(t, m, 5, 3)
	c := mustCheckpoint(t, m, testSigner(t))
	for seq := range uint64(5) {
		if err := c.Check(ctx, lyingLedger{m, seq}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("payload of entry %d changed under its old hash: Check = %v", seq, err)
		}
	}
	if err := c.Check(ctx, lyingLedger{m, 5}); err != nil {
		t.Errorf("a change after the checkpoint: %v", err)
	}
}

// TestCheckpointDuringAppends makes checkpoints while other goroutines
// append: each must be a consistent (count, head) pair. Run with -race.
func TestCheckpointDuringAppends(t *testing.T) {
	key := testSigner(t)
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			l := impl.new(t)
			var wg sync.WaitGroup
			for w := range 2 {
				wg.Go(func() { appendAll(t, l, 40, uint64(w)) })
			}
			var cps []*Checkpoint
			for range 20 {
				cps = append(cps, mustCheckpoint(t, l, key))
			}
			wg.Wait()
			for _, c := range cps {
				if err := c.Check(ctx, l); err != nil {
					t.Fatalf("checkpoint of %d entries: %v", c.Count(), err)
				}
			}
		})
	}
}

func TestCheckpointBadInput(t *testing.T) {
	key := testSigner(t)
	m := NewMemory()
	if _, err := NewCheckpoint(nil, key, checkpointTime); err == nil {
		t.Error("NewCheckpoint of a nil ledger")
	}
	if _, err := NewCheckpoint(m, nil, checkpointTime); err == nil {
		t.Error("NewCheckpoint with a nil key")
	}
	if _, err := NewCheckpoint(m, key, time.Time{}); err == nil {
		t.Error("NewCheckpoint at the zero time")
	}
	var zero Checkpoint
	if err := zero.Verify(key.Public()); err == nil {
		t.Error("zero Checkpoint verifies")
	}
	if err := zero.Check(ctx, m); err == nil {
		t.Error("zero Checkpoint checks")
	}
	c := mustCheckpoint(t, m, key)
	if err := c.Verify(nil); err == nil {
		t.Error("Verify with a nil key")
	}
	if err := c.Check(ctx, nil); err == nil {
		t.Error("Check of a nil ledger")
	}
	appendAll(t, m, 2, 5)
	c = mustCheckpoint(t, m, key)
	var nilCtx context.Context
	if err := c.Check(nilCtx, m); err == nil {
		t.Error("Check with a nil context")
	}
}

// TestParseCheckpointStrict: wrong lengths, header, trailing bytes and
// inconsistent count and head are refused with ErrCorrupt; every changed
// byte is refused by the parser or the signature.
func TestParseCheckpointStrict(t *testing.T) {
	key := testSigner(t)
	m := NewMemory()
	appendAll(t, m, 2, 4)
	good := mustCheckpoint(t, m, key).Bytes()
	empty := mustCheckpoint(t, NewMemory(), key).Bytes()

	bad := map[string][]byte{
		"empty":            nil,
		"short":            good[:len(good)-1],
		"long":             append(bytes.Clone(good), 0),
		"version 2":        patched(good, 0, 2),
		"kind 0x0002":      patched(good, 1, 0x00, 0x02),
		"a toll kind":      patched(good, 1, 0x02, 0x01),
		"count 0, head":    patched(good, 3, binary.BigEndian.AppendUint64(nil, 0)...),
		"count 1, no head": patched(empty, 3, binary.BigEndian.AppendUint64(nil, 1)...),
		"time past int64":  patched(good, 3+8+HashSize, binary.BigEndian.AppendUint64(nil, 1<<63)...),
	}
	for name, b := range bad {
		if c, err := ParseCheckpoint(b); c != nil || !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: ParseCheckpoint = %v, %v; want nil, ErrCorrupt", name, c, err)
		}
	}
	for i := range good {
		b := bytes.Clone(good)
		b[i] ^= 0x01
		c, err := ParseCheckpoint(b)
		if err == nil && c.Verify(key.Public()) == nil {
			t.Fatalf("byte %d changed: the checkpoint still parses and verifies", i)
		}
	}
}

// patched returns a copy of b with p written at off.
func patched(b []byte, off int, p ...byte) []byte {
	c := bytes.Clone(b)
	copy(c[off:], p)
	return c
}

// FuzzParseCheckpoint: no panic, nothing returned with an error, every
// refusal wraps ErrCorrupt, accepted bytes re-encode identically.
func FuzzParseCheckpoint(f *testing.F) {
	key := testSigner(f)
	m := NewMemory()
	f.Add(mustCheckpoint(f, m, key).Bytes())
	appendAll(f, m, 3, 5)
	f.Add(mustCheckpoint(f, m, key).Bytes())
	f.Add([]byte{1, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCheckpoint(b)
		if err != nil {
			if c != nil || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("ParseCheckpoint = %v, %v", c, err)
			}
			return
		}
		if !bytes.Equal(c.Bytes(), b) {
			t.Fatalf("accepted %x, re-encodes as %x", b, c.Bytes())
		}
		if (c.Count() == 0) != (c.Head() == [HashSize]byte{}) || c.Time().Location() != time.UTC {
			t.Fatal("accepted an inconsistent checkpoint")
		}
	})
}
