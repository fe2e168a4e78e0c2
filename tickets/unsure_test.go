package tickets

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// ledgerSales returns every sale recorded on l.
func ledgerSales(t *testing.T, l ledger.Ledger) []*Sale {
	t.Helper()
	var sales []*Sale
	err := l.Scan(ctx, 0, func(e ledger.Entry) error {
		if e.Kind != kindSale {
			return nil
		}
		s, err := ParseSale(e.Payload)
		sales = append(sales, s)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sales
}

// TestIssuerAfterUnsureAppend: a purchase or sale whose ledger append
// reported an error may still be recorded. Going on from memory would
// sell the same keys again in a second sale (each buyer could then spend
// two tickets, one per sale, unlinked) or record a key twice; the issuer
// refuses to go on until it is reopened, and the reopened one sells every
// key once.
func TestIssuerAfterUnsureAppend(t *testing.T) {
	for _, kind := range []ledger.Kind{kindSale, kindPurchase} {
		l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
		key := mustECDSA(t)
		is, err := OpenIssuer(ctx, key, l, testPolicy)
		if err != nil {
			t.Fatal(err)
		}
		buy := func(is *Issuer, k *trs.PrivateKey) error {
			_, err := is.Purchase(ctx, pass, k.Public(), nil, t0)
			return err
		}
		keys := make([]*trs.PrivateKey, 3*testPolicy.RingSize)
		for i := range keys {
			keys[i] = mustTRS(t)
		}
		for _, k := range keys[:testPolicy.RingSize-1] {
			if err := buy(is, k); err != nil {
				t.Fatal(err)
			}
		}
		l.Fail = kind
		if err := buy(is, keys[testPolicy.RingSize-1]); !errors.Is(err, recordtest.ErrLostReply) {
			t.Fatalf("kind %#x: purchase with a lost reply: %v", kind, err)
		}
		// The application retries, and buyers keep coming.
		buy(is, keys[testPolicy.RingSize-1])
		for _, k := range keys[testPolicy.RingSize : 2*testPolicy.RingSize] {
			buy(is, k)
		}
		is, err = OpenIssuer(ctx, key, l, testPolicy)
		if err != nil {
			t.Fatalf("kind %#x: reopening: %v", kind, err)
		}
		for _, k := range keys[2*testPolicy.RingSize:] {
			buy(is, k)
		}
		sold := map[[trs.PublicKeySize]byte]int{}
		numbers := map[uint64]int{}
		for _, s := range ledgerSales(t, l) {
			numbers[s.Number()]++
			for i := range s.Ring().Len() {
				sold[keyBytes(s.Ring().Key(i))]++
			}
		}
		for i, k := range keys {
			if n := sold[keyBytes(k.Public())]; n > 1 {
				t.Errorf("kind %#x: key %d sold in %d sales", kind, i, n)
			}
		}
		for n, c := range numbers {
			if c > 1 {
				t.Errorf("kind %#x: %d sales numbered %d", kind, c, n)
			}
		}
		if len(numbers) < 2 {
			t.Errorf("kind %#x: %d sales of %d purchases", kind, len(numbers), len(keys))
		}
	}
}

// TestSalesAfterUnsureAppend: a sale recorded by a purchase that returned
// an error reaches nobody unless the reopened issuer hands it out: Sales
// holds it, byte for byte as recorded, and Sales(from) starts at from.
func TestSalesAfterUnsureAppend(t *testing.T) {
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	key := mustECDSA(t)
	is, err := OpenIssuer(ctx, key, l, testPolicy)
	if err != nil {
		t.Fatal(err)
	}
	var returned []*Sale
	for i := range 2 * testPolicy.RingSize {
		if i == 2*testPolicy.RingSize-1 {
			l.Fail = kindSale
		}
		s, err := is.Purchase(ctx, pass, mustTRS(t).Public(), nil, t0)
		switch {
		case i == 2*testPolicy.RingSize-1:
			if !errors.Is(err, recordtest.ErrLostReply) {
				t.Fatalf("purchase with a lost reply: %v", err)
			}
		case err != nil:
			t.Fatal(err)
		case s != nil:
			returned = append(returned, s)
		}
	}
	if len(returned) != 1 {
		t.Fatalf("%d sales returned, want 1", len(returned))
	}
	is, err = OpenIssuer(ctx, key, l, testPolicy)
	if err != nil {
		t.Fatal(err)
	}
	recorded := ledgerSales(t, l)
	got := is.Sales(0)
	if len(got) != 2 || len(recorded) != 2 {
		t.Fatalf("reopened issuer has %d sales, the ledger %d; want 2", len(got), len(recorded))
	}
	for i := range got {
		if !bytes.Equal(got[i].Bytes(), recorded[i].Bytes()) || got[i].Number() != uint64(i) {
			t.Errorf("sale %d differs from the one recorded", i)
		}
	}
	if from1 := is.Sales(1); len(from1) != 1 || from1[0].Number() != 1 {
		t.Errorf("Sales(1) = %d sales, want sale 1 alone", len(from1))
	}
	if none := is.Sales(2); len(none) != 0 {
		t.Errorf("Sales(2) = %d sales, want none", len(none))
	}
}

// TestStoresAfterUnsureAppend: a spent store or used set whose ledger
// append reported an error may still have recorded the ticket or the
// identifier. Going on from memory would take a second ticket of the same
// key as Fresh (a double use, unrevealed) or a second use of an
// identifier as first; the stores refuse to go on, and reopened from the
// ledger they know what was recorded.
func TestStoresAfterUnsureAppend(t *testing.T) {
	s := newShop(t)
	l := &recordtest.UnsureLedger{Memory: ledger.NewMemory()}
	store, err := OpenSpentStore(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	r := s.redeemer(t, store)
	l.Fail = kindSpent
	if err := r.Redeem(ctx, s.ticket(t, 0, "first"), t0); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("redeem with a lost reply: %v", err)
	}
	if err := r.Redeem(ctx, s.ticket(t, 0, "second"), t0); err == nil {
		t.Error("a second ticket of the key was accepted after the unsure append")
	}
	store, err = OpenSpentStore(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	var re *ReuseError
	if err := s.redeemer(t, store).Redeem(ctx, s.ticket(t, 0, "second"), t0); !errors.As(err, &re) || re.Kind != trs.Revealed {
		t.Errorf("the second ticket after reopening: %v, want revealed", err)
	}

	l = &recordtest.UnsureLedger{Memory: ledger.NewMemory(), Fail: kindUsed}
	used, err := OpenUsedSet(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	id := [32]byte{1}
	if _, err := used.Use(ctx, id, t0); !errors.Is(err, recordtest.ErrLostReply) {
		t.Fatalf("use with a lost reply: %v", err)
	}
	if first, err := used.Use(ctx, id, t0); err == nil && first {
		t.Error("an identifier was used a second time after the unsure append")
	}
	used, err = OpenUsedSet(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	if first, err := used.Use(ctx, id, t0); err != nil || first {
		t.Errorf("the identifier after reopening: first %v, %v", first, err)
	}
}
