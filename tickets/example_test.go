package tickets_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Example sells prepaid credits in a ring of three, spends one at two
// machines that share a spent store, and reveals the device that spent
// its credit twice.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	issuerKey, _ := ecdsa.GenerateKey()
	issuer, _ := tickets.OpenIssuer(ctx, issuerKey, ledger.NewMemory(), tickets.Policy{RingSize: 3, Validity: 30 * 24 * time.Hour})
	credit := tickets.Class{Label: "charging credit", Price: money.MustNew(500, money.MustCurrency("EUR"))}

	// Three devices buy a credit each with a fresh one-time key; the
	// application passes its own record of who bought.
	var keys []*trs.PrivateKey
	var sale *tickets.Sale
	for _, device := range []string{"car-17", "car-42", "van-3"} {
		k, _ := trs.GenerateKey()
		keys = append(keys, k)
		sale, _ = issuer.Purchase(ctx, credit, k.Public(), []byte(device), now)
	}
	fmt.Println("sale of", sale.Ring().Len(), sale.Class().Label)

	// Two machines share one spent store and have the sale's bytes.
	spent := trs.NewMemoryStore()
	machine := func() *tickets.Redeemer {
		r, _ := tickets.NewRedeemer(spent, issuerKey.Public())
		r.AddSale(sale.Bytes())
		return r
	}
	charger, parking := machine(), machine()

	use := func(r *tickets.Redeemer, k *trs.PrivateKey, msg string) error {
		t, _ := tickets.NewTicket(k, sale, []byte(msg))
		received, _ := tickets.ParseTicket(t.Bytes())
		return r.Redeem(ctx, received, now.Add(time.Hour))
	}
	fmt.Println("charger:", use(charger, keys[1], "charger 5, 11 kWh"))
	err := use(parking, keys[1], "parking 2, 3 h")
	var reuse *tickets.ReuseError
	if errors.As(err, &reuse) {
		buyer, _ := issuer.Buyer(reuse.Key)
		fmt.Println("parking:", reuse.Kind, "bought by", string(buyer))
	}
	// Output:
	// sale of 3 charging credit
	// charger: <nil>
	// parking: revealed bought by car-42
}
