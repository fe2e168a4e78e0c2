package reviews

import (
	"testing"

	"github.com/ringtrace/ringtrace/tickets/internal/recordtest"
)

// The fuzz targets start from records of a world with rings of two, so that
// one execution parses small signatures. Each re-encodes an accepted record
// from its parsed fields (encode, not Bytes, which returns what was parsed).

func reencode[T interface{ encode() ([]byte, error) }](v T) []byte {
	b, err := v.encode()
	if err != nil {
		return nil
	}
	return b
}

func fuzzWorld(f *testing.F) *world { return newWorldN(f, 2, kettle) }

func FuzzOrder(f *testing.F) {
	recordtest.FuzzParser(f, fuzzWorld(f).purchases[0].order.Bytes(), ParseOrder, reencode[*Order])
}

func FuzzRoster(f *testing.F) {
	recordtest.FuzzParser(f, fuzzWorld(f).roster.Bytes(), ParseRoster, (*Roster).Bytes)
}

func FuzzReview(f *testing.F) {
	w := fuzzWorld(f)
	recordtest.FuzzParser(f, w.review(f, w.purchases[0], 3, "fine").Bytes(), ParseReview, reencode[*Review])
}

func FuzzDisclosure(f *testing.F) {
	w := fuzzWorld(f)
	d := must(NewDisclosure(w.moderator, w.review(f, w.purchases[0], 1, "abuse"), w.roster))
	recordtest.FuzzParser(f, d.Bytes(), ParseDisclosure, reencode[*Disclosure])
}
