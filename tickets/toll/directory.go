package toll

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// directory is what plazas and operators know of the toll network from
// public records: plaza registrations and fare tables of the operators it
// trusts for them, and sales of the issuers it trusts (in a redeemer over
// the shared spent store). Every record is verified against the key that
// must have signed it before it is applied. It runs the ticket checks that
// exits and settlement share. It is safe for concurrent use; callers
// serialise check-then-apply.
type directory struct {
	registrars map[keyID]bool // whose plaza registrations and fare tables
	issuers    map[keyID]bool // whose sales
	redeemer   *tickets.Redeemer

	mu     sync.RWMutex
	plazas map[plazaRef]*plazaRegistration
	keys   map[plazaKey]PlazaID   // so that a key names one plaza of its operator
	fares  map[keyID][]*fareTable // per operator, by increasing issue time
}

func newDirectory(spent trs.Store, registrars, issuers []*ecdsa.PublicKey) (*directory, error) {
	r, err := tickets.NewRedeemer(spent, issuers...)
	if err != nil {
		return nil, err
	}
	d := &directory{
		registrars: make(map[keyID]bool), issuers: make(map[keyID]bool), redeemer: r,
		plazas: make(map[plazaRef]*plazaRegistration), keys: make(map[plazaKey]PlazaID), fares: make(map[keyID][]*fareTable),
	}
	for _, k := range registrars {
		d.registrars[idOf(k)] = true
	}
	for _, k := range issuers {
		d.issuers[idOf(k)] = true
	}
	return d, nil
}

// check verifies the public record b and returns its kind and a function
// that applies it, or a nil function if it is already applied.
func (d *directory) check(b []byte) (ledger.Kind, func() error, error) {
	k, ok := wire.KindOf(b)
	if !ok {
		return 0, nil, fmt.Errorf("%w: record header", ErrMalformed)
	}
	var apply func() error
	var err error
	switch kind := ledger.Kind(k); kind {
	case kindPlaza:
		apply, err = d.checkPlaza(b)
	case kindFares:
		apply, err = d.checkFares(b)
	case kindSale:
		apply, err = d.checkSale(b)
	default:
		err = fmt.Errorf("toll: a record of kind %#04x is not a public toll record", k)
	}
	if err != nil {
		return 0, nil, err
	}
	return ledger.Kind(k), apply, nil
}

// plazaKey is a plaza's key under its operator. A key names one plaza of
// an operator; another operator registering the same key (a partner
// copying a registration it saw) does not make an honest registration
// refused.
type plazaKey struct{ operator, key keyID }

// checkPlaza checks a plaza registration: by a trusted operator, signed by
// it, for an ID and a key that operator has not registered otherwise.
func (d *directory) checkPlaza(b []byte) (func() error, error) {
	r, err := parsePlazaRegistration(b)
	if err != nil {
		return nil, err
	}
	if !d.registrars[idOf(r.operator)] {
		return nil, fmt.Errorf("%w: %v is registered by an operator not trusted here", ErrUnknownPlaza, r.ref())
	}
	if err := r.verify(); err != nil {
		return nil, err
	}
	d.mu.RLock()
	old, dup := d.plazas[r.ref()]
	other, keyUsed := d.keys[plazaKey{idOf(r.operator), idOf(r.key)}]
	d.mu.RUnlock()
	switch {
	case dup && old.name == r.name && old.key.Equal(r.key):
		return nil, nil
	case dup:
		return nil, fmt.Errorf("toll: %v is already registered otherwise", r.ref())
	case keyUsed:
		return nil, fmt.Errorf("toll: the key of %v is already its plaza %d's", r.ref(), other)
	}
	return func() error { d.addPlaza(r); return nil }, nil
}

// checkFares checks a fare table: by a trusted operator, signed by it, and
// issued after the operator's current table, so that nobody can slip a
// table under one already applied. (A table dated between the current one
// and the present still applies to the trips entered since its date: see
// the package documentation.)
func (d *directory) checkFares(b []byte) (func() error, error) {
	t, err := parseFareTable(b)
	if err != nil {
		return nil, err
	}
	if !d.registrars[idOf(t.operator)] {
		return nil, fmt.Errorf("%w: fare table of an operator not trusted here", ErrUnknownPlaza)
	}
	if err := t.verify(); err != nil {
		return nil, err
	}
	body, _ := t.body() // checked when parsed
	d.mu.RLock()
	defer d.mu.RUnlock()
	l := d.fares[idOf(t.operator)]
	for _, old := range l {
		if o, _ := old.body(); bytes.Equal(o, body) {
			return nil, nil
		}
	}
	if len(l) > 0 && !t.issued.After(l[len(l)-1].issued) {
		return nil, fmt.Errorf("toll: fare table issued at %v, not after the current one (%v)", t.issued, l[len(l)-1].issued)
	}
	return func() error { d.addFares(t); return nil }, nil
}

// checkSale checks a sale: of toll tickets, by a trusted issuer, signed
// by it. An operator's key may sell tickets of other classes through
// [tickets.Issuer] (charging credits, review rights); those sales verify
// under the key but are not toll passes.
func (d *directory) checkSale(b []byte) (func() error, error) {
	s, err := tickets.ParseSale(b)
	if err != nil {
		return nil, err
	}
	if !d.issuers[idOf(s.Issuer())] {
		return nil, fmt.Errorf("%w: sale %d is from an operator not trusted here", tickets.ErrUnknownSale, s.Number())
	}
	if s.Class().Label != classLabel {
		return nil, fmt.Errorf("%w: sale %d is of class %q, not %q", tickets.ErrUnknownSale, s.Number(), s.Class().Label, classLabel)
	}
	if _, known := d.redeemer.Sale(s.ID()); known {
		return nil, nil
	}
	if err := s.Verify(s.Issuer()); err != nil {
		return nil, err
	}
	return func() error { _, err := d.redeemer.AddSale(b); return err }, nil
}

