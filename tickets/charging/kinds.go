package charging

import "github.com/ringtrace/ringtrace/tickets/ledger"

// The record kinds of this package (docs/spec/charging.md): the kind in
// every record's header and, for a charger's ledger entries, the entry kind.
// The package owns 0x0d00–0x0d7f (package credits has 0x0d80–0x0dff); a
// charger's replay skips other kinds and refuses unknown kinds in its range.
const (
	kindSession   ledger.Kind = 0x0d01 // a session's detail, inside a billing usage record
	kindPeriod    ledger.Kind = 0x0d02 // a period descriptor the charger holds (ledger)
	kindAccepted  ledger.Kind = 0x0d03 // usage records the charger accepted (ledger)
	kindDelivered ledger.Kind = 0x0d04 // the collector's answers to a delivery (ledger)

	kindFirst ledger.Kind = 0x0d00
	kindLast  ledger.Kind = 0x0d7f
)
