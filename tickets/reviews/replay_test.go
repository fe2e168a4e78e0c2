package reviews

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// rewrite returns a memory ledger with l's entries passed through edit,
// which may change an entry's payload or kind, drop it (nil) or add
// entries after it; the chain is recomputed, as by someone rewriting the
// whole ledger.
func rewrite(tb testing.TB, l ledger.Ledger, edit func(e ledger.Entry) []ledger.Entry) ledger.Ledger {
	tb.Helper()
	out := ledger.NewMemory()
	err := l.Scan(ctx, 0, func(e ledger.Entry) error {
		for _, n := range edit(e) {
			if _, err := out.Append(ctx, n.Kind, n.Payload); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// firstOf edits the first entry of kind k with f.
func firstOf(k ledger.Kind, f func(e ledger.Entry) []ledger.Entry) func(ledger.Entry) []ledger.Entry {
	done := false
	return func(e ledger.Entry) []ledger.Entry {
		if e.Kind == k && !done {
			done = true
			return f(e)
		}
		return []ledger.Entry{e}
	}
}

func flipLast(e ledger.Entry) []ledger.Entry {
	p := append([]byte(nil), e.Payload...)
	p[len(p)-1] ^= 1
	return []ledger.Entry{{Kind: e.Kind, Payload: p}}
}

// TestBoardReplayRefuses: a board's ledger rewritten with a bad signature,
// a second review of one right, a private record, an unknown kind of the
// package or records out of order does not open; other packages' records
// are skipped.
func TestBoardReplayRefuses(t *testing.T) {
	w := newWorld(t, kettle)
	p := w.purchases[0]
	first := w.review(t, p, 5, "first")
	if err := w.post(first); err != nil {
		t.Fatal(err)
	}
	d := must(NewDisclosure(w.moderator, first, w.roster))
	must(w.board.Disclose(ctx, d.Bytes()))
	second := w.review(t, p, 1, "second")
	appendAfter := func(k ledger.Kind, extra ledger.Entry) func(ledger.Entry) []ledger.Entry {
		return firstOf(k, func(e ledger.Entry) []ledger.Entry { return []ledger.Entry{e, extra} })
	}
	swap := func(a, b ledger.Kind) func(ledger.Entry) []ledger.Entry { // moves the first a after the first b
		var held *ledger.Entry
		return func(e ledger.Entry) []ledger.Entry {
			switch {
			case e.Kind == a && held == nil:
				held = &e
				return nil
			case e.Kind == b && held != nil:
				return []ledger.Entry{e, *held}
			}
			return []ledger.Entry{e}
		}
	}
	for _, c := range []struct {
		name string
		edit func(ledger.Entry) []ledger.Entry
		want error
	}{
		{"review signature changed", firstOf(kindReview, flipLast), ErrBadSignature},
		{"roster signature changed", firstOf(kindRoster, flipLast), ErrBadSignature},
		{"sale signature changed", firstOf(kindTicketsSale, flipLast), ErrBadSignature},
		{"disclosure changed", firstOf(kindDisclosure, flipLast), ErrBadSignature},
		{"a second review of the right", appendAfter(kindReview, ledger.Entry{Kind: kindReview, Payload: second.Bytes()}), tickets.ErrReused},
		{"the review twice", appendAfter(kindReview, ledger.Entry{Kind: kindReview, Payload: first.Bytes()}), ErrMalformed},
		{"an order", appendAfter(kindRoster, ledger.Entry{Kind: kindOrder, Payload: p.order.Bytes()}), ErrMalformed},
		{"a purchase record", appendAfter(kindRoster, ledger.Entry{Kind: kindTicketsPurchase, Payload: []byte{1}}), ErrMalformed},
		{"an unknown kind of the package", appendAfter(kindRoster, ledger.Entry{Kind: kindLast, Payload: []byte{1}}), ErrMalformed},
		{"the review before its sale", swap(kindTicketsSale, kindReview), ErrUnknown},
		{"the review before its roster", swap(kindRoster, kindReview), ErrUnknown},
		{"the disclosure before its review", swap(kindReview, kindDisclosure), ErrUnknown},
	} {
		l := rewrite(t, w.boardL, c.edit)
		if _, err := OpenBoard(ctx, w.shopKey.Public(), w.moderator.Public(), l, trs.NewMemoryStore()); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	foreign := rewrite(t, w.boardL, appendAfter(kindRoster, ledger.Entry{Kind: 0x0b01, Payload: []byte("billing's")}))
	if _, err := OpenBoard(ctx, w.shopKey.Public(), w.moderator.Public(), foreign, trs.NewMemoryStore()); err != nil {
		t.Errorf("another package's record: %v", err)
	}
}

// TestShopReplayRefuses: a shop's ledger rewritten with a bad order proof,
// a roster signed by someone else or a board record does not open.
func TestShopReplayRefuses(t *testing.T) {
	w := newWorld(t, kettle)
	r := w.review(t, w.purchases[0], 5, "x")
	for _, c := range []struct {
		name string
		edit func(ledger.Entry) []ledger.Entry
		want error
	}{
		{"order proof changed", firstOf(kindOrder, flipLast), ErrBadSignature},
		{"roster signature changed", firstOf(kindRoster, flipLast), ErrBadSignature},
		{"purchase record changed", firstOf(kindTicketsPurchase, flipLast), tickets.ErrBadSignature},
		{"a review", firstOf(kindRoster, func(e ledger.Entry) []ledger.Entry {
			return []ledger.Entry{e, {Kind: kindReview, Payload: r.Bytes()}}
		}), ErrMalformed},
	} {
		l := rewrite(t, w.shopL, c.edit)
		if _, err := OpenShop(ctx, w.shopKey, w.moderator.Public(), l, policy); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestReplayFindsBadAuthorInBatch: the author signatures of a ledger are
// verified in one batch, which still names the one review whose author
// signature is another review's.
func TestReplayFindsBadAuthorInBatch(t *testing.T) {
	w := newWorld(t, kettle)
	var posted []*Review
	for i, p := range w.purchases {
		r := w.review(t, p, 1+i, "fine")
		if err := w.post(r); err != nil {
			t.Fatal(err)
		}
		posted = append(posted, r)
	}
	ticket, _ := parts(posted[2])
	_, other := parts(posted[0])
	forged := assemble(t, w.roster.ID(), ticket, other)
	var seq uint64
	l := rewrite(t, w.boardL, func(e ledger.Entry) []ledger.Entry {
		if e.Kind == kindReview && bytes.Equal(e.Payload, posted[2].Bytes()) {
			seq = e.Seq
			return []ledger.Entry{{Kind: e.Kind, Payload: forged}}
		}
		return []ledger.Entry{e}
	})
	_, err := OpenBoard(ctx, w.shopKey.Public(), w.moderator.Public(), l, trs.NewMemoryStore())
	if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), fmt.Sprintf("ledger entry %d:", seq)) {
		t.Fatalf("replay of a ledger with entry %d's author signature swapped: %v", seq, err)
	}
}
