package tickets

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

func TestRedeem(t *testing.T) {
	s := newShop(t)
	r := s.redeemer(t, trs.NewMemoryStore())
	at := t0.Add(time.Hour)
	first := s.ticket(t, 1, "review of product 7")
	if err := r.Redeem(ctx, first, at); err != nil {
		t.Fatal(err)
	}
	// An identical copy, parsed from bytes, is linked.
	copied, err := ParseTicket(first.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var re *ReuseError
	if err := r.Redeem(ctx, copied, at); !errors.As(err, &re) || re.Kind != trs.Linked || !errors.Is(err, ErrReused) {
		t.Fatalf("replay: %v", err)
	}
	// A second ticket of the key reveals it, and the issuer names the buyer.
	err = r.Redeem(ctx, s.ticket(t, 1, "another review"), at)
	if !errors.As(err, &re) || re.Kind != trs.Revealed || re.Index < 0 || !re.Key.Equal(s.keys[1].Public()) || re.Sale.ID() != s.sale.ID() {
		t.Fatalf("second use: %v", err)
	}
	if b, ok := s.issuer.Buyer(re.Key); !ok || string(b) != "buyer 1" {
		t.Errorf("revealed key's buyer: %q %v", b, ok)
	}
	// The other members are unaffected.
	for i := range s.keys {
		if i == 1 {
			continue
		}
		if err := r.Redeem(ctx, s.ticket(t, i, "review of product 7"), at); err != nil {
			t.Errorf("member %d: %v", i, err)
		}
	}
}

func TestAcceptRejects(t *testing.T) {
	s := newShop(t)
	r := s.redeemer(t, trs.NewMemoryStore())
	good := s.ticket(t, 0, "m")
	other := s.ticket(t, 0, "other message")
	wrongMsg := &Ticket{sale: good.sale, msg: []byte("m"), sig: other.sig}
	elsewhere := newShop(t) // a sale this redeemer never applied
	for name, tc := range map[string]struct {
		tk   *Ticket
		at   time.Time
		want error
	}{
		"unknown sale":      {elsewhere.ticket(t, 0, "m"), t0, ErrUnknownSale},
		"before validity":   {good, t0.Add(-time.Second), ErrExpired},
		"after validity":    {good, t0.Add(testPolicy.Validity + time.Second), ErrExpired},
		"invalid signature": {wrongMsg, t0, ErrInvalidSignature},
	} {
		if _, err := r.Accept(tc.tk, tc.at); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, err := r.Accept(wrongMsg, t0); !errors.Is(err, trs.ErrInvalidSignature) {
		t.Errorf("the trs cause is not wrapped: %v", err)
	}
	if _, err := r.Accept(good, t0.Add(testPolicy.Validity)); err != nil {
		t.Errorf("at the end of the validity: %v", err)
	}
	if _, err := r.Accept(nil, t0); err == nil {
		t.Error("nil ticket accepted")
	}
	if err := r.Spend(ctx, nil); err == nil {
		t.Error("nil accepted ticket spent")
	}
	if _, err := r.Check(ctx, nil); err == nil {
		t.Error("nil accepted ticket checked")
	}
}

func TestAddSale(t *testing.T) {
	s := newShop(t)
	r, err := NewRedeemer(trs.NewMemoryStore(), s.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	other := newShop(t)
	if _, err := r.AddSale(other.sale.Bytes()); !errors.Is(err, ErrUnknownSale) {
		t.Errorf("untrusted issuer's sale: %v", err)
	}
	// A sale naming the trusted issuer but signed by another key.
	forged, _ := newSale(s.key.Public(), 9, pass, t0, t0.Add(time.Hour), other.sale.ring)
	forged.sig = other.sale.sig
	if _, err := r.AddSale(forged.Bytes()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("forged sale: %v", err)
	}
	if _, err := r.AddSale(s.sale.Bytes()[1:]); !errors.Is(err, ErrMalformed) {
		t.Errorf("malformed sale: %v", err)
	}
	a, err := r.AddSale(s.sale.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if b, err := r.AddSale(s.sale.Bytes()); err != nil || b != a {
		t.Errorf("adding a sale again: %v", err)
	}
	if _, err := NewRedeemer(nil, s.key.Public()); err == nil {
		t.Error("redeemer without a store")
	}
	if _, err := NewRedeemer(trs.NewMemoryStore()); err == nil {
		t.Error("redeemer trusting nobody")
	}
	if _, err := NewRedeemer(trs.NewMemoryStore(), nil); err == nil {
		t.Error("redeemer trusting a nil key")
	}
}

// TestCheckDoesNotSpend: Check reports Fresh, Linked and Revealed without
// storing anything.
func TestCheckDoesNotSpend(t *testing.T) {
	s := newShop(t)
	r := s.redeemer(t, trs.NewMemoryStore())
	tk := s.ticket(t, 2, "m")
	a, err := r.Accept(tk, t0)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if res, err := r.Check(ctx, a); err != nil || res.Kind != trs.Fresh {
			t.Fatalf("before spending: %v %v", res.Kind, err)
		}
	}
	if err := r.Spend(ctx, a); err != nil {
		t.Fatal(err)
	}
	if res, _ := r.Check(ctx, a); res.Kind != trs.Linked {
		t.Errorf("after spending: %v", res.Kind)
	}
	second, _ := r.Accept(s.ticket(t, 2, "n"), t0)
	if res, _ := r.Check(ctx, second); res.Kind != trs.Revealed || !res.Key.Equal(s.keys[2].Public()) {
		t.Errorf("second ticket: %+v", res)
	}
	// Checking the second ticket did not store it: the first is still
	// only linked, not revealed.
	if res, _ := r.Check(ctx, a); res.Kind != trs.Linked {
		t.Errorf("first ticket after checking the second: %v", res.Kind)
	}
}

// TestTicketID: a ticket signed again on the same message has the same
// ID; another message or another key has another.
func TestTicketID(t *testing.T) {
	s := newShop(t)
	r := s.redeemer(t, trs.NewMemoryStore())
	id := func(tk *Ticket) [32]byte {
		a, err := r.Accept(tk, t0)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID()
	}
	one, again := s.ticket(t, 0, "m"), s.ticket(t, 0, "m")
	if string(one.Bytes()) == string(again.Bytes()) {
		t.Fatal("signing is not randomised; the test shows nothing")
	}
	if id(one) != id(again) {
		t.Error("two signatures by one key on one message have different IDs")
	}
	if id(one) == id(s.ticket(t, 0, "n")) || id(one) == id(s.ticket(t, 1, "m")) {
		t.Error("different tickets share an ID")
	}
}

// TestTagBindsIssuer: the same ring sold by two issuers, with the same
// number and class, gives two tags; a ticket of one does not verify as
// the other, and a key may spend once in each (unlinkable across sales).
func TestTagBindsIssuer(t *testing.T) {
	s := newShop(t)
	otherKey := mustECDSA(t)
	copySale, err := newSale(otherKey.Public(), s.sale.number, s.sale.class, s.sale.validFrom, s.sale.validUntil, s.sale.ring)
	if err != nil {
		t.Fatal(err)
	}
	if copySale.Tag().Digest() == s.sale.Tag().Digest() {
		t.Fatal("two issuers' sales of one ring share a tag")
	}
	tk := s.ticket(t, 0, "m")
	if err := trs.Verify(copySale.Tag(), tk.msg, tk.sig); err == nil {
		t.Error("a ticket of one issuer's sale verifies under the other's")
	}
	// Same issuer, same ring, another sale number: another tag too.
	next, _ := newSale(s.key.Public(), s.sale.number+1, s.sale.class, s.sale.validFrom, s.sale.validUntil, s.sale.ring)
	if next.Tag().Digest() == s.sale.Tag().Digest() || next.ID() == s.sale.ID() {
		t.Error("two sales of one issuer share a tag or an ID")
	}
}

// TestConcurrentRedeem: copies of one ticket and tickets of the same key
// on other messages, redeemed at once by redeemers sharing a store:
// exactly one is accepted, every other is linked or revealed. Run with
// -race.
func TestConcurrentRedeem(t *testing.T) {
	for _, name := range []string{"memory", "ledger"} {
		t.Run(name, func(t *testing.T) {
			s := newShop(t)
			store := trs.NewMemoryStore()
			if name == "ledger" {
				var err error
				if store, err = OpenSpentStore(ctx, ledger.NewMemory()); err != nil {
					t.Fatal(err)
				}
			}
			tickets := []*Ticket{s.ticket(t, 3, "a"), s.ticket(t, 3, "b")}
			var (
				wg                         sync.WaitGroup
				mu                         sync.Mutex
				accepted, linked, revealed int
			)
			const copies = 12
			for g := range copies {
				wg.Go(func() {
					r := s.redeemer(t, store) // one redeemer per goroutine, as per machine
					tk, _ := ParseTicket(tickets[g%2].Bytes())
					err := r.Redeem(ctx, tk, t0)
					var re *ReuseError
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						accepted++
					case errors.As(err, &re) && re.Kind == trs.Linked:
						linked++
					case errors.As(err, &re) && re.Kind == trs.Revealed:
						revealed++
					default:
						t.Errorf("unexpected: %v", err)
					}
				})
			}
			wg.Wait()
			if accepted != 1 || linked+revealed != copies-1 || revealed == 0 {
				t.Fatalf("accepted %d, linked %d, revealed %d", accepted, linked, revealed)
			}
		})
	}
}

// TestSaleSignatureBinds: every byte of a sale but its signature is
// signed, and a sale does not verify under another key.
func TestSaleSignatureBinds(t *testing.T) {
	s := newShop(t)
	enc := s.sale.Bytes()
	for i := range len(enc) - wireSig {
		bad := append([]byte(nil), enc...)
		bad[i] ^= 1
		sale, err := ParseSale(bad)
		if err == nil && sale.Verify(s.key.Public()) == nil {
			t.Fatalf("sale with byte %d flipped verifies", i)
		}
	}
	if err := s.sale.Verify(mustECDSA(t).Public()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("another key: %v", err)
	}
}
