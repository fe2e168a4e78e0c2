package loans

import (
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
)

var (
	lenderContext   = contextOf("lender")
	borrowerContext = contextOf("borrower")
)

// lenderRegistration adds an arsig key to the pool's ring of lenders,
// signed by the platform once it knows who holds the key (off the ledger).
type lenderRegistration struct {
	pool ID
	key  *arsig.PublicKey
	enc  []byte
}

func (r *lenderRegistration) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindLender))
	w.Fixed(r.pool[:])
	w.Fixed(r.key.Bytes())
	return w.Finish()
}

func parseLenderRegistration(b []byte) (*lenderRegistration, error) {
	body, err := bodyOf(b, "lender registration")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindLender), "lender registration", ErrMalformed)
	r := &lenderRegistration{
		pool: readID(rd, "pool"),
		key:  wire.FixedValue(rd, "lender", arsig.PublicKeySize, arsig.ParsePublicKey),
		enc:  slices.Clone(b),
	}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *lenderRegistration) encoded() []byte { return r.enc }

func (r *lenderRegistration) check(p *Pool) error {
	if err := p.checkPlatformRecord(r.pool, lenderContext, r.enc, "lender registration"); err != nil {
		return err
	}
	if p.lenderIndex[[arsig.PublicKeySize]byte(r.key.Bytes())] {
		return fmt.Errorf("%w: lender key registered already", ErrDuplicate)
	}
	if len(p.lenders) >= arsig.MaxRingSize {
		return fmt.Errorf("%w: the pool has %d lenders, the most a ring holds", ErrRefused, len(p.lenders))
	}
	return nil
}

func (r *lenderRegistration) apply(p *Pool) {
	p.lenders = append(p.lenders, r.key)
	p.lenderIndex[[arsig.PublicKeySize]byte(r.key.Bytes())] = true
}

// borrowerRegistration admits an ECDSA key as a borrower's, signed by the
// platform.
type borrowerRegistration struct {
	pool ID
	key  *ecdsa.PublicKey
	enc  []byte
}

func (r *borrowerRegistration) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindBorrower))
	w.Fixed(r.pool[:])
	w.ECDSAKey(r.key)
	return w.Finish()
}

func parseBorrowerRegistration(b []byte) (*borrowerRegistration, error) {
	body, err := bodyOf(b, "borrower registration")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindBorrower), "borrower registration", ErrMalformed)
	r := &borrowerRegistration{pool: readID(rd, "pool"), key: rd.ECDSAKey("borrower"), enc: slices.Clone(b)}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *borrowerRegistration) encoded() []byte { return r.enc }

func (r *borrowerRegistration) check(p *Pool) error {
	if err := p.checkPlatformRecord(r.pool, borrowerContext, r.enc, "borrower registration"); err != nil {
		return err
	}
	if p.borrowers[string(r.key.Bytes())] != nil {
		return fmt.Errorf("%w: borrower key registered already", ErrDuplicate)
	}
	return nil
}

func (r *borrowerRegistration) apply(p *Pool) { p.borrowers[string(r.key.Bytes())] = r.key }
