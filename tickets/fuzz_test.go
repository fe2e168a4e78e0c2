package tickets

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// seedRecords holds one valid encoding of every record type, from a small
// world, to seed the fuzz targets.
type seedSet struct {
	vehicle, plaza, fares, purchase, sale, entry, ticket, usage, payout []byte
	spent, consumed, reveal, batch                                      []byte
}

var (
	seedOnce sync.Once
	seeds    seedSet
)

func recordSeeds(t testing.TB) *seedSet {
	seedOnce.Do(func() {
		l := ledger.NewMemory()
		w := newWorld(t, l, 1)
		reqs := w.day(t)
		at := day0.Add(6 * time.Hour)
		w.plazas[2].Exit(w.ticket(t, 2, 1, 2, at), at.Add(time.Minute)) // a reveal at exit
		if _, err := w.provider.Settle(reqs, day0.Add(20*time.Hour)); err != nil {
			t.Fatal(err)
		}
		reg, _ := w.authority.Registration(w.vehicles[0].ID())
		seeds.vehicle = reg.Bytes()
		seeds.sale = w.sales[0].Bytes()
		seeds.usage = reqs[0].Bytes()
		seeds.ticket = reqs[0].Ticket.Bytes()
		seeds.entry = reqs[0].Ticket.Entry.Bytes()
		seeds.payout = w.provider.Statements()[0].Bytes()
		l.Scan(ctx, 0, func(e ledger.Entry) error {
			switch e.Kind {
			case KindPlaza:
				seeds.plaza = e.Payload
			case KindFares:
				seeds.fares = e.Payload
			case KindPurchase:
				seeds.purchase = e.Payload
			case KindExitSpent:
				seeds.spent = e.Payload
			case KindEntryConsumed:
				seeds.consumed = e.Payload
			case KindReveal:
				seeds.reveal = e.Payload
			case KindSettlement:
				seeds.batch = e.Payload
			}
			return nil
		})
	})
	return &seeds
}

// fuzzParser checks a parser never panics, returns nothing with an error,
// and that accepted bytes re-encode identically.
func fuzzParser[T comparable](f *testing.F, seed []byte, parse func([]byte) (T, error), encode func(T) []byte) {
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add(append(bytes.Clone(seed), 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := parse(b)
		var zero T
		if err != nil {
			if v != zero {
				t.Fatalf("parser returned a value with error %v", err)
			}
			return
		}
		if got := encode(v); !bytes.Equal(got, b) {
			t.Fatalf("accepted %x\nre-encodes as %x", b, got)
		}
	})
}

func FuzzVehicleRegistration(f *testing.F) {
	fuzzParser(f, recordSeeds(f).vehicle, ParseVehicleRegistration, (*VehicleRegistration).Bytes)
}

func FuzzPlazaRegistration(f *testing.F) {
	fuzzParser(f, recordSeeds(f).plaza, ParsePlazaRegistration, (*PlazaRegistration).Bytes)
}

func FuzzFareTable(f *testing.F) {
	fuzzParser(f, recordSeeds(f).fares, ParseFareTable, (*FareTable).Bytes)
}

func FuzzPurchaseRequest(f *testing.F) {
	fuzzParser(f, recordSeeds(f).purchase, ParsePurchaseRequest, (*PurchaseRequest).Bytes)
}

func FuzzSale(f *testing.F) {
	fuzzParser(f, recordSeeds(f).sale, ParseSale, (*Sale).Bytes)
}

func FuzzEntryProof(f *testing.F) {
	fuzzParser(f, recordSeeds(f).entry, ParseEntryProof, (*EntryProof).Bytes)
}

func FuzzTicket(f *testing.F) {
	fuzzParser(f, recordSeeds(f).ticket, ParseTicket, (*Ticket).Bytes)
}

func FuzzUsageRequest(f *testing.F) {
	fuzzParser(f, recordSeeds(f).usage, ParseUsageRequest, (*UsageRequest).Bytes)
}

func FuzzPayoutStatement(f *testing.F) {
	fuzzParser(f, recordSeeds(f).payout, ParsePayoutStatement, (*PayoutStatement).Bytes)
}

func FuzzReveal(f *testing.F) {
	fuzzParser(f, recordSeeds(f).reveal, ParseReveal, (*Reveal).Bytes)
}

func FuzzSpentEntry(f *testing.F) {
	parse := func(b []byte) (*spentEntry, error) {
		e, err := parseSpentEntry(b)
		if err != nil {
			return nil, err
		}
		return &e, nil
	}
	fuzzParser(f, recordSeeds(f).spent, parse, (*spentEntry).bytes)
}

func FuzzEntryConsumed(f *testing.F) {
	parse := func(b []byte) (*[32]byte, error) {
		c, err := parseEntryConsumed(b)
		if err != nil {
			return nil, err
		}
		return &c, nil
	}
	fuzzParser(f, recordSeeds(f).consumed, parse, entryConsumedBytes)
}

func FuzzSettlementBatch(f *testing.F) {
	fuzzParser(f, recordSeeds(f).batch, parseSettlementBatch, (*settlementBatch).bytes)
}
