package tickets

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/internal/parallel"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

// SettlementResult is what settlement did with one usage request.
type SettlementResult struct {
	Request [sha256.Size]byte // the request's Digest
	Plaza   PlazaID
	Outcome Outcome
	Fare    money.Amount // paid to Plaza when Outcome is Paid
	Err     error        // why, when Outcome is Rejected or Reused
	Reveal  *Reveal      // the revealed key and buyer, for a Reused ticket whose key was revealed
}

// Settlement is the result of one [Provider.Settle] call.
type Settlement struct {
	Number     uint64             // the batch's sequence number
	Results    []SettlementResult // one per request, in input order
	Statements []*PayoutStatement // one per plaza paid in this batch, by plaza
	Reveals    []*Reveal
}

// candidate is a request that passed the checks before the spent index.
type candidate struct {
	sale *Sale
	fare money.Amount
	acc  *trs.Accepted
}

// Settle verifies, traces and pays a batch of usage requests, the paper's
// verify_ticket and withdraw. For each request it checks the plaza's
// signature and registration and re-runs every exit check on the ticket
// (a plaza's word is not trusted), with the signatures verified in
// parallel, each once; then it traces the accepted tickets through the
// provider's own spent index, in input order. A fresh ticket's fare is
// paid to its plaza; a ticket whose key was already spent in settlement is
// not paid, and if its key is revealed the reveal names the buyer.
//
// As at the exit, an entry proof pays for one ticket: a fresh ticket that
// presents the entry proof of an already paid ticket is Rejected with
// ErrEntryReused, so a plaza that skipped the exit check cannot claim a
// copied entry proof; that ticket is traced but not spent, so its pass
// stays usable and a double user is still revealed.
//
// Settling is idempotent per request: a request already settled (in an
// earlier batch or earlier in this one) has Outcome AlreadySettled and
// changes nothing, so the same request never pays twice. A re-signed
// request for an already paid ticket is Reused.
//
// The whole batch — outcomes, spent tickets, reveals and one signed
// [PayoutStatement] per paid plaza — is recorded as one ledger entry, so a
// crash leaves it recorded entirely or not at all. On error nothing is
// recorded or changed.
func (p *Provider) Settle(reqs []*UsageRequest, now time.Time) (*Settlement, error) {
	when, err := normalTime(now)
	if err != nil {
		return nil, err
	}
	p.settleMu.Lock()
	defer p.settleMu.Unlock()

	out := &Settlement{Number: p.nextBatch, Results: make([]SettlementResult, len(reqs))}
	seen := make(map[[sha256.Size]byte]bool, len(reqs))
	var todo []int
	for i, r := range reqs {
		d := r.Digest()
		out.Results[i] = SettlementResult{Request: d, Plaza: r.Plaza}
		if _, done := p.settled[d]; done || seen[d] {
			out.Results[i].Outcome = AlreadySettled
			continue
		}
		seen[d] = true
		todo = append(todo, i)
	}

	// Checks and ring-signature verification, in parallel.
	cands := make([]candidate, len(reqs))
	parallel.For(len(todo), func(k int) {
		i := todo[k]
		c, err := p.checkRequest(reqs[i])
		if err != nil {
			out.Results[i].Outcome, out.Results[i].Err = Rejected, err
			return
		}
		cands[i] = c
	})

	// Tracing, in order.
	paid := make(map[PlazaID][]int)
	entries := make(map[[sha256.Size]byte]bool)
	for _, i := range todo {
		res := &out.Results[i]
		if res.Outcome == Rejected {
			continue
		}
		c := cands[i]
		// As at the exit, an entry proof pays for one ticket only. A
		// ticket presenting a used one is only checked against the index,
		// not spent: its pass stays usable and a double user is still
		// revealed.
		commit := reqs[i].Ticket.Entry.Commitment
		_, settled := p.settledEntries[commit]
		entryUsed := settled || entries[commit]
		check := p.settleIndex.CheckAndAddAccepted
		if entryUsed {
			check = p.settleIndex.CheckAccepted
		}
		tr, err := check(context.Background(), c.acc)
		if err != nil {
			// Only a store failure gets here; the batch store cannot fail.
			p.settleStore.rollback(p.settleStore.take())
			return nil, err
		}
		switch tr.Kind {
		case trs.Fresh:
			if entryUsed {
				res.Outcome, res.Err = Rejected, fmt.Errorf("%w: commitment %x", ErrEntryReused, commit[:8])
				break
			}
			entries[commit] = true
			res.Outcome, res.Fare = Paid, cands[i].fare
			paid[res.Plaza] = append(paid[res.Plaza], i)
		case trs.Revealed:
			rv := p.newReveal(c.sale, tr, AtSettlement, res.Plaza)
			res.Outcome, res.Reveal, res.Err = Reused, rv, reuseError(rv, tr)
			out.Reveals = append(out.Reveals, rv)
		default:
			res.Outcome, res.Err = Reused, &ReuseError{Sale: c.sale.ID, Kind: tr.Kind, Slot: -1}
		}
	}
	spent := p.settleStore.take()

	statements, balances, err := p.payouts(out, paid, when)
	if err != nil {
		p.settleStore.rollback(spent)
		return nil, err
	}
	out.Statements = statements

	batch := &settlementBatch{number: out.Number, spent: spent, reveals: out.Reveals, statements: statements}
	batch.time, _ = unixTime(when)
	for _, i := range todo {
		r := out.Results[i]
		sr := settledRequest{digest: r.Request, plaza: r.Plaza, outcome: r.Outcome, fare: r.Fare}
		if r.Outcome == Paid {
			sr.entry = reqs[i].Ticket.Entry.Commitment
		}
		batch.results = append(batch.results, sr)
	}
	sortResults(batch.results)
	if _, err := p.l.Append(context.Background(), KindSettlement, batch.bytes()); err != nil {
		p.settleStore.rollback(spent)
		return nil, err
	}
	p.commitBatch(batch, balances)
	return out, nil
}

