package payments

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var (
	ctx   = context.Background()
	t0    = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	eur   = money.MustCurrency("EUR")
	limit = money.MustNew(50000, eur)
)

func eurs(cents int64) money.Amount { return money.MustNew(cents, eur) }

// must returns v, and panics (failing the test) on a setup error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// world is a processor with n enrolled and funded customers, its roster
// valid for a day from t0, and a merchant that applied it.
type world struct {
	procKey   *ecdsa.PrivateKey
	opener    *arsig.OpenerKey
	procL     ledger.Ledger
	proc      *Processor
	customers []*arsig.PrivateKey
	roster    *Roster
	shopKey   *ecdsa.PrivateKey
	used      tickets.UsedSet
	merchant  *Merchant
}

func newWorld(tb testing.TB, n int) *world {
	tb.Helper()
	w := &world{procKey: must(ecdsa.GenerateKey()), opener: must(arsig.GenerateOpenerKey()), procL: ledger.NewMemory()}
	w.proc = must(OpenProcessor(ctx, w.procKey, w.opener, w.procL))
	var keys []*arsig.PublicKey
	for i := range n {
		c := must(arsig.GenerateKey())
		e := must(NewEnrollment(c, w.procKey.Public(), w.opener.Public(), fmt.Appendf(nil, "account-%d", i), t0))
		must(w.proc.Enroll(ctx, e.Bytes()))
		w.customers = append(w.customers, c)
		keys = append(keys, c.Public())
	}
	w.roster = must(w.proc.PublishRoster(ctx, keys, limit, t0, t0.Add(24*time.Hour)))
	w.shopKey = must(ecdsa.GenerateKey())
	w.used = tickets.NewMemoryUsedSet()
	w.merchant = must(NewMerchant(w.shopKey.Public(), w.procKey.Public(), w.used))
	must(w.merchant.AddRoster(w.roster.Bytes()))
	return w
}

// pay returns customer c's payment of cents to the world's merchant, made a
// minute after t0.
func (w *world) pay(tb testing.TB, c int, cents int64, ref string) *Payment {
	tb.Helper()
	return must(NewPayment(w.customers[c], w.roster, w.shopKey.Public(), eurs(cents), []byte(ref), t0.Add(time.Minute)))
}

// accept has the world's merchant accept b an hour after t0.
func (w *world) accept(b []byte) error {
	_, err := w.merchant.Accept(ctx, b, t0.Add(time.Hour))
	return err
}

func yenAmount() (money.Amount, error) { return money.New(100, money.MustCurrency("JPY")) }

func wirePaymentID(msg []byte) [32]byte { return wire.Digest(labelPaymentID, msg) }
