package toll

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/trs"
)

func TestHonestExit(t *testing.T) {
	w := newWorld(t, 1)
	tk := w.ticket(t, 0, 0, 1, 2, day0.Add(time.Hour))
	req, err := w.plaza(0, 2).Exit(ctx, tk, day0.Add(90*time.Minute))
	check(t, err)
	r, err := parseUsageRequest(req)
	check(t, err)
	if err := verifyRecord(w.ops[0].plazas[2].key.Public(), contextUsage, "usage request", req); err != nil {
		t.Fatal(err)
	}
	if r.plaza.id != 2 || !r.operator.Equal(w.ops[0].key.Public()) || !r.exitTime.Equal(day0.Add(90*time.Minute)) || !bytes.Equal(r.ticket.bytes(), tk) {
		t.Errorf("request = %v at %v", r.plaza, r.exitTime)
	}
}

func TestExitRejections(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	entry := day0.Add(time.Hour)
	exit := entry.Add(30 * time.Minute)

	// Vehicle 1 overhears vehicle 0's entry proof and presents it with its
	// own pass and a secret of its own.
	victimTrip := w.enter(t, 0, 1, entry)
	victim, err := w.vehicles[0].pass.Ticket(victimTrip, a.key.Public(), 2)
	check(t, err)
	forged, err := w.vehicles[1].pass.Sign(victimTrip.proof.bytes(), [TripSecretSize]byte{1}, a.key.Public(), 2)
	check(t, err)

	// An entry proof from a plaza nobody registered, one signed by plaza
	// 3's key claiming plaza 1, and one from the partner's plaza 1.
	withEntry := func(proof []byte, secret [TripSecretSize]byte, exitPlaza PlazaID) []byte {
		tk, err := w.vehicles[2].pass.Sign(proof, secret, a.key.Public(), exitPlaza)
		check(t, err)
		return tk
	}
	var secret [TripSecretSize]byte
	secret[0] = 9
	c := commitmentOf(&secret)
	rogue := withEntry(signEntry(t, mustKey(t), a.key.Public(), 99, entry, c), secret, 2)
	impostor := withEntry(signEntry(t, a.plazas[3].key, a.key.Public(), 1, entry, c), secret, 2)
	partnerEntry := withEntry(signEntry(t, w.ops[1].plazas[1].key, w.ops[1].key.Public(), 1, entry, c), secret, 2)

	// A ticket whose signature is for another message.
	goodMsg, _ := parseTicket(w.ticket(t, 3, 0, 1, 2, entry))
	otherMsg, _ := parseTicket(w.ticket(t, 3, 0, 2, 3, entry))
	badSig := ticketWith(t, goodMsg.generic.Sale(), goodMsg.generic.Message(), otherMsg.generic.Signature())
	// A ticket naming a sale nobody published.
	unknownSale := ticketWith(t, tickets.SaleID{7}, goodMsg.generic.Message(), goodMsg.generic.Signature())

	for _, tc := range []struct {
		name  string
		tk    []byte
		plaza PlazaID
		at    time.Time
		want  error
	}{
		{"overheard entry proof", forged, 2, exit, ErrBadEntryProof},
		{"unregistered entry plaza", rogue, 2, exit, ErrUnknownPlaza},
		{"entry proof signed by another plaza", impostor, 2, exit, ErrBadEntryProof},
		{"entry at the partner's plaza", partnerEntry, 2, exit, ErrUnknownPlaza},
		{"presented at another plaza", w.ticket(t, 2, 0, 1, 2, entry), 3, exit, ErrWrongPlaza},
		{"fare exceeds price", w.ticket(t, 2, 0, 1, 4, entry), 4, exit, ErrFareExceedsPrice},
		{"no fare for route", w.ticket(t, 2, 0, 4, 1, entry), 1, exit, ErrNoFare},
		{"exit before entry", w.ticket(t, 2, 0, 1, 2, entry), 2, entry.Add(-time.Second), tickets.ErrExpired},
		{"trip too long", w.ticket(t, 2, 0, 1, 2, entry), 2, entry.Add(maxTrip + time.Second), tickets.ErrExpired},
		{"entry before sale", w.ticket(t, 2, 0, 1, 2, day0.Add(-time.Minute)), 2, exit, tickets.ErrExpired},
		{"exit after validity", w.ticket(t, 2, 0, 1, 2, day0.Add(23*time.Hour)), 2, day0.Add(24*time.Hour + time.Second), tickets.ErrExpired},
		{"invalid ring signature", badSig, 2, exit, tickets.ErrInvalidSignature},
		{"unknown sale", unknownSale, 2, exit, tickets.ErrUnknownSale},
		{"malformed", victim[:len(victim)-1], 2, exit, ErrMalformed},
	} {
		_, err := w.plaza(0, tc.plaza).Exit(ctx, tc.tk, tc.at)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := w.plaza(0, 2).Exit(ctx, badSig, exit); !errors.Is(err, trs.ErrInvalidSignature) {
		t.Errorf("the trs cause is not wrapped: %v", err)
	}
	if _, err := w.plaza(0, 2).Exit(ctx, victim[:len(victim)-1], exit); !errors.Is(err, tickets.ErrMalformed) {
		t.Errorf("the generic parser's error is not wrapped: %v", err)
	}
	// None of the refused tickets was spent: vehicle 2 can still travel,
	// and the victim's own ticket is still good.
	if _, err := w.plaza(0, 2).Exit(ctx, w.ticket(t, 2, 0, 1, 2, entry), exit); err != nil {
		t.Errorf("vehicle 2's honest ticket after refusals: %v", err)
	}
	if _, err := w.plaza(0, 2).Exit(ctx, victim, exit); err != nil {
		t.Errorf("victim's ticket: %v", err)
	}
	if n := w.spentCount(); n != 2 {
		t.Errorf("%d tickets spent, want 2", n)
	}
}

// ticketWith builds a generic ticket from parts, as a forger would.
func ticketWith(t *testing.T, sale tickets.SaleID, msg []byte, sig *trs.Signature) []byte {
	t.Helper()
	var b []byte
	b = append(b, 1, 0x01, 0x03)
	b = append(b, sale[:]...)
	b = appendField(b, msg)
	b = appendField(b, sig.Bytes())
	if _, err := tickets.ParseTicket(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func appendField(b, f []byte) []byte {
	n := len(f)
	return append(append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n)), f...)
}

// TestUnregisteredPlaza: a plaza whose registration it has not received
// signs no entry proof and accepts no ticket.
func TestUnregisteredPlaza(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	st := Stores{Ledger: newTestLedger(), Spent: w.spent, Used: w.used}
	p, err := OpenPlaza(ctx, mustKey(t), 2, a.key.Public(), nil, st)
	check(t, err)
	for _, s := range w.sales {
		check(t, p.Apply(ctx, s))
	}
	for _, r := range a.records {
		check(t, p.Apply(ctx, r))
	}
	// Plaza 2 is registered, but with another key.
	if _, err := p.Enter([32]byte{}, day0); !errors.Is(err, ErrUnknownPlaza) {
		t.Errorf("entry: %v", err)
	}
	if _, err := p.Exit(ctx, w.ticket(t, 0, 0, 1, 2, day0.Add(time.Hour)), day0.Add(2*time.Hour)); !errors.Is(err, ErrUnknownPlaza) {
		t.Errorf("exit: %v", err)
	}
}

func TestDoubleUseRevealsBuyer(t *testing.T) {
	w := newWorld(t, 1)
	at := day0.Add(time.Hour)
	_, err := w.plaza(0, 2).Exit(ctx, w.ticket(t, 1, 0, 1, 2, at), at.Add(time.Hour))
	check(t, err)
	second := w.ticket(t, 1, 0, 2, 3, at.Add(2*time.Hour))
	_, err = w.plaza(0, 3).Exit(ctx, second, at.Add(3*time.Hour))
	var re *tickets.ReuseError
	if !errors.As(err, &re) || !errors.Is(err, tickets.ErrReused) || re.Kind != trs.Revealed || !re.Key.Equal(w.vehicles[1].pass.key.Public()) {
		t.Fatalf("second use: %v", err)
	}
	// The plaza sends the refused ticket to the operator that sold it,
	// which names the buyer.
	if !re.Sale.Issuer().Equal(w.ops[0].key.Public()) {
		t.Fatal("the error does not name the sale's issuer")
	}
	buyer, err := w.ops[0].op.Reveal(ctx, second)
	if err != nil || buyer != w.vehicles[1].id {
		t.Errorf("reveal: vehicle %d, %v; want %d", buyer, err, w.vehicles[1].id)
	}
	// Another operator cannot, and an unrevealed ticket reveals nothing.
	if _, err := w.ops[1].op.Reveal(ctx, second); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("the partner revealed another operator's buyer: %v", err)
	}
	if _, err := w.ops[0].op.Reveal(ctx, w.ticket(t, 2, 0, 1, 2, at)); err == nil {
		t.Error("an unspent ticket was revealed")
	}
}

