package billing

import (
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Parameters is the first record of a billing system, signed by the
// collector: the collector's ECDSA key, the arsig opener key every usage
// record is encrypted to, and the deposit a user locks to register, whose
// currency is the currency of the system. A user needs it, and the
// collector's key, to register ([NewRegistration]). The layout is in
// docs/spec/billing.md.
type Parameters struct {
	collector *ecdsa.PublicKey
	opener    *arsig.OpenerPublicKey
	deposit   money.Amount
	signed
}

func (*Parameters) kind() ledger.Kind { return kindParameters }

func newParameters(signer *ecdsa.PrivateKey, opener *arsig.OpenerPublicKey, deposit money.Amount) (*Parameters, error) {
	if signer == nil {
		return nil, malformed("parameters", "missing collector key")
	}
	p := &Parameters{collector: signer.Public(), opener: opener, deposit: deposit}
	if err := p.sign(signer, contextParameters, "parameters", p.body); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Parameters) body() ([]byte, error) {
	w := wire.NewWriter(uint16(kindParameters))
	w.ECDSAKey(p.collector)
	writeOpener(w, p.opener)
	if !positive(p.deposit) {
		w.Fail(fmt.Errorf("deposit %v is not positive", p.deposit))
	}
	w.Amount(p.deposit)
	return finish(w, "parameters")
}

func (p *Parameters) encode() ([]byte, error) { return p.reencode(p.body()) }

// ParseParameters parses a Parameters record and checks that collector
// signed it and is the collector it names. Errors wrap [ErrMalformed] or
// [ErrBadSignature].
func ParseParameters(b []byte, collector *ecdsa.PublicKey) (*Parameters, error) {
	p, err := parseParameters(b)
	if err == nil {
		err = p.verify(collector)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

func parseParameters(b []byte) (*Parameters, error) {
	r := newReader(b, kindParameters, "parameters")
	p := &Parameters{collector: r.ECDSAKey("collector"), opener: readOpener(r)}
	p.deposit = readPositive(r, "deposit")
	p.sig = readSignature(r)
	if err := r.Done(); err != nil {
		return nil, err
	}
	p.enc = clone(b)
	return p, nil
}

// verify checks that collector is the parameters' collector and signed them.
func (p *Parameters) verify(collector *ecdsa.PublicKey) error {
	if !p.collector.Equal(collector) {
		return fmt.Errorf("%w: parameters name another collector", ErrBadSignature)
	}
	return verifyCollector(collector, contextParameters, p.enc, "parameters")
}

// Bytes returns the record's encoding.
func (p *Parameters) Bytes() []byte {
	if p == nil {
		return nil
	}
	return clone(p.enc)
}

// Deposit returns the deposit a user must lock to register.
func (p *Parameters) Deposit() money.Amount {
	if p == nil {
		return money.Amount{}
	}
	return p.deposit
}
