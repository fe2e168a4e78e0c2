package reviews

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/trs"
)

// TestModeration: the moderator opens an abusive review; anyone checks the
// disclosure, which names its author; the board takes the review off its
// list and a reader rebuilding the board checks the disclosure again. The
// author's other review, and the other reviews, are untouched.
func TestModeration(t *testing.T) {
	w := newWorld(t, kettle, lamp)
	author := w.purchases[1]                                   // customer 1's kettle
	sameAuthor := w.purchases[policy.RingSize+author.customer] // customer 1's lamp
	abusive := w.review(t, author, 1, "abuse")
	other := w.review(t, sameAuthor, 2, "meh")
	for _, r := range []*Review{abusive, other, w.review(t, w.purchases[0], 5, "good")} {
		if err := w.post(r); err != nil {
			t.Fatal(err)
		}
	}
	d := must(NewDisclosure(w.moderator, abusive, w.roster))
	parsed := must(ParseDisclosure(d.Bytes()))
	if err := parsed.Check(abusive, w.roster); err != nil {
		t.Fatalf("anyone's check of the disclosure: %v", err)
	}
	if !parsed.Customer().Equal(w.customers[author.customer].Public()) {
		t.Fatal("the disclosure does not name the author")
	}
	if err := parsed.Check(other, w.roster); err == nil {
		t.Fatal("the disclosure of one review checks for the author's other review")
	}
	must(w.board.Disclose(ctx, d.Bytes()))
	if got := w.board.Reviews(kettle.Label); len(got) != 1 || got[0].Text() != "good" {
		t.Fatalf("kettle reviews after the disclosure: %d", len(got))
	}
	if got := w.board.Reviews(lamp.Label); len(got) != 1 || got[0].ID() != other.ID() {
		t.Fatal("the author's other review left the board")
	}
	if _, ok := w.board.Disclosure(other.ID()); ok {
		t.Fatal("the author's other review is disclosed too")
	}
	if r, ok := w.board.Review(abusive.ID()); !ok || r.ID() != abusive.ID() {
		t.Fatal("the disclosed review is not kept on the board")
	}
	reader := w.newBoard(t, copyLedger(t, w.boardL), trs.NewMemoryStore())
	if got, ok := reader.Disclosure(abusive.ID()); !ok || !bytes.Equal(got.Bytes(), d.Bytes()) {
		t.Fatal("the reader's board lacks the disclosure")
	}
	if again := must(w.board.Disclose(ctx, d.Bytes())); !bytes.Equal(again.Bytes(), d.Bytes()) {
		t.Fatal("a second disclosure of one review changed it")
	}
}

// TestDisclosureForgeries: a disclosure naming another customer, moved to
// another review, or about a review that is not posted is refused.
func TestDisclosureForgeries(t *testing.T) {
	w := newWorld(t, kettle)
	a := w.review(t, w.purchases[0], 1, "abuse")
	b := w.review(t, w.purchases[1], 1, "more abuse")
	unposted := w.review(t, w.purchases[2], 1, "never posted")
	for _, r := range []*Review{a, b} {
		if err := w.post(r); err != nil {
			t.Fatal(err)
		}
	}
	d := must(NewDisclosure(w.moderator, a, w.roster)).Bytes()

	framed := bytes.Clone(d) // names customer 2 instead of customer 0
	copy(framed[len(d)-arsig.OpeningSize:], w.customers[2].Public().Bytes())
	moved := bytes.Clone(d) // a's opening presented as b's
	bid := b.ID()
	copy(moved[3:], bid[:])
	stranger := must(NewDisclosure(w.moderator, unposted, w.roster))
	for _, c := range []struct {
		name string
		rec  []byte
		want error
	}{
		{"naming another customer", framed, ErrBadSignature},
		{"moved to another review", moved, ErrBadSignature},
		{"of a review not on the board", stranger.Bytes(), ErrUnknown},
		{"truncated", d[:len(d)-1], ErrMalformed},
	} {
		if _, err := w.board.Disclose(ctx, c.rec); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := w.board.Disclose(ctx, d); err != nil {
		t.Fatalf("genuine disclosure: %v", err)
	}
}
