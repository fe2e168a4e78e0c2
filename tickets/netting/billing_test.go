package netting

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/billing"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
)

var (
	billingStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	billingEnd   = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	billingDue   = tollDayStart.Add(12 * time.Hour) // on the toll day
	rebilledDue  = tollDayStart.Add(7 * 24 * time.Hour)
)

// The users of a billing period: the victim is billed, on a tampered line,
// a record of the owner's, disputes it, is billed it again alone and
// disputes that too, and the record is billed to the owner, due a week
// later; the payer pays; the ignorer's invoice is
// taken from its deposit.
const (
	victim = iota
	owner
	payer
	ignorer
	billingUsers
)

// billingPeriod is one closed and billed period of a billing system whose
// collector signs with signer, each user's invoices by the time netting
// runs, and the collector's ledger.
type billingPeriod struct {
	signer    *ecdsa.PrivateKey
	l         ledger.Ledger
	collector *billing.Collector
	users     [billingUsers]*arsig.PrivateKey
	invoices  []*billing.Invoice // every invoice issued, in order
	unissued  *billing.Invoice   // signed by the collector, never issued
}

func newBillingPeriod(t testing.TB, signer *ecdsa.PrivateKey, c money.Currency) *billingPeriod {
	t.Helper()
	amount := func(units int64) money.Amount { return money.MustNew(units, c) }
	opener, err := arsig.GenerateOpenerKey()
	must(t, err)
	b := &billingPeriod{signer: signer, l: ledger.NewMemory()}
	b.collector, err = billing.NewCollector(ctx, b.l, signer, opener, amount(5000))
	must(t, err)
	params := b.collector.Book().Parameters()
	for i := range b.users {
		b.users[i], err = arsig.GenerateKey()
		must(t, err)
		reg, err := billing.NewRegistration(b.users[i], params, params.Deposit(), billingStart.Add(-time.Hour))
		must(t, err)
		must(t, b.collector.Accept(ctx, reg.Bytes()))
	}
	p, err := b.collector.OpenPeriod(ctx, billingStart, billingEnd)
	must(t, err)
	var usage [][]byte
	for i, u := range []struct {
		user  int
		units int64
	}{{victim, 300}, {victim, 200}, {owner, 400}, {owner, 150}, {payer, 700}, {ignorer, 900}} {
		rec, err := billing.NewUsage(b.users[u.user], p, "edge-1", amount(u.units), billingStart.Add(time.Duration(i)*time.Hour), nil)
		must(t, err)
		usage = append(usage, rec.Bytes())
	}
	for _, err := range b.collector.Collect(ctx, usage) {
		must(t, err)
	}
	must(t, b.collector.ClosePeriod(ctx, billingEnd))
	issued := billingEnd.Add(time.Hour)
	drafts, err := b.collector.DraftInvoices(p.ID(), issued, billingDue)
	must(t, err)
	byUser := map[int]*billing.Invoice{}
	for _, inv := range drafts {
		for i, u := range b.users {
			if inv.User().Equal(u.Public()) {
				byUser[i] = inv
			}
		}
	}

	// The owner's last record moves to the victim's invoice, with the
	// opening of one of the victim's lines.
	vl, ol := byUser[victim].Lines(), byUser[owner].Lines()
	tampered := len(vl)
	byUser[victim], err = billing.NewInvoice(signer, p, b.users[victim].Public(), issued, billingDue,
		append(vl, billing.Line{Usage: ol[len(ol)-1].Usage, Opening: vl[0].Opening}))
	must(t, err)
	byUser[owner], err = billing.NewInvoice(signer, p, b.users[owner].Public(), issued, billingDue, ol[:len(ol)-1])
	must(t, err)
	for i := range billingUsers {
		must(t, b.collector.Issue(ctx, byUser[i]))
		b.invoices = append(b.invoices, byUser[i])
	}
	d, err := billing.NewDispute(byUser[victim], tampered, issued.Add(time.Hour))
	must(t, err)
	must(t, b.collector.Accept(ctx, d.Bytes()))
	// The struck record is billed to the victim again, alone, and struck
	// again: that invoice is void.
	void, err := billing.NewInvoice(signer, p, b.users[victim].Public(), issued.Add(time.Hour), billingDue,
		[]billing.Line{{Usage: ol[len(ol)-1].Usage, Opening: vl[0].Opening}})
	must(t, err)
	must(t, b.collector.Issue(ctx, void))
	b.invoices = append(b.invoices, void)
	d, err = billing.NewDispute(void, 0, issued.Add(time.Hour))
	must(t, err)
	must(t, b.collector.Accept(ctx, d.Bytes()))
	if owed, err := b.collector.Book().Owed(void.ID()); err != nil || owed.Sign() != 0 {
		t.Fatalf("the void invoice owes %v (%v)", owed, err)
	}
	rebilled, err := b.collector.DraftInvoices(p.ID(), issued.Add(2*time.Hour), rebilledDue)
	must(t, err)
	if len(rebilled) != 1 || !rebilled[0].User().Equal(b.users[owner].Public()) {
		t.Fatalf("%d invoices for the struck record", len(rebilled))
	}
	must(t, b.collector.Issue(ctx, rebilled[0]))
	b.invoices = append(b.invoices, rebilled[0])

	if _, err := b.collector.Pay(ctx, byUser[payer].ID(), byUser[payer].Total(), issued.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.collector.Forfeit(ctx, byUser[ignorer].ID(), billingDue.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// An invoice the collector signed for the payer but did not issue.
	b.unissued, err = billing.NewInvoice(signer, p, b.users[payer].Public(), issued, billingDue.Add(time.Hour), byUser[payer].Lines())
	must(t, err)
	return b
}

func (b *billingPeriod) owes(user int, units int64) Obligation {
	return Obligation{Payer: Party(b.users[user].Public().Bytes()), Payee: Party(b.signer.Public().Bytes()),
		Amount: money.MustNew(units, b.invoices[0].Total().Currency())}
}

// TestBillingObligations: open invoices owe what the book says, the total
// less struck lines; paid and forfeited ones owe nothing; an invoice due
// outside the period waits for its own. A book rebuilt from the ledger
// gives the same.
func TestBillingObligations(t *testing.T) {
	signer, err := ecdsa.GenerateKey()
	must(t, err)
	b := newBillingPeriod(t, signer, eur)
	book := b.collector.Book()
	obs, err := BillingObligations(tollDayStart, tollDayEnd, book, signer.Public(), b.invoices)
	must(t, err)
	want := []Obligation{b.owes(victim, 500), b.owes(owner, 400)}
	if !slices.Equal(obs, want) {
		t.Fatalf("obligations %v, want %v", obs, want)
	}
	for _, o := range obs {
		inv := b.invoices[slices.IndexFunc(b.invoices, func(inv *billing.Invoice) bool { return string(inv.User().Bytes()) == string(o.Payer) })]
		if owed, err := book.Owed(inv.ID()); err != nil || owed != o.Amount {
			t.Errorf("obligation of %v, the book says %v owed (%v)", o.Amount, owed, err)
		}
	}
	later, err := BillingObligations(rebilledDue, rebilledDue.Add(time.Second), book, signer.Public(), b.invoices)
	must(t, err)
	if !slices.Equal(later, []Obligation{b.owes(owner, 150)}) {
		t.Fatalf("the re-billed record's period: %v", later)
	}
	checkSettles(t, append(obs, later...))

	auditor, err := billing.Open(ctx, b.l, signer.Public())
	must(t, err)
	again, err := BillingObligations(tollDayStart, tollDayEnd, auditor, signer.Public(), b.invoices)
	must(t, err)
	if !slices.Equal(again, obs) {
		t.Fatalf("the rebuilt book gives %v", again)
	}
	twice, err := BillingObligations(tollDayStart, tollDayEnd, book, signer.Public(), append(slices.Clone(b.invoices), b.invoices...))
	must(t, err)
	if !slices.Equal(twice, obs) {
		t.Fatalf("invoices given twice: %v", twice)
	}
}

// TestBillingObligationsRefuses: an invoice that is not on the book, a key
// other than the book's collector, and nil inputs.
func TestBillingObligationsRefuses(t *testing.T) {
	signer, err := ecdsa.GenerateKey()
	must(t, err)
	b := newBillingPeriod(t, signer, eur)
	book, collector := b.collector.Book(), signer.Public()
	other, err := ecdsa.GenerateKey()
	must(t, err)
	_, err = BillingObligations(tollDayStart, tollDayEnd, book, collector, []*billing.Invoice{b.unissued})
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, billing.ErrRefused) {
		t.Errorf("an invoice not issued: %v", err)
	}
	_, err = BillingObligations(tollDayStart, tollDayEnd, book, other.Public(), b.invoices)
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, billing.ErrBadSignature) {
		t.Errorf("another collector's key: %v", err)
	}
	for name, f := range map[string]func() ([]Obligation, error){
		"nil book": func() ([]Obligation, error) {
			return BillingObligations(tollDayStart, tollDayEnd, nil, collector, b.invoices)
		},
		"zero book": func() ([]Obligation, error) {
			return BillingObligations(tollDayStart, tollDayEnd, &billing.Book{}, collector, b.invoices)
		},
		"nil collector": func() ([]Obligation, error) {
			return BillingObligations(tollDayStart, tollDayEnd, book, nil, b.invoices)
		},
		"nil invoice": func() ([]Obligation, error) {
			return BillingObligations(tollDayStart, tollDayEnd, book, collector, []*billing.Invoice{nil})
		},
		"zero invoice": func() ([]Obligation, error) {
			return BillingObligations(tollDayStart, tollDayEnd, book, collector, []*billing.Invoice{{}})
		},
		"reversed period": func() ([]Obligation, error) {
			return BillingObligations(tollDayEnd, tollDayStart, book, collector, b.invoices)
		},
	} {
		if obs, err := f(); !errors.Is(err, ErrInvalid) || obs != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// An invoice due outside the period is still checked.
	if _, err := BillingObligations(tollDayEnd, tollDayEnd.Add(time.Hour), book, collector, []*billing.Invoice{b.unissued}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an invoice not issued, due outside the period: %v", err)
	}
}

// TestTollAndBillingNetTogether: operator A is also a billing collector
// (one ECDSA key, so one party) in the toll system's currency. Its users'
// debts and its plazas' claims net against each other: users pay part of
// what A owes, and the day settles in fewer transfers than obligations.
func TestTollAndBillingNetTogether(t *testing.T) {
	d := newTollDay(t)
	b := newBillingPeriod(t, d.a.key, d.statements[0].Amount().Currency())
	tollObs, err := TollObligations(tollDayStart, tollDayEnd, d.operators(), d.statements)
	must(t, err)
	billingObs, err := BillingObligations(tollDayStart, tollDayEnd, b.collector.Book(), d.a.key.Public(), b.invoices)
	must(t, err)
	all := append(slices.Clone(tollObs), billingObs...)
	s := checkSettles(t, all)
	a := Party(d.a.key.Public().Bytes())
	if !slices.ContainsFunc(billingObs, func(o Obligation) bool { return o.Payee == a }) {
		t.Fatal("the billing obligations are not owed to operator A")
	}
	if len(s.Transfers()) >= len(all) {
		t.Errorf("%d transfers for %d obligations", len(s.Transfers()), len(all))
	}
	// A's net is what it is owed by users and the partner, less what it
	// owes its plazas and the partner, in one currency.
	var aNet int64
	for _, o := range all {
		switch a {
		case o.Payee:
			aNet += o.Amount.Units()
		case o.Payer:
			aNet -= o.Amount.Units()
		}
	}
	i := slices.IndexFunc(s.Nets(), func(p Position) bool { return p.Party == a })
	if i < 0 || s.Nets()[i].Net.Units() != aNet {
		t.Fatalf("A's net is not %d: %v", aNet, s.Nets())
	}
}
