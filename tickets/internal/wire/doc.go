// Package wire is the one record encoding of the application packages
// (tickets and everything under it): a header naming the record's kind,
// fixed-size and length-prefixed fields, and the layout of records signed
// with ECDSA. docs/spec/records.md in the repository specifies it.
//
// Every record is
//
//	u8(Version) || u16be(kind) || fields
//
// where kind is the record's ledger kind, unique across the packages, so
// the bytes of one record type never parse as another, in any package.
// Integers are big-endian. A time is u64be(seconds since the Unix epoch),
// never negative, so records hold whole seconds in UTC. A variable-length
// field is u32be(length) || bytes, a list is u32be(count) || items. An
// amount is money's 12-byte encoding. A signed record is
//
//	body || sig[64]
//
// with sig the ECDSA P-256 signature (package ecdsa) of body under the
// record's context string.
//
// A [Reader] remembers the first failure, names the record and field in
// it, and wraps the sentinel its caller passes, so each package reports
// its own error (errors.Is finds it and the parser's underlying error).
package wire
