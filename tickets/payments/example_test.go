package payments_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/payments"
)

// Three customers enroll with a processor; one pays a merchant, who learns
// only that a funded customer paid; the payment cannot be accepted twice;
// in a dispute the processor names the payer with a proof that the merchant
// and the customer check.
func Example() {
	ctx := context.Background()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	eur := money.MustCurrency("EUR")

	procKey, _ := ecdsa.GenerateKey()
	opener, _ := arsig.GenerateOpenerKey()
	proc, _ := payments.OpenProcessor(ctx, procKey, opener, ledger.NewMemory())
	var customers []*arsig.PrivateKey
	var funded []*arsig.PublicKey
	for _, account := range []string{"alice", "bob", "carol"} {
		c, _ := arsig.GenerateKey()
		e, _ := payments.NewEnrollment(c, procKey.Public(), opener.Public(), []byte(account), now)
		proc.Enroll(ctx, e.Bytes())
		customers, funded = append(customers, c), append(funded, c.Public())
	}
	roster, _ := proc.PublishRoster(ctx, funded, money.MustNew(100000, eur), now, now.Add(24*time.Hour))

	shopKey, _ := ecdsa.GenerateKey()
	merchant, _ := payments.NewMerchant(shopKey.Public(), procKey.Public(), tickets.NewMemoryUsedSet())
	merchant.AddRoster(roster.Bytes())

	// Bob pays.
	p, _ := payments.NewPayment(customers[1], roster, shopKey.Public(), money.MustNew(3990, eur), []byte("order 42"), now)
	got, err := merchant.Accept(ctx, p.Bytes(), now.Add(time.Minute))
	fmt.Println("accepted:", err == nil, got.Amount(), string(got.Reference()))
	_, err = merchant.Accept(ctx, p.Bytes(), now.Add(time.Minute))
	fmt.Println("again:", errors.Is(err, payments.ErrUsed))

	// A dispute: the processor opens the payment.
	d, _ := proc.Open(ctx, p.Bytes(), "chargeback: not delivered", now.Add(time.Hour))
	received, _ := payments.ParseDisclosure(d.Bytes())
	fmt.Println("disclosure checks:", received.Check(procKey.Public(), roster) == nil)
	fmt.Println("payer is bob:", received.Customer().Equal(customers[1].Public()))
	en, _ := proc.Enrollment(received.Customer())
	fmt.Println("account:", string(en.Account()))
	// Output:
	// accepted: true EUR 39.90 order 42
	// again: true
	// disclosure checks: true
	// payer is bob: true
	// account: bob
}
