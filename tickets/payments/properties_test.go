package payments

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
)

const propertySeed = 0x7061796d656e7473 // "payments"

func properties(full, short int) *gopter.Properties {
	params := gopter.DefaultTestParametersWithSeed(propertySeed)
	params.MinSuccessfulTests = full
	if testing.Short() {
		params.MinSuccessfulTests = short
	}
	return gopter.NewProperties(params)
}

// signed returns customer c's payment with the given fields and nonce.
func (w *world) signed(tb testing.TB, c int, merchant *ecdsa.PublicKey, cents int64, ref string, nonce [nonceSize]byte) *Payment {
	tb.Helper()
	p := &Payment{roster: w.roster.id, merchant: merchant, amount: eurs(cents), reference: []byte(ref), time: t0.Add(time.Minute), nonce: nonce}
	msg, err := p.message()
	if err != nil {
		tb.Fatal(err)
	}
	p.id = wirePaymentID(msg)
	p.sig = must(arsig.Sign(w.customers[c], w.roster.ring, w.roster.opener, p.id[:]))
	return p
}

// merchantView is everything the merchant sees of accepting payment p: its
// bytes and what Accept returns, with the ring signature replaced by zeros.
// The signature is the only part that depends on the payer, and by arsig's
// anonymity (DDH) it is distributed alike for every member of the ring.
func (w *world) merchantView(tb testing.TB, p *Payment) []byte {
	tb.Helper()
	m := must(NewMerchant(w.shopKey.Public(), w.procKey.Public(), tickets.NewMemoryUsedSet()))
	must(m.AddRoster(w.roster.Bytes()))
	got, err := m.Accept(ctx, p.Bytes(), t0.Add(time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	id := got.ID()
	view := bytes.Join([][]byte{p.Bytes(), id[:], got.Merchant().Bytes(), got.Amount().Bytes(), got.Reference(), []byte(got.Time().String())}, []byte{0})
	s := p.sig.Bytes()
	return bytes.ReplaceAll(view, s, make([]byte, len(s)))
}

// TestMerchantCannotTellPayersApart swaps the payer of a payment for
// another member of the roster: the merchant's whole view is the same but
// for the ring signature, and it holds neither payer's key.
func TestMerchantCannotTellPayersApart(t *testing.T) {
	w := newWorld(t, 5)
	n := len(w.customers)
	props := properties(15, 4)
	props.Property("one payer's payment looks like another's", prop.ForAll(
		func(i, j int, cents int64, ref string, seed uint64) string {
			j = (i + 1 + j%(n-1)) % n
			var nonce [nonceSize]byte
			copy(nonce[:], fmt.Sprint(seed))
			vi := w.merchantView(t, w.signed(t, i, w.shopKey.Public(), cents, ref, nonce))
			vj := w.merchantView(t, w.signed(t, j, w.shopKey.Public(), cents, ref, nonce))
			if !bytes.Equal(vi, vj) {
				return "the views of two payers' payments differ beyond the signature"
			}
			for _, c := range []int{i, j} {
				if bytes.Contains(vi, w.customers[c].Public().Bytes()) {
					return "the merchant's view holds a payer's key"
				}
			}
			return ""
		},
		gen.IntRange(0, n-1), gen.IntRange(0, n-2), gen.Int64Range(1, limit.Units()), gen.AlphaString(), gen.UInt64(),
	))
	props.TestingRun(t)
}

// step is one payment presented in a random run.
type step struct {
	Payer     int
	Merchant  int  // which of the two merchants it pays, and where it is presented
	Resend    bool // present the last payment again
	Resign    bool // with Resend: re-signed by another payer (the same ID)
	Elsewhere bool // with Resend: presented at the other merchant
}

// TestAcceptedOnce runs random sequences of payments, resent payments,
// re-signed copies and payments presented at the wrong merchant against
// two merchants sharing a used set: each payment ID is accepted the first
// time it reaches its own merchant, and never again.
func TestAcceptedOnce(t *testing.T) {
	w := newWorld(t, 3)
	genStep := gen.Struct(reflect.TypeFor[step](), map[string]gopter.Gen{
		"Payer":     gen.IntRange(0, len(w.customers)-1),
		"Merchant":  gen.IntRange(0, 1),
		"Resend":    gen.Bool(),
		"Resign":    gen.Bool(),
		"Elsewhere": gen.Bool(),
	})
	props := properties(15, 4)
	props.Property("payments are accepted once", prop.ForAll(
		func(steps []step) string {
			used := tickets.NewMemoryUsedSet()
			keys := []*ecdsa.PublicKey{w.shopKey.Public(), must(ecdsa.GenerateKey()).Public()}
			var ms []*Merchant
			for _, k := range keys {
				m := must(NewMerchant(k, w.procKey.Public(), used))
				must(m.AddRoster(w.roster.Bytes()))
				ms = append(ms, m)
			}
			accepted := map[[32]byte]bool{}
			var last *Payment
			lastAt := 0
			for k, s := range steps {
				p, at := last, lastAt
				switch {
				case !s.Resend || last == nil:
					p = must(NewPayment(w.customers[s.Payer], w.roster, keys[s.Merchant], eurs(int64(100+k)), nil, t0))
					at = s.Merchant
					last, lastAt = p, at
				case s.Resign:
					q := *p
					q.sig = must(arsig.Sign(w.customers[s.Payer], w.roster.ring, w.roster.opener, p.id[:]))
					p = &q
				}
				if s.Resend && s.Elsewhere {
					at = 1 - at
				}
				_, err := ms[at].Accept(ctx, p.Bytes(), t0.Add(time.Hour))
				own := p.merchant.Equal(keys[at])
				switch {
				case !own:
					if !errors.Is(err, ErrRefused) {
						return fmt.Sprintf("step %d: at the wrong merchant: %v", k, err)
					}
				case accepted[p.id]:
					if !errors.Is(err, ErrUsed) {
						return fmt.Sprintf("step %d: accepted again: %v", k, err)
					}
				default:
					if err != nil {
						return fmt.Sprintf("step %d: first presentation refused: %v", k, err)
					}
					accepted[p.id] = true
				}
			}
			return ""
		},
		gen.SliceOfN(16, genStep),
	))
	props.TestingRun(t)
}
