package netting

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

// Kind is the ledger kind of a [Statement], and the kind in its header.
const Kind ledger.Kind = 0x0E01

const statementContext = "ringtrace/netting/statement/v1"

// A Statement is a [Settlement] for a period, signed by the netter who
// computed it, to be appended to a ledger with kind [Kind]. Its layout is
// in docs/spec/netting.md. It is immutable and safe for concurrent use.
//
// What a reader can check:
//
//   - anyone: the netter's signature ([Statement.Verify]), and that the
//     transfers settle the nets, which sum to zero in each currency,
//     within the bound of [Net] ([ParseStatement] refuses anything else);
//   - a party holding the whole list of obligations: that the statement is
//     their netting, digest, nets and transfers ([Settlement.Check]);
//   - a party holding only its own obligations: its own nets
//     ([Settlement.CheckParty]).
type Statement struct {
	netter     *ecdsa.PublicKey
	start, end time.Time
	settlement *Settlement
	enc        []byte
}

// NewStatement signs the settlement s of the obligations of the period
// from start (inclusive) to end (exclusive). Times are stored as whole
// seconds in UTC and truncated to them; start must be before end.
func NewStatement(key *ecdsa.PrivateKey, start, end time.Time, s *Settlement) (*Statement, error) {
	if key == nil || s == nil {
		return nil, fmt.Errorf("%w: missing key or settlement", ErrInvalid)
	}
	st := &Statement{netter: key.Public(), settlement: s}
	var err error
	if st.start, st.end, err = period(start, end); err != nil {
		return nil, err
	}
	body, err := st.encodeBody()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if st.enc, err = wire.Sign(key, statementContext, body); err != nil {
		return nil, err
	}
	return st, nil
}

// period returns the period from start to end as a statement stores it:
// whole seconds in UTC, truncated. start must be before end.
func period(start, end time.Time) (from, to time.Time, err error) {
	if from, err = wire.Seconds(start); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: start: %w", ErrInvalid, err)
	}
	if to, err = wire.Seconds(end); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: end: %w", ErrInvalid, err)
	}
	if !from.Before(to) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: period ends at or before it starts", ErrInvalid)
	}
	return from, to, nil
}

func (st *Statement) encodeBody() ([]byte, error) {
	s := st.settlement
	w := wire.NewWriter(uint16(Kind))
	w.ECDSAKey(st.netter)
	w.Time(st.start)
	w.Time(st.end)
	w.U64(uint64(s.count))
	w.Fixed(s.digest[:])
	w.Count(len(s.nets))
	for _, n := range s.nets {
		w.Bytes([]byte(n.Party))
		w.Amount(n.Net)
	}
	w.Count(len(s.transfers))
	for _, t := range s.transfers {
		w.Bytes([]byte(t.Payer))
		w.Bytes([]byte(t.Payee))
		w.Amount(t.Amount)
	}
	return w.Finish()
}

// smallest encodings of a net and of a transfer, for the parser's bound on
// list counts.
const (
	minNetSize      = 4 + 1 + money.EncodedSize
	minTransferSize = 2*(4+1) + money.EncodedSize
)

// ParseStatement parses a statement. It refuses, with an error wrapping
// [ErrMalformed], anything but the canonical encoding, and a statement
// whose nets do not sum to zero in each currency, whose positive nets add
// up beyond the range of money, or whose transfers do not settle the nets
// exactly, as [Net] does, without a cycle and within its bound. It does not check
// the signature: see [Statement.Verify].
func ParseStatement(b []byte) (*Statement, error) {
	if len(b) < wire.HeaderSize+wire.SignatureSize {
		return nil, fmt.Errorf("%w: statement: %d bytes", ErrMalformed, len(b))
	}
	body := b[:len(b)-wire.SignatureSize]
	r := wire.NewReader(body, uint16(Kind), "statement", ErrMalformed)
	st := &Statement{netter: r.ECDSAKey("netter"), start: r.Time("start"), end: r.Time("end")}
	count := r.U64("obligations")
	s := &Settlement{}
	copy(s.digest[:], r.Fixed("digest", DigestSize))
	for range r.Count("nets", minNetSize) {
		s.nets = append(s.nets, Position{Party: Party(r.Bytes("party")), Net: r.Amount("net")})
	}
	for range r.Count("transfers", minTransferSize) {
		s.transfers = append(s.transfers, Obligation{Payer: Party(r.Bytes("payer")), Payee: Party(r.Bytes("payee")), Amount: r.Amount("amount")})
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	switch {
	case !st.start.Before(st.end):
		return nil, fmt.Errorf("%w: statement: period ends at or before it starts", ErrMalformed)
	case count > math.MaxInt:
		return nil, fmt.Errorf("%w: statement: %d obligations", ErrMalformed, count)
	}
	s.count = int(count)
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("%w: statement: %w", ErrMalformed, err)
	}
	st.settlement = s
	st.enc = slices.Clone(b)
	return st, nil
}

