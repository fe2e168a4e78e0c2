package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

var (
	// ErrCurrencyMismatch is wrapped by errors from arithmetic and
	// comparisons on amounts of different currencies.
	ErrCurrencyMismatch = errors.New("money: currency mismatch")

	// ErrOverflow is wrapped by errors from arithmetic whose exact result
	// does not fit in an int64 count of minor units.
	ErrOverflow = errors.New("money: overflow")
)

// Currency is a three-letter upper-case currency code such as "EUR" or
// "KRW". The zero value is not a valid currency.
type Currency [3]byte

// ParseCurrency returns the currency with code s, which must be exactly three
// ASCII upper-case letters. It does not check the code against the ISO 4217
// list: any such code is accepted, so test currencies ("XTS") work.
func ParseCurrency(s string) (Currency, error) {
	var c Currency
	if len(s) != len(c) {
		return Currency{}, fmt.Errorf("money: invalid currency code %q: want three letters A-Z", s)
	}
	copy(c[:], s)
	if !c.Valid() {
		return Currency{}, fmt.Errorf("money: invalid currency code %q: want three letters A-Z", s)
	}
	return c, nil
}

// MustCurrency is like [ParseCurrency] but panics on an invalid code. It is
// meant for constants in programs and tests.
func MustCurrency(s string) Currency {
	c, err := ParseCurrency(s)
	if err != nil {
		panic(err)
	}
	return c
}

// Valid reports whether c is three ASCII upper-case letters.
func (c Currency) Valid() bool {
	for _, b := range c {
		if b < 'A' || b > 'Z' {
			return false
		}
	}
	return true
}

// String returns the currency code.
func (c Currency) String() string { return string(c[:]) }

// exponent returns the number of decimal places of the currency's minor
// unit: 0 for currencies without a minor unit in use (KRW, JPY, …), 3 for a
// few (BHD, KWD, …) and 2 for every other code. It only affects
// [Amount.String].
func (c Currency) exponent() int {
	switch c.String() {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
		"UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// Amount is an exact amount of money: Units minor units of Currency.
//
// The zero Amount has no currency and is invalid in every operation; build
// amounts with [New] or [Zero].
type Amount struct {
	units    int64
	currency Currency
}

// New returns units minor units of currency c, or an error if c is not a
// valid currency code.
func New(units int64, c Currency) (Amount, error) {
	if !c.Valid() {
		return Amount{}, fmt.Errorf("money: invalid currency code %q", c[:])
	}
	return Amount{units: units, currency: c}, nil
}

// MustNew is like [New] but panics on an invalid currency. It is meant for
// constants in programs and tests.
func MustNew(units int64, c Currency) Amount {
	a, err := New(units, c)
	if err != nil {
		panic(err)
	}
	return a
}

// Zero returns the zero amount of currency c. c must be valid.
func Zero(c Currency) Amount { return MustNew(0, c) }

// Units returns the number of minor units.
func (a Amount) Units() int64 { return a.units }

// Currency returns the currency.
func (a Amount) Currency() Currency { return a.currency }

// Valid reports whether a has a valid currency.
func (a Amount) Valid() bool { return a.currency.Valid() }

// Sign returns -1, 0 or +1 as a is negative, zero or positive.
func (a Amount) Sign() int {
	switch {
	case a.units < 0:
		return -1
	case a.units > 0:
		return 1
	}
	return 0
}

func (a Amount) sameCurrency(b Amount) error {
	if !a.Valid() || !b.Valid() {
		return errors.New("money: amount without a valid currency")
	}
	if a.currency != b.currency {
		return fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, a.currency, b.currency)
	}
	return nil
}

// Add returns a + b. It fails if the currencies differ or the sum overflows.
func (a Amount) Add(b Amount) (Amount, error) {
	if err := a.sameCurrency(b); err != nil {
		return Amount{}, err
	}
	s := a.units + b.units
	// Overflow happened iff both operands have the sign the sum lacks.
	if (a.units >= 0) == (b.units >= 0) && (s >= 0) != (a.units >= 0) {
		return Amount{}, fmt.Errorf("%w: %s + %s", ErrOverflow, a, b)
	}
	return Amount{units: s, currency: a.currency}, nil
}

// Sub returns a − b. It fails if the currencies differ or the difference
// overflows.
func (a Amount) Sub(b Amount) (Amount, error) {
	if err := a.sameCurrency(b); err != nil {
		return Amount{}, err
	}
	d := a.units - b.units
	if (a.units >= 0) != (b.units >= 0) && (d >= 0) != (a.units >= 0) {
		return Amount{}, fmt.Errorf("%w: %s - %s", ErrOverflow, a, b)
	}
	return Amount{units: d, currency: a.currency}, nil
}

// Mul returns n·a. It fails if the product overflows.
func (a Amount) Mul(n int64) (Amount, error) {
	if !a.Valid() {
		return Amount{}, errors.New("money: amount without a valid currency")
	}
	if a.units == 0 || n == 0 {
		return Amount{units: 0, currency: a.currency}, nil
	}
	p := a.units * n
	// −1 · MinInt64 is the one product whose division check passes wrongly.
	if p/n != a.units || (a.units == -1 && n == math.MinInt64) || (n == -1 && a.units == math.MinInt64) {
		return Amount{}, fmt.Errorf("%w: %s × %d", ErrOverflow, a, n)
	}
	return Amount{units: p, currency: a.currency}, nil
}

// Cmp compares a and b and returns -1, 0 or +1 as a is less than, equal to
// or greater than b. It fails if the currencies differ.
func (a Amount) Cmp(b Amount) (int, error) {
	if err := a.sameCurrency(b); err != nil {
		return 0, err
	}
	switch {
	case a.units < b.units:
		return -1, nil
	case a.units > b.units:
		return 1, nil
	}
	return 0, nil
}

// String formats a with the currency's decimal places, for example
// "KRW 2500", "EUR -12.05" or "KWD 1.250". It is for display only.
func (a Amount) String() string {
	if !a.Valid() {
		return "<invalid amount>"
	}
	neg := a.units < 0
	// Work on the magnitude as uint64 so MinInt64 formats correctly.
	mag := uint64(a.units)
	if neg {
		mag = -mag
	}
	digits := strconv.FormatUint(mag, 10)
	if e := a.currency.exponent(); e > 0 {
		if len(digits) <= e {
			digits = strings.Repeat("0", e-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-e] + "." + digits[len(digits)-e:]
	}
	if neg {
		digits = "-" + digits
	}
	return a.currency.String() + " " + digits
}
