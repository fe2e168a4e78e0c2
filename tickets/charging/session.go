package charging

import (
	"fmt"
	"math/bits"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// MaxEnergy is the most energy one session may state, in Wh (10 MWh, more
// than any vehicle's battery holds).
const MaxEnergy = 10_000_000

// Session is one charging session as the car signs it: a billing usage
// record ([billing.Usage]) whose edge is the charger, whose amount is the
// price of the energy at the charger's rate ([Price]), and whose detail
// states the energy in Wh and the rate per kWh. The car signs all of it, so
// nobody can change the energy, the rate or the amount of a session without
// the record failing to verify. Layout: docs/spec/charging.md.
//
// A Session is immutable and safe for concurrent use.
type Session struct {
	usage *billing.Usage
	detail
}

// NewSession returns the session the car with key signs under the period p
// (it must be a member of p's ring) for energy Wh delivered by charger at
// rate per kWh, ending at time t, within p's window. The amount is
// Price(energy, rate), in p's currency.
func NewSession(key *arsig.PrivateKey, p *billing.Period, charger string, energy uint64, rate money.Amount, t time.Time) (*Session, error) {
	price, err := Price(energy, rate)
	if err != nil {
		return nil, err
	}
	d := detail{energy: energy, rate: rate}
	enc, err := d.bytes()
	if err != nil {
		return nil, err
	}
	u, err := billing.NewUsage(key, p, charger, price, t, enc)
	if err != nil {
		return nil, fromBilling("session", err)
	}
	return &Session{usage: u, detail: d}, nil
}

// SessionOf reads a billing usage record — an invoice line, say — as a
// charging session: its detail must be a session's, and its amount the
// price of the stated energy at the stated rate. It checks no signature.
func SessionOf(u *billing.Usage) (*Session, error) {
	if u == nil {
		return nil, malformed("session", "missing usage record")
	}
	d, err := parseDetail(u.Detail())
	if err != nil {
		return nil, err
	}
	price, err := Price(d.energy, d.rate)
	if err != nil {
		return nil, err
	}
	if price != u.Amount() {
		return nil, fmt.Errorf("%w: session: amount %v is not the price %v of %d Wh at %v per kWh", ErrMalformed, u.Amount(), price, d.energy, d.rate)
	}
	return &Session{usage: u, detail: *d}, nil
}

// Price returns the price of energy Wh at rate per kWh, rounded up to the
// next minor unit: ⌈energy · rate / 1000⌉. energy must be 1 to
// [MaxEnergy], rate positive.
func Price(energy uint64, rate money.Amount) (money.Amount, error) {
	if energy == 0 || energy > MaxEnergy {
		return money.Amount{}, fmt.Errorf("%w: energy of %d Wh, want 1 to %d", ErrMalformed, energy, MaxEnergy)
	}
	if !rate.Valid() || rate.Sign() <= 0 {
		return money.Amount{}, fmt.Errorf("%w: rate %v is not positive", ErrMalformed, rate)
	}
	hi, lo := bits.Mul64(energy, uint64(rate.Units()))
	if hi != 0 {
		return money.Amount{}, fmt.Errorf("%w: the price of %d Wh at %v overflows", ErrMalformed, energy, rate)
	}
	units := lo / 1000
	if lo%1000 != 0 {
		units++
	}
	// units < 2^64 / 1000 < 2^63: it fits.
	return money.New(int64(units), rate.Currency())
}

// Usage returns the billing usage record, as the collector bills it.
func (s *Session) Usage() *billing.Usage {
	if s == nil {
		return nil
	}
	return s.usage
}

// Bytes returns the encoding of the usage record: what the car hands the
// charger and the charger delivers.
func (s *Session) Bytes() []byte {
	if s == nil {
		return nil
	}
	return s.usage.Bytes()
}

// ID returns the usage record's [billing.Usage.ID], by which the collector
// bills it once and a charger refuses it a second time.
func (s *Session) ID() [32]byte {
	if s == nil {
		return [32]byte{}
	}
	return s.usage.ID()
}

// Charger returns the identifier of the charger that delivered the energy.
func (s *Session) Charger() string {
	if s == nil {
		return ""
	}
	return s.usage.Edge()
}

// Energy returns the energy delivered, in Wh.
func (s *Session) Energy() uint64 {
	if s == nil {
		return 0
	}
	return s.energy
}

// Rate returns the price of one kWh.
func (s *Session) Rate() money.Amount {
	if s == nil {
		return money.Amount{}
	}
	return s.rate
}

// Amount returns what the session owes: Price(Energy, Rate).
func (s *Session) Amount() money.Amount {
	if s == nil {
		return money.Amount{}
	}
	return s.usage.Amount()
}

// Time returns the end of the session, when the car signed it.
func (s *Session) Time() time.Time {
	if s == nil {
		return time.Time{}
	}
	return s.usage.Time()
}

// detail is what a session adds to a usage record, in its detail field.
type detail struct {
	energy uint64
	rate   money.Amount
}

func (d *detail) bytes() ([]byte, error) {
	w := wire.NewWriter(uint16(kindSession))
	w.U64(d.energy)
	w.Amount(d.rate)
	return finish(w, "session detail")
}

func parseDetail(b []byte) (*detail, error) {
	r := wire.NewReader(b, uint16(kindSession), "session detail", ErrMalformed)
	d := &detail{energy: r.U64("energy"), rate: r.Amount("rate")}
	if err := r.Done(); err != nil {
		return nil, err
	}
	if _, err := Price(d.energy, d.rate); err != nil {
		return nil, err
	}
	return d, nil
}
