package netting

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/money"
)

func TestNetTriangle(t *testing.T) {
	// 0 owes 1 10, 1 owes 2 10, 2 owes 0 4: nets 0:-6, 1:0, 2:+6.
	s := mustNet(t, []Obligation{ob(0, 1, 10, eur), ob(1, 2, 10, eur), ob(2, 0, 4, eur)})
	wantNets := []Position{{party(0), money.MustNew(-6, eur)}, {party(2), money.MustNew(6, eur)}}
	wantTransfers := []Obligation{ob(0, 2, 6, eur)}
	if !slices.Equal(s.Nets(), wantNets) || !slices.Equal(s.Transfers(), wantTransfers) || s.Obligations() != 3 {
		t.Fatalf("nets %v transfers %v", s.Nets(), s.Transfers())
	}
}

func TestNetCurrenciesApart(t *testing.T) {
	// Opposite debts in two currencies never offset each other.
	s := mustNet(t, []Obligation{ob(0, 1, 5, krw), ob(1, 0, 5, eur)})
	want := []Obligation{ob(1, 0, 5, eur), ob(0, 1, 5, krw)}
	if !slices.Equal(s.Transfers(), want) || len(s.Nets()) != 4 {
		t.Fatalf("transfers %v nets %v", s.Transfers(), s.Nets())
	}
}

func TestNetEverythingCancels(t *testing.T) {
	s := mustNet(t, []Obligation{ob(0, 1, 5, eur), ob(1, 0, 5, eur)})
	if len(s.Nets()) != 0 || len(s.Transfers()) != 0 || s.Obligations() != 2 {
		t.Fatalf("nets %v transfers %v", s.Nets(), s.Transfers())
	}
	empty := mustNet(t, nil)
	if empty.Obligations() != 0 || empty.ObligationsDigest() == s.ObligationsDigest() {
		t.Fatal("empty settlement")
	}
}

func TestNetDuplicatesCount(t *testing.T) {
	// Two equal debts are two debts: the digest and the net see both.
	one := mustNet(t, []Obligation{ob(0, 1, 5, eur)})
	two := mustNet(t, []Obligation{ob(0, 1, 5, eur), ob(0, 1, 5, eur)})
	if one.ObligationsDigest() == two.ObligationsDigest() || two.Transfers()[0].Amount.Units() != 10 {
		t.Fatal("duplicate obligation lost")
	}
}

