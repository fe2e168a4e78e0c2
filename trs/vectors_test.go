package trs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/ringtrace/ringtrace/internal/transcript"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json and testdata/accumulated.txt from this implementation")

// vector is one known-answer test. Byte strings are hex.
type vector struct {
	Comment string `json:"comment"`
	// Inputs.
	Ring       string `json:"ring"`        // ParseRing encoding
	Issue      string `json:"issue"`       // tag issue string
	Message    string `json:"message"`     //
	PrivateKey string `json:"private_key"` // signer's x
	Random     string `json:"random"`      // 32 bytes mixed into the nonce seed
	// Outputs.
	SignerSlot int    `json:"signer_slot"` // 0-based slot of the signer
	TagDigest  string `json:"tag_digest"`  // spec §2
	H          string `json:"h"`           // enc(h)
	A0         string `json:"a0"`          // enc(A0)
	Signature  string `json:"signature"`   // enc(A1) || c_1..c_n || z_1..z_n
}

// negativeVector is a signature that must be rejected, with the sentinel
// its error wraps.
type negativeVector struct {
	Comment   string `json:"comment"`
	Ring      string `json:"ring"`
	Issue     string `json:"issue"`
	Message   string `json:"message"`
	Signature string `json:"signature"`
	Error     string `json:"error"` // "malformed", "ring mismatch" or "invalid signature"
}

type vectorFile struct {
	Valid   []vector         `json:"valid"`
	Invalid []negativeVector `json:"invalid"`
}

var sentinels = map[string]error{
	"malformed":         ErrMalformed,
	"ring mismatch":     ErrRingMismatch,
	"invalid signature": ErrInvalidSignature,
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func generateVectors(t *testing.T) vectorFile {
	rng := rand.New(rand.NewSource(20261121))
	var vf vectorFile
	cases := []struct {
		n       int
		issue   string
		msg     string
		comment string
	}{
		{1, "sale-1", "", "ring of one, empty message"},
		{2, "sale-2", "exit plaza 3", "two members"},
		{5, "", "empty issue", "five members, empty issue"},
		{5, "sale-2026-11-21/7", "trip 1", "five members"},
		{16, "election-7", "ballot", "sixteen members"},
		{50, "sale-50", "AnonymousTollPass ticket", "fifty members"},
	}
	for _, c := range cases {
		privs, ring := testRing(t, rng, c.n)
		tag := NewTag([]byte(c.issue), ring)
		slot := rng.Intn(c.n)
		var rnd [transcript.RandomSize]byte
		rng.Read(rnd[:])
		sig, err := sign(privs[slot], tag, []byte(c.msg), &rnd)
		if err != nil {
			t.Fatal(err)
		}
		vf.Valid = append(vf.Valid, vector{
			Comment:    c.comment,
			Ring:       hex.EncodeToString(ring.Bytes()),
			Issue:      hex.EncodeToString([]byte(c.issue)),
			Message:    hex.EncodeToString([]byte(c.msg)),
			PrivateKey: hex.EncodeToString(privs[slot].Bytes()),
			Random:     hex.EncodeToString(rnd[:]),
			SignerSlot: slot,
			TagDigest:  hex.EncodeToString(tag.digest[:]),
			H:          hex.EncodeToString(tag.h.Bytes()),
			A0:         hex.EncodeToString(tag.a0([]byte(c.msg)).Bytes()),
			Signature:  hex.EncodeToString(sig.Bytes()),
		})
	}
	// Negative vectors, derived from the five-member vector.
	base := vf.Valid[3]
	sig, _ := hex.DecodeString(base.Signature)
	neg := func(comment, errName string, mutate func(ring, issue, msg, sig []byte) ([]byte, []byte, []byte, []byte)) {
		r, i, m, s := mutate(unhex(t, base.Ring), unhex(t, base.Issue), unhex(t, base.Message), append([]byte(nil), sig...))
		vf.Invalid = append(vf.Invalid, negativeVector{comment, hex.EncodeToString(r), hex.EncodeToString(i), hex.EncodeToString(m), hex.EncodeToString(s), errName})
	}
	neg("message changed", "invalid signature", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) { return r, i, append(m, '!'), s })
	neg("issue changed", "invalid signature", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) { return r, append(i, '!'), m, s })
	neg("c_1 incremented", "invalid signature", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) { s[32]++; return r, i, m, s })
	neg("z_5 incremented", "invalid signature", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) { s[32+9*32]++; return r, i, m, s })
	neg("A1 replaced by the generator", "invalid signature", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) {
		g, _ := hex.DecodeString("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")
		copy(s, g)
		return r, i, m, s
	})
	neg("A1 is the identity", "malformed", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) { clear(s[:32]); return r, i, m, s })
	neg("c_1 not canonical (c_1 + q)", "malformed", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) {
		copy(s[32:64], orderLE)
		return r, i, m, s
	})
	neg("a (0, 0) pair appended", "ring mismatch", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) {
		n := (len(s) - 32) / 64
		out := append(append([]byte(nil), s[:32+32*n]...), make([]byte, 32)...)
		out = append(append(out, s[32+32*n:]...), make([]byte, 32)...)
		return r, i, m, out
	})
	neg("last pair dropped", "ring mismatch", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) {
		n := (len(s) - 32) / 64
		out := append(append([]byte(nil), s[:32+32*(n-1)]...), s[32+32*n:32+32*(2*n-1)]...)
		return r, i, m, out
	})
	neg("trailing byte", "malformed", func(r, i, m, s []byte) ([]byte, []byte, []byte, []byte) { return r, i, m, append(s, 0) })
	return vf
}