func TestReplayIsLinked(t *testing.T) {
	w := newWorld(t, 1)
	at := day0.Add(time.Hour)
	tk := w.ticket(t, 0, 0, 1, 2, at)
	_, err := w.plaza(0, 2).Exit(ctx, tk, at.Add(time.Hour))
	check(t, err)
	_, err = w.plaza(0, 2).Exit(ctx, tk, at.Add(time.Hour+time.Minute))
	var re *tickets.ReuseError
	if !errors.As(err, &re) || re.Kind != trs.Linked {
		t.Fatalf("replay: %v", err)
	}
	if _, err := w.ops[0].op.Reveal(ctx, tk); err == nil {
		t.Error("a replay revealed a key")
	}
}

// TestEntryProofSingleUse: after a ticket is presented its trip secret is
// public, so another ring member could copy the entry proof and secret
// into a ticket of its own. That ticket is refused.
func TestEntryProofSingleUse(t *testing.T) {
	w := newWorld(t, 1)
	at := day0.Add(time.Hour)
	trip := w.enter(t, 0, 1, at)
	tk, err := w.vehicles[0].pass.Ticket(trip, w.ops[0].key.Public(), 2)
	check(t, err)
	_, err = w.plaza(0, 2).Exit(ctx, tk, at.Add(time.Hour))
	check(t, err)
	copied, err := w.vehicles[1].pass.Sign(trip.proof.bytes(), trip.secret, w.ops[0].key.Public(), 3)
	check(t, err)
	if _, err := w.plaza(0, 3).Exit(ctx, copied, at.Add(time.Hour)); !errors.Is(err, ErrEntryReused) {
		t.Fatalf("copied entry proof: %v", err)
	}
}

