package ecdsa

import (
	"bytes"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"testing/cryptotest"
)

const (
	entryContext   = "ringtrace/toll/entry-proof/v1"
	saleContext    = "ringtrace/toll/sale-record/v1"
	receiptContext = "ringtrace/billing/receipt/v1"
)

func TestSignVerify(t *testing.T) {
	priv := newKey(t)
	pub := priv.Public()
	for _, tc := range []struct {
		context string
		msg     []byte
	}{
		{entryContext, []byte("plaza=7;time=1763740800")},
		{saleContext, nil},
		{receiptContext, []byte{}},
		{"x", []byte{0}},
		{strings.Repeat("c", 1000), bytes.Repeat([]byte{0xa5}, 1<<16)},
	} {
		sig, err := Sign(priv, tc.context, tc.msg)
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != SignatureSize {
			t.Fatalf("signature is %d bytes, want %d", len(sig), SignatureSize)
		}
		if err := Verify(pub, tc.context, tc.msg, sig); err != nil {
			t.Errorf("Verify(%.20q, %d-byte msg): %v", tc.context, len(tc.msg), err)
		}
	}
}

func TestContextSeparation(t *testing.T) {
	priv := newKey(t)
	pub := priv.Public()
	msg := []byte("sale=2026-11-21/7;price=250EUR")
	contexts := []string{entryContext, saleContext, receiptContext,
		"ringtrace/toll/entry-proof/v2", "ringtrace/toll/entry-proof/v1 ", "Ringtrace/toll/entry-proof/v1"}
	for _, signed := range contexts {
		sig := mustSign(t, priv, signed, msg)
		for _, other := range contexts {
			err := Verify(pub, other, msg, sig)
			switch {
			case other == signed && err != nil:
				t.Errorf("signed under %q, refused under the same context: %v", signed, err)
			case other != signed && !errors.Is(err, errMismatch):
				t.Errorf("signed under %q, Verify under %q = %v, want %v", signed, other, err, errMismatch)
			}
		}
	}

	// Moving bytes between context and message changes what is signed.
	sig := mustSign(t, priv, "ringtrace/a", []byte("bc"))
	if err := Verify(pub, "ringtrace/ab", []byte("c"), sig); !errors.Is(err, errMismatch) {
		t.Errorf("context/message split is not bound: %v", err)
	}
}

func TestEmptyContext(t *testing.T) {
	priv := newKey(t)
	if sig, err := Sign(priv, "", []byte("m")); !errors.Is(err, errEmptyContext) || sig != nil {
		t.Errorf("Sign with empty context = %x, %v", sig, err)
	}
	sig := mustSign(t, priv, "x", []byte("m"))
	if err := Verify(priv.Public(), "", []byte("m"), sig); !errors.Is(err, errEmptyContext) {
		t.Errorf("Verify with empty context = %v", err)
	}
}

func TestNilKeys(t *testing.T) {
	if _, err := Sign(nil, entryContext, nil); err == nil {
		t.Error("Sign accepted a nil key")
	}
	if _, err := Sign(&PrivateKey{}, entryContext, nil); err == nil {
		t.Error("Sign accepted a zero-value key")
	}
	sig := mustSign(t, newKey(t), entryContext, nil)
	if err := Verify(nil, entryContext, nil, sig); err == nil {
		t.Error("Verify accepted a nil key")
	}
	if err := Verify(&PublicKey{}, entryContext, nil, sig); err == nil {
		t.Error("Verify accepted a zero-value key")
	}
}

func TestTampering(t *testing.T) {
	priv := newKey(t)
	pub := priv.Public()
	msg := []byte("plaza=7;time=1763740800;commitment=9f8e")
	sig := mustSign(t, priv, entryContext, msg)

	for i := range msg {
		m := bytes.Clone(msg)
		m[i] ^= 0x01
		if err := Verify(pub, entryContext, m, sig); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("message byte %d changed: Verify = %v", i, err)
		}
	}
	for _, m := range [][]byte{msg[:len(msg)-1], msg[1:], append(bytes.Clone(msg), 0), nil} {
		if err := Verify(pub, entryContext, m, sig); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("message %q: Verify = %v", m, err)
		}
	}
	for i := range sig {
		s := bytes.Clone(sig)
		s[i] ^= 0x80
		if err := Verify(pub, entryContext, msg, s); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("signature byte %d changed: Verify = %v", i, err)
		}
	}
	if err := Verify(newKey(t).Public(), entryContext, msg, sig); !errors.Is(err, errMismatch) {
		t.Errorf("another key: Verify = %v", err)
	}
}