func TestNetInvalid(t *testing.T) {
	long := Party(make([]byte, MaxPartySize+1))
	for name, o := range map[string]Obligation{
		"empty payer":   {Payer: "", Payee: "b", Amount: money.MustNew(1, eur)},
		"long payee":    {Payer: "a", Payee: long, Amount: money.MustNew(1, eur)},
		"self":          {Payer: "a", Payee: "a", Amount: money.MustNew(1, eur)},
		"zero":          {Payer: "a", Payee: "b", Amount: money.MustNew(0, eur)},
		"negative":      {Payer: "a", Payee: "b", Amount: money.MustNew(-1, eur)},
		"no currency":   {Payer: "a", Payee: "b"},
		"zero value":    {},
		"max size fine": {Payer: Party(make([]byte, MaxPartySize)), Payee: "b", Amount: money.MustNew(1, eur)},
	} {
		_, err := Net([]Obligation{o})
		if name == "max size fine" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
}

func TestNetOverflow(t *testing.T) {
	max := int64(math.MaxInt64)
	for name, obs := range map[string][]Obligation{
		// One party owes more than the range in total.
		"owes": {ob(0, 1, max, eur), ob(0, 2, 1, eur)},
		// One party is owed more than the range, though its net would fit
		// after what it owes: the totals are checked, in any order.
		"owed": {ob(1, 0, max, eur), ob(2, 0, 1, eur), ob(0, 3, 1, eur)},
		// Each net fits, their positive total does not.
		"positive total": {ob(0, 1, max, eur), ob(2, 3, max, eur)},
	} {
		_, err := Net(obs)
		if !errors.Is(err, ErrInvalid) || !errors.Is(err, money.ErrOverflow) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	// The largest amounts that fit net exactly.
	s := mustNet(t, []Obligation{ob(0, 1, max, eur), ob(1, 2, max, eur)})
	if tr := s.Transfers(); len(tr) != 1 || tr[0] != ob(0, 2, max, eur) {
		t.Fatalf("transfers %v", tr)
	}
}

// TestNetNeverMoreThanObligations: two separate debt chains whose nets,
// settled greedily as one set, would take five transfers for four
// obligations.
func TestNetNeverMoreThanObligations(t *testing.T) {
	obs := []Obligation{ob(0, 1, 2, eur), ob(0, 2, 1, eur), ob(3, 4, 2, eur), ob(3, 5, 1, eur)}
	if s := mustNet(t, obs); len(s.Transfers()) != 4 {
		t.Fatalf("transfers %v", s.Transfers())
	}
}

// TestHeuristicPairsAcrossComponents: 30 separate debts, each of whose
// creditors' nets is the opposite of a debtor's in another: pairing them
// joins the components into the three groups that sum to zero, each
// settled exactly. 27 pairs + 3 groups of 12 at 11 transfers is the
// minimum.
func TestHeuristicPairsAcrossComponents(t *testing.T) {
	var obs []Obligation
	for i := range 30 {
		p, q, r := 3*i, 3*i+1, 3*i+2
		obs = append(obs, ob(p, r, 1000+int64(i), eur), ob(q, r, 3, eur))
	}
	s := mustNet(t, obs)
	if err := s.validate(); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Transfers()); n != 27+3*11 {
		t.Fatalf("%d transfers, want 60", n)
	}
}

func TestCheck(t *testing.T) {
	obs := []Obligation{ob(0, 1, 10, eur), ob(1, 2, 7, eur), ob(2, 3, 3, eur), ob(3, 0, 1, krw)}
	s := mustNet(t, obs)
	reversed := slices.Clone(obs)
	slices.Reverse(reversed)
	if err := s.Check(reversed); err != nil {
		t.Fatal(err)
	}
	for name, other := range map[string][]Obligation{
		"dropped":  obs[1:],
		"added":    append(slices.Clone(obs), ob(4, 5, 1, eur)),
		"changed":  {ob(0, 1, 10, eur), ob(1, 2, 7, eur), ob(2, 3, 4, eur), ob(3, 0, 1, krw)},
		"redirect": {ob(0, 1, 10, eur), ob(1, 2, 7, eur), ob(2, 4, 3, eur), ob(3, 0, 1, krw)},
	} {
		if err := s.Check(other); !errors.Is(err, ErrMismatch) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if err := s.Check([]Obligation{{}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid obligations: %v", err)
	}
}

func TestCheckParty(t *testing.T) {
	obs := []Obligation{ob(0, 1, 10, eur), ob(1, 2, 7, eur), ob(2, 0, 3, eur), ob(1, 0, 2, krw)}
	s := mustNet(t, obs)
	own := func(p int, obs []Obligation) []Obligation {
		var out []Obligation
		for _, o := range obs {
			if o.Payer == party(p) || o.Payee == party(p) {
				out = append(out, o)
			}
		}
		return out
	}
	for p := range 4 {
		if err := s.CheckParty(party(p), own(p, obs)); err != nil {
			t.Errorf("party %d: %v", p, err)
		}
	}
	// Party 0's view, with one of its debts left out, one changed, one
	// invented, or its krw claim missing.
	for name, view := range map[string][]Obligation{
		"left out": {ob(2, 0, 3, eur), ob(1, 0, 2, krw)},
		"changed":  {ob(0, 1, 11, eur), ob(2, 0, 3, eur), ob(1, 0, 2, krw)},
		"invented": {ob(0, 1, 10, eur), ob(2, 0, 3, eur), ob(1, 0, 2, krw), ob(0, 3, 1, eur)},
		"currency": {ob(0, 1, 10, eur), ob(2, 0, 3, eur)},
	} {
		if err := s.CheckParty(party(0), view); !errors.Is(err, ErrMismatch) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if err := s.CheckParty(party(0), obs); !errors.Is(err, ErrInvalid) {
		t.Errorf("someone else's obligation accepted: %v", err)
	}
	if err := s.CheckParty("", nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty party: %v", err)
	}
	// A party with no obligations and no net checks out.
	if err := s.CheckParty(party(9), nil); err != nil {
		t.Error(err)
	}

	// What CheckParty does not see: party 0's debt to 1 netted as a debt
	// to 3 leaves 0's net as it is, so 0's check passes; 1, which lost a
	// claim, and 3, which gained one, both see it.
	redirected := mustNet(t, []Obligation{ob(0, 3, 10, eur), ob(1, 2, 7, eur), ob(2, 0, 3, eur), ob(1, 0, 2, krw)})
	if err := redirected.CheckParty(party(0), own(0, obs)); err != nil {
		t.Errorf("the payer of a redirected debt: %v", err)
	}
	for _, p := range []int{1, 3} {
		if err := redirected.CheckParty(party(p), own(p, obs)); !errors.Is(err, ErrMismatch) {
			t.Errorf("party %d, a redirected debt: got %v", p, err)
		}
	}
}

func TestNilSettlement(t *testing.T) {
	var s *Settlement
	if err := s.Check(nil); !errors.Is(err, ErrInvalid) {
		t.Error(err)
	}
	if err := s.CheckParty("a", nil); !errors.Is(err, ErrInvalid) {
		t.Error(err)
	}
	if err := (&Statement{}).Verify(nil); !errors.Is(err, ErrBadSignature) {
		t.Error(err)
	}
}
