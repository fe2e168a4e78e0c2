// Package ledger is the append-only, hash-chained record log that holds the
// state of the ticket, toll and bill-collection systems — the state that the
// source papers keep in Ethereum smart contracts.
//
// A [Ledger] stores records of a caller-chosen [Kind] with an opaque
// payload (a canonical encoding owned by the caller) and hands them back in
// order. Two implementations ship: [Memory], and [File], a crash-safe file.
// A deployment that anchors state in a database implements the same
// interface. A [Checkpoint] is a signed statement of a ledger's length and
// head, for detecting a rewritten ledger against a copy kept elsewhere.
//
// Most users need [OpenFile] (or [NewMemory]), Append, Scan at startup,
// and, where the ledger's owner is not trusted, a [Checkpoint] kept by
// someone else. The file format, the chain hash and the checkpoint record
// are specified in docs/spec/ledger.md of the repository.
//
// # Guarantees
//
//   - Durability: Append returns only once the record is durable — for a
//     File, written and synced with fsync, in a file whose directory entry
//     was synced when it was opened. A record whose Append returned an
//     error, or had not returned when the process died, may or may not be
//     present after recovery; callers must treat it as not acknowledged.
//   - Order: entries are numbered 0, 1, 2, … in the order their Appends took
//     effect. Concurrent Appends are serialised.
//   - Chain: entry i carries Prev, the Hash of entry i-1 (all zeros for
//     entry 0), and Hash = [ChainHash](Seq, Kind, Payload, Prev), so
//     [Ledger.Head] commits to the whole history. The same appends give the
//     same hashes in every implementation.
//   - Isolation: payloads are copied in and out; no caller can change a
//     stored record.
//
// Replay at startup is Scan(ctx, 0, fn): every entry in order, chain
// verified.
//
// # What is detected, and what is not
//
// Opening a File verifies every record: lengths, checksums, sequence
// numbers and chain links. It detects, and refuses with [ErrCorrupt]
// without changing the file, any changed, inserted, removed or reordered
// record that has a complete record after it: a flipped bit, a length
// rewritten (with a matching checksum) to point past the end of the file, a
// zeroed run of records, a record out of sequence. A Scan of an open File
// verifies again what it reads and detects a file changed underneath it.
//
// The chain is a digest, not a signature. It does not detect
//
//   - a file cut back at a record boundary, which looks like a file that
//     ended there;
//   - a file rewritten by someone who recomputes every hash;
//   - damage to the last record, or to the last records and everything
//     after them, which looks like a torn write (see Recovery).
//
// A [Checkpoint] kept where the file's owner cannot rewrite it detects all
// three for the entries it covers: [Checkpoint.Check] fails for a ledger
// that has fewer entries than the checkpoint or whose chain, recomputed
// from entry 0, does not end at the checkpoint's head. Nothing detects a
// change to entries after the newest checkpoint beyond what the chain does.
//
// # Recovery
//
// A crash during an Append can leave part of a frame at the end of the
// file: any prefix of it, or a frame of full length whose pages were only
// partly written. [OpenFile] drops such a torn tail, and only that: the
// bytes from the first frame that does not parse to the end of the file,
// provided no complete frame (length, its checksum and the body checksum
// valid) starts anywhere after that frame's first byte. A complete frame
// there means the bad frame is not the last one written, so dropping it
// would drop acknowledged records: that is an [ErrCorrupt] error, and the
// file is left as it is. Before truncating, OpenFile copies the torn tail to
// a new file next to the ledger and syncs it; [File.TornTail] reports the
// size and the copy's path. Recovery never repairs damage and never
// deletes a byte it has not saved.
//
// # Check, then append
//
// The ledger knows nothing of what records mean, so it cannot enforce a
// rule such as "a ticket is spent once". A store that must check its state
// and then append (a spent-ticket store's check-and-add) holds its own
// mutex across both the check and the Append, and is the only writer of its
// records; the ledger's own serialisation then orders it with everyone
// else's appends. State rebuilt by Scan at startup is complete before the
// store takes its first request.
package ledger