// TestRacedEntryProofKeepsThePass: someone who overhears an honest
// vehicle's exit message and races its entry proof and trip secret to an
// exit first gets that one exit, but the honest ticket, refused, is not
// spent: the honest pass still pays for a later trip and is not revealed.
func TestRacedEntryProofKeepsThePass(t *testing.T) {
	w := newWorld(t, 1)
	at := day0.Add(time.Hour)
	trip := w.enter(t, 0, 1, at)
	honest, err := w.vehicles[0].pass.Ticket(trip, w.ops[0].key.Public(), 2)
	check(t, err)
	raced, err := w.vehicles[1].pass.Sign(trip.proof.bytes(), trip.secret, w.ops[0].key.Public(), 2)
	check(t, err)
	_, err = w.plaza(0, 2).Exit(ctx, raced, at.Add(time.Hour))
	check(t, err)
	if _, err := w.plaza(0, 2).Exit(ctx, honest, at.Add(time.Hour)); !errors.Is(err, ErrEntryReused) {
		t.Fatalf("honest ticket after the race: %v", err)
	}
	next := w.ticket(t, 0, 0, 1, 2, at.Add(2*time.Hour))
	if _, err := w.plaza(0, 2).Exit(ctx, next, at.Add(3*time.Hour)); err != nil {
		t.Fatalf("the refused ticket used up the honest pass: %v", err)
	}
}

