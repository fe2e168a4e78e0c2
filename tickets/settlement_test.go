package tickets

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// day runs honest trips for every vehicle but the last, plus one double use
// by vehicle 1 that a dishonest plaza let through, and returns the usage
// requests to settle.
func (w *world) day(t testing.TB) []*UsageRequest {
	t.Helper()
	var reqs []*UsageRequest
	routes := [][2]PlazaID{{1, 2}, {2, 3}, {3, 1}, {1, 3}}
	for i := range w.vehicles[:len(w.vehicles)-1] {
		r := routes[i%len(routes)]
		at := day0.Add(time.Duration(i+1) * time.Minute)
		req, err := w.plazas[r[1]].Exit(w.ticket(t, i, r[0], r[1], at), at.Add(40*time.Minute))
		if err != nil {
			t.Fatalf("vehicle %d: %v", i, err)
		}
		reqs = append(reqs, req)
	}
	// Vehicle 1 signs a second ticket; its plaza skips the exit check and
	// files it anyway. Settlement must catch it.
	at := day0.Add(5 * time.Hour)
	second := w.ticket(t, 1, 2, 1, at)
	dishonest := &UsageRequest{Plaza: 1, ExitTime: at.Add(time.Hour), Ticket: second}
	if err := signRecord(w.plazas[1].key, contextUsage, dishonest.body(), &dishonest.sig); err != nil {
		t.Fatal(err)
	}
	return append(reqs, dishonest)
}