// checkRequest runs every check on a usage request short of the spent
// index, including the ring-signature verification.
func (p *Provider) checkRequest(r *UsageRequest) (candidate, error) {
	reg, ok := p.Plaza(r.Plaza)
	if !ok {
		return candidate{}, fmt.Errorf("%w: plaza %d filed the request", ErrUnknownPlaza, r.Plaza)
	}
	if err := r.Verify(reg.Key); err != nil {
		return candidate{}, err
	}
	t := r.Ticket
	sale, fare, err := p.checkTicket(t, r.Plaza, r.ExitTime)
	if err != nil {
		return candidate{}, err
	}
	acc, err := trs.Accept(sale.Tag(), t.Message(), t.sig)
	if err != nil {
		return candidate{}, fmt.Errorf("%w: %v", ErrInvalidSignature, err)
	}
	return candidate{sale: sale, fare: fare, acc: acc}, nil
}

// payouts builds and signs one statement per paid plaza, in plaza order,
// and the new balances. It changes no state.
func (p *Provider) payouts(out *Settlement, paid map[PlazaID][]int, when time.Time) ([]*PayoutStatement, map[PlazaID]money.Amount, error) {
	plazas := make([]PlazaID, 0, len(paid))
	for id := range paid {
		plazas = append(plazas, id)
	}
	slices.Sort(plazas)
	balances := make(map[PlazaID]money.Amount, len(plazas))
	var statements []*PayoutStatement
	for k, id := range plazas {
		st := &PayoutStatement{Number: p.nextStatement + uint64(k), Plaza: id, Time: when, Amount: money.Zero(p.cfg.Currency)}
		for _, i := range paid[id] {
			var err error
			if st.Amount, err = st.Amount.Add(out.Results[i].Fare); err != nil {
				return nil, nil, err
			}
			st.Requests = append(st.Requests, out.Results[i].Request)
		}
		slices.SortFunc(st.Requests, compareDigests)
		if len(st.Requests) > MaxStatementRequests {
			return nil, nil, errors.New("tickets: too many requests for one payout statement")
		}
		if err := signRecord(p.key, contextPayout, st.body(), &st.sig); err != nil {
			return nil, nil, err
		}
		bal, ok := p.balances[id]
		if !ok {
			bal = money.Zero(p.cfg.Currency)
		}
		var err error
		if balances[id], err = bal.Add(st.Amount); err != nil {
			return nil, nil, err
		}
		statements = append(statements, st)
	}
	return statements, balances, nil
}

// commitBatch applies a recorded batch to memory. The batch's spent
// entries are already in the settlement store.
func (p *Provider) commitBatch(b *settlementBatch, balances map[PlazaID]money.Amount) {
	for _, r := range b.results {
		p.settled[r.digest] = r.outcome
		if r.outcome == Paid {
			p.settledEntries[r.entry] = struct{}{}
		}
	}
	for id, bal := range balances {
		p.balances[id] = bal
	}
	p.statements = append(p.statements, cloneAll(b.statements)...)
	p.nextStatement += uint64(len(b.statements))
	p.nextBatch = b.number + 1
	p.revealMu.Lock()
	p.reveals = append(p.reveals, cloneAll(b.reveals)...)
	p.revealMu.Unlock()
}

// applyBatch replays a batch read from the ledger.
func (p *Provider) applyBatch(b *settlementBatch) error {
	balances := make(map[PlazaID]money.Amount)
	for _, st := range b.statements {
		bal, ok := p.balances[st.Plaza]
		if !ok {
			bal = money.Zero(p.cfg.Currency)
		}
		var err error
		if balances[st.Plaza], err = bal.Add(st.Amount); err != nil {
			return err
		}
	}
	p.commitBatch(b, balances)
	return nil
}