// validate checks what a settlement from Net satisfies without its
// obligations: nets in order, non-zero and summing to zero per currency,
// the positive ones within the range of money;
// transfers in order, each from a negative net to a positive one, adding up
// to every net exactly, forming no cycle, and within the bound of Net.
func (s *Settlement) validate() error {
	type key struct {
		c money.Currency
		p Party
	}
	remaining := make(map[key]money.Amount, len(s.nets))
	index := make(map[key]int, len(s.nets)) // into s.nets, for groups
	nonzero := make(map[money.Currency]int)
	balance := make(map[money.Currency]money.Amount)
	positive := make(map[money.Currency]money.Amount)
	for i, n := range s.nets {
		c := n.Net.Currency()
		switch {
		case !n.Party.valid():
			return fmt.Errorf("net %d: party name of %d bytes", i, len(n.Party))
		case n.Net.Sign() == 0:
			return fmt.Errorf("net %d is zero", i)
		case i > 0 && comparePositions(s.nets[i-1], n) >= 0:
			return fmt.Errorf("net %d out of order", i)
		}
		remaining[key{c, n.Party}] = n.Net
		index[key{c, n.Party}] = i
		nonzero[c]++
		sum, ok := balance[c]
		if !ok {
			sum = money.Zero(c)
		}
		var err error
		if balance[c], err = sum.Add(n.Net); err != nil {
			return err
		}
		// Net refuses positive nets that add up beyond the range of
		// money; so, then, do their transfers and any sum of nets.
		if n.Net.Sign() > 0 {
			p, ok := positive[c]
			if !ok {
				p = money.Zero(c)
			}
			if positive[c], err = p.Add(n.Net); err != nil {
				return fmt.Errorf("positive nets in %s: %w", c, err)
			}
		}
	}
	for c, sum := range balance {
		if sum.Sign() != 0 {
			return fmt.Errorf("nets in %s sum to %v", c, sum)
		}
	}

	perCurrency := make(map[money.Currency]int)
	// Net's transfers are a forest: each group it settles is a tree, the
	// groups share no party. A transfer between parties already linked
	// by others closes a cycle.
	linked := newUnionFind(len(s.nets))
	for i, t := range s.transfers {
		if err := t.check(); err != nil {
			return fmt.Errorf("transfer %d: %w", i, err)
		}
		if i > 0 && compareTransfers(s.transfers[i-1], t) >= 0 {
			return fmt.Errorf("transfer %d out of order", i)
		}
		c := t.Amount.Currency()
		from, to := key{c, t.Payer}, key{c, t.Payee}
		if remaining[from].Sign() >= 0 || remaining[to].Sign() <= 0 {
			return fmt.Errorf("transfer %d is not from a debtor to a creditor", i)
		}
		var err error
		if remaining[from], err = remaining[from].Add(t.Amount); err != nil {
			return err
		}
		if remaining[to], err = remaining[to].Sub(t.Amount); err != nil {
			return err
		}
		if remaining[from].Sign() > 0 || remaining[to].Sign() < 0 {
			return fmt.Errorf("transfer %d exceeds a net", i)
		}
		if a, b := linked.find(index[from]), linked.find(index[to]); a == b {
			return fmt.Errorf("transfer %d closes a cycle of transfers", i)
		}
		linked.union(index[from], index[to])
		perCurrency[c]++
	}
	for k, left := range remaining {
		if left.Sign() != 0 {
			return fmt.Errorf("transfers leave %v of %x unsettled", left, string(k.p))
		}
	}
	for c, n := range perCurrency {
		if n > nonzero[c]-1 {
			return fmt.Errorf("%d transfers in %s for %d nets", n, c, nonzero[c])
		}
	}
	if len(s.transfers) > s.count {
		return errors.New("more transfers than obligations")
	}
	return nil
}

func comparePositions(a, b Position) int {
	if c := compareCurrency(a.Net.Currency(), b.Net.Currency()); c != 0 {
		return c
	}
	return cmpParty(a.Party, b.Party)
}

// compareTransfers orders transfers by currency, payer and payee.
func compareTransfers(a, b Obligation) int {
	if c := compareCurrency(a.Amount.Currency(), b.Amount.Currency()); c != 0 {
		return c
	}
	if c := cmpParty(a.Payer, b.Payer); c != 0 {
		return c
	}
	return cmpParty(a.Payee, b.Payee)
}

// Bytes returns the canonical encoding, signature included.
func (st *Statement) Bytes() []byte {
	if st == nil {
		return nil
	}
	return slices.Clone(st.enc)
}

// Netter returns the key the statement names as its signer.
func (st *Statement) Netter() *ecdsa.PublicKey {
	if st == nil {
		return nil
	}
	return st.netter
}

// Start returns the start of the period, in UTC.
func (st *Statement) Start() time.Time {
	if st == nil {
		return time.Time{}
	}
	return st.start
}

// End returns the end of the period (exclusive), in UTC.
func (st *Statement) End() time.Time {
	if st == nil {
		return time.Time{}
	}
	return st.end
}

// Settlement returns the nets and transfers the statement states.
func (st *Statement) Settlement() *Settlement {
	if st == nil {
		return nil
	}
	return st.settlement
}

// Verify checks that the statement is signed by netter. The error wraps
// [ErrBadSignature], and the ecdsa package's error for a signature that
// does not verify.
func (st *Statement) Verify(netter *ecdsa.PublicKey) error {
	if st == nil || netter == nil || !netter.Equal(st.netter) {
		return fmt.Errorf("%w: not the expected netter", ErrBadSignature)
	}
	if _, err := wire.Verify(netter, statementContext, st.enc); err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return nil
}