func TestVectors(t *testing.T) {
	path := filepath.Join("testdata", "vectors.json")
	if *update {
		out, err := json.MarshalIndent(generateVectors(t), "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	if len(vf.Valid) == 0 || len(vf.Invalid) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vf.Valid {
		t.Run(v.Comment, func(t *testing.T) {
			ring, err := ParseRing(unhex(t, v.Ring))
			if err != nil {
				t.Fatal(err)
			}
			tag := NewTag(unhex(t, v.Issue), ring)
			msg := unhex(t, v.Message)
			priv, err := ParsePrivateKey(unhex(t, v.PrivateKey))
			if err != nil {
				t.Fatal(err)
			}
			if slot, ok := ring.IndexOf(priv.Public()); !ok || slot != v.SignerSlot {
				t.Fatalf("signer slot %d, want %d", slot, v.SignerSlot)
			}
			check := func(name, got, want string) {
				if got != want {
					t.Errorf("%s:\n got %s\nwant %s", name, got, want)
				}
			}
			check("tag digest", hex.EncodeToString(tag.digest[:]), v.TagDigest)
			check("h", hex.EncodeToString(tag.h.Bytes()), v.H)
			check("A0", hex.EncodeToString(tag.a0(msg).Bytes()), v.A0)
			var rnd [transcript.RandomSize]byte
			copy(rnd[:], unhex(t, v.Random))
			sig, err := sign(priv, tag, msg, &rnd)
			if err != nil {
				t.Fatal(err)
			}
			check("signature", hex.EncodeToString(sig.Bytes()), v.Signature)
			parsed, err := ParseSignature(unhex(t, v.Signature))
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(tag, msg, parsed); err != nil {
				t.Fatal(err)
			}
		})
	}
	for _, v := range vf.Invalid {
		t.Run("invalid/"+v.Comment, func(t *testing.T) {
			want := sentinels[v.Error]
			if want == nil {
				t.Fatalf("unknown error %q", v.Error)
			}
			ring, err := ParseRing(unhex(t, v.Ring))
			if err != nil {
				t.Fatal(err)
			}
			sig, err := ParseSignature(unhex(t, v.Signature))
			if err == nil {
				err = Verify(NewTag(unhex(t, v.Issue), ring), unhex(t, v.Message), sig)
			}
			if !errors.Is(err, want) {
				t.Fatalf("got %v, want %v", err, want)
			}
		})
	}
}

// TestAccumulated signs many deterministic (ring, message, randomness)
// cases of every size up to 12 and hashes the keys, tags and signatures
// into one digest, frozen in testdata/accumulated.txt.
func TestAccumulated(t *testing.T) {
	const rounds = 300
	rng := rand.New(rand.NewSource(1121))
	h := sha256.New()
	for i := range rounds {
		n := 1 + i%12
		privs, ring := testRing(t, rng, n)
		tag := NewTag(randomBytes(rng, rng.Intn(16)), ring)
		msg := randomBytes(rng, rng.Intn(48))
		var rnd [transcript.RandomSize]byte
		rng.Read(rnd[:])
		sig, err := sign(privs[rng.Intn(n)], tag, msg, &rnd)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(tag, msg, sig); err != nil {
			t.Fatal(err)
		}
		h.Write(ring.Bytes())
		h.Write(tag.digest[:])
		h.Write(sig.Bytes())
	}
	got := fmt.Sprintf("%x\n", h.Sum(nil))
	path := filepath.Join("testdata", "accumulated.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("accumulated digest %s, want %s", got, want)
	}
}
