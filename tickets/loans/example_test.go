package loans_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/loans"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/tickets/netting"
)

func Example() {
	ctx := context.Background()
	eur := money.MustCurrency("EUR")
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}

	// The platform sets the pool up on a ledger; everyone opens it with
	// the platform's public key.
	signing, _ := ecdsa.GenerateKey()
	opener, _ := arsig.GenerateOpenerKey()
	platform, _ := loans.NewPlatform(signing, opener)
	l := ledger.NewMemory()
	pool, _ := loans.Open(ctx, l, signing.Public())
	submit := func(b []byte) {
		if err := pool.Submit(ctx, b); err != nil {
			panic(err)
		}
	}
	submit(must(platform.Setup(eur, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))))

	// Two lenders and a borrower register.
	var lenders []*loans.Lender
	for range 2 {
		key, _ := arsig.GenerateKey()
		account, _ := ecdsa.GenerateKey()
		ld, _ := loans.NewLender(key, account)
		lenders = append(lenders, ld)
		submit(must(platform.RegisterLender(pool, key.Public())))
	}
	bkey, _ := ecdsa.GenerateKey()
	borrower, _ := loans.NewBorrower(bkey)
	submit(must(platform.RegisterBorrower(pool, bkey.Public())))

	// A request for EUR 100.00, repaid as EUR 105.00 in two instalments,
	// pledged 70:30 in period 1.
	submit(must(borrower.Request(pool, money.MustNew(10000, eur), money.MustNew(10500, eur), 2, 1)))
	loan := pool.Loans()[0].ID
	submit(must(lenders[0].Pledge(pool, loan, money.MustNew(7000, eur))))
	submit(must(lenders[1].Pledge(pool, loan, money.MustNew(3000, eur))))
	submit(must(platform.Close(pool)))
	for range 2 {
		submit(must(borrower.Repay(pool, loan)))
		submit(must(platform.Close(pool)))
	}

	for n, st := range pool.Statements() {
		// Transfers are ordered by party, and parties are keys: list the
		// amounts, largest first.
		var moved []string
		transfers := st.Settlement().Transfers()
		slices.SortFunc(transfers, func(a, b netting.Obligation) int { return cmp.Compare(b.Amount.Units(), a.Amount.Units()) })
		for _, t := range transfers {
			moved = append(moved, t.Amount.String())
		}
		fmt.Printf("period %d: %d obligations, transfers %v\n", n+1, st.Settlement().Obligations(), moved)
	}
	fmt.Println("loan:", pool.Loans()[0].Status)
	// Output:
	// period 1: 2 obligations, transfers [EUR 70.00 EUR 30.00]
	// period 2: 2 obligations, transfers [EUR 36.75 EUR 15.75]
	// period 3: 2 obligations, transfers [EUR 36.75 EUR 15.75]
	// loan: repaid
}