func TestBadLengthsAndTampering(t *testing.T) {
	w := newWorld(t, 1)
	tk := w.ticket(t, 0, 0, 1, 2, day0.Add(time.Hour))
	if _, err := w.plaza(0, 2).Exit(ctx, tk[:len(tk)-1], day0.Add(2*time.Hour)); !errors.Is(err, ErrMalformed) {
		t.Errorf("short ticket: %v", err)
	}
	if _, err := w.plaza(0, 2).Exit(ctx, append(bytes.Clone(tk), 0), day0.Add(2*time.Hour)); !errors.Is(err, ErrMalformed) {
		t.Errorf("long ticket: %v", err)
	}
	// Flipping any byte before the ring signature either breaks parsing or
	// a check.
	g, _ := parseTicket(tk)
	n := len(tk) - len(g.generic.Signature().Bytes())
	for i := 0; i < n; i++ {
		bad := bytes.Clone(tk)
		bad[i] ^= 0x40
		if _, err := w.plaza(0, 2).Exit(ctx, bad, day0.Add(2*time.Hour)); err == nil {
			t.Errorf("ticket with byte %d flipped accepted", i)
		}
	}
}

// TestTicketFieldsAreSigned: a ticket re-encoded to name another exit
// plaza does not verify there; records handed to a plaza or returned by
// it are copies.
func TestTicketFieldsAreSigned(t *testing.T) {
	w := newWorld(t, 1)
	tk := w.ticket(t, 0, 0, 1, 2, day0.Add(time.Hour))
	g, _ := parseTicket(tk)
	msg, err := ticketMessage(g.entry, &g.secret, g.exitOperator, 3)
	check(t, err)
	moved := ticketWith(t, g.generic.Sale(), msg, g.generic.Signature())
	if _, err := w.plaza(0, 3).Exit(ctx, moved, day0.Add(2*time.Hour)); !errors.Is(err, tickets.ErrInvalidSignature) {
		t.Errorf("ticket moved to plaza 3: %v", err)
	}
	// Changing the bytes after handing them over changes nothing.
	held := bytes.Clone(tk)
	req, err := w.plaza(0, 2).Exit(ctx, held, day0.Add(2*time.Hour))
	check(t, err)
	for i := range held {
		held[i] = 0
	}
	if r, err := parseUsageRequest(req); err != nil || !bytes.Equal(r.ticket.bytes(), tk) {
		t.Errorf("the request changed with the caller's bytes: %v", err)
	}
}

// TestOtherClassRefused: an operator's key that also sells tickets of
// another class (a charging credit, a review right) through
// [tickets.Issuer] makes sales that verify under the key. Those are not
// toll passes: plazas and operators refuse to apply them, so a holder of
// such a ticket cannot exit with it.
func TestOtherClassRefused(t *testing.T) {
	w := newWorld(t, 1)
	a := w.ops[0]
	is, err := tickets.OpenIssuer(ctx, a.key, newTestLedger(), testPolicy)
	check(t, err)
	var keys []*trs.PrivateKey
	var sale *tickets.Sale
	for range testPolicy.RingSize {
		k, err := trs.GenerateKey()
		check(t, err)
		keys = append(keys, k)
		sale, err = is.Purchase(ctx, tickets.Class{Label: "charging", Price: price}, k.Public(), nil, day0)
		check(t, err)
	}
	if err := w.plaza(0, 2).Apply(ctx, sale.Bytes()); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("plaza applied a sale of class %q: %v", sale.Class().Label, err)
	}
	if err := a.op.Apply(ctx, sale.Bytes()); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("operator applied a sale of class %q: %v", sale.Class().Label, err)
	}
	if err := w.ops[1].op.Apply(ctx, sale.Bytes()); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("partner applied a sale of class %q: %v", sale.Class().Label, err)
	}
	pass := &Pass{key: keys[0], sale: sale}
	tk, err := pass.Ticket(w.enter(t, 0, 1, day0.Add(time.Hour)), a.key.Public(), 2)
	check(t, err)
	if _, err := w.plaza(0, 2).Exit(ctx, tk, day0.Add(2*time.Hour)); !errors.Is(err, tickets.ErrUnknownSale) {
		t.Errorf("a %q ticket exited: %v", sale.Class().Label, err)
	}
}
