package tickets

import (
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// ledgerSeed returns the payload of the first entry of kind in s's ledger.
func ledgerSeed(f *testing.F, s *shop, kind ledger.Kind) []byte {
	var seed []byte
	s.l.Scan(ctx, 0, func(e ledger.Entry) error {
		if e.Kind == kind && seed == nil {
			seed = e.Payload
		}
		return nil
	})
	if seed == nil {
		f.Fatalf("no entry of kind %#x", kind)
	}
	return seed
}

func FuzzSale(f *testing.F) {
	recordtest.FuzzParser(f, newShop(f).sale.Bytes(), ParseSale, (*Sale).Bytes)
}

func FuzzTicket(f *testing.F) {
	recordtest.FuzzParser(f, newShop(f).ticket(f, 0, "a message").Bytes(), ParseTicket, (*Ticket).Bytes)
}

func FuzzPurchase(f *testing.F) {
	s := newShop(f)
	rec := ledgerSeed(f, s, kindPurchase)
	encode := func(p *purchase) []byte {
		b, err := p.body()
		if err != nil {
			return nil
		}
		return b
	}
	recordtest.FuzzParser(f, rec[:len(rec)-wireSig], parsePurchaseBody, encode)
}

func FuzzSpentRecord(f *testing.F) {
	s := newShop(f)
	l := ledger.NewMemory()
	store, _ := OpenSpentStore(ctx, l)
	s.redeemer(f, store).Redeem(ctx, s.ticket(f, 0, "m"), t0)
	var seed []byte
	l.Scan(ctx, 0, func(e ledger.Entry) error { seed = e.Payload; return nil })
	type spent struct{ b string }
	parse := func(b []byte) (*spent, error) {
		r, fps, err := parseSpent(b)
		if err != nil {
			return nil, err
		}
		return &spent{string(spentBytes(r, fps))}, nil
	}
	recordtest.FuzzParser(f, seed, parse, func(s *spent) []byte { return []byte(s.b) })
}

func FuzzUsedRecord(f *testing.F) {
	seed, _ := usedBytes([32]byte{7}, t0)
	type used struct{ b string }
	parse := func(b []byte) (*used, error) {
		id, until, err := parseUsed(b)
		if err != nil {
			return nil, err
		}
		enc, err := usedBytes(id, until)
		return &used{string(enc)}, err
	}
	recordtest.FuzzParser(f, seed, parse, func(u *used) []byte { return []byte(u.b) })
}
