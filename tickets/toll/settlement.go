package toll

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// Outcome is what settlement did with a usage request.
type Outcome uint8

const (
	// Paid: the request's ticket was accepted by its exit and not paid
	// before; its fare is in a statement of this settlement.
	Paid Outcome = iota + 1
	// Rejected: the request or its ticket failed a check, or the ticket
	// was not accepted by its exit; Result.Err says why. Nothing is paid
	// and nothing recorded, so a request filed too early can be filed
	// again.
	Rejected
	// AlreadyPaid: the ticket was paid before (by this request, or one
	// re-signed for the same ticket), earlier in this settlement or in an
	// earlier one.
	AlreadyPaid
)

func (o Outcome) String() string {
	switch o {
	case Paid:
		return "paid"
	case Rejected:
		return "rejected"
	case AlreadyPaid:
		return "already paid"
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// Result is what settlement did with one usage request.
type Result struct {
	Request [32]byte // names the request, as statements list it
	Outcome Outcome
	Fare    money.Amount // what is paid, when Outcome is Paid
	// Issuer is the key of the operator that sold the ticket, when the
	// request passed its checks. When it is a partner's, this operator has
	// paid its plaza and forwards the request to the partner, which owes
	// it the fare.
	Issuer *ecdsa.PublicKey
	Err    error // why, when Outcome is Rejected
}

// candidate is a request that passed every check.
type candidate struct {
	ticketID [32]byte
	fare     money.Amount
	creditor *ecdsa.PublicKey
	issuer   *ecdsa.PublicKey
}

// Settle settles usage requests, the paper's verify_ticket and withdraw:
// requests of this operator's plazas (for tickets of any operator it
// trusts) and requests of partners' plazas for tickets this operator sold,
// which the partner forwards. For each request, in parallel, it checks the
// plaza's registration ([ErrUnknownPlaza]) and signature
// ([ErrBadSignature]), that the plaza is the ticket's exit
// ([ErrWrongPlaza]), every exit check on the ticket against the fare table
// of the plaza's operator in force at entry, and then that the exit's
// spend stands: the spent store must hold exactly this ticket (Linked). A
// ticket not in the store was accepted by no exit ([ErrNotSpent]); one
// whose key spent another ticket was refused as revealed (a
// [*tickets.ReuseError]). So the order in which requests are filed never
// changes what is paid.
//
// A spent ticket is paid once, whatever request carries it (AlreadyPaid);
// a request filed again with the same bytes is recognised without being
// checked again.
// Settle signs one [Statement] per creditor: each own plaza for the fares
// of its accepted tickets, and each partner for its plazas' accepted
// tickets of this operator's, at the partner's fares. The statements and
// the paid tickets are one ledger entry, so a crash leaves the settlement
// recorded whole or not at all. If recording it fails, the ledger may
// still hold it (a lost database connection), so every later Settle (and
// every other append of the operator's) fails until the operator is
// reopened from its ledger. It returns one result
// per request, in order, and the new statements.
func (o *Operator) Settle(ctx context.Context, requests [][]byte, now time.Time) ([]Result, []*Statement, error) {
	if ctx == nil {
		return nil, nil, errNilContext
	}
	when, err := wire.Seconds(now)
	if err != nil {
		return nil, nil, fmt.Errorf("toll: settlement time: %w", err)
	}
	o.settleMu.Lock()
	defer o.settleMu.Unlock()

	results := make([]Result, len(requests))
	cands := make([]*candidate, len(requests))
	parallel.For(len(requests), func(i int) {
		results[i].Request = requestDigest(requests[i])
		if o.paidRequests[results[i].Request] {
			// Exactly these bytes were paid: no need to check them again.
			results[i].Outcome = AlreadyPaid
			return
		}
		c, err := o.checkRequest(ctx, requests[i])
		if err != nil {
			results[i].Outcome, results[i].Err = Rejected, err
			return
		}
		cands[i] = c
		results[i].Issuer = c.issuer
	})

	paid := make(map[[32]byte]bool)
	owed := make(map[keyID][]int) // creditor → indices of paid requests
	creditors := make(map[keyID]*ecdsa.PublicKey)
	for i, c := range cands {
		if c == nil {
			continue
		}
		if o.paid[c.ticketID] || paid[c.ticketID] {
			results[i].Outcome = AlreadyPaid
			continue
		}
		paid[c.ticketID] = true
		results[i].Outcome, results[i].Fare = Paid, c.fare
		k := idOf(c.creditor)
		owed[k] = append(owed[k], i)
		creditors[k] = c.creditor
	}
	if len(paid) == 0 {
		return results, nil, nil
	}

	b := &batch{number: o.nextBatch, time: when}
	for id := range paid {
		b.paid = append(b.paid, id)
	}
	slices.SortFunc(b.paid, compareDigests)
	keys := make([]keyID, 0, len(owed))
	for k := range owed {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b keyID) int { return bytes.Compare(a[:], b[:]) })
	for n, k := range keys {
		st := &Statement{debtor: o.key.Public(), creditor: creditors[k], number: o.nextStatement + uint64(n), time: when, amount: money.Zero(o.cfg.Currency)}
		for _, i := range owed[k] {
			if st.amount, err = st.amount.Add(results[i].Fare); err != nil {
				return nil, nil, fmt.Errorf("toll: statement total: %w", err)
			}
			st.requests = append(st.requests, results[i].Request)
		}
		slices.SortFunc(st.requests, compareDigests)
		body, err := st.body()
		if err != nil {
			return nil, nil, err
		}
		if st.sig, err = signRecord(o.key, contextStatement, body); err != nil {
			return nil, nil, err
		}
		b.statements = append(b.statements, st)
	}
	rec, err := b.sign(o.key)
	if err != nil {
		return nil, nil, err
	}
	if err := o.journal.Append(ctx, kindSettlement, rec, nil); err != nil {
		// The ledger may hold the settlement although it reports an error
		// (a database connection lost after the insert): settling again
		// from memory could pay its tickets twice under reused statement
		// numbers. Only a rebuild from the ledger knows; until then the
		// journal refuses.
		return nil, nil, fmt.Errorf("toll: recording settlement: %w", err)
	}
	o.commit(b)
	return results, slices.Clone(b.statements), nil
}

// checkRequest runs every check on one usage request and says whom its
// fare is owed to.
func (o *Operator) checkRequest(ctx context.Context, b []byte) (*candidate, error) {
	r, err := parseUsageRequest(b)
	if err != nil {
		return nil, err
	}
	reg, ok := o.dir.plaza(r.plaza)
	if !ok {
		return nil, fmt.Errorf("%w: %v filed the request", ErrUnknownPlaza, r.plaza)
	}
	if err := verifyRecord(reg.key, contextUsage, "usage request", r.bytes()); err != nil {
		return nil, err
	}
	c := &candidate{creditor: reg.key}
	if r.plaza.operator != o.self {
		// A partner's exit of a ticket: this operator owes the partner,
		// for its own tickets only.
		sale, ok := o.dir.redeemer.Sale(r.ticket.generic.Sale())
		if !ok || idOf(sale.Issuer()) != o.self {
			return nil, fmt.Errorf("%w: a partner's request for a ticket this operator did not sell", tickets.ErrUnknownSale)
		}
		c.creditor = r.operator
	}
	chk, err := o.dir.checkTicket(r.ticket, r.plaza, r.exitTime)
	if err != nil {
		return nil, err
	}
	res, err := o.dir.redeemer.Check(ctx, chk.acc)
	if err != nil {
		return nil, err
	}
	switch res.Kind {
	case trs.Fresh:
		return nil, fmt.Errorf("%w: the ticket is not in the spent store", ErrNotSpent)
	case trs.Revealed:
		return nil, &tickets.ReuseError{Sale: chk.acc.Sale(), TraceResult: res}
	}
	c.ticketID, c.fare, c.issuer = chk.acc.ID(), chk.fare, chk.acc.Sale().Issuer()
	return c, nil
}

// inTurn checks that a settlement read from the ledger is one the
// operator could have recorded next: the next batch and statement
// numbers, and no ticket or request paid before. Each record of a ledger
// extended with a copy of a settlement verifies; only the numbers show
// that its statements would be listed, and its numbers used, twice.
func (o *Operator) inTurn(b *batch) error {
	if b.number != o.nextBatch {
		return fmt.Errorf("%w: settlement %d recorded where %d is next", ledger.ErrCorrupt, b.number, o.nextBatch)
	}
	for i, st := range b.statements {
		if want := o.nextStatement + uint64(i); st.number != want {
			return fmt.Errorf("%w: settlement %d: statement %d where %d is next", ledger.ErrCorrupt, b.number, st.number, want)
		}
		for _, d := range st.requests {
			if o.paidRequests[d] {
				return fmt.Errorf("%w: settlement %d pays a request paid before", ledger.ErrCorrupt, b.number)
			}
		}
	}
	for _, id := range b.paid {
		if o.paid[id] {
			return fmt.Errorf("%w: settlement %d pays a ticket paid before", ledger.ErrCorrupt, b.number)
		}
	}
	return nil
}

// commit applies a recorded settlement.
func (o *Operator) commit(b *batch) {
	for _, id := range b.paid {
		o.paid[id] = true
	}
	for _, st := range b.statements {
		for _, d := range st.requests {
			o.paidRequests[d] = true
		}
	}
	o.statements = append(o.statements, b.statements...)
	o.nextStatement += uint64(len(b.statements))
	o.nextBatch = b.number + 1
}

func compareDigests(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) }

