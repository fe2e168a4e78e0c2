package tickets

import (
	"time"

	"errors"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"testing"

	"github.com/ringtrace/ringtrace/ecdsa"
)

func TestSeedsParseAndVerify(t *testing.T) {
	s := recordSeeds(t)
	for name, b := range map[string][]byte{
		"vehicle": s.vehicle, "plaza": s.plaza, "fares": s.fares, "purchase": s.purchase, "sale": s.sale,
		"entry": s.entry, "ticket": s.ticket, "usage": s.usage, "payout": s.payout, "spent": s.spent,
		"consumed": s.consumed, "reveal": s.reveal, "batch": s.batch,
	} {
		if len(b) == 0 {
			t.Errorf("no seed for %s", name)
		}
	}
}

// TestSignedRecordsBind checks, for every signed record type, that the
// signature verifies, that any flipped byte of the signed part breaks
// parsing or verification, and that a wrong key fails.
func TestSignedRecordsBind(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	reqs := w.day(t)
	s, err := w.provider.Settle(reqs, day0.Add(20*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := w.authority.Registration(w.vehicles[0].ID())
	plazaReg, _ := w.provider.Plaza(2)
	purchase, _ := w.vehicles[0].OrderTicket(price, day0)
	ticket := reqs[0].Ticket

	records := []struct {
		name  string
		enc   []byte
		key   *ecdsa.PublicKey
		check func([]byte, *ecdsa.PublicKey) error
	}{
		{"vehicle", reg.Bytes(), w.authority.PublicKey(), parseVerify(ParseVehicleRegistration, (*VehicleRegistration).Verify)},
		{"plaza", plazaReg.Bytes(), w.provider.PublicKey(), parseVerify(ParsePlazaRegistration, (*PlazaRegistration).Verify)},
		{"fares", w.provider.Fares().Bytes(), w.provider.PublicKey(), parseVerify(ParseFareTable, (*FareTable).Verify)},
		{"purchase", purchase.Bytes(), w.vehicles[0].PublicKey(), parseVerify(ParsePurchaseRequest, (*PurchaseRequest).Verify)},
		{"sale", w.sales[0].Bytes(), w.provider.PublicKey(), parseVerify(ParseSale, (*Sale).Verify)},
		{"entry", ticket.Entry.Bytes(), w.plazas[ticket.Entry.Plaza].PublicKey(), parseVerify(ParseEntryProof, (*EntryProof).Verify)},
		{"usage", reqs[0].Bytes(), w.plazas[reqs[0].Plaza].PublicKey(), parseVerify(ParseUsageRequest, (*UsageRequest).Verify)},
		{"payout", s.Statements[0].Bytes(), w.provider.PublicKey(), parseVerify(ParsePayoutStatement, (*PayoutStatement).Verify)},
	}
	wrong := mustKey(t).Public()
	for _, r := range records {
		if err := r.check(r.enc, r.key); err != nil {
			t.Errorf("%s: %v", r.name, err)
			continue
		}
		if err := r.check(r.enc, wrong); err == nil {
			t.Errorf("%s verifies under a wrong key", r.name)
		}
		for i := 0; i < len(r.enc)-ecdsa.SignatureSize; i++ {
			bad := append([]byte(nil), r.enc...)
			bad[i] ^= 0x01
			if err := r.check(bad, r.key); err == nil {
				t.Errorf("%s: flipping byte %d still verifies", r.name, i)
				break
			}
		}
		if err := r.check(r.enc[:len(r.enc)-1], r.key); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: short encoding: %v", r.name, err)
		}
		if err := r.check(append(r.enc, 0), r.key); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: trailing byte: %v", r.name, err)
		}
	}
}

func parseVerify[T any](parse func([]byte) (T, error), verify func(T, *ecdsa.PublicKey) error) func([]byte, *ecdsa.PublicKey) error {
	return func(b []byte, k *ecdsa.PublicKey) error {
		v, err := parse(b)
		if err != nil {
			return err
		}
		return verify(v, k)
	}
}

func TestContextsDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range []string{contextVehicle, contextPlaza, contextFares, contextPurchase, contextSale, contextEntry, contextUsage, contextPayout} {
		if seen[c] {
			t.Errorf("context %q used twice", c)
		}
		seen[c] = true
	}
}

func TestParseRejectsValues(t *testing.T) {
	s := recordSeeds(t)
	// Zero price in a purchase request: amount field starts after
	// header(2) + vehicle(8) + key(32); its units are the last 8 bytes.
	b := append([]byte(nil), s.purchase...)
	off := 2 + 8 + 32 + 4
	for i := range 8 {
		b[off+i] = 0
	}
	if _, err := ParsePurchaseRequest(b); !errors.Is(err, ErrMalformed) {
		t.Errorf("zero price accepted: %v", err)
	}
	b[off] = 0x80 // negative
	if _, err := ParsePurchaseRequest(b); !errors.Is(err, ErrMalformed) {
		t.Errorf("negative price accepted: %v", err)
	}
	// Wrong version and wrong record type.
	for _, enc := range [][]byte{s.vehicle, s.entry, s.ticket} {
		v := append([]byte(nil), enc...)
		v[0] = 2
		if _, err := ParseVehicleRegistration(v); err == nil {
			t.Error("version 2 accepted")
		}
	}
	if _, err := ParseEntryProof(s.vehicle); err == nil {
		t.Error("a vehicle registration parsed as an entry proof")
	}
}
