package charging

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/money"
)

func TestPrice(t *testing.T) {
	for _, tc := range []struct {
		energy uint64
		rate   money.Amount
		want   int64 // -1: refused
	}{
		{1000, eurs(39), 39},
		{1, eurs(39), 1},       // 0.039 rounds up
		{999, eurs(1000), 999}, // exact
		{1001, eurs(1000), 1001},
		{12345, eurs(39), 482}, // 481.455 rounds up
		{MaxEnergy, eurs(1), 10_000},
		{MaxEnergy, money.MustNew(math.MaxInt64, eur), -1}, // overflows
		{MaxEnergy + 1, eurs(1), -1},
		{0, eurs(39), -1},
		{1000, eurs(0), -1},
		{1000, eurs(-5), -1},
		{1000, money.Amount{}, -1},
	} {
		got, err := Price(tc.energy, tc.rate)
		if tc.want < 0 {
			if err == nil {
				t.Errorf("Price(%d, %v) = %v, want an error", tc.energy, tc.rate, got)
			} else {
				wantErr(t, err, ErrMalformed)
			}
			continue
		}
		if err != nil || got != eurs(tc.want) {
			t.Errorf("Price(%d, %v) = %v, %v; want %d", tc.energy, tc.rate, got, err, tc.want)
		}
	}
	// The largest product that fits: no overflow below it.
	big := money.MustNew(math.MaxUint64/MaxEnergy, eur)
	if got, err := Price(MaxEnergy, big); err != nil || uint64(got.Units()) != (MaxEnergy*uint64(big.Units())+999)/1000 {
		t.Errorf("Price(MaxEnergy, %v) = %v, %v", big, got, err)
	}
}

// TestSession: a session states what the car signed, and SessionOf reads
// it back from the usage record's bytes as a charger's edge accepts them.
func TestSession(t *testing.T) {
	w := newWorld(t, 2)
	p := w.descriptor()
	end := tStart.Add(90*time.Minute + 500*time.Millisecond)
	s, err := NewSession(w.cars[1], p, "charger-7", 12345, rate, end)
	must(t, err)
	if s.Charger() != "charger-7" || s.Energy() != 12345 || s.Rate() != rate || s.Amount() != eurs(482) ||
		!s.Time().Equal(end.Truncate(time.Second)) || s.ID() != s.Usage().ID() || !bytes.Equal(s.Bytes(), s.Usage().Bytes()) {
		t.Fatal("session fields")
	}
	edge, err := billing.NewEdge(p, "charger-7")
	must(t, err)
	u, err := edge.Accept(s.Bytes())
	must(t, err)
	got, err := SessionOf(u)
	must(t, err)
	if got.Energy() != 12345 || got.Rate() != rate || got.Amount() != s.Amount() || got.ID() != s.ID() {
		t.Fatal("SessionOf fields")
	}

	t.Run("not a session", func(t *testing.T) {
		u, err := billing.NewUsage(w.cars[0], p, "charger-7", eurs(482), tStart, []byte("12345 Wh"))
		must(t, err)
		_, err = SessionOf(u)
		wantErr(t, err, ErrMalformed)
	})
	t.Run("amount is not the price", func(t *testing.T) {
		d, err := (&detail{energy: 12345, rate: rate}).bytes()
		must(t, err)
		for _, cents := range []int64{481, 483} {
			u, err := billing.NewUsage(w.cars[0], p, "charger-7", eurs(cents), tStart, d)
			must(t, err)
			_, err = SessionOf(u)
			wantErr(t, err, ErrMalformed)
		}
	})
	t.Run("rate in another currency", func(t *testing.T) {
		usd := money.MustNew(39, money.MustCurrency("USD"))
		d, err := (&detail{energy: 1000, rate: usd}).bytes()
		must(t, err)
		u, err := billing.NewUsage(w.cars[0], p, "charger-7", eurs(39), tStart, d)
		must(t, err)
		_, err = SessionOf(u)
		wantErr(t, err, ErrMalformed)
		_, err = NewSession(w.cars[0], p, "charger-7", 1000, usd, tStart)
		wantErr(t, err, ErrRefused, billing.ErrPeriod)
	})
	t.Run("bad inputs", func(t *testing.T) {
		for name, f := range map[string]func() error{
			"nil usage":   func() error { _, err := SessionOf(nil); return err },
			"no energy":   func() error { _, err := NewSession(w.cars[0], p, "c", 0, rate, tStart); return err },
			"no rate":     func() error { _, err := NewSession(w.cars[0], p, "c", 1, money.Amount{}, tStart); return err },
			"nil key":     func() error { _, err := NewSession(nil, p, "c", 1, rate, tStart); return err },
			"nil period":  func() error { _, err := NewSession(w.cars[0], nil, "c", 1, rate, tStart); return err },
			"bad charger": func() error { _, err := NewSession(w.cars[0], p, "a b", 1, rate, tStart); return err },
		} {
			if err := f(); err == nil {
				t.Errorf("%s: accepted", name)
			} else {
				wantErr(t, err, ErrMalformed)
			}
		}
		if _, err := NewSession(w.cars[0], p, "c", 1, rate, tEnd); err == nil {
			t.Error("a session after the period's end")
		} else {
			wantErr(t, err, ErrRefused, billing.ErrPeriod)
		}
		var nilSession *Session
		if nilSession.Bytes() != nil || nilSession.Energy() != 0 || nilSession.Usage() != nil || nilSession.Charger() != "" ||
			nilSession.ID() != [32]byte{} || nilSession.Amount() != (money.Amount{}) || nilSession.Rate() != (money.Amount{}) || !nilSession.Time().IsZero() {
			t.Error("nil session accessors")
		}
	})
}

// TestDetailCanonical: the detail parser refuses every change of length and
// every out-of-range value, and accepts exactly what it writes.
func TestDetailCanonical(t *testing.T) {
	good, err := (&detail{energy: 12345, rate: rate}).bytes()
	must(t, err)
	d, err := parseDetail(good)
	must(t, err)
	if d.energy != 12345 || d.rate != rate {
		t.Fatal("round trip")
	}
	for n := range len(good) {
		if _, err := parseDetail(good[:n]); err == nil {
			t.Errorf("accepted %d of %d bytes", n, len(good))
		}
	}
	if _, err := parseDetail(append(bytes.Clone(good), 0)); err == nil {
		t.Error("accepted a trailing byte")
	}
	for _, bad := range []detail{{0, rate}, {MaxEnergy + 1, rate}, {1, eurs(0)}, {1, eurs(-1)}} {
		w, err := (&detail{energy: bad.energy, rate: bad.rate}).bytes()
		must(t, err) // the writer does not judge; the parser does
		if _, err := parseDetail(w); err == nil {
			t.Errorf("accepted %d Wh at %v", bad.energy, bad.rate)
		}
	}
	for _, b := range [][]byte{
		append([]byte{2}, good[1:]...),             // version
		append([]byte{1, 0x0d, 0x02}, good[3:]...), // kind
	} {
		if _, err := parseDetail(b); err == nil {
			t.Errorf("accepted %x", b)
		}
	}
}
