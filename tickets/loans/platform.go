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
	"github.com/ringtrace/ringtrace/tickets/netting"
)

// A Platform runs a pool: it sets it up, registers lenders and borrowers
// once it knows who they are, closes each period with its netting
// statement, records defaults and, when a regulator or a fraud requires
// it, names the lender behind a pledge. Its ECDSA key signs its records;
// its arsig opener key opens pledges and must be kept private, since it
// names every lender.
type Platform struct {
	key    *ecdsa.PrivateKey
	opener *arsig.OpenerKey
}

// NewPlatform returns the platform with the given signing and opener keys.
func NewPlatform(key *ecdsa.PrivateKey, opener *arsig.OpenerKey) (*Platform, error) {
	if key == nil || opener == nil {
		return nil, errors.New("loans: missing platform key")
	}
	return &Platform{key: key, opener: opener}, nil
}

// Setup returns the pool's parameters record, its first: the platform's
// keys, the currency and the start of period 1 (truncated to whole
// seconds, UTC). Periods are calendar months from start.
func (pl *Platform) Setup(c money.Currency, start time.Time) ([]byte, error) {
	if pl == nil || pl.key == nil || pl.opener == nil {
		return nil, errors.New("loans: platform not made by NewPlatform")
	}
	if !c.Valid() {
		return nil, fmt.Errorf("%w: invalid currency", ErrRefused)
	}
	s, err := wire.Seconds(start)
	if err != nil {
		return nil, fmt.Errorf("%w: start: %w", ErrRefused, err)
	}
	return seal(pl.key, parametersContext, (&parameters{platform: pl.key.Public(), opener: pl.opener.Public(), currency: c, start: s}).body)
}

// poolID returns the ID of p, if it is this platform's pool.
func (pl *Platform) poolID(p *Pool) (ID, error) {
	if err := pl.usable(p); err != nil {
		return ID{}, err
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return pl.own(p)
}

// usable checks the platform and the pool it is given.
func (pl *Platform) usable(p *Pool) error {
	if pl == nil || pl.key == nil || pl.opener == nil {
		return errors.New("loans: platform not made by NewPlatform")
	}
	return p.opened()
}

// own is poolID for a caller that holds p.mu.
func (pl *Platform) own(p *Pool) (ID, error) {
	if p.params == nil || !p.params.platform.Equal(pl.key.Public()) {
		return ID{}, fmt.Errorf("%w: not this platform's pool", ErrRefused)
	}
	return p.id, nil
}

// RegisterLender returns the record adding key to the pool's lenders.
func (pl *Platform) RegisterLender(p *Pool, key *arsig.PublicKey) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: missing lender key", ErrRefused)
	}
	id, err := pl.poolID(p)
	if err != nil {
		return nil, err
	}
	return seal(pl.key, lenderContext, (&lenderRegistration{pool: id, key: key}).body)
}

// RegisterBorrower returns the record admitting key as a borrower's.
func (pl *Platform) RegisterBorrower(p *Pool, key *ecdsa.PublicKey) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: missing borrower key", ErrRefused)
	}
	id, err := pl.poolID(p)
	if err != nil {
		return nil, err
	}
	return seal(pl.key, borrowerContext, (&borrowerRegistration{pool: id, key: key}).body)
}

// Close returns the netting statement of the pool's open period, which
// closes it once submitted. The pool does not read the clock: the platform
// closes a period when its month is over.
func (pl *Platform) Close(p *Pool) ([]byte, error) {
	if err := pl.usable(p); err != nil {
		return nil, err
	}
	p.mu.RLock()
	_, err := pl.own(p)
	var obligations []netting.Obligation
	var start, end time.Time
	if err == nil {
		obligations = slices.Clone(p.obligations[p.period-1])
		start, end = p.params.periodStart(p.period), p.params.periodStart(p.period+1)
	}
	p.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	s, err := netting.Net(obligations)
	if err != nil {
		return nil, fmt.Errorf("loans: netting period: %w", err)
	}
	st, err := netting.NewStatement(pl.key, start, end, s)
	if err != nil {
		return nil, err
	}
	return st.Bytes(), nil
}

// Default returns the record that loan defaulted: its first unpaid
// instalment was due in a period that is closed.
func (pl *Platform) Default(p *Pool, loan ID) ([]byte, error) {
	if err := pl.usable(p); err != nil {
		return nil, err
	}
	p.mu.RLock()
	r, err := pl.defaultOf(p, loan)
	p.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	return seal(pl.key, defaultContext, r.body)
}

func (pl *Platform) defaultOf(p *Pool, id ID) (*loanDefault, error) {
	pool, err := pl.own(p)
	if err != nil {
		return nil, err
	}
	l := p.loans[id]
	if l == nil {
		return nil, fmt.Errorf("%w: unknown loan", ErrUnregistered)
	}
	return &loanDefault{pool: pool, loan: id, period: p.period, instalment: l.paid + 1}, nil
}

// Disclose opens pledge id and returns the record naming its lender, with the
// proof, for reason (at most 1 KiB).
func (pl *Platform) Disclose(p *Pool, id ID, reason string) ([]byte, error) {
	if err := pl.usable(p); err != nil {
		return nil, err
	}
	p.mu.RLock()
	pool, err := pl.own(p)
	var pr *pledge
	var ring *arsig.Ring
	if err == nil {
		if pr = p.pledges[id]; pr == nil {
			err = fmt.Errorf("%w: unknown pledge", ErrUnregistered)
		} else {
			ring = p.ring(pr.ring)
		}
	}
	p.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	opening, err := pl.opener.Open(ring, pr.msg, pr.sig)
	if err != nil {
		return nil, fmt.Errorf("loans: opening the pledge: %w", err)
	}
	return seal(pl.key, disclosureContext, (&disclosure{pool: pool, pledge: id, opening: opening, reason: reason}).body)
}
