package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/postgres"
)

// The -postgres mode keeps what the roles share in one PostgreSQL
// database, as plazas and operators on many machines would: the spent
// tickets and the used entry commitments of every exit, and each role's
// ledger as a chain of its own.

// settlementGrace is how long after a sale's validity its spent tickets
// stay in the database, for settlement; then SpentStore.Prune may drop
// them.
const settlementGrace = 7 * 24 * time.Hour

// postgresRun is one run of the day on a database. Its chains are named
// "toll/<run>/<role>", so runs on one database stay apart; the spent
// store and the used set are shared by every run (each run's keys, and
// so its sales' tags, are new).
type postgresRun struct {
	db  *postgres.DB
	run string
}

func openPostgres(dsn string) (*postgresRun, error) {
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	var id [4]byte
	rand.Read(id[:])
	return &postgresRun{db: db, run: hex.EncodeToString(id[:])}, nil
}

func (p *postgresRun) where() string { return fmt.Sprintf("PostgreSQL (chains toll/%s/*)", p.run) }

// ledger opens the chain of role name.
func (p *postgresRun) ledger(name string) (ledger.Ledger, error) {
	l, err := p.db.Ledger(ctx, "toll/"+p.run+"/"+name)
	if err != nil {
		return nil, err
	}
	return &registeringLedger{Ledger: l, spent: p.db.SpentStore()}, nil
}

// registeringLedger is a role's ledger that registers the tag of every
// sale the role records with the spent store first: the database's spent
// store checks tickets only under registered tags, until the sale's
// validity ends plus the settlement grace. Operators record their sales,
// plazas and partners the sales they apply, always before they check a
// ticket of the sale.
type registeringLedger struct {
	ledger.Ledger
	spent *postgres.SpentStore
}

func (l *registeringLedger) Append(ctx context.Context, kind ledger.Kind, payload []byte) (ledger.Entry, error) {
	if s, err := tickets.ParseSale(payload); err == nil {
		if err := l.spent.Register(ctx, s.Tag(), s.ValidUntil().Add(settlementGrace)); err != nil {
			return ledger.Entry{}, err
		}
	}
	return l.Ledger.Append(ctx, kind, payload)
}
