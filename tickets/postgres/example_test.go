package postgres_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ringtrace/ringtrace/tickets/postgres"
	"github.com/ringtrace/ringtrace/trs"
)

// A plaza checks tickets against the spent store that every plaza shares.
// (Not run by go test: it needs a server, named by RINGTRACE_POSTGRES_DSN.)
func Example() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, os.Getenv("RINGTRACE_POSTGRES_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// A sale's ring and tag, as the plaza learns them from the signed sale.
	buyer, _ := trs.GenerateKey()
	other, _ := trs.GenerateKey()
	ring, _ := trs.NewRing([]*trs.PublicKey{buyer.Public(), other.Public()})
	tag := trs.NewTag([]byte("sale-2026-11-21/7"), ring)
	validUntil := time.Now().Add(24 * time.Hour)
	const grace = 7 * 24 * time.Hour
	if err := db.SpentStore().Register(ctx, tag, validUntil.Add(grace)); err != nil {
		log.Fatal(err)
	}

	spent := trs.NewIndex(db.SpentStore())
	ticket, _ := trs.Sign(buyer, tag, []byte("exit at plaza 4"))
	res, err := spent.CheckAndAdd(ctx, tag, []byte("exit at plaza 4"), ticket)
	if err != nil {
		log.Fatal(err) // not accepted: the outcome is an error, never Fresh
	}
	fmt.Println(res.Kind) // Fresh here; at any other plaza, Linked from now on
}
