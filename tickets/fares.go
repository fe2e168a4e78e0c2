package tickets

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Fare is the toll for a trip from Entry to Exit.
type Fare struct {
	Entry, Exit PlazaID
	Amount      money.Amount
}

// MaxFares bounds the number of routes in a fare table.
const MaxFares = 1 << 16

// FareTable is the provider's signed list of fares, one per (entry, exit)
// route. A ticket is a prepaid fixed-price pass: it is good for a trip
// whose fare is at most the ticket's price.
//
// Encoding (signed by the provider under "ringtrace/toll/fares/v1"):
//
//	u8(1) || u8(0x03) || u64(issued) || u32(count)
//	   || count × (u32(entry) || u32(exit) || amount[12]) || sig[64]
//
// Routes are strictly increasing by (entry, exit), so each route appears
// once and the table has one encoding; every fare is positive and all are
// in one currency; 1 ≤ count ≤ MaxFares.
type FareTable struct {
	Issued time.Time
	fares  []Fare
	sig    [ecdsa.SignatureSize]byte
}

func compareRoutes(a, b Fare) int {
	return cmp.Or(cmp.Compare(a.Entry, b.Entry), cmp.Compare(a.Exit, b.Exit))
}

// checkFares reports whether fares form a valid table in sorted order.
func checkFares(fares []Fare) error {
	if len(fares) == 0 || len(fares) > MaxFares {
		return fmt.Errorf("tickets: fare table has %d routes, want 1..%d", len(fares), MaxFares)
	}
	for i, f := range fares {
		if !f.Amount.Valid() || f.Amount.Sign() <= 0 {
			return fmt.Errorf("tickets: fare %d→%d is not a positive amount", f.Entry, f.Exit)
		}
		if f.Amount.Currency() != fares[0].Amount.Currency() {
			return fmt.Errorf("tickets: fare %d→%d: %w", f.Entry, f.Exit, money.ErrCurrencyMismatch)
		}
		if i > 0 && compareRoutes(fares[i-1], f) >= 0 {
			return fmt.Errorf("tickets: fare table lists route %d→%d twice", f.Entry, f.Exit)
		}
	}
	return nil
}

// Fare returns the fare from entry to exit.
func (t *FareTable) Fare(entry, exit PlazaID) (money.Amount, bool) {
	i, ok := slices.BinarySearchFunc(t.fares, Fare{Entry: entry, Exit: exit}, compareRoutes)
	if !ok {
		return money.Amount{}, false
	}
	return t.fares[i].Amount, true
}

// Fares returns a copy of the table's routes in canonical order.
func (t *FareTable) Fares() []Fare { return slices.Clone(t.fares) }

// Currency returns the currency of the fares.
func (t *FareTable) Currency() money.Currency { return t.fares[0].Amount.Currency() }

func (t *FareTable) body() []byte {
	issued, _ := unixTime(t.Issued)
	return buildBytes(func(b *cryptobyte.Builder) {
		addHeader(b, typeFareTable)
		addTime(b, issued)
		b.AddUint32(uint32(len(t.fares)))
		for _, f := range t.fares {
			b.AddUint32(uint32(f.Entry))
			b.AddUint32(uint32(f.Exit))
			f.Amount.AddTo(b)
		}
	})
}

// Bytes returns the canonical encoding.
func (t *FareTable) Bytes() []byte { return append(t.body(), t.sig[:]...) }

// Verify checks the provider's signature.
func (t *FareTable) Verify(provider *ecdsa.PublicKey) error {
	if err := ecdsa.Verify(provider, contextFares, t.body(), t.sig[:]); err != nil {
		return fmt.Errorf("%w: fare table: %v", ErrBadSignature, err)
	}
	return nil
}

// ParseFareTable decodes a fare table encoded by Bytes. It does not check
// the signature.
func ParseFareTable(b []byte) (*FareTable, error) {
	s := cryptobyte.String(b)
	var (
		t      FareTable
		issued uint64
		n      uint32
	)
	if !readHeader(&s, typeFareTable) || !readTime(&s, &issued) || !s.ReadUint32(&n) ||
		n == 0 || n > MaxFares || len(s) < int(n)*(8+money.EncodedSize) {
		return nil, malformed("fare table header")
	}
	t.fares = make([]Fare, n)
	for i := range t.fares {
		f := &t.fares[i]
		var entry, exit uint32
		var ok bool
		if !s.ReadUint32(&entry) || !s.ReadUint32(&exit) {
			return nil, malformed("fare table route")
		}
		if f.Amount, ok = money.ReadAmount(&s); !ok {
			return nil, malformed("fare table amount")
		}
		f.Entry, f.Exit = PlazaID(entry), PlazaID(exit)
	}
	if err := checkFares(t.fares); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if !readSignature(&s, &t.sig) || !s.Empty() {
		return nil, malformed("fare table")
	}
	t.Issued = timeOf(issued)
	return &t, nil
}