func TestSettle(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 2)
	reqs := w.day(t)
	s, err := w.provider.Settle(reqs, day0.Add(20*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := map[PlazaID]money.Amount{}
	for _, r := range s.Results[:len(reqs)-1] {
		if r.Outcome != Paid {
			t.Fatalf("honest request: %v (%v)", r.Outcome, r.Err)
		}
		sum, ok := want[r.Plaza]
		if !ok {
			sum = money.Zero(krw)
		}
		want[r.Plaza], _ = sum.Add(r.Fare)
	}
	last := s.Results[len(reqs)-1]
	if last.Outcome != Reused || last.Reveal == nil || last.Reveal.Buyer != w.vehicles[1].ID() || !errors.Is(last.Err, ErrReused) {
		t.Fatalf("double use: %+v", last)
	}
	if len(s.Statements) != len(want) {
		t.Fatalf("%d statements for %d plazas", len(s.Statements), len(want))
	}
	for _, st := range s.Statements {
		if err := st.Verify(w.provider.PublicKey()); err != nil {
			t.Fatal(err)
		}
		if st.Amount != want[st.Plaza] || w.provider.Balance(st.Plaza) != want[st.Plaza] {
			t.Errorf("plaza %d: statement %v, balance %v, want %v", st.Plaza, st.Amount, w.provider.Balance(st.Plaza), want[st.Plaza])
		}
		for _, d := range st.Requests {
			if !st.Pays(d) {
				t.Error("statement does not list its own request")
			}
		}
	}
}

// TestSettleTwiceNeverPaysTwice files the same requests again (in the
// same batch and in a later one) and a request re-signed by its plaza for
// an already paid ticket.
func TestSettleTwiceNeverPaysTwice(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	reqs := w.day(t)
	honest := reqs[:len(reqs)-1]
	first, err := w.provider.Settle(append(honest, honest[0]), day0.Add(20*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := first.Results[len(honest)].Outcome; got != AlreadySettled {
		t.Errorf("same request twice in one batch: %v", got)
	}
	before := w.provider.Stats()

	again, err := w.provider.Settle(honest, day0.Add(21*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again.Results {
		if r.Outcome != AlreadySettled {
			t.Errorf("resettled request: %v", r.Outcome)
		}
	}
	if len(again.Statements) != 0 {
		t.Errorf("resettling issued %d statements", len(again.Statements))
	}

	resigned := &UsageRequest{Plaza: honest[0].Plaza, ExitTime: honest[0].ExitTime.Add(time.Minute), Ticket: honest[0].Ticket}
	if err := signRecord(w.plazas[resigned.Plaza].key, contextUsage, resigned.body(), &resigned.sig); err != nil {
		t.Fatal(err)
	}
	third, err := w.provider.Settle([]*UsageRequest{resigned}, day0.Add(22*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var re *ReuseError
	if r := third.Results[0]; r.Outcome != Reused || !errors.As(r.Err, &re) || re.Kind != trs.Linked {
		t.Errorf("re-signed request: %v %v", r.Outcome, r.Err)
	}
	after := w.provider.Stats()
	if !reflect.DeepEqual(before.Paid, after.Paid) {
		t.Errorf("balances changed: %v → %v", before.Paid, after.Paid)
	}
}

func TestSettleRejects(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	at := day0.Add(time.Hour)
	good, err := w.plazas[2].Exit(w.ticket(t, 0, 1, 2, at), at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// Signed by a plaza that is not the ticket's exit plaza.
	wrong := &UsageRequest{Plaza: 3, ExitTime: good.ExitTime, Ticket: good.Ticket}
	signRecord(w.plazas[3].key, contextUsage, wrong.body(), &wrong.sig)
	// Claiming plaza 2 but signed with plaza 3's key.
	forged := &UsageRequest{Plaza: 2, ExitTime: good.ExitTime.Add(time.Second), Ticket: good.Ticket}
	signRecord(w.plazas[3].key, contextUsage, forged.body(), &forged.sig)
	// Exit time past the ticket's validity.
	late := &UsageRequest{Plaza: 2, ExitTime: day0.Add(25 * time.Hour), Ticket: good.Ticket}
	signRecord(w.plazas[2].key, contextUsage, late.body(), &late.sig)

	s, err := w.provider.Settle([]*UsageRequest{wrong, forged, late, good}, day0.Add(20*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []error{ErrWrongPlaza, ErrBadSignature, ErrExpired} {
		if r := s.Results[i]; r.Outcome != Rejected || !errors.Is(r.Err, want) {
			t.Errorf("request %d: %v %v, want %v", i, r.Outcome, r.Err, want)
		}
	}
	if s.Results[3].Outcome != Paid {
		t.Errorf("good request: %v %v", s.Results[3].Outcome, s.Results[3].Err)
	}
}

// TestRebuildFromLedger runs a day on a file ledger, reopens the file and
// checks the rebuilt provider has the same state and goes on working.
func TestRebuildFromLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "toll.ledger")
	l, err := ledger.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, l, 2)
	reqs := w.day(t)
	if _, err := w.provider.Settle(reqs[:len(reqs)/2], day0.Add(20*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A double use caught at the exit, recorded as a reveal.
	at := day0.Add(6 * time.Hour)
	if _, err := w.plazas[2].Exit(w.ticket(t, 2, 1, 2, at), at.Add(time.Minute)); !errors.Is(err, ErrReused) {
		t.Fatal(err)
	}
	want := w.provider.Stats()
	wantReveals, wantStatements := w.provider.Reveals(), w.provider.Statements()
	head := l.Head()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l2, err := ledger.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if l2.Head() != head {
		t.Fatal("ledger head changed across reopen")
	}
	p2, err := OpenProvider(w.providerKey, w.authority.PublicKey(), l2, testConfig)
	if err != nil {
		t.Fatal(err)
	}
	if got := p2.Stats(); !reflect.DeepEqual(got, want) {
		t.Errorf("rebuilt stats\n got %+v\nwant %+v", got, want)
	}
	gotReveals := p2.Reveals()
	if len(gotReveals) != len(wantReveals) {
		t.Fatalf("%d reveals, want %d", len(gotReveals), len(wantReveals))
	}
	for i := range gotReveals {
		if string(gotReveals[i].Bytes()) != string(wantReveals[i].Bytes()) {
			t.Errorf("reveal %d differs", i)
		}
	}
	gotStatements := p2.Statements()
	for i := range gotStatements {
		if string(gotStatements[i].Bytes()) != string(wantStatements[i].Bytes()) {
			t.Errorf("statement %d differs", i)
		}
	}

	// The rebuilt provider remembers what was spent and settled.
	w.provider = p2
	for _, pl := range w.plazas {
		pl.provider = p2
	}
	if _, err := w.plazas[reqs[0].Plaza].Exit(reqs[0].Ticket, reqs[0].ExitTime.Add(time.Minute)); !errors.Is(err, ErrReused) {
		t.Errorf("spent ticket after rebuild: %v", err)
	}
	s, err := p2.Settle(reqs, day0.Add(21*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range s.Results {
		settledBefore := i < len(reqs)/2
		if settledBefore && r.Outcome != AlreadySettled {
			t.Errorf("request %d settled again after rebuild: %v", i, r.Outcome)
		}
		if !settledBefore && i < len(reqs)-1 && r.Outcome != Paid {
			t.Errorf("request %d: %v %v", i, r.Outcome, r.Err)
		}
	}
}

// TestSettleRejectsCopiedEntryProof: after a ticket is paid its trip
// secret is public. A plaza that skips the exit check and files another
// ring member's ticket with the same entry proof is not paid for it.
func TestSettleRejectsCopiedEntryProof(t *testing.T) {
	w := newWorld(t, ledger.NewMemory(), 1)
	at := day0.Add(time.Hour)
	first, err := w.plazas[2].Exit(w.ticket(t, 0, 1, 2, at), at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tk := first.Ticket
	copied, err := w.passes[1].SignTicket(tk.Entry, &tk.TripSecret, 2)
	if err != nil {
		t.Fatal(err)
	}
	dishonest := &UsageRequest{Plaza: 2, ExitTime: first.ExitTime, Ticket: copied}
	signRecord(w.plazas[2].key, contextUsage, dishonest.body(), &dishonest.sig)

	if _, err := w.provider.Settle([]*UsageRequest{first}, day0.Add(20*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s, err := w.provider.Settle([]*UsageRequest{dishonest}, day0.Add(21*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Results[0]; r.Outcome != Rejected || !errors.Is(r.Err, ErrEntryReused) {
		t.Errorf("copied entry proof: %v %v", r.Outcome, r.Err)
	}
	// The refused ticket was traced but not spent: pass 1 still pays for a
	// trip of its own, and is not revealed as a double user.
	own, err := w.plazas[2].Exit(w.ticket(t, 1, 1, 2, at.Add(2*time.Hour)), at.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s3, err := w.provider.Settle([]*UsageRequest{own}, day0.Add(22*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r := s3.Results[0]; r.Outcome != Paid {
		t.Errorf("own trip of the pass whose copied ticket was refused: %v %v", r.Outcome, r.Err)
	}
	// Both in one batch: the first is paid, the second refused.
	w2 := newWorld(t, ledger.NewMemory(), 1)
	first2, _ := w2.plazas[2].Exit(w2.ticket(t, 0, 1, 2, at), at.Add(time.Hour))
	copied2, _ := w2.passes[1].SignTicket(first2.Ticket.Entry, &first2.Ticket.TripSecret, 2)
	dishonest2 := &UsageRequest{Plaza: 2, ExitTime: first2.ExitTime, Ticket: copied2}
	signRecord(w2.plazas[2].key, contextUsage, dishonest2.body(), &dishonest2.sig)
	s2, err := w2.provider.Settle([]*UsageRequest{first2, dishonest2}, day0.Add(20*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if s2.Results[0].Outcome != Paid || s2.Results[1].Outcome != Rejected {
		t.Errorf("one batch: %v, %v", s2.Results[0].Outcome, s2.Results[1].Outcome)
	}
}
