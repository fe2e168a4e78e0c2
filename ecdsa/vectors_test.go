package ecdsa

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
)

// wycheproofDir holds Project Wycheproof's vectors (C2SP/wycheproof, commit
// dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166, Apache License 2.0). They live in
// the project's shared folder, next to the repository, and are read from there
// rather than copied into it.
const wycheproofDir = "../../shared/testdata/wycheproof"

type wycheproofFile struct {
	Algorithm     string `json:"algorithm"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []struct {
		Type      string `json:"type"`
		Sha       string `json:"sha"`
		PublicKey struct {
			Curve        string `json:"curve"`
			Uncompressed string `json:"uncompressed"`
		} `json:"publicKey"`
		Tests []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Msg     string   `json:"msg"`
			Sig     string   `json:"sig"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproof runs the P-256/SHA-256 vectors with raw r || s signatures.
// They sign plain SHA-256(msg), not this package's domain-separated digest,
// so they go through verifyDigest, which is everything Verify does after
// hashing. The policy:
//
//   - "valid" with s ≤ n/2: must verify;
//   - "valid" with s > n/2: must be refused, with the high-S reason only,
//     and must verify once low-S is turned off;
//   - "invalid": must be refused, with low-S on and off;
//   - "acceptable" (none in this file at the pinned commit): Wycheproof
//     allows either answer; the outcome is logged, not asserted.
func TestWycheproof(t *testing.T) {
	path := filepath.Join(wycheproofDir, "ecdsa_secp256r1_sha256_p1363_test.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("wycheproof vectors not found at %s; they live in the project's shared/ folder", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var file wycheproofFile
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}

	var accepted, rejected, highS, acceptable int
	for _, group := range file.TestGroups {
		if group.Type != "EcdsaP1363Verify" || group.Sha != "SHA-256" || group.PublicKey.Curve != "secp256r1" {
			t.Fatalf("unexpected group %s/%s/%s", group.Type, group.Sha, group.PublicKey.Curve)
		}
		pub := publicKeyFromUncompressed(t, decodeHex(t, group.PublicKey.Uncompressed))
		for _, tc := range group.Tests {
			msg, sig := decodeHex(t, tc.Msg), decodeHex(t, tc.Sig)
			d := sha256.Sum256(msg)
			err := verifyDigest(pub.key, d[:], sig, true)
			errNoLowS := verifyDigest(pub.key, d[:], sig, false)
			name := func() string { return fmt.Sprintf("tcId %d (%s)", tc.TcID, tc.Comment) }

			switch tc.Result {
			case "valid":
				if len(sig) != SignatureSize {
					t.Errorf("%s: valid vector with a %d-byte signature", name(), len(sig))
					continue
				}
				if errNoLowS != nil {
					t.Errorf("%s: valid signature refused with low-S off: %v", name(), errNoLowS)
				}
				if new(big.Int).SetBytes(sig[scalarSize:]).Cmp(halfOrder) > 0 {
					highS++
					if !errors.Is(err, errHighS) {
						t.Errorf("%s: valid high-S signature: verifyDigest = %v, want %v", name(), err, errHighS)
					}
					continue
				}
				accepted++
				if err != nil {
					t.Errorf("%s: valid low-S signature refused: %v", name(), err)
				}
			case "invalid":
				rejected++
				if err == nil || errNoLowS == nil {
					t.Errorf("%s: invalid signature accepted (low-S on: %v, off: %v)", name(), err, errNoLowS)
				}
				if err != nil && !errors.Is(err, ErrInvalidSignature) {
					t.Errorf("%s: error %v does not wrap ErrInvalidSignature", name(), err)
				}
			case "acceptable":
				acceptable++
				t.Logf("%s: acceptable vector, verifyDigest = %v", name(), err)
			default:
				t.Errorf("%s: unknown result %q", name(), tc.Result)
			}
		}
	}
	if total := accepted + rejected + highS + acceptable; total != file.NumberOfTests {
		t.Errorf("ran %d vectors, file has %d", total, file.NumberOfTests)
	}
	if highS == 0 {
		t.Error("no valid high-S vector: the low-S policy was not exercised")
	}
	// The counts of the file at the pinned commit; a different file must be
	// looked at before these numbers are updated.
	if accepted != 103 || highS != 70 || rejected != 89 || acceptable != 0 {
		t.Errorf("counts changed: the vector file is not the pinned version")
	}
	t.Logf("%d vectors: %d valid accepted, %d valid refused for high s, %d invalid refused, %d acceptable",
		file.NumberOfTests, accepted, highS, rejected, acceptable)
}
