// Package transcript builds the Fiat–Shamir transcripts and hedged nonce
// streams of the signature schemes in this module.
//
// # Transcripts
//
// A [Transcript] is an unambiguous byte string, hashed to a challenge
// scalar with [ristretto.HashToScalar] under the transcript's domain
// separation tag (one DST per protocol role, such as
// "ringtrace-v1-TRS-challenge"). Every absorbed value is preceded by its
// label, and every value whose length is not fixed is preceded by its length,
// so two different sequences of absorbs never produce the same string:
//
//	AppendBytes(l, b)             lp(l) || lp(b)
//	AppendUint64(l, v)            lp(l) || u64be(v)
//	AppendElement(l, P)           lp(l) || enc(P)
//	AppendScalar(l, s)            lp(l) || encS(s)
//	AppendElements(l, P1..Pk)     lp(l) || u64be(k) || enc(P1) || … || enc(Pk)
//	AppendDoubledElements(l, …)   lp(l) || u64be(k) || enc(2·P1) || … || enc(2·Pk)
//
// where lp(x) = u64be(len(x)) || x, enc is the RFC 9496 encoding and encS the
// 32-byte little-endian scalar. AppendDoubledElements encodes the doubles
// because that costs one field inversion for the whole list instead of a
// square root per element (see [ristretto.AppendDoubledEncodings]).
//
// # Nonces
//
// A [Nonces] stream yields the secret scalars of one signature. It is
// hedged: seeded with SHA-512(lp(dst) || encS(secret) || 32 random bytes ||
// statement), so a broken random source still gives distinct nonces for
// distinct statements, and a good one gives fresh nonces even for a repeated
// statement. Scalars are read from SHAKE256(seed), 64 bytes each, wide
// reduced.
package transcript
