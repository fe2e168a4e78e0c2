package tickets

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

var (
	ctx   = context.Background()
	eur   = money.MustCurrency("EUR")
	t0    = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	pass  = Class{Label: "day pass", Price: money.MustNew(500, eur)}
	cheap = Class{Label: "day pass", Price: money.MustNew(200, eur)}
)

var testPolicy = Policy{RingSize: 4, MinRingSize: 2, Validity: 24 * time.Hour}

func mustECDSA(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustTRS(t testing.TB) *trs.PrivateKey {
	t.Helper()
	k, err := trs.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// shop is an issuer on a memory ledger with one full sale of pass and the
// buyers' one-time keys, keys[i] bought by "buyer i".
type shop struct {
	key    *ecdsa.PrivateKey
	l      *ledger.Memory
	issuer *Issuer
	sale   *Sale
	keys   []*trs.PrivateKey
}

func newShop(t testing.TB) *shop {
	t.Helper()
	s := &shop{key: mustECDSA(t), l: ledger.NewMemory()}
	var err error
	if s.issuer, err = OpenIssuer(ctx, s.key, s.l, testPolicy); err != nil {
		t.Fatal(err)
	}
	for i := range testPolicy.RingSize {
		k := mustTRS(t)
		sale, err := s.issuer.Purchase(ctx, pass, k.Public(), fmt.Appendf(nil, "buyer %d", i), t0)
		if err != nil {
			t.Fatal(err)
		}
		if (sale != nil) != (i == testPolicy.RingSize-1) {
			t.Fatalf("purchase %d: sale %v", i, sale)
		}
		s.sale = sale
		s.keys = append(s.keys, k)
	}
	return s
}

// redeemer returns a redeemer over store that trusts the shop and has its
// sale.
func (s *shop) redeemer(t testing.TB, store trs.Store) *Redeemer {
	t.Helper()
	r, err := NewRedeemer(store, s.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddSale(s.sale.Bytes()); err != nil {
		t.Fatal(err)
	}
	return r
}

func (s *shop) ticket(t testing.TB, i int, msg string) *Ticket {
	t.Helper()
	tk, err := NewTicket(s.keys[i], s.sale, []byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	return tk
}
