package netting_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

func Example() {
	eur := money.MustCurrency("EUR")
	owe := func(payer, payee string, cents int64) netting.Obligation {
		return netting.Obligation{Payer: netting.Party(payer), Payee: netting.Party(payee), Amount: money.MustNew(cents, eur)}
	}
	obligations := []netting.Obligation{
		owe("alpha", "beta", 1200), owe("beta", "gamma", 1200), owe("gamma", "alpha", 500),
		owe("delta", "alpha", 300), owe("beta", "delta", 300),
	}
	s, err := netting.Net(obligations)
	if err != nil {
		panic(err)
	}

	// The netter signs the settlement for the period and appends it.
	netter, _ := ecdsa.GenerateKey()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	st, err := netting.NewStatement(netter, start, start.AddDate(0, 1, 0), s)
	if err != nil {
		panic(err)
	}
	l := ledger.NewMemory()
	if _, err := l.Append(context.Background(), netting.Kind, st.Bytes()); err != nil {
		panic(err)
	}

	// A party reads it back, checks the signature and its own net.
	_ = l.Scan(context.Background(), 0, func(e ledger.Entry) error {
		got, err := netting.ParseStatement(e.Payload)
		if err != nil {
			return err
		}
		if err := got.Verify(netter.Public()); err != nil {
			return err
		}
		mine := []netting.Obligation{obligations[1], obligations[2]} // gamma's
		fmt.Println("gamma's net checks:", got.Settlement().CheckParty("gamma", mine) == nil)
		fmt.Println("whole list checks:", got.Settlement().Check(obligations) == nil)
		return nil
	})

	fmt.Printf("%d obligations, %d transfer(s):\n", s.Obligations(), len(s.Transfers()))
	for _, t := range s.Transfers() {
		fmt.Printf("  %s pays %s %v\n", t.Payer, t.Payee, t.Amount)
	}
	// Output:
	// gamma's net checks: true
	// whole list checks: true
	// 5 obligations, 2 transfer(s):
	//   alpha pays gamma EUR 4.00
	//   beta pays gamma EUR 3.00
}
