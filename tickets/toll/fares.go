package toll

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Fare is the toll for a trip from plaza Entry to plaza Exit of one
// operator.
type Fare struct {
	Entry, Exit PlazaID
	Amount      money.Amount
}

// maxFares bounds the routes of a fare table.
const maxFares = 1 << 16

// fareTable is an operator's signed tariff from its issue time on: one
// fare per route and the longest trip allowed (docs/spec/toll.md). A trip
// is charged the table in force when it entered.
type fareTable struct {
	operator *ecdsa.PublicKey
	issued   time.Time
	maxTrip  time.Duration // whole seconds, at least one
	fares    []Fare        // strictly increasing by (entry, exit)
	sig      []byte
}

func compareRoutes(a, b Fare) int {
	return cmp.Or(cmp.Compare(a.Entry, b.Entry), cmp.Compare(a.Exit, b.Exit))
}

// checkFares reports whether fares form a valid table in canonical order.
func checkFares(fares []Fare) error {
	if len(fares) == 0 || len(fares) > maxFares {
		return fmt.Errorf("toll: fare table has %d routes, want 1..%d", len(fares), maxFares)
	}
	for i, f := range fares {
		if !f.Amount.Valid() || f.Amount.Sign() <= 0 {
			return fmt.Errorf("toll: fare %d→%d is not a positive amount", f.Entry, f.Exit)
		}
		if f.Amount.Currency() != fares[0].Amount.Currency() {
			return fmt.Errorf("toll: fare %d→%d: %w", f.Entry, f.Exit, money.ErrCurrencyMismatch)
		}
		if i > 0 && compareRoutes(fares[i-1], f) >= 0 {
			return fmt.Errorf("toll: fare table lists route %d→%d twice or out of order", f.Entry, f.Exit)
		}
	}
	return nil
}

func (t *fareTable) fare(entry, exit PlazaID) (money.Amount, bool) {
	i, ok := slices.BinarySearchFunc(t.fares, Fare{Entry: entry, Exit: exit}, compareRoutes)
	if !ok {
		return money.Amount{}, false
	}
	return t.fares[i].Amount, true
}

func (t *fareTable) body() ([]byte, error) {
	if err := checkFares(t.fares); err != nil {
		return nil, err
	}
	if t.maxTrip < time.Second || t.maxTrip%time.Second != 0 {
		return nil, fmt.Errorf("toll: maximum trip %v is not a positive number of seconds", t.maxTrip)
	}
	w := wire.NewWriter(kindFares)
	w.ECDSAKey(t.operator)
	w.Time(t.issued)
	w.U64(uint64(t.maxTrip / time.Second))
	w.Count(len(t.fares))
	for _, f := range t.fares {
		w.U32(uint32(f.Entry))
		w.U32(uint32(f.Exit))
		w.Amount(f.Amount)
	}
	return w.Finish()
}

func (t *fareTable) bytes() []byte {
	b, _ := t.body() // checked when signed or parsed
	return append(b, t.sig...)
}

func (t *fareTable) verify() error {
	return verifyRecord(t.operator, contextFares, "fare table", t.bytes())
}

// maxTripSeconds bounds the encoded maximum trip so that it fits a
// time.Duration.
const maxTripSeconds = 1 << 32

func parseFareTable(b []byte) (*fareTable, error) {
	r, sig := wire.NewSignedReader(b, kindFares, "fare table", ErrMalformed)
	t := &fareTable{operator: r.ECDSAKey("operator"), issued: r.Time("issued"), sig: sig}
	secs := r.U64("maximum trip")
	if r.Err() == nil && (secs < 1 || secs > maxTripSeconds) {
		r.Fail("maximum trip", "out of range")
	}
	t.maxTrip = time.Duration(secs) * time.Second
	n := r.Count("fares", 8+money.EncodedSize)
	if r.Err() == nil {
		t.fares = make([]Fare, n)
		for i := range t.fares {
			t.fares[i] = Fare{Entry: PlazaID(r.U32("entry")), Exit: PlazaID(r.U32("exit")), Amount: r.Amount("amount")}
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	if _, err := t.body(); err != nil {
		return nil, fmt.Errorf("%w: fare table: %w", ErrMalformed, err)
	}
	return t, nil
}
