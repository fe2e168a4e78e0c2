package credits_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/credits"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Example: four devices buy a credit each; a vending machine and a parking
// meter, each with its own redeemer over one spent store, take them; the
// device that spends its credit at both is named by the issuer.
func Example() {
	ctx := context.Background()
	now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	credit := tickets.Class{Label: "device credit", Price: money.MustNew(200, money.MustCurrency("EUR"))}

	// The issuer sells credits in rings of four.
	issuerKey, _ := ecdsa.GenerateKey()
	issuer, _ := tickets.OpenIssuer(ctx, issuerKey, ledger.NewMemory(), tickets.Policy{RingSize: 4, Validity: 30 * 24 * time.Hour})
	var keys []*trs.PrivateKey
	var sale *tickets.Sale
	for _, device := range []string{"car-17", "scooter-4", "van-3", "car-42"} {
		k, _ := trs.GenerateKey()
		keys = append(keys, k)
		sale, _ = issuer.Purchase(ctx, credit, k.Public(), []byte(device), now)
	}

	// Two machines, one spent store, the sale's bytes.
	spent := trs.NewMemoryStore()
	vending, _ := credits.NewMachine("vending-1", credit, spent, issuerKey.Public())
	parking, _ := credits.NewMachine("parking-2", credit, spent, issuerKey.Public())
	vending.AddSale(sale.Bytes())
	parking.AddSale(sale.Bytes())

	spend := func(m *credits.Machine, device int, machine string) error {
		tk, _ := credits.NewSpend(keys[device], sale, machine, now)
		_, err := m.Redeem(ctx, tk.Bytes(), now)
		return err
	}
	fmt.Println("vending:", spend(vending, 0, "vending-1"))
	fmt.Println("parking:", spend(parking, 1, "parking-2"))
	err := spend(parking, 0, "parking-2")
	var reuse *tickets.ReuseError
	if errors.As(err, &reuse) {
		buyer, _ := issuer.Buyer(reuse.Key)
		fmt.Println("parking again:", reuse.Kind, "bought by", string(buyer))
	}
	// Output:
	// vending: <nil>
	// parking: <nil>
	// parking again: revealed bought by car-17
}