// replay applies a public record read from a ledger; entries of other
// kinds are left to the caller.
func (d *directory) replay(e ledger.Entry) error {
	kind, apply, err := d.check(e.Payload)
	if err != nil {
		return err
	}
	if kind != e.Kind {
		return fmt.Errorf("%w: entry of kind %#04x holds a record of kind %#04x", ErrMalformed, uint16(e.Kind), uint16(kind))
	}
	if apply != nil {
		return apply()
	}
	return nil
}

func (d *directory) addPlaza(r *plazaRegistration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.plazas[r.ref()] = r
	d.keys[plazaKey{idOf(r.operator), idOf(r.key)}] = r.id
}

// addFares appends a table issued after every table of its operator.
func (d *directory) addFares(t *fareTable) {
	d.mu.Lock()
	defer d.mu.Unlock()
	op := idOf(t.operator)
	d.fares[op] = append(d.fares[op], t)
}

func (d *directory) plaza(ref plazaRef) (*plazaRegistration, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	r, ok := d.plazas[ref]
	return r, ok
}

// faresAt returns the operator's table in force at t, the latest issued
// at or before t, or nil.
func (d *directory) faresAt(op keyID, t time.Time) *fareTable {
	d.mu.RLock()
	defer d.mu.RUnlock()
	l := d.fares[op]
	i, _ := slices.BinarySearchFunc(l, t, func(ft *fareTable, t time.Time) int {
		if ft.issued.After(t) {
			return 1
		}
		return -1
	})
	if i == 0 {
		return nil
	}
	return l[i-1]
}

// latestFares returns when the operator's newest table was issued.
func (d *directory) latestFares(op keyID) (time.Time, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	l := d.fares[op]
	if len(l) == 0 {
		return time.Time{}, false
	}
	return l[len(l)-1].issued, true
}

// checked is a ticket that passed every check short of the spent store.
type checked struct {
	acc  *tickets.Accepted
	fare money.Amount
	// entryUntil is the last moment at which another ticket presenting the
	// same entry proof could pass these checks.
	entryUntil time.Time
}

var errNilTicket = errors.New("toll: nil ticket")

// checkTicket runs every check on ticket t, presented at exit at
// exitTime, short of the spent store: cheapest first, so a forged or
// misrouted ticket costs no ring-signature work.
func (d *directory) checkTicket(t *ticket, exit plazaRef, exitTime time.Time) (*checked, error) {
	if t == nil {
		return nil, errNilTicket
	}
	if t.exit != exit {
		return nil, fmt.Errorf("%w: ticket for %v presented at %v", ErrWrongPlaza, t.exit, exit)
	}
	if _, ok := d.plaza(exit); !ok {
		return nil, fmt.Errorf("%w: exit %v", ErrUnknownPlaza, exit)
	}
	entryReg, ok := d.plaza(t.entry.plaza)
	if !ok || t.entry.plaza.operator != exit.operator {
		return nil, fmt.Errorf("%w: entry %v for an exit at %v", ErrUnknownPlaza, t.entry.plaza, exit)
	}
	if _, err := wire.Verify(entryReg.key, contextEntry, t.entry.bytes()); err != nil {
		return nil, fmt.Errorf("%w: %v's signature: %w", ErrBadEntryProof, t.entry.plaza, err)
	}
	if !t.entry.opens(&t.secret) {
		return nil, fmt.Errorf("%w: the trip secret does not open the entry commitment", ErrBadEntryProof)
	}
	sale, ok := d.redeemer.Sale(t.generic.Sale())
	if !ok {
		return nil, fmt.Errorf("%w: %x", tickets.ErrUnknownSale, t.generic.Sale())
	}
	entry := t.entry.time
	switch {
	case entry.Before(sale.ValidFrom()) || entry.After(sale.ValidUntil()):
		return nil, fmt.Errorf("%w: entry at %v outside the sale's validity", tickets.ErrExpired, entry)
	case exitTime.Before(entry):
		return nil, fmt.Errorf("%w: exit before entry", tickets.ErrExpired)
	case exitTime.After(sale.ValidUntil()):
		return nil, fmt.Errorf("%w: ticket expired at %v", tickets.ErrExpired, sale.ValidUntil())
	}
	fares := d.faresAt(exit.operator, entry)
	if fares == nil {
		return nil, fmt.Errorf("%w: no fare table in force at entry", ErrNoFare)
	}
	if exitTime.Sub(entry) > fares.maxTrip {
		return nil, fmt.Errorf("%w: trip of %v exceeds %v", tickets.ErrExpired, exitTime.Sub(entry), fares.maxTrip)
	}
	fare, ok := fares.fare(t.entry.plaza.id, exit.id)
	if !ok {
		return nil, fmt.Errorf("%w: %d→%d", ErrNoFare, t.entry.plaza.id, exit.id)
	}
	price := sale.Class().Price
	if c, err := fare.Cmp(price); err != nil || c > 0 {
		return nil, fmt.Errorf("%w: fare %v, ticket %v", ErrFareExceedsPrice, fare, price)
	}
	acc, err := d.redeemer.Accept(t.generic, exitTime)
	if err != nil {
		return nil, err
	}
	return &checked{acc: acc, fare: fare, entryUntil: entry.Add(fares.maxTrip)}, nil
}
