package toll

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

func TestSeeds(t *testing.T) {
	s := recordSeeds(t)
	for name, b := range map[string][]byte{
		"registration": s.registration, "plaza": s.plaza, "fares": s.fares, "purchase": s.purchase,
		"entry": s.entry, "ticket": s.ticket, "usage": s.usage, "statement": s.statement, "batch": s.batch,
	} {
		if len(b) == 0 {
			t.Errorf("no seed for %s", name)
		}
	}
}

func parseVerify[T any](parse func([]byte) (T, error), context string) func([]byte, *ecdsa.PublicKey) error {
	return func(b []byte, k *ecdsa.PublicKey) error {
		if _, err := parse(b); err != nil {
			return err
		}
		return verifyRecord(k, context, "record", b)
	}
}

// TestSignedRecordsBind checks, for every signed record type, that the
// signature verifies under the key that must have signed it and no other,
// that any flipped byte of the signed part breaks parsing or
// verification, and that a short or long encoding is malformed.
func TestSignedRecordsBind(t *testing.T) {
	s := recordSeeds(t)
	w := s.w
	a := w.ops[0]
	usage, _ := parseUsageRequest(s.usage)
	records := []struct {
		name  string
		enc   []byte
		key   *ecdsa.PublicKey
		check func([]byte, *ecdsa.PublicKey) error
	}{
		{"registration", s.registration, w.authKey.Public(), parseVerify(parseRegistration, contextRegistration)},
		{"plaza", s.plaza, a.key.Public(), parseVerify(parsePlazaRegistration, contextPlaza)},
		{"fares", s.fares, a.key.Public(), parseVerify(parseFareTable, contextFares)},
		{"purchase", s.purchase, w.vehicles[0].key.Public(), parseVerify(parsePurchaseRequest, contextPurchase)},
		{"entry", s.entry, a.plazas[usage.ticket.entry.plaza.id].key.Public(), parseVerify(parseEntryProof, contextEntry)},
		{"usage", s.usage, a.plazas[usage.plaza.id].key.Public(), parseVerify(parseUsageRequest, contextUsage)},
		{"statement", s.statement, a.key.Public(), func(b []byte, k *ecdsa.PublicKey) error {
			st, err := ParseStatement(b)
			if err != nil {
				return err
			}
			return st.Verify(k)
		}},
	}
	wrong := mustKey(t).Public()
	for _, r := range records {
		if err := r.check(r.enc, r.key); err != nil {
			t.Errorf("%s: %v", r.name, err)
			continue
		}
		if err := r.check(r.enc, wrong); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s verifies under a wrong key: %v", r.name, err)
		}
		for i := 0; i < len(r.enc)-wire.SignatureSize; i++ {
			bad := bytes.Clone(r.enc)
			bad[i] ^= 0x01
			if err := r.check(bad, r.key); err == nil {
				t.Errorf("%s: flipping byte %d still verifies", r.name, i)
				break
			}
		}
		if err := r.check(r.enc[:len(r.enc)-1], r.key); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: short encoding: %v", r.name, err)
		}
		if err := r.check(append(bytes.Clone(r.enc), 0), r.key); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: trailing byte: %v", r.name, err)
		}
	}
	// The settlement record verifies under the operator's key only.
	var rec []byte
	rec = append(append(rec, s.batch...), make([]byte, wire.SignatureSize)...)
	if _, err := parseBatch(rec, a.key.Public()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("unsigned settlement: %v", err)
	}
}

func TestContextsAndKindsDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range []string{contextRegistration, contextPlaza, contextFares, contextPurchase, contextEntry, contextUsage, contextStatement, contextSettlement} {
		if seen[c] {
			t.Errorf("context %q used twice", c)
		}
		seen[c] = true
	}
	kinds := map[int]bool{}
	for _, k := range []int{kindRegistration, kindPlaza, kindFares, kindPurchase, kindEntry, kindTicket, kindUsage, kindStatement, kindSettlement} {
		if kinds[k] || !ownKind(uint16(k)) {
			t.Errorf("kind %#04x used twice or outside 0x02xx", k)
		}
		kinds[k] = true
	}
}

// TestParseRejectsValues: records with out-of-range values are malformed,
// and one record type never parses as another.
func TestParseRejectsValues(t *testing.T) {
	s := recordSeeds(t)
	// A zero and a negative price in a purchase request: the amount's
	// units are the 8 bytes before the time and the signature.
	off := len(s.purchase) - wire.SignatureSize - 8 - 8
	for _, units := range [][]byte{make([]byte, 8), {0x80, 0, 0, 0, 0, 0, 0, 1}} {
		b := bytes.Clone(s.purchase)
		copy(b[off:], units)
		if _, err := parsePurchaseRequest(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("price %x accepted: %v", units, err)
		}
	}
	// A fare table with a route twice, none, or a zero fare.
	ft, _ := parseFareTable(s.fares)
	for name, fares := range map[string][]Fare{
		"duplicate route": {ft.fares[0], ft.fares[0]},
		"no route":        nil,
		"zero fare":       {{Entry: 1, Exit: 2, Amount: won(0)}},
		"out of order":    {ft.fares[1], ft.fares[0]},
	} {
		bad := *ft
		bad.fares = fares
		if _, err := bad.body(); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
	// Wrong version, and one record type parsed as another.
	v := bytes.Clone(s.entry)
	v[0] = 2
	if _, err := parseEntryProof(v); !errors.Is(err, ErrMalformed) {
		t.Errorf("version 2 accepted: %v", err)
	}
	if _, err := parseEntryProof(s.registration); !errors.Is(err, ErrMalformed) {
		t.Error("a registration parsed as an entry proof")
	}
	if _, err := ParseStatement(s.usage); !errors.Is(err, ErrMalformed) {
		t.Error("a usage request parsed as a statement")
	}
	// A maximum trip of zero.
	bad := *ft
	bad.maxTrip = 0
	if _, err := bad.body(); err == nil {
		t.Error("a zero maximum trip encoded")
	}
}
