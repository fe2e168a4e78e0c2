package tickets

import (
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestFaresInForceAtEntry: a trip is charged the fare in force when it
// entered. A later fare table changes neither the exit decision nor the
// settlement of trips that entered before it.
func TestFaresInForceAtEntry(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	before := day0.Add(time.Hour)
	done, err := w.plazas[3].Exit(w.ticket(t, 0, 1, 3, before), before.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	inTransit := w.ticket(t, 1, 1, 3, before)
	unused := w.ticket(t, 3, 1, 3, before)

	// From noon the route 1→3 costs more than a ticket.
	noon := day0.Add(6 * time.Hour)
	dearer := testFares()
	for i := range dearer {
		if dearer[i].Entry == 1 && dearer[i].Exit == 3 {
			dearer[i].Amount = won(3500)
		}
	}
	if _, err := w.provider.PublishFares(dearer, noon); err != nil {
		t.Fatal(err)
	}
	if _, err := w.provider.PublishFares(dearer, noon); err == nil {
		t.Error("a fare table not issued after the current one was published")
	}

	late, err := w.plazas[3].Exit(inTransit, before.Add(3*time.Hour))
	if err != nil {
		t.Fatalf("trip that entered under the old fares: %v", err)
	}
	after := noon.Add(time.Hour)
	if _, err := w.plazas[3].Exit(w.ticket(t, 2, 1, 3, after), after.Add(time.Hour)); !errors.Is(err, ErrFareExceedsPrice) {
		t.Errorf("trip that entered under the new fares: %v", err)
	}

	s, err := w.provider.Settle([]*UsageRequest{done, late}, day0.Add(20*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range s.Results {
		if r.Outcome != Paid || r.Fare != won(2800) {
			t.Errorf("request %d: %v %v, fare %v; want paid KRW 2800", i, r.Outcome, r.Err, r.Fare)
		}
	}

	// A provider rebuilt from the ledger keeps every table.
	p2, err := OpenProvider(w.providerKey, w.authority.PublicKey(), w.ledger, testConfig)
	if err != nil {
		t.Fatal(err)
	}
	if _, fare, err := p2.checkTicket(unused, 3, before.Add(time.Hour)); err != nil || fare != won(2800) {
		t.Errorf("rebuilt provider: fare %v, %v; want KRW 2800", fare, err)
	}
	if got := p2.Fares(); !got.Issued.Equal(noon) {
		t.Errorf("rebuilt provider's current fares issued %v, want %v", got.Issued, noon)
	}
}
