package netting

import (
	"fmt"

	"github.com/ringtrace/ringtrace/tickets/money"
)

// Check reports whether s is the netting of obligations: the same
// obligations digest and count, the same nets and the same transfers as
// [Net] computes for them. A party that holds the whole list of
// obligations checks a statement's settlement this way. The error wraps
// [ErrMismatch], or [ErrInvalid] if obligations cannot be netted.
func (s *Settlement) Check(obligations []Obligation) error {
	if s == nil {
		return fmt.Errorf("%w: nil settlement", ErrInvalid)
	}
	want, err := Net(obligations)
	if err != nil {
		return err
	}
	switch {
	case s.digest != want.digest || s.count != want.count:
		return fmt.Errorf("%w: the obligations digest differs", ErrMismatch)
	case len(s.nets) != len(want.nets):
		return fmt.Errorf("%w: %d nets, want %d", ErrMismatch, len(s.nets), len(want.nets))
	case len(s.transfers) != len(want.transfers):
		return fmt.Errorf("%w: %d transfers, want %d", ErrMismatch, len(s.transfers), len(want.transfers))
	}
	for i := range s.nets {
		if s.nets[i] != want.nets[i] {
			return fmt.Errorf("%w: net %d is %x %v, want %x %v", ErrMismatch, i,
				string(s.nets[i].Party), s.nets[i].Net, string(want.nets[i].Party), want.nets[i].Net)
		}
	}
	for i := range s.transfers {
		if s.transfers[i] != want.transfers[i] {
			return fmt.Errorf("%w: transfer %d differs", ErrMismatch, i)
		}
	}
	return nil
}

// CheckParty reports whether s gives party p the net positions that own,
// the obligations p knows it is party to, add up to: in every currency in
// which own or s gives p a non-zero net, the two agree. Every obligation in
// own must have p as payer or payee. A party that holds only its own
// obligations detects with it any one obligation of its own left out,
// invented, or changed in amount, currency or direction, since each
// changes its net. It cannot detect one moved to another counterparty,
// which leaves its net as it was (both counterparties' nets change, so
// they detect it), changes that offset each other, or a change between
// other parties. The
// transfers of a settlement from [Net] or [ParseStatement] always settle
// its nets, so p's transfers add up to its net too.
func (s *Settlement) CheckParty(p Party, own []Obligation) error {
	if s == nil {
		return fmt.Errorf("%w: nil settlement", ErrInvalid)
	}
	if !p.valid() {
		return fmt.Errorf("%w: party name of %d bytes", ErrInvalid, len(p))
	}
	for i, o := range own {
		if o.Payer != p && o.Payee != p {
			return fmt.Errorf("%w: obligation %d is not the party's", ErrInvalid, i)
		}
	}
	want, err := Net(own)
	if err != nil {
		return err
	}
	stated := func(nets []Position) map[money.Currency]money.Amount {
		m := make(map[money.Currency]money.Amount)
		for _, n := range nets {
			if n.Party == p {
				m[n.Net.Currency()] = n.Net
			}
		}
		return m
	}
	got, exp := stated(s.nets), stated(want.nets)
	for c, net := range exp {
		if got[c] != net {
			return fmt.Errorf("%w: the party's net in %s is %v, its obligations give %v", ErrMismatch, c, got[c], net)
		}
	}
	for c, net := range got {
		if _, ok := exp[c]; !ok {
			return fmt.Errorf("%w: the party's net in %s is %v, its obligations give none", ErrMismatch, c, net)
		}
	}
	return nil
}
