package loans

import (
	"fmt"
	"slices"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var pledgeContext = contextOf("pledge")

// pledge is a lender's promise to fund part of a loan. Its message names
// the pool, loan, period, amount, the account that pays the amount and
// receives the repayments, and the ring: the first ring lenders
// registered. The message is signed anonymously by a member of that ring
// (arsig, with the platform as opener), and the whole record by the
// account's key, so nobody can pledge from an account that is not theirs.
// Its ID is the digest of the message, so the same pledge signed again is
// the same pledge.
type pledge struct {
	pool    ID
	loan    ID
	period  int
	amount  money.Amount
	account *ecdsa.PublicKey
	ring    int
	nonce   [nonceSize]byte
	sig     *arsig.Signature
	enc     []byte
	msg     []byte // the ring-signed message
	pid     ID     // the digest of msg
}

// message is what the ring signature signs: everything but the two
// signatures.
func (r *pledge) message() ([]byte, error) {
	w := wire.NewWriter(uint16(kindPledge))
	r.writeMessage(w)
	return w.Finish()
}

func (r *pledge) writeMessage(w *wire.Writer) {
	w.Fixed(r.pool[:])
	w.Fixed(r.loan[:])
	writePeriod(w, r.period)
	w.Amount(r.amount)
	w.ECDSAKey(r.account)
	w.U32(uint32(r.ring))
	w.Fixed(r.nonce[:])
	if r.amount.Sign() <= 0 {
		w.Fail(fmt.Errorf("pledge of %v", r.amount))
	}
	if r.ring < 1 || r.ring > arsig.MaxRingSize {
		w.Fail(fmt.Errorf("ring of %d lenders", r.ring))
	}
}

func (r *pledge) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindPledge))
	r.writeMessage(w)
	if r.sig == nil {
		w.Fail(fmt.Errorf("pledge without a ring signature"))
		return w.Finish()
	}
	w.Bytes(r.sig.Bytes())
	return w.Finish()
}

func parsePledge(b []byte) (*pledge, error) {
	body, err := bodyOf(b, "pledge")
	if err != nil {
		return nil, err
	}
	rd := wire.NewReader(body, uint16(kindPledge), "pledge", ErrMalformed)
	r := &pledge{
		pool:    readID(rd, "pool"),
		loan:    readID(rd, "loan"),
		period:  readPeriod(rd, "period"),
		amount:  readPositive(rd, "amount"),
		account: rd.ECDSAKey("account"),
		ring:    int(rd.U32("ring")),
		enc:     slices.Clone(b),
	}
	copy(r.nonce[:], rd.Fixed("nonce", nonceSize))
	if rd.Err() == nil && (r.ring < 1 || r.ring > arsig.MaxRingSize) {
		rd.Fail("ring", "size out of range")
	}
	r.sig = wire.Value(rd, "ring signature", arsig.ParseSignature)
	if err := rd.Done(); err != nil {
		return nil, err
	}
	if err := r.setMessage(); err != nil {
		return nil, fmt.Errorf("%w: pledge: %w", ErrMalformed, err)
	}
	return r, nil
}

// setMessage encodes the message and the pledge's ID.
func (r *pledge) setMessage() (err error) {
	if r.msg, err = r.message(); err != nil {
		return err
	}
	r.pid = digest(pledgeLabel, r.msg)
	return nil
}

func (r *pledge) encoded() []byte { return r.enc }

func (r *pledge) check(p *Pool) error {
	if err := p.checkPool(r.pool); err != nil {
		return err
	}
	l := p.loans[r.loan]
	switch {
	case l == nil:
		return fmt.Errorf("%w: pledge to an unknown loan", ErrUnregistered)
	case p.pledges[r.pid] != nil:
		return fmt.Errorf("%w: pledge made already", ErrDuplicate)
	case r.ring > len(p.lenders):
		return fmt.Errorf("%w: pledge names a ring of %d lenders, %d are registered", ErrRefused, r.ring, len(p.lenders))
	case r.account.Equal(l.request.borrower):
		return fmt.Errorf("%w: pledge from the borrower's own key", ErrRefused)
	}
	if err := verify(r.account, pledgeContext, r.enc, "pledge account"); err != nil {
		return err
	}
	if err := p.checkPeriod(r.period); err != nil {
		return err
	}
	if l.status != Requested {
		return fmt.Errorf("%w: pledge to a loan that is %v", ErrRefused, l.status)
	}
	left, err := l.request.amount.Sub(l.pledged)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRefused, err)
	}
	c, err := r.amount.Cmp(left)
	if err != nil || c > 0 {
		return fmt.Errorf("%w: pledge of %v, the loan needs %v", ErrRefused, r.amount, left)
	}
	if c == 0 { // the pledge funds the loan: every pledge becomes owed
		if err := p.checkVolume(l.request.amount); err != nil {
			return err
		}
		parties := []*ecdsa.PublicKey{l.request.borrower, r.account}
		for _, pl := range l.pledges {
			parties = append(parties, pl.account)
		}
		if err := p.checkParties(parties); err != nil {
			return err
		}
	}
	if err := arsig.Verify(p.ring(r.ring), p.params.opener, r.msg, r.sig); err != nil {
		return fmt.Errorf("%w: pledge ring signature: %w", ErrBadSignature, err)
	}
	return nil
}

func (r *pledge) apply(p *Pool) {
	l := p.loans[r.loan]
	p.pledges[r.pid] = r
	l.pledges = append(l.pledges, r)
	l.pledged, _ = l.pledged.Add(r.amount) // at most the loan's amount, checked
	if l.pledged == l.request.amount {
		l.status, l.funded = Funded, p.period
		for _, pl := range l.pledges {
			p.owe(pl.account, l.request.borrower, pl.amount)
		}
	}
}
