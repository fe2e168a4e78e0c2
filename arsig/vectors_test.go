package arsig

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/ringtrace/ringtrace/internal/oneofmany"
	"github.com/ringtrace/ringtrace/internal/transcript"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json and print the accumulated digest")

// vector is one known-answer case; see testdata/README.md for provenance.
type vector struct {
	Name        string   `json:"name"`
	OpenerKey   string   `json:"opener_key"`
	MemberKeys  []string `json:"member_keys"` // private keys, in input order
	Signer      int      `json:"signer"`      // index into member_keys
	Base        int      `json:"base"`
	Message     string   `json:"message"`
	SignRandom  string   `json:"sign_random"`
	OpenRandom  string   `json:"open_random"`
	Ring        string   `json:"ring"`
	Signature   string   `json:"signature"`
	Opening     string   `json:"opening"`
	SignerIndex int      `json:"signer_ring_index"`
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func generateVectors(t *testing.T) []vector {
	rng := rand.New(rand.NewSource(0x41525356)) // "ARSV"
	specs := []struct {
		name       string
		size, base int
		msg        string
	}{
		{"one member", 1, 2, "usage: 1 call"},
		{"two members, empty message", 2, 2, ""},
		{"five members, n=5", 5, 5, "usage: 5 units"},
		{"seventeen members, padded, n=5 m=2", 17, 5, "usage: 17"},
		{"seventeen members, n=2 m=5", 17, 2, "usage: 17, binary"},
		{"seventy members, default base", 70, 0, "usage: storage 70 GiB-days"},
	}
	var out []vector
	for _, sp := range specs {
		v := vector{Name: sp.name, Message: hex.EncodeToString([]byte(sp.msg))}
		opener := testOpener(rng)
		v.OpenerKey = hex.EncodeToString(opener.Bytes())
		pubs := make([]*PublicKey, sp.size)
		privs := make([]*PrivateKey, sp.size)
		for i := range privs {
			privs[i] = testKey(rng)
			pubs[i] = privs[i].Public()
			v.MemberKeys = append(v.MemberKeys, hex.EncodeToString(privs[i].Bytes()))
		}
		v.Signer = rng.Intn(sp.size)
		ring, err := NewRing(pubs)
		if err != nil {
			t.Fatal(err)
		}
		v.Base = sp.base
		if v.Base == 0 {
			v.Base = ring.params.Base
		}
		v.SignRandom = hex.EncodeToString(randomBytes(rng, transcript.RandomSize))
		v.OpenRandom = hex.EncodeToString(randomBytes(rng, transcript.RandomSize))
		v.Ring = hex.EncodeToString(ring.Bytes())
		sig, o := vectorSign(t, &v, privs, ring, opener)
		v.Signature = hex.EncodeToString(sig.Bytes())
		v.Opening = hex.EncodeToString(o.Bytes())
		v.SignerIndex = o.Index()
		out = append(out, v)
	}
	return out
}

func vectorSign(t *testing.T, v *vector, privs []*PrivateKey, ring *Ring, opener *OpenerKey) (*Signature, *Opening) {
	t.Helper()
	var rs, ro [transcript.RandomSize]byte
	copy(rs[:], unhex(t, v.SignRandom))
	copy(ro[:], unhex(t, v.OpenRandom))
	msg := unhex(t, v.Message)
	sig, err := sign(privs[v.Signer], ring, opener.Public(), msg, &rs, oneofmany.Params{Base: v.Base})
	if err != nil {
		t.Fatal(err)
	}
	o, err := opener.open(ring, msg, sig, &ro)
	if err != nil {
		t.Fatal(err)
	}
	return sig, o
}

func TestVectors(t *testing.T) {
	path := filepath.Join("testdata", "vectors.json")
	if *update {
		b, _ := json.MarshalIndent(generateVectors(t), "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			opener, err := ParseOpenerKey(unhex(t, v.OpenerKey))
			if err != nil {
				t.Fatal(err)
			}
			privs := make([]*PrivateKey, len(v.MemberKeys))
			pubs := make([]*PublicKey, len(v.MemberKeys))
			for i, k := range v.MemberKeys {
				if privs[i], err = ParsePrivateKey(unhex(t, k)); err != nil {
					t.Fatal(err)
				}
				pubs[i] = privs[i].Public()
			}
			ring, err := NewRing(pubs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ring.Bytes(), unhex(t, v.Ring)) {
				t.Fatal("ring encoding differs")
			}
			sig, o := vectorSign(t, &v, privs, ring, opener)
			if got := hex.EncodeToString(sig.Bytes()); got != v.Signature {
				t.Fatalf("signature differs:\n got %s\nwant %s", got, v.Signature)
			}
			if got := hex.EncodeToString(o.Bytes()); got != v.Opening || o.Index() != v.SignerIndex {
				t.Fatalf("opening differs:\n got %s (slot %d)\nwant %s (slot %d)", got, o.Index(), v.Opening, v.SignerIndex)
			}
			// The stored bytes verify on their own.
			msg := unhex(t, v.Message)
			parsedSig, err := ParseSignature(unhex(t, v.Signature))
			if err != nil {
				t.Fatal(err)
			}
			parsedOpening, err := ParseOpening(unhex(t, v.Opening))
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyOpening(ring, opener.Public(), msg, parsedSig, parsedOpening); err != nil {
				t.Fatal(err)
			}
			// Negative: the vector with one bit flipped in the last scalar
			// (still canonical) and in the message.
			bad := unhex(t, v.Signature)
			bad[len(bad)-32] ^= 1
			if s, err := ParseSignature(bad); err == nil {
				if err := Verify(ring, opener.Public(), msg, s); !errors.Is(err, ErrInvalidSignature) {
					t.Fatalf("flipped signature: %v", err)
				}
			}
			if err := Verify(ring, opener.Public(), append(msg, 0), parsedSig); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("extended message: %v", err)
			}
		})
	}
}

// accumulatedDigest and accumulatedShortDigest freeze TestAccumulated, of
// 120 rounds and (under -short) of its first 10; see testdata/README.md.
const (
	accumulatedDigest      = "600733ca077caafd103f799a4a583a7b94216418468acdae5bd9d31d11aa67ab"
	accumulatedShortDigest = "a11ba03e34c4a22203fbd1fe07acd4aefbbe784aeab1b8ce32a4f727fb036479"
)

// TestAccumulated signs and opens many random cases with deterministic
// nonces and hashes every signature and opening into one digest, instead
// of storing them all.
func TestAccumulated(t *testing.T) {
	rounds, want := 120, accumulatedDigest
	if testing.Short() {
		rounds, want = 10, accumulatedShortDigest
	}
	rng := rand.New(rand.NewSource(0x61636375)) // "accu"
	h := sha256.New()
	for range rounds {
		n := 1 + rng.Intn(24)
		privs, ring := testRing(t, rng, n)
		opener := testOpener(rng)
		slot := rng.Intn(n)
		msg := randomBytes(rng, rng.Intn(48))
		sig := testSign(t, rng, privs[slot], ring, opener.Public(), msg)
		var rnd [transcript.RandomSize]byte
		rng.Read(rnd[:])
		o, err := opener.open(ring, msg, sig, &rnd)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(sig.Bytes())
		h.Write(o.Bytes())
	}
	got := hex.EncodeToString(h.Sum(nil))
	if *update {
		t.Logf("accumulated digest of %d rounds: %s", rounds, got)
		return
	}
	if got != want {
		t.Fatalf("accumulated digest of %d rounds %s, want %s", rounds, got, want)
	}
}
