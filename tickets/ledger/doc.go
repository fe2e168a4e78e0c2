// Package ledger is the append-only, hash-chained record log that holds the
// state of the toll-ticket and bill-collection systems — the state that the
// source papers keep in Ethereum smart contracts.
//
// A [Ledger] stores records of a caller-chosen [Kind] with an opaque
// payload (a canonical encoding owned by the caller) and hands them back in
// order. Two implementations ship: [Memory], and [File], a crash-safe file.
// A deployment that anchors state on a chain or in a database implements
// the same interface.
//
// # Guarantees
//
//   - Durability: Append returns only once the record is durable — for a
//     File, written and synced with fsync. A record whose Append returned an
//     error, or had not returned when the process died, may or may not be
//     present after recovery; callers must treat it as not acknowledged.
//   - Order: entries are numbered 0, 1, 2, … in the order their Appends took
//     effect. Concurrent Appends are serialised.
//   - Chain: entry i carries Prev, the Hash of entry i-1 (all zeros for
//     entry 0), and Hash = [ChainHash](Seq, Kind, Payload, Prev), so [Ledger.Head]
//     commits to the whole history. The same appends give the same hashes
//     in every implementation.
//   - Isolation: payloads are copied in and out; no caller can change a
//     stored record.
//
// Replay at startup is Scan(0, fn): every entry in order, chain verified.
//
// The chain detects a changed, inserted, removed or reordered record, but
// not a log cut back to an earlier record boundary, nor one rewritten whole
// by someone who recomputes every hash: it is a digest, not a signature. A
// deployment that must detect those anchors Head somewhere the file's owner
// cannot rewrite, and compares it after opening.
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
//
// # Recovery
//
// [OpenFile] reads the whole file and verifies every length, checksum,
// sequence number and chain link. A crash during an Append can leave part of
// a record at the end of the file: that torn tail is cut off, the cut
// synced, and its size reported by [File.Truncated]. Precisely, the bytes
// after the last valid record are a torn tail when they are fewer than a
// frame head, a frame whose checksummed length runs past the end of the
// file, a single final frame whose body checksum fails, or all zeros.
//
// Recovery does not repair damage. Anything else — a bad checksum with more
// data after it, a damaged length that is not part of a zero tail, a wrong
// sequence number or a broken chain link, even in the final record — is an
// error wrapping [ErrCorrupt], and the file is left as it was. Recovery cannot bring back a record whose Append never
// returned, and it cannot tell a torn final record from damage to a final
// record that was acknowledged: it drops both, and reports the bytes.
//
// # File format
//
// All integers are big-endian; crc is CRC-32C (Castagnoli).
//
//	file   = header || frame*
//	header = "RTLEDGER" || u32(1)                                  12 bytes
//	frame  = u32(n) || u32(crc(u32(n))) || body || u32(crc(body))
//	body   = u64(seq) || u16(kind) || prev[32] || payload          n bytes
//
// A frame is 54 bytes plus the payload. The length carries its own checksum
// so that a damaged length is reported as damage, not taken for a record cut
// short (which would drop every record after it). The entry hash is not
// stored; it is recomputed on reading. A new file gets its header written
// and synced, and its directory synced, before any record; a file shorter
// than the header whose bytes are a prefix of it is a creation that a crash
// interrupted, and is completed.
package ledger
