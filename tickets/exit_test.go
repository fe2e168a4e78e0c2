package tickets

import (
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

func TestHonestExit(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	tk := w.ticket(t, 0, 1, 2, day0.Add(time.Hour))
	req, err := w.plazas[2].Exit(tk, day0.Add(90*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if err := req.Verify(w.plazas[2].PublicKey()); err != nil {
		t.Fatal(err)
	}
	if req.Plaza != 2 || !req.ExitTime.Equal(day0.Add(90*time.Minute)) {
		t.Errorf("request = plaza %d at %v", req.Plaza, req.ExitTime)
	}
}

func TestExitRejections(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	entry := day0.Add(time.Hour)
	exit := entry.Add(30 * time.Minute)

	// Another vehicle overhears vehicle 0's entry proof and presents it
	// with its own pass and a secret of its own.
	victim := w.ticket(t, 0, 1, 2, entry)
	var wrongSecret [TripSecretSize]byte
	wrongSecret[0] = 1
	forged, err := w.passes[1].SignTicket(victim.Entry, &wrongSecret, 2)
	if err != nil {
		t.Fatal(err)
	}

	// An entry proof from a plaza nobody registered.
	rogue := NewPlaza(99, mustKey(t), w.provider)
	rogueTrip, _ := NewTrip()
	rogueProof, _ := rogue.Enter(rogueTrip.Commitment(), entry)
	rogueTrip.SetEntryProof(rogueProof)
	rogueTicket, _ := w.passes[2].Ticket(rogueTrip, 2)

	// An entry proof signed by plaza 3's key but claiming plaza 1.
	impostor := NewPlaza(1, w.plazas[3].key, w.provider)
	impTrip, _ := NewTrip()
	impProof, _ := impostor.Enter(impTrip.Commitment(), entry)
	impTrip.SetEntryProof(impProof)
	impTicket, _ := w.passes[2].Ticket(impTrip, 2)

	// A ticket whose signature is for another message.
	badSig := w.ticket(t, 3, 1, 2, entry)
	other := w.ticket(t, 3, 2, 3, entry)
	badSig.sig = other.sig

	for _, tc := range []struct {
		name  string
		tk    *Ticket
		plaza PlazaID
		at    time.Time
		want  error
	}{
		{"overheard entry proof", forged, 2, exit, ErrBadEntryProof},
		{"unregistered entry plaza", rogueTicket, 2, exit, ErrUnknownPlaza},
		{"entry proof signed by another plaza", impTicket, 2, exit, ErrBadEntryProof},
		{"presented at another plaza", w.ticket(t, 2, 1, 2, entry), 3, exit, ErrWrongPlaza},
		{"fare exceeds price", w.ticket(t, 2, 1, 4, entry), 4, exit, ErrFareExceedsPrice},
		{"no fare for route", w.ticket(t, 2, 4, 1, entry), 1, exit, ErrNoFare},
		{"exit before entry", w.ticket(t, 2, 1, 2, entry), 2, entry.Add(-time.Second), ErrExpired},
		{"trip too long", w.ticket(t, 2, 1, 2, entry), 2, entry.Add(4*time.Hour + time.Second), ErrExpired},
		{"entry before sale", w.ticket(t, 2, 1, 2, day0.Add(-time.Minute)), 2, exit, ErrExpired},
		{"exit after validity", w.ticket(t, 2, 1, 2, day0.Add(23*time.Hour)), 2, day0.Add(24*time.Hour + time.Second), ErrExpired},
		{"invalid ring signature", badSig, 2, exit, ErrInvalidSignature},
	} {
		_, err := w.plazas[tc.plaza].Exit(tc.tk, tc.at)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	// None of the refused tickets was spent: vehicle 2 can still travel.
	if _, err := w.plazas[2].Exit(w.ticket(t, 2, 1, 2, entry), exit); err != nil {
		t.Errorf("vehicle 2's honest ticket after refusals: %v", err)
	}
	// The victim's own ticket is still good.
	if _, err := w.plazas[2].Exit(victim, exit); err != nil {
		t.Errorf("victim's ticket: %v", err)
	}
}

func TestUnknownSale(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	tk := w.ticket(t, 0, 1, 2, day0.Add(time.Hour))
	tk.Sale = 77
	if _, err := w.plazas[2].Exit(tk, day0.Add(2*time.Hour)); !errors.Is(err, ErrUnknownSale) {
		t.Errorf("err = %v", err)
	}
}

func TestDoubleUseRevealsBuyer(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	at := day0.Add(time.Hour)
	if _, err := w.plazas[2].Exit(w.ticket(t, 1, 1, 2, at), at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, err := w.plazas[3].Exit(w.ticket(t, 1, 2, 3, at.Add(2*time.Hour)), at.Add(3*time.Hour))
	var re *ReuseError
	if !errors.As(err, &re) || !errors.Is(err, ErrReused) {
		t.Fatalf("second use: %v", err)
	}
	if re.Kind != trs.Revealed || !re.Key.Equal(w.passes[1].Key()) || !re.BuyerKnown || re.Buyer != w.vehicles[1].ID() {
		t.Errorf("reuse error = %+v", re)
	}
	rv := w.provider.Reveals()
	if len(rv) != 1 || rv[0].Buyer != w.vehicles[1].ID() || rv[0].Stage != AtExit || rv[0].Plaza != 3 {
		t.Errorf("reveals = %+v", rv)
	}
}

func TestReplayIsLinked(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	at := day0.Add(time.Hour)
	tk := w.ticket(t, 0, 1, 2, at)
	if _, err := w.plazas[2].Exit(tk, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, err := w.plazas[2].Exit(tk, at.Add(time.Hour+time.Minute))
	var re *ReuseError
	if !errors.As(err, &re) || re.Kind != trs.Linked {
		t.Fatalf("replay: %v", err)
	}
	if len(w.provider.Reveals()) != 0 {
		t.Error("a replay revealed a key")
	}
}

// TestEntryProofSingleUse: after a ticket is presented its trip secret is
// public, so another ring member could copy the entry proof and secret into
// a ticket of its own. That ticket must be refused.
func TestEntryProofSingleUse(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	at := day0.Add(time.Hour)
	tk := w.ticket(t, 0, 1, 2, at)
	if _, err := w.plazas[2].Exit(tk, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	copied, err := w.passes[1].SignTicket(tk.Entry, &tk.TripSecret, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.plazas[2].Exit(copied, at.Add(time.Hour)); !errors.Is(err, ErrEntryReused) {
		t.Fatalf("copied entry proof: %v", err)
	}
}

// TestRacedEntryProofKeepsThePass: someone who overhears an honest
// vehicle's exit message and races its entry proof and trip secret to an
// exit first gets that one exit, but the honest ticket, refused, is not
// spent: the honest pass still pays for a later trip and is not revealed.
func TestRacedEntryProofKeepsThePass(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	at := day0.Add(time.Hour)
	honest := w.ticket(t, 0, 1, 2, at)
	raced, err := w.passes[1].SignTicket(honest.Entry, &honest.TripSecret, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.plazas[2].Exit(raced, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.plazas[2].Exit(honest, at.Add(time.Hour)); !errors.Is(err, ErrEntryReused) {
		t.Fatalf("honest ticket after the race: %v", err)
	}
	next := w.ticket(t, 0, 1, 2, at.Add(2*time.Hour))
	if _, err := w.plazas[2].Exit(next, at.Add(3*time.Hour)); err != nil {
		t.Fatalf("the refused ticket used up the honest pass: %v", err)
	}
}

func TestBadLengthsAndTampering(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	tk := w.ticket(t, 0, 1, 2, day0.Add(time.Hour))
	b := tk.Bytes()
	if _, err := ParseTicket(b[:len(b)-1]); err == nil {
		t.Error("short ticket accepted")
	}
	if _, err := ParseTicket(append(b, 0)); err == nil {
		t.Error("long ticket accepted")
	}
	// Flipping any byte of the message either breaks parsing or a check.
	n := len(tk.Message())
	for i := 0; i < n; i += 7 {
		bad := append([]byte(nil), b...)
		bad[i] ^= 0x40
		pt, err := ParseTicket(bad)
		if err != nil {
			continue
		}
		if _, err := w.plazas[2].Exit(pt, day0.Add(2*time.Hour)); err == nil {
			t.Errorf("ticket with byte %d flipped accepted", i)
		}
	}
}

// TestRecordsAreCopies: changing a record the provider handed out, or a
// parsed ticket's fields, changes nothing the provider checks.
func TestRecordsAreCopies(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	s, _ := w.provider.Sale(w.sales[0].ID)
	s.Price = won(1)
	w.sales[0].ValidUntil = day0
	if got, _ := w.provider.Sale(s.ID); got.Price != price || !got.ValidUntil.Equal(day0.Add(24*time.Hour)) {
		t.Fatalf("provider's sale changed: %v until %v", got.Price, got.ValidUntil)
	}
	// A ticket whose exit plaza field is changed after signing is
	// checked, and verified, for the new plaza: the signature fails.
	tk := w.ticket(t, 0, 1, 2, day0.Add(time.Hour))
	tk.ExitPlaza = 3
	if _, err := w.plazas[3].Exit(tk, day0.Add(2*time.Hour)); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("edited ticket: %v", err)
	}
}