// batch is the ledger record of one settlement, signed by the operator:
// the IDs of the tickets it paid and its statements (docs/spec/toll.md).
type batch struct {
	number     uint64
	time       time.Time
	paid       [][32]byte   // strictly increasing
	statements []*Statement // by strictly increasing creditor key
}

func (b *batch) body() ([]byte, error) {
	w := wire.NewWriter(kindSettlement)
	w.U64(b.number)
	w.Time(b.time)
	w.Count(len(b.paid))
	for i, id := range b.paid {
		if i > 0 && compareDigests(b.paid[i-1], id) >= 0 {
			return nil, fmt.Errorf("toll: settlement: paid tickets not strictly increasing")
		}
		w.Fixed(id[:])
	}
	w.Count(len(b.statements))
	for i, st := range b.statements {
		if i > 0 && bytes.Compare(b.statements[i-1].creditor.Bytes(), st.creditor.Bytes()) >= 0 {
			return nil, fmt.Errorf("toll: settlement: statements not by strictly increasing creditor")
		}
		w.Bytes(st.Bytes())
	}
	return w.Finish()
}

func (b *batch) sign(key *ecdsa.PrivateKey) ([]byte, error) {
	body, err := b.body()
	if err != nil {
		return nil, err
	}
	return wire.Sign(key, contextSettlement, body)
}

// parseBatch verifies a settlement record under the operator's key, and
// each of its statements, and decodes it.
func parseBatch(rec []byte, operator *ecdsa.PublicKey) (*batch, error) {
	body, err := wire.Verify(operator, contextSettlement, rec)
	if err != nil {
		return nil, fmt.Errorf("%w: settlement: %w", ErrBadSignature, err)
	}
	b, err := parseBatchBody(body)
	if err != nil {
		return nil, err
	}
	for _, st := range b.statements {
		if err := st.Verify(operator); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func parseBatchBody(body []byte) (*batch, error) {
	r := wire.NewReader(body, kindSettlement, "settlement", ErrMalformed)
	b := &batch{number: r.U64("number"), time: r.Time("time")}
	n := r.Count("paid", 32)
	for range n {
		var id [32]byte
		copy(id[:], r.Fixed("paid ticket", 32))
		b.paid = append(b.paid, id)
	}
	n = r.Count("statements", 4)
	for range n {
		b.statements = append(b.statements, wire.Value(r, "statement", ParseStatement))
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	if _, err := b.body(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return b, nil
}
