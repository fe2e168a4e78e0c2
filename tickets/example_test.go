package tickets_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Example runs the toll flow for a ring of three tickets: registration,
// purchase, entry, exit, a double use, and settlement.
func Example() {
	krw := money.MustCurrency("KRW")
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	raKey, _ := ecdsa.GenerateKey()
	authority := tickets.NewAuthority(raKey)
	providerKey, _ := ecdsa.GenerateKey()
	provider, _ := tickets.OpenProvider(providerKey, authority.PublicKey(), ledger.NewMemory(), tickets.Config{
		Currency: krw, RingSize: 3, SaleValidity: 24 * time.Hour, MaxTrip: 3 * time.Hour,
	})

	// Two plazas and the fare between them.
	var plazas []*tickets.Plaza
	for id, name := range map[tickets.PlazaID]string{1: "Seoul", 2: "Suwon"} {
		key, _ := ecdsa.GenerateKey()
		provider.RegisterPlaza(id, name, key.Public())
		plazas = append(plazas, tickets.NewPlaza(id, key, provider))
	}
	plaza := func(id tickets.PlazaID) *tickets.Plaza {
		for _, p := range plazas {
			if p.ID() == id {
				return p
			}
		}
		return nil
	}
	provider.PublishFares([]tickets.Fare{{Entry: 1, Exit: 2, Amount: money.MustNew(1300, krw)}}, now)

	// Three vehicles buy a ticket each; the third purchase completes the ring.
	var passes []*tickets.Pass
	var vehicles []*tickets.Vehicle
	var sale *tickets.Sale
	for id := tickets.VehicleID(7); id < 10; id++ {
		v, _ := tickets.NewVehicle(id)
		reg, _ := authority.Register(id, v.PublicKey(), now)
		v.SetRegistration(reg, authority.PublicKey())
		order, _ := v.OrderTicket(money.MustNew(2000, krw), now)
		if s, _ := provider.Purchase(reg, order, now); s != nil {
			sale = s
		}
		vehicles = append(vehicles, v)
	}
	for _, v := range vehicles {
		ps, _ := v.Claim(sale, provider.PublicKey())
		passes = append(passes, ps[0])
	}
	fmt.Println("sale ring size:", sale.Ring().Len())

	// A trip: commit to a secret at entry, reveal it in the ticket at exit.
	trip := func(pass *tickets.Pass, at time.Time) *tickets.Ticket {
		t, _ := tickets.NewTrip()
		proof, _ := plaza(1).Enter(t.Commitment(), at)
		t.SetEntryProof(proof)
		ticket, _ := pass.Ticket(t, 2)
		return ticket
	}
	req, err := plaza(2).Exit(trip(passes[0], now), now.Add(40*time.Minute))
	fmt.Println("first trip accepted:", err == nil)

	// The same pass again: its one-time key is revealed and traced to
	// the buyer.
	_, err = plaza(2).Exit(trip(passes[0], now.Add(time.Hour)), now.Add(100*time.Minute))
	var reuse *tickets.ReuseError
	if errors.As(err, &reuse) {
		fmt.Println("second trip:", reuse.Kind, "buyer", reuse.Buyer)
	}

	s, _ := provider.Settle([]*tickets.UsageRequest{req, req}, now.Add(12*time.Hour))
	fmt.Println("settlement:", s.Results[0].Outcome, s.Results[1].Outcome)
	fmt.Println("plaza 2 balance:", provider.Balance(2))
	// Output:
	// sale ring size: 3
	// first trip accepted: true
	// second trip: revealed buyer 7
	// settlement: paid already settled
	// plaza 2 balance: KRW 1300
}
