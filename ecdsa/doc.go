// Package ecdsa implements canonical, domain-separated ECDSA attestations on
// NIST P-256 with SHA-256 (FIPS 186-5), built on the standard library's
// crypto/ecdsa.
//
// The application packages sign every record that needs an ordinary
// signature with it (sales, entry proofs, statements, invoices, receipts);
// docs/spec/ecdsa.md in the repository specifies the digest and the
// encodings. Most users need only
// [GenerateKey], [Sign] and [Verify], and [PublicKey.Bytes] and
// [ParsePublicKey] to publish keys.
//
// [PrivateKey] deliberately does not implement crypto.Signer: that interface
// signs caller-supplied digests, which would bypass the domain separation.
//
// # What is signed
//
// Every signature is bound to a context, a non-empty label naming what is
// attested, such as "ringtrace/toll/entry-proof/v1". The ECDSA digest is
//
//	SHA-256( lp("ringtrace-v1-ECDSA") || lp(context) || lp(msg) )
//
// where lp(x) = u64be(len(x)) || x, the 8-byte big-endian length of x followed
// by x, as in the project's transcripts. The fixed prefix keeps these
// signatures apart from anything else the same key might sign, and the length
// prefixes make the encoding injective, so a signature made under one context
// never verifies under another, nor for a different split of the same bytes
// between context and message. The context should carry a version, so a
// record format can change without old signatures verifying as new ones.
//
// # Encodings
//
// All encodings have a fixed size and exactly one accepted form:
//
//   - a signature is r || s, each a 32-byte big-endian integer
//     ([SignatureSize] = 64);
//   - a public key is a SEC 1 compressed point, 0x02 or 0x03 then the 32-byte
//     x-coordinate ([PublicKeySize] = 33); uncompressed and hybrid points, the
//     point at infinity and x ≥ p are refused;
//   - a private key is the scalar d, 32 bytes big-endian with 0 < d < n
//     ([PrivateKeySize] = 32).
//
// # Low-S
//
// If (r, s) is a valid ECDSA signature then so is (r, n−s). [Sign] always
// returns the one with s ≤ n/2, and [Verify] refuses s > n/2, along with
// r = 0, s = 0, r ≥ n, s ≥ n and any length other than 64 bytes. So for a
// given key, context, message and r exactly one encoding is accepted: nobody
// can turn an accepted signature into a different accepted one, and its bytes
// can serve as its identifier. (The signer can always make a fresh signature,
// with another r; whatever must be unique per message has to be keyed on the
// message.) Signatures made elsewhere over this package's digest verify only
// if their s is low.
//
// # Randomness and timing
//
// Keys and nonces come from crypto/rand inside the standard library; there is
// no io.Reader in the API. Since Go 1.26 crypto/ecdsa signs with hedged nonces
// (draft-irtf-cfrg-det-sigs-with-noise): the nonce is derived from the private
// key, the digest and 32 random bytes through HMAC-DRBG, so even a random
// source that returns only zeros gives distinct nonces for distinct messages
// (see TestNonceSafety). Tests make runs reproducible with
// testing/cryptotest.SetGlobalRandom.
//
// Key generation, [ParsePrivateKey] and [Sign] use the private key and the
// nonce only through crypto/ecdsa, whose P-256 arithmetic is constant time;
// this package adds no branch or table index on either. The low-S step in
// Sign compares and subtracts s, which is public output. [Verify] and
// [ParsePublicKey] handle public data and are not constant time.
//
// # Test vectors
//
// The tests run Project Wycheproof's ecdsa_secp256r1_sha256_p1363_test.json
// (github.com/C2SP/wycheproof, commit
// dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166, Apache License 2.0) through the
// same code as Verify, after the hashing step. The file is not copied into
// this repository: it is read at test time from the project's shared folder,
// shared/testdata/wycheproof, and the test is skipped when that folder is
// absent. Wycheproof's valid signatures with a high s are counted and must be
// refused here, by the low-S policy alone.
package ecdsa
