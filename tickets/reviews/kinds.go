package reviews

import "github.com/ringtrace/ringtrace/tickets/ledger"

// Record kinds of this package (docs/spec/reviews.md): the kind in every
// record's header and, for records kept on a ledger, the entry kind. The
// package owns 0x0c00–0x0c7f of the shop's range; package payments owns
// the rest.
const (
	kindOrder      ledger.Kind = 0x0c01 // Order (wire; the shop's private ledger)
	kindRoster     ledger.Kind = 0x0c02 // Roster (wire; both ledgers)
	kindContent    ledger.Kind = 0x0c03 // a review's content, the ticket's message (wire only)
	kindReview     ledger.Kind = 0x0c04 // Review (wire; the board's ledger)
	kindDisclosure ledger.Kind = 0x0c05 // Disclosure (wire; the board's ledger)

	kindFirst ledger.Kind = 0x0c00
	kindLast  ledger.Kind = 0x0c7f
)

func ownKind(k ledger.Kind) bool { return k >= kindFirst && k <= kindLast }

// The ECDSA context of the shop's rosters.
const contextRoster = "ringtrace/reviews/roster/v1"

// Domain-separation labels of the digests.
const (
	labelOrder    = "ringtrace/reviews/order/v1"     // the customer's proof on an order
	labelOrderID  = "ringtrace/reviews/order-id/v1"  // Order.ID
	labelRosterID = "ringtrace/reviews/roster-id/v1" // Roster.ID
	labelAuthor   = "ringtrace/reviews/author/v1"    // what a review's arsig signature signs
	labelReviewID = "ringtrace/reviews/review-id/v1" // Review.ID
)
