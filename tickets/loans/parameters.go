package loans

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var parametersContext = contextOf("parameters")

// parameters is the pool's first record, signed by the platform: its
// signing key, the opener key pledges are encrypted to, the pool's
// currency and the start of period 1. Periods are calendar months.
type parameters struct {
	platform *ecdsa.PublicKey
	opener   *arsig.OpenerPublicKey
	currency money.Currency
	start    time.Time
	enc      []byte
}

func (r *parameters) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindParameters))
	w.ECDSAKey(r.platform)
	if r.opener == nil {
		w.Fail(errors.New("missing opener key"))
		return w.Finish()
	}
	w.Fixed(r.opener.Bytes())
	w.Fixed(r.currency[:])
	w.Time(r.start)
	return w.Finish()
}

func parseParameters(b []byte) (*parameters, error) {
	body, err := bodyOf(b, "parameters")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindParameters), "parameters", ErrMalformed)
	r := &parameters{
		platform: rd.ECDSAKey("platform"),
		opener:   wire.FixedValue(rd, "opener", arsig.OpenerPublicKeySize, arsig.ParseOpenerPublicKey),
		currency: readCurrency(rd, "currency"),
		start:    rd.Time("start"),
		enc:      slices.Clone(b),
	}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *parameters) encoded() []byte { return r.enc }

func (r *parameters) check(p *Pool) error {
	if p.params != nil {
		return fmt.Errorf("%w: the pool already has parameters", ErrDuplicate)
	}
	if !r.platform.Equal(p.platform) {
		return fmt.Errorf("%w: parameters of another platform", ErrBadSignature)
	}
	return verify(r.platform, parametersContext, r.enc, "parameters")
}

func (r *parameters) apply(p *Pool) {
	p.params = r
	p.id = digest(poolLabel, r.enc)
	p.period = 1
	p.volume = money.Zero(r.currency)
}

// periodStart returns the start of period n: n−1 calendar months after
// the start of period 1.
func (r *parameters) periodStart(n int) time.Time { return r.start.AddDate(0, n-1, 0) }
