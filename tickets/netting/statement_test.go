package netting

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var (
	periodStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	periodEnd   = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
)

func testKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signRaw signs any settlement, valid or not, as a statement would be.
func signRaw(t testing.TB, key *ecdsa.PrivateKey, start, end time.Time, s *Settlement) []byte {
	t.Helper()
	st := &Statement{netter: key.Public(), start: start, end: end, settlement: s}
	body, err := st.encodeBody()
	if err != nil {
		t.Fatal(err)
	}
	b, err := wire.Sign(key, statementContext, body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sampleObligations() []Obligation {
	return []Obligation{ob(0, 1, 10, eur), ob(1, 2, 7, eur), ob(2, 3, 3, eur), ob(3, 0, 1, krw), ob(4, 0, 2, eur)}
}

func TestStatementRoundTrip(t *testing.T) {
	key := testKey(t)
	s := mustNet(t, sampleObligations())
	st, err := NewStatement(key, periodStart.Add(500*time.Millisecond), periodEnd, s)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Start().Equal(periodStart) || st.Start().Location() != time.UTC || !st.End().Equal(periodEnd) {
		t.Fatalf("period %v – %v", st.Start(), st.End())
	}
	got, err := ParseStatement(st.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), st.Bytes()) || !got.Netter().Equal(key.Public()) {
		t.Fatal("round trip changed the statement")
	}
	gs := got.Settlement()
	if gs.ObligationsDigest() != s.ObligationsDigest() || gs.Obligations() != s.Obligations() ||
		!slices.Equal(gs.Nets(), s.Nets()) || !slices.Equal(gs.Transfers(), s.Transfers()) {
		t.Fatal("settlement changed")
	}
	if err := got.Verify(key.Public()); err != nil {
		t.Fatal(err)
	}
	if err := gs.Check(sampleObligations()); err != nil {
		t.Fatal(err)
	}
}

func TestStatementVerify(t *testing.T) {
	key, other := testKey(t), testKey(t)
	st, err := NewStatement(key, periodStart, periodEnd, mustNet(t, sampleObligations()))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Verify(other.Public()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("other netter: %v", err)
	}
	if err := st.Verify(nil); !errors.Is(err, ErrBadSignature) {
		t.Errorf("nil netter: %v", err)
	}
	var none *Statement
	if err := none.Verify(key.Public()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("nil statement: %v", err)
	}
	if err := (&Statement{}).Verify(key.Public()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("zero statement: %v", err)
	}
	var nothing *Settlement
	if none.Bytes() != nil || none.Netter() != nil || !none.Start().IsZero() || !none.End().IsZero() || none.Settlement() != nil ||
		nothing.Nets() != nil || nothing.Transfers() != nil || nothing.Obligations() != 0 || nothing.ObligationsDigest() != [DigestSize]byte{} {
		t.Error("an accessor of a nil statement or settlement returned something")
	}
	// The same body under another netter's signature, and the netter
	// swapped in the body.
	b := st.Bytes()
	b[len(b)-1] ^= 1
	if p, err := ParseStatement(b); err != nil || p.Verify(key.Public()) == nil {
		t.Errorf("changed signature verified: %v", err)
	}
	forged := signRaw(t, other, periodStart, periodEnd, st.Settlement())
	copy(forged[wire.HeaderSize:], key.Public().Bytes())
	if p, err := ParseStatement(forged); err != nil || !errors.Is(p.Verify(key.Public()), ErrBadSignature) {
		t.Errorf("statement signed by another key verified: %v", err)
	}
}

func TestNewStatementRejects(t *testing.T) {
	key, s := testKey(t), mustNet(t, nil)
	for name, f := range map[string]func() (*Statement, error){
		"nil key":        func() (*Statement, error) { return NewStatement(nil, periodStart, periodEnd, s) },
		"nil settlement": func() (*Statement, error) { return NewStatement(key, periodStart, periodEnd, nil) },
		"empty period":   func() (*Statement, error) { return NewStatement(key, periodStart, periodStart, s) },
		"reversed":       func() (*Statement, error) { return NewStatement(key, periodEnd, periodStart, s) },
		"before 1970":    func() (*Statement, error) { return NewStatement(key, time.Unix(-5, 0), periodEnd, s) },
	} {
		if st, err := f(); !errors.Is(err, ErrInvalid) || st != nil {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

// TestParseStatementRejectsUnsettled: statements that encode well but whose
// settlement is not what Net could produce.
func TestParseStatementRejectsUnsettled(t *testing.T) {
	key := testKey(t)
	pos := func(p int, units int64) Position { return Position{party(p), money.MustNew(units, eur)} }
	good := func() *Settlement {
		return &Settlement{count: 3,
			nets:      []Position{pos(0, -2), pos(1, 1), pos(2, 1)},
			transfers: []Obligation{ob(0, 1, 1, eur), ob(0, 2, 1, eur)}}
	}
	if _, err := ParseStatement(signRaw(t, key, periodStart, periodEnd, good())); err != nil {
		t.Fatalf("good statement: %v", err)
	}
	cases := map[string]func(s *Settlement){
		"nets out of order": func(s *Settlement) { s.nets[1], s.nets[2] = s.nets[2], s.nets[1] },
		"zero net":          func(s *Settlement) { s.nets = append(s.nets, pos(3, 0)) },
		"empty party":       func(s *Settlement) { s.nets[0].Party = "" },
		"nets do not sum":   func(s *Settlement) { s.nets[2] = pos(2, 2); s.transfers[1] = ob(0, 2, 1, eur) },
		"transfers out of order": func(s *Settlement) {
			s.transfers[0], s.transfers[1] = s.transfers[1], s.transfers[0]
		},
		"duplicate transfer": func(s *Settlement) {
			s.nets = []Position{pos(0, -2), pos(1, 2)}
			s.transfers = []Obligation{ob(0, 1, 1, eur), ob(0, 1, 1, eur)}
		},
		"unsettled":             func(s *Settlement) { s.transfers = s.transfers[:1] },
		"overpaid":              func(s *Settlement) { s.transfers[0] = ob(0, 1, 2, eur) },
		"from a creditor":       func(s *Settlement) { s.transfers[0] = ob(1, 0, 1, eur) },
		"to a stranger":         func(s *Settlement) { s.transfers[0] = ob(0, 7, 1, eur) },
		"wrong currency":        func(s *Settlement) { s.transfers[0] = ob(0, 1, 1, krw) },
		"self transfer":         func(s *Settlement) { s.transfers[0] = ob(0, 0, 1, eur) },
		"zero transfer":         func(s *Settlement) { s.transfers = append(s.transfers, ob(0, 2, 0, eur)) },
		"more than obligations": func(s *Settlement) { s.count = 1 },
		"no transfers for nets": func(s *Settlement) { s.transfers = nil },
		"positive nets beyond the range of money": func(s *Settlement) {
			// They sum to zero in int64 (MinInt64 + MaxInt64 + 1), but Net
			// refuses positive nets that add up to more than MaxInt64.
			s.nets = []Position{pos(0, math.MinInt64), pos(1, math.MaxInt64), pos(2, 1)}
			s.transfers = []Obligation{ob(0, 1, math.MaxInt64, eur), ob(0, 2, 1, eur)}
		},
		"a cycle of transfers": func(s *Settlement) {
			// Four nets settled by four transfers: more than k−1.
			s.count = 4
			s.nets = []Position{pos(0, -2), pos(1, 2), pos(2, -2), pos(3, 2)}
			s.transfers = []Obligation{ob(0, 1, 1, eur), ob(0, 3, 1, eur), ob(2, 1, 1, eur), ob(2, 3, 1, eur)}
		},
		"a cycle of transfers within the bound": func(s *Settlement) {
			// The same cycle beside a pair settled apart: five transfers
			// for six nets is within k−1, but Net never makes a cycle.
			s.count = 5
			s.nets = []Position{pos(0, -2), pos(1, 2), pos(2, -2), pos(3, 2), pos(4, -1), pos(5, 1)}
			s.transfers = []Obligation{ob(0, 1, 1, eur), ob(0, 3, 1, eur), ob(2, 1, 1, eur), ob(2, 3, 1, eur), ob(4, 5, 1, eur)}
		},
	}
	for name, mutate := range cases {
		s := good()
		mutate(s)
		if _, err := ParseStatement(signRaw(t, key, periodStart, periodEnd, s)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if _, err := ParseStatement(signRaw(t, key, periodEnd, periodStart, good())); !errors.Is(err, ErrMalformed) {
		t.Errorf("reversed period: %v", err)
	}
}

func TestParseStatementBadLengths(t *testing.T) {
	st, err := NewStatement(testKey(t), periodStart, periodEnd, mustNet(t, sampleObligations()))
	if err != nil {
		t.Fatal(err)
	}
	b := st.Bytes()
	for n := range len(b) {
		if _, err := ParseStatement(b[:n]); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%d of %d bytes: %v", n, len(b), err)
		}
	}
	// A byte inserted anywhere before the signature, or at its end.
	for i := range len(b) - wire.SignatureSize + 1 {
		longer := slices.Insert(slices.Clone(b), i, 0)
		if _, err := ParseStatement(longer); err == nil {
			t.Fatalf("a byte inserted at %d accepted", i)
		}
	}
	if _, err := ParseStatement(append(slices.Clone(b), 0)); err == nil {
		// The last 64 bytes are taken as the signature, so one more byte
		// turns the body's last byte into trailing data.
		t.Fatal("trailing byte accepted")
	}
}
