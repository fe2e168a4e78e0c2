package reviews_test

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
	"github.com/ringtrace/ringtrace/tickets/reviews"
	"github.com/ringtrace/ringtrace/trs"
)

// A shop sells three kettles; each buyer reviews its kettle anonymously,
// one tries to review twice and is revealed, and the moderator opens an
// abusive review. Every record passes between the roles as bytes.
func Example() {
	ctx := context.Background()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	kettle := tickets.Class{Label: "kettle", Price: money.MustNew(3990, money.MustCurrency("EUR"))}

	// The shop and the moderator, each with its own keys.
	shopKey, _ := ecdsa.GenerateKey()
	moderator, _ := arsig.GenerateOpenerKey()
	shop, _ := reviews.OpenShop(ctx, shopKey, moderator.Public(), ledger.NewMemory(),
		tickets.Policy{RingSize: 3, Validity: 365 * 24 * time.Hour})

	// Three customers order a kettle each; the third order fills the ring.
	var customers []*arsig.PrivateKey
	var rights []*trs.PrivateKey
	var sale *tickets.Sale
	for range 3 {
		customer, _ := arsig.GenerateKey()
		order, right, _ := reviews.NewOrder(customer, shopKey.Public(), moderator.Public(), kettle, now)
		sale, _ = shop.Sell(ctx, order.Bytes(), now)
		customers, rights = append(customers, customer), append(rights, right)
	}
	roster, _ := shop.PublishRoster(ctx, now)

	// The public board applies the sale and the roster.
	board, _ := reviews.OpenBoard(ctx, shopKey.Public(), moderator.Public(), ledger.NewMemory(), trs.NewMemoryStore())
	board.AddSale(ctx, sale.Bytes())
	board.AddRoster(ctx, roster.Bytes())

	// Each buyer posts a review.
	texts := []string{"Boils fast.", "Too loud.", "You are all idiots."}
	for i, text := range texts {
		r, _ := reviews.NewReview(customers[i], rights[i], sale, roster, 5-2*i, text, now)
		if _, err := board.Post(ctx, r.Bytes(), now); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("reviews of kettle:", len(board.Reviews("kettle")))

	// The second buyer reviews again: the right is revealed, and the shop
	// maps it to the buyer's order.
	again, _ := reviews.NewReview(customers[1], rights[1], sale, roster, 5, "Actually great!", now)
	_, err := board.Post(ctx, again.Bytes(), now)
	var reuse *tickets.ReuseError
	if errors.As(err, &reuse) && reuse.Kind == trs.Revealed {
		order, _ := shop.Buyer(reuse.Key)
		fmt.Println("second review revealed; buyer is customer 1:", order.Customer().Equal(customers[1].Public()))
	}

	// The moderator opens the abusive review; anyone checks the disclosure.
	abusive := board.Reviews("kettle")[2]
	d, _ := reviews.NewDisclosure(moderator, abusive, roster)
	disclosed, _ := board.Disclose(ctx, d.Bytes())
	fmt.Println("disclosure checks:", disclosed.Check(abusive, roster) == nil)
	fmt.Println("author is customer 2:", disclosed.Customer().Equal(customers[2].Public()))
	fmt.Println("reviews of kettle:", len(board.Reviews("kettle")))
	// Output:
	// reviews of kettle: 3
	// second review revealed; buyer is customer 1: true
	// disclosure checks: true
	// author is customer 2: true
	// reviews of kettle: 2
}
