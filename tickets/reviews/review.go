package reviews

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/internal/wire"
	"github.com/ringtrace/ringtrace/trs"
)

// Review limits.
const (
	MinRating  = 1
	MaxRating  = 5
	MaxTextLen = 4096 // bytes of UTF-8
)

// Review is a buyer's review of a product: a rating from [MinRating] to
// [MaxRating], a text of at most [MaxTextLen] bytes of UTF-8 and the time
// it was written. It carries two signatures:
//
//   - its right: a [tickets.Ticket] of the purchase's sale over the
//     review's content (product, rating, text, time), a traceable ring
//     signature by one of the sale's buyers, good for one review;
//   - its author: an accountable ring signature by the customer's
//     long-term key under a [Roster] of the shop's customers, with the
//     moderator as opener, over the roster's ID and the whole ticket.
//
// The author signature covers the ticket, so neither signature can be moved
// to another review: an author signature verifies with its own ticket
// only, and a ticket is accepted once, so it is posted with one author
// signature. Layout: docs/spec/reviews.md. A Review is immutable and safe
// for concurrent use.
type Review struct {
	roster  [32]byte
	ticket  *tickets.Ticket
	product string
	rating  int
	text    string
	time    time.Time
	author  *arsig.Signature

	id  [32]byte
	enc []byte
}

// NewReview returns the review of the purchase whose one-time key is right,
// sold in sale, by the holder of customer, a member of roster, written at
// time at. A right signs one review: a second, different review of the
// purchase reveals right (and so the buyer, to the shop) to whoever holds
// both, whether or not the first was posted — a board spends a right before
// it records the review, and may fail to record it. A buyer who must send
// its review again sends the same one: it is posted if it was not, and
// refused as linked if it was.
func NewReview(customer *arsig.PrivateKey, right *trs.PrivateKey, sale *tickets.Sale, roster *Roster, rating int, text string, at time.Time) (*Review, error) {
	if customer == nil || right == nil || sale == nil || roster == nil {
		return nil, fmt.Errorf("%w: review needs a customer key, a right, its sale and a roster", ErrMalformed)
	}
	t, err := wire.Seconds(at)
	if err != nil {
		return nil, fmt.Errorf("%w: review time: %w", ErrMalformed, err)
	}
	r := &Review{roster: roster.id, product: sale.Class().Label, rating: rating, text: text, time: t}
	content, err := r.content()
	if err != nil {
		return nil, err
	}
	if r.ticket, err = tickets.NewTicket(right, sale, content); err != nil {
		return nil, fmt.Errorf("%w: the right is not in the sale's ring: %w", ErrRefused, err)
	}
	if r.author, err = arsig.Sign(customer, roster.ring, roster.opener, r.authorMessage()); err != nil {
		return nil, fmt.Errorf("%w: the customer is not in the roster: %w", ErrRefused, err)
	}
	if r.enc, err = r.encode(); err != nil {
		return nil, err
	}
	r.id = wire.Digest(labelReviewID, r.enc)
	return r, nil
}

// encode encodes the review from its fields; the ticket's message must be
// the encoding of its content.
func (r *Review) encode() ([]byte, error) {
	content, err := r.content()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(content, r.ticket.Message()) {
		return nil, fmt.Errorf("%w: review: the ticket signs other content", ErrMalformed)
	}
	w := wire.NewWriter(uint16(kindReview))
	w.Fixed(r.roster[:])
	w.Bytes(r.ticket.Bytes())
	w.Bytes(r.author.Bytes())
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: review: %w", ErrMalformed, err)
	}
	return b, nil
}

func checkContent(rating int, text string) error {
	if rating < MinRating || rating > MaxRating {
		return fmt.Errorf("rating %d outside %d..%d", rating, MinRating, MaxRating)
	}
	if len(text) > MaxTextLen || !utf8.ValidString(text) {
		return fmt.Errorf("text must be at most %d bytes of UTF-8", MaxTextLen)
	}
	return nil
}

// content is the ticket's message: the review without its signatures.
func (r *Review) content() ([]byte, error) {
	if err := checkContent(r.rating, r.text); err != nil {
		return nil, fmt.Errorf("%w: review: %w", ErrMalformed, err)
	}
	w := wire.NewWriter(uint16(kindContent))
	w.Bytes([]byte(r.product))
	w.U8(uint8(r.rating))
	w.Bytes([]byte(r.text))
	w.Time(r.time)
	b, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%w: review: %w", ErrMalformed, err)
	}
	return b, nil
}

// authorMessage is what the author signature signs: the roster's ID and
// the whole ticket, so that it verifies with this ticket only.
func (r *Review) authorMessage() []byte {
	d := wire.Digest(labelAuthor, r.roster[:], r.ticket.Bytes())
	return d[:]
}

// ParseReview decodes a review encoded by [Review.Bytes]. It parses both
// signatures strictly but verifies neither: a [Board] does, against the
// sale and roster the review names.
func ParseReview(b []byte) (*Review, error) {
	rd := wire.NewReader(b, uint16(kindReview), "review", ErrMalformed)
	r := &Review{}
	copy(r.roster[:], rd.Fixed("roster", len(r.roster)))
	r.ticket = wire.Value(rd, "ticket", tickets.ParseTicket)
	r.author = wire.Value(rd, "author", arsig.ParseSignature)
	if err := rd.Done(); err != nil {
		return nil, err
	}
	if err := r.parseContent(r.ticket.Message()); err != nil {
		return nil, err
	}
	r.enc = bytes.Clone(b)
	r.id = wire.Digest(labelReviewID, r.enc)
	return r, nil
}

func (r *Review) parseContent(b []byte) error {
	rd := wire.NewReader(b, uint16(kindContent), "review content", ErrMalformed)
	product := rd.Bytes("product")
	r.rating = int(rd.U8("rating"))
	text := rd.Bytes("text")
	r.time = rd.Time("time")
	if err := rd.Done(); err != nil {
		return err
	}
	r.product, r.text = string(product), string(text)
	if err := checkLabel(r.product); err != nil {
		return fmt.Errorf("%w: review content: %w", ErrMalformed, err)
	}
	if err := checkContent(r.rating, r.text); err != nil {
		return fmt.Errorf("%w: review content: %w", ErrMalformed, err)
	}
	return nil
}

// Bytes returns the canonical encoding.
func (r *Review) Bytes() []byte { return bytes.Clone(r.enc) }

// ID names the review: a digest of its encoding, which a [Disclosure]
// names.
func (r *Review) ID() [32]byte { return r.id }

// Product returns the label of the reviewed product, its sale's class.
func (r *Review) Product() string { return r.product }

// Rating returns the rating, from [MinRating] to [MaxRating].
func (r *Review) Rating() int { return r.rating }

// Text returns the text.
func (r *Review) Text() string { return r.text }

// Time returns when the review was written.
func (r *Review) Time() time.Time { return r.time }

// Roster returns the ID of the roster the review's author signed under.
func (r *Review) Roster() [32]byte { return r.roster }

// Sale returns the ID of the sale of the review's right.
func (r *Review) Sale() tickets.SaleID {
	if r.ticket == nil {
		return tickets.SaleID{}
	}
	return r.ticket.Sale()
}
