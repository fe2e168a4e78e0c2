package tickets

// Record kinds of this package (docs/spec/tickets.md): the kind in every
// record's header and, for records kept on a ledger, the entry kind.
const (
	kindPurchase = 0x0101 // the issuer's private purchase record (ledger)
	kindSale     = 0x0102 // Sale (ledger and wire)
	kindTicket   = 0x0103 // Ticket (wire only)
	kindSpent    = 0x0104 // a spent store's record (ledger)
	kindUsed     = 0x0105 // a used set's identifier (ledger)

	kindFirst = 0x0100
	kindLast  = 0x01ff
)

// ECDSA contexts of the signed records.
const (
	contextSale     = "ringtrace/tickets/sale/v1"
	contextPurchase = "ringtrace/tickets/purchase/v1"
)

// Domain-separation labels of the digests.
const (
	labelSaleID   = "ringtrace-v1-tickets-sale-id"
	labelTag      = "ringtrace-v1-tickets-tag"
	labelTicketID = "ringtrace-v1-tickets-ticket-id"
)

func ownKind(k uint16) bool { return k >= kindFirst && k <= kindLast }