// TestSignLowS checks that every signature Sign returns has s ≤ n/2. A raw
// ECDSA s is high half the time, so passing by luck has probability 2^-rounds.
// It also checks the high-S twin of each signature: it satisfies the ECDSA
// equation, yet Verify refuses it.
func TestSignLowS(t *testing.T) {
	rounds := 200
	if testing.Short() {
		rounds = 50
	}
	priv := newKey(t)
	pub := priv.Public()
	for i := range rounds {
		msg := []byte{byte(i), byte(i >> 8)}
		sig := mustSign(t, priv, entryContext, msg)
		s := new(big.Int).SetBytes(sig[scalarSize:])
		if s.Cmp(halfOrder) > 0 {
			t.Fatalf("Sign returned high s = %x", sig[scalarSize:])
		}

		twin := highSTwin(sig)
		if err := Verify(pub, entryContext, msg, twin); !errors.Is(err, errHighS) {
			t.Fatalf("high-S twin: Verify = %v, want %v", err, errHighS)
		}
		d := digest(entryContext, msg)
		if err := verifyDigest(pub.key, d[:], twin, false); err != nil {
			t.Fatalf("high-S twin does not satisfy the ECDSA equation: %v", err)
		}
	}
}

// TestNonceSafety checks that a repeated random source does not repeat
// nonces. crypto/ecdsa (Go 1.26) signs with hedged nonces: HMAC-DRBG
// (SHA-512) seeded with 32 random bytes and personalised with the private key
// and the digest, so the nonce still depends on the message when the random
// bytes repeat. Each case signs the same message twice and checks that the
// signatures are identical, which shows the source really repeated.
func TestNonceSafety(t *testing.T) {
	priv := testKey(t)

	t.Run("SetGlobalRandom", func(t *testing.T) {
		// Restarting the global random stream before each signature gives
		// both signatures the same random bytes.
		sign := func(msg string) []byte {
			cryptotest.SetGlobalRandom(t, 0)
			return mustSign(t, priv, entryContext, []byte(msg))
		}
		checkNonces(t, sign)
	})

	t.Run("zero reader", func(t *testing.T) {
		// The Go 1.26 equivalent of crypto/ecdsa's own TestNonceSafety:
		// with GODEBUG=cryptocustomrand=1 the reader passed to crypto/ecdsa
		// (crypto/rand.Reader) is used, and here it returns only zeros.
		t.Setenv("GODEBUG", "cryptocustomrand=1")
		saved := rand.Reader
		rand.Reader = zeroReader{}
		defer func() { rand.Reader = saved }()
		sign := func(msg string) []byte {
			return mustSign(t, priv, entryContext, []byte(msg))
		}
		checkNonces(t, sign)
	})
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

func checkNonces(t *testing.T, sign func(msg string) []byte) {
	t.Helper()
	a1, a2, b := sign("testing"), sign("testing"), sign("testing...")
	if !bytes.Equal(a1, a2) {
		t.Fatal("signing one message twice gave different signatures: the random source did not repeat, so this test checks nothing")
	}
	if bytes.Equal(a1[:scalarSize], b[:scalarSize]) {
		t.Error("two different messages signed with the same nonce (equal r)")
	}
	if err := Verify(testKey(t).Public(), entryContext, []byte("testing..."), b); err != nil {
		t.Error(err)
	}
}

// TestConcurrentUse shares one key pair between goroutines; run it with -race.
func TestConcurrentUse(t *testing.T) {
	priv := newKey(t)
	pub := priv.Public()
	shared := mustSign(t, priv, receiptContext, []byte("shared"))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				msg := []byte{byte(g), byte(i)}
				sig, err := Sign(priv, receiptContext, msg)
				if err != nil {
					t.Error(err)
					return
				}
				if err := Verify(pub, receiptContext, msg, sig); err != nil {
					t.Error(err)
				}
				if err := Verify(pub, receiptContext, []byte("shared"), shared); err != nil {
					t.Error(err)
				}
				_ = priv.Bytes()
				_ = pub.Bytes()
			}
		})
	}
	wg.Wait()
}
