package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/credits"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Prepaid credits: a credit issuer sells credits of one value in rings of
// creditRing buyers; three machines take them over one spent store.

const (
	creditRing   = 20
	creditBuyers = 3 * creditRing
)

var creditClass = tickets.Class{Label: "device credit", Price: money.MustNew(200, eur)}

// A wallet is a car's credit: its one-time key and, once the ring is
// full, the sale.
type wallet struct {
	key  *trs.PrivateKey
	sale *tickets.Sale
}

// The issuer: its key, its ledger (with the private purchase records).
type creditIssuer struct {
	l      *ledger.File
	key    *ecdsa.PrivateKey
	issuer *tickets.Issuer
}

func newCreditIssuer(dir string) (*creditIssuer, error) {
	l, err := ledger.OpenFile(filepath.Join(dir, "credits.ledger"))
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey()
	if err != nil {
		return nil, err
	}
	is, err := tickets.OpenIssuer(ctx, key, l, tickets.Policy{RingSize: creditRing, Validity: 60 * 24 * time.Hour})
	if err != nil {
		return nil, err
	}
	return &creditIssuer{l: l, key: key, issuer: is}, nil
}

// buy sells a credit to the named device for its one-time key, and returns
// the sale's bytes when the key's ring is full.
func (ci *creditIssuer) buy(device string, key []byte, now time.Time) ([]byte, error) {
	k, err := trs.ParsePublicKey(key)
	if err != nil {
		return nil, err
	}
	sale, err := ci.issuer.Purchase(ctx, creditClass, k, []byte(device), now)
	if sale == nil || err != nil {
		return nil, err
	}
	return sale.Bytes(), nil
}

// buyer names who bought a revealed one-time key.
func (ci *creditIssuer) buyer(key []byte) (string, error) {
	k, err := trs.ParsePublicKey(key)
	if err != nil {
		return "", err
	}
	b, ok := ci.issuer.Buyer(k)
	if !ok {
		return "", errors.New("a revealed key nobody bought")
	}
	return string(b), nil
}

// spendCredits has cars buy credits and spend them at the machines; the
// doubler spends its credit a second time at another machine.
func spendCredits(dir string, cars []*car, st *stats) error {
	ci, err := newCreditIssuer(dir)
	if err != nil {
		return err
	}
	defer ci.l.Close()
	bought := start.Add(time.Hour)
	var sales [][]byte
	for i := range creditBuyers {
		k, err := trs.GenerateKey()
		if err != nil {
			return err
		}
		cars[i].credit = &wallet{key: k}
		sale, err := ci.buy(carName(i), k.Public().Bytes(), bought)
		if err != nil {
			return err
		}
		if sale != nil {
			sales = append(sales, sale)
		}
	}
	// Each buyer finds its key in a published sale.
	for i := range creditBuyers {
		w := cars[i].credit
		for _, b := range sales {
			s, err := tickets.ParseSale(b)
			if err != nil {
				return err
			}
			if err := s.Verify(ci.key.Public()); err != nil {
				return err
			}
			if _, ok := s.Ring().IndexOf(w.key.Public()); ok {
				w.sale = s
			}
		}
		if w.sale == nil {
			return fmt.Errorf("car %d: no sale has its key", i)
		}
	}

	// The machines, each its own redeemer over the spent store.
	l, err := ledger.OpenFile(filepath.Join(dir, "spent.ledger"))
	if err != nil {
		return err
	}
	defer l.Close()
	spent, err := tickets.OpenSpentStore(ctx, l)
	if err != nil {
		return err
	}
	ids := []string{"vending-1", "parking-1", "charger-0"}
	machines := make([]*credits.Machine, len(ids))
	for j, id := range ids {
		if machines[j], err = credits.NewMachine(id, creditClass, spent, ci.key.Public()); err != nil {
			return err
		}
		for _, b := range sales {
			if _, err := machines[j].AddSale(b); err != nil {
				return err
			}
		}
	}
	spend := func(i, j int, at time.Time) error {
		w := cars[i].credit
		tk, err := credits.NewSpend(w.key, w.sale, ids[j], at)
		if err != nil {
			return err
		}
		_, err = machines[j].Redeem(ctx, tk.Bytes(), at)
		return err
	}
	at := bought.Add(24 * time.Hour)
	if err := parallel(creditBuyers, func(i int) error {
		return spend(i, i%len(ids), at.Add(time.Duration(i)*time.Minute))
	}); err != nil {
		return err
	}
	st.spends = creditBuyers
	err = spend(doubler, (doubler+1)%len(ids), at.Add(48*time.Hour))
	var reuse *tickets.ReuseError
	if !errors.As(err, &reuse) || reuse.Kind != trs.Revealed {
		return fmt.Errorf("a credit spent twice: %v", err)
	}
	// The machine hands the revealed key to the issuer, which names the
	// buyer.
	if st.revealedBuyer, err = ci.buyer(reuse.Key.Bytes()); err != nil {
		return err
	}
	st.revealed++
	return nil
}
