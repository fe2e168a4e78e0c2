package toll

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// seedSet holds one valid encoding of every record type, from a small
// world, to seed the fuzz targets and the record tests.
type seedSet struct {
	registration, plaza, fares, purchase, entry, ticket, usage, statement, batch []byte
	w                                                                            *world
}

var (
	seedOnce sync.Once
	seeds    seedSet
)

func recordSeeds(t testing.TB) *seedSet {
	seedOnce.Do(func() {
		w := newWorld(t, 1)
		a := w.ops[0]
		reqs := w.day(t)
		_, sts, err := a.op.Settle(ctx, reqs, day0.Add(20*time.Hour))
		check(t, err)
		tv := w.vehicles[0]
		purchase, err := tv.v.Order(a.key.Public(), price, day0)
		check(t, err)
		r, _ := parseUsageRequest(reqs[0])
		seeds = seedSet{
			purchase: purchase, entry: r.ticket.entry.bytes(), ticket: r.ticket.bytes(), usage: reqs[0],
			statement: sts[0].Bytes(), plaza: a.records[0], fares: a.records[len(a.records)-1],
			w: w,
		}
		w.authL.Scan(ctx, 0, func(e ledger.Entry) error { seeds.registration = e.Payload; return nil })
		a.l.Scan(ctx, 0, func(e ledger.Entry) error {
			if e.Kind == kindSettlement {
				seeds.batch = e.Payload[:len(e.Payload)-wire.SignatureSize]
			}
			return nil
		})
	})
	return &seeds
}

func FuzzRegistration(f *testing.F) {
	recordtest.FuzzParser(f, recordSeeds(f).registration, parseRegistration, (*registration).bytes)
}

func FuzzPlazaRegistration(f *testing.F) {
	recordtest.FuzzParser(f, recordSeeds(f).plaza, parsePlazaRegistration, (*plazaRegistration).bytes)
}

func FuzzFareTable(f *testing.F) {
	recordtest.FuzzParser(f, recordSeeds(f).fares, parseFareTable, (*fareTable).bytes)
}

func FuzzPurchaseRequest(f *testing.F) {
	recordtest.FuzzParser(f, recordSeeds(f).purchase, parsePurchaseRequest, (*purchaseRequest).bytes)
}

func FuzzEntryProof(f *testing.F) {
	recordtest.FuzzParser(f, recordSeeds(f).entry, parseEntryProof, (*entryProof).bytes)
}

// FuzzTicket re-encodes the toll message from the parsed fields, so that
// a message the parser accepts must be canonical too.
func FuzzTicket(f *testing.F) {
	encode := func(t *ticket) []byte {
		msg, err := ticketMessage(t.entry, &t.secret, t.exitOperator, t.exit.id)
		if err != nil || !bytes.Equal(msg, t.generic.Message()) {
			return nil
		}
		return t.bytes()
	}
	recordtest.FuzzParser(f, recordSeeds(f).ticket, parseTicket, encode)
}

func FuzzUsageRequest(f *testing.F) {
	recordtest.FuzzParser(f, recordSeeds(f).usage, parseUsageRequest, (*usageRequest).bytes)
}

func FuzzStatement(f *testing.F) {
	recordtest.FuzzParser(f, recordSeeds(f).statement, ParseStatement, (*Statement).Bytes)
}

func FuzzSettlement(f *testing.F) {
	encode := func(b *batch) []byte {
		body, err := b.body()
		if err != nil {
			return nil
		}
		return body
	}
	recordtest.FuzzParser(f, recordSeeds(f).batch, parseBatchBody, encode)
}
