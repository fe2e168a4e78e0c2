package payments

import (
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
)

// The fuzz targets start from records of a processor with two customers,
// so that one execution parses small signatures.

func fuzzWorld(f *testing.F) *world { return newWorld(f, 2) }

func FuzzEnrollment(f *testing.F) {
	w := fuzzWorld(f)
	en, _ := w.proc.Enrollment(w.customers[0].Public())
	recordtest.FuzzParser(f, en.Bytes(), ParseEnrollment, (*Enrollment).Bytes)
}

func FuzzRoster(f *testing.F) {
	recordtest.FuzzParser(f, fuzzWorld(f).roster.Bytes(), ParseRoster, (*Roster).Bytes)
}

func FuzzPayment(f *testing.F) {
	w := fuzzWorld(f)
	recordtest.FuzzParser(f, w.pay(f, 0, 100, "order 1").Bytes(), ParsePayment, (*Payment).Bytes)
}

func FuzzDisclosure(f *testing.F) {
	w := fuzzWorld(f)
	d := must(w.proc.Open(ctx, w.pay(f, 0, 100, "order 1").Bytes(), "dispute", t0))
	recordtest.FuzzParser(f, d.Bytes(), ParseDisclosure, (*Disclosure).Bytes)
}
