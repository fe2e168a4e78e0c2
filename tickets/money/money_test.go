package money

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

var (
	eur = MustCurrency("EUR")
	krw = MustCurrency("KRW")
)

func TestParseCurrency(t *testing.T) {
	for _, s := range []string{"EUR", "KRW", "XTS"} {
		if c, err := ParseCurrency(s); err != nil || c.String() != s {
			t.Errorf("ParseCurrency(%q) = %v, %v", s, c, err)
		}
	}
	for _, s := range []string{"", "EU", "EURO", "eur", "E1R", "€UR", "EU\x00"} {
		if _, err := ParseCurrency(s); err == nil {
			t.Errorf("ParseCurrency(%q) accepted", s)
		}
	}
	if _, err := New(1, Currency{}); err == nil {
		t.Error("New accepted the zero currency")
	}
}

func TestArithmeticEdges(t *testing.T) {
	max, min := MustNew(math.MaxInt64, eur), MustNew(math.MinInt64, eur)
	one, minusOne := MustNew(1, eur), MustNew(-1, eur)
	for _, tc := range []struct {
		name string
		f    func() (Amount, error)
	}{
		{"max+1", func() (Amount, error) { return max.Add(one) }},
		{"min-1", func() (Amount, error) { return min.Sub(one) }},
		{"min+(-1)", func() (Amount, error) { return min.Add(minusOne) }},
		{"0-min", func() (Amount, error) { return Zero(eur).Sub(min) }},
		{"max-(-1)", func() (Amount, error) { return max.Sub(minusOne) }},
		{"min×-1", func() (Amount, error) { return min.Mul(-1) }},
		{"-1×min", func() (Amount, error) { return minusOne.Mul(math.MinInt64) }},
		{"max×2", func() (Amount, error) { return max.Mul(2) }},
		{"2^32×2^32", func() (Amount, error) { return MustNew(1<<32, eur).Mul(1 << 32) }},
	} {
		if a, err := tc.f(); !errors.Is(err, ErrOverflow) {
			t.Errorf("%s = %v, %v; want ErrOverflow", tc.name, a, err)
		}
	}
	if a, err := max.Add(minusOne); err != nil || a.Units() != math.MaxInt64-1 {
		t.Errorf("max-1 = %v, %v", a, err)
	}
	if a, err := min.Mul(1); err != nil || a != min {
		t.Errorf("min×1 = %v, %v", a, err)
	}
	if a, err := max.Mul(-1); err != nil || a.Units() != -math.MaxInt64 {
		t.Errorf("max×-1 = %v, %v", a, err)
	}
}

func TestCurrencyMismatch(t *testing.T) {
	a, b := MustNew(1, eur), MustNew(1, krw)
	if _, err := a.Add(b); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Add: %v", err)
	}
	if _, err := a.Sub(b); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Sub: %v", err)
	}
	if _, err := a.Cmp(b); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Cmp: %v", err)
	}
	if _, err := a.Add(Amount{}); err == nil {
		t.Error("Add accepted the zero Amount")
	}
	if _, err := (Amount{}).Mul(2); err == nil {
		t.Error("Mul accepted the zero Amount")
	}
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		a    Amount
		want string
	}{
		{MustNew(2500, krw), "KRW 2500"},
		{MustNew(1205, eur), "EUR 12.05"},
		{MustNew(-5, eur), "EUR -0.05"},
		{MustNew(0, eur), "EUR 0.00"},
		{MustNew(1250, MustCurrency("KWD")), "KWD 1.250"},
		{MustNew(math.MinInt64, eur), "EUR -92233720368547758.08"},
		{Amount{}, "<invalid amount>"},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// TestArithmeticProperties checks Add, Sub, Mul and Cmp against math/big:
// each either returns the exact result or reports overflow exactly when the
// exact result leaves the int64 range.
func TestArithmeticProperties(t *testing.T) {
	params := gopter.DefaultTestParametersWithSeed(1)
	if testing.Short() {
		params.MinSuccessfulTests = 200
	} else {
		params.MinSuccessfulTests = 5000
	}
	units := gen.OneGenOf(gen.Int64(), gen.Int64Range(-3, 3),
		gen.OneConstOf(int64(math.MaxInt64), int64(math.MinInt64), int64(math.MaxInt64-1), int64(math.MinInt64+1)))
	minInt, maxInt := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	fits := func(x *big.Int) bool { return x.Cmp(minInt) >= 0 && x.Cmp(maxInt) <= 0 }
	check := func(got Amount, err error, exact *big.Int) bool {
		if !fits(exact) {
			return errors.Is(err, ErrOverflow)
		}
		return err == nil && got.Units() == exact.Int64() && got.Currency() == eur
	}
	props := gopter.NewProperties(params)
	props.Property("add, sub, mul, cmp are exact or overflow", prop.ForAll(
		func(x, y int64) bool {
			a, b := MustNew(x, eur), MustNew(y, eur)
			bx, by := big.NewInt(x), big.NewInt(y)
			s, errS := a.Add(b)
			d, errD := a.Sub(b)
			p, errP := a.Mul(y)
			c, errC := a.Cmp(b)
			return check(s, errS, new(big.Int).Add(bx, by)) &&
				check(d, errD, new(big.Int).Sub(bx, by)) &&
				check(p, errP, new(big.Int).Mul(bx, by)) &&
				errC == nil && c == bx.Cmp(by)
		}, units, units))
	props.TestingRun(t)
}

func TestEncodingRoundTrip(t *testing.T) {
	for _, a := range []Amount{MustNew(0, eur), MustNew(2500, krw), MustNew(-1, eur), MustNew(math.MinInt64, krw)} {
		b := a.Bytes()
		if len(b) != EncodedSize {
			t.Fatalf("len = %d", len(b))
		}
		got, err := Parse(b)
		if err != nil || got != a {
			t.Errorf("Parse(Bytes(%v)) = %v, %v", a, got, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	good := MustNew(2500, krw).Bytes()
	cases := map[string][]byte{
		"empty":       nil,
		"short":       good[:EncodedSize-1],
		"trailing":    append(append([]byte{}, good...), 0),
		"version 0":   append([]byte{0}, good[1:]...),
		"version 2":   append([]byte{2}, good[1:]...),
		"lower-case":  append([]byte{1, 'k', 'r', 'w'}, good[4:]...),
		"nul in code": append([]byte{1, 'K', 0, 'W'}, good[4:]...),
	}
	for name, b := range cases {
		if a, err := Parse(b); err == nil {
			t.Errorf("%s: Parse accepted %x as %v", name, b, a)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(MustNew(2500, krw).Bytes())
	f.Add(MustNew(-1, eur).Bytes())
	f.Add([]byte{1, 'A', 'B'})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Parse(b)
		if err != nil {
			if a != (Amount{}) {
				t.Fatalf("Parse returned %v with error %v", a, err)
			}
			return
		}
		if got := a.Bytes(); string(got) != string(b) {
			t.Fatalf("Parse(%x).Bytes() = %x", b, got)
		}
	})
}
