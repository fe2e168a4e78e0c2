// Package trs implements Fujisaki–Suzuki traceable ring signatures over
// ristretto255, as specified by docs/spec/trs.md of this repository (after
// E. Fujisaki and K. Suzuki, "Traceable Ring Signature", PKC 2007, ePrint
// 2006/389), and a spent-signature index that checks a new signature
// against every stored one in time independent of how many are stored.
//
// A member of a [Ring] signs a message under a [Tag] (an application
// string, such as a ticket sale id, and the ring). Anyone can verify that
// some member signed, not which one. Two signatures by one member under one
// tag are publicly traceable: on the same message they are Linked, on
// different messages they reveal the member's key. This is what makes a
// toll ticket or a ballot usable once.
//
// Most users need [GenerateKey], [NewRing], [NewTag], [Sign], [Verify] and,
// to refuse second uses, an [Index]. A verifier that checks many signatures
// under few rings (a toll plaza) should verify through a [Verifier].
//
// # Guarantees
//
//   - [Sign] produces a signature that [Verify] accepts under the same tag
//     and message; it refuses a key that is not in the ring.
//   - [Verify] accepts only a signature by a ring member on exactly this
//     message, issue and ring (unforgeability, under the discrete logarithm
//     assumption in the random-oracle model). Every byte of issue, ring,
//     message and signature is bound; a signature for another ring size is
//     rejected with [ErrRingMismatch].
//   - A member who signs once per tag stays anonymous among the ring (DDH,
//     random oracle); signatures under different tags are unlinkable. A ring
//     of one has no anonymity.
//   - [Trace] (both signatures must verify under the tag) returns Revealed
//     with the member's slot and key when one member signed two different
//     messages, Linked when one member signed one message twice, and Indep
//     otherwise; in a ring of one, two signatures are always Revealed. An
//     honest member who signs once per tag is never Revealed. Nobody, even
//     holding every key of a ring of n, makes n+1 pairwise Indep signatures
//     under one tag.
//   - Keys, rings and signatures are immutable and safe for concurrent use;
//     every parser is strict (exact lengths, canonical scalars and points, no
//     identity keys or A1, canonical ring order) and accepted bytes re-encode
//     identically.
//
// Slots reported by this package ([TraceResult.Index], [Ring.Key],
// [Ring.IndexOf]) are 0-based positions in the canonical ring; the scheme's
// 1-based position of slot k is k+1.
//
// # Rings
//
// A ring is canonical: keys sorted by encoding (bytes.Compare), no
// duplicates, no identity, 1 to [MaxRingSize] keys. [NewRing] sorts and
// rejects duplicates; [ParseRing] accepts only the canonical encoding
// u32be(n) || enc(Y_1) || … || enc(Y_n). Tracing depends on this: a
// duplicate would let its owner sign twice untraced, and two orders of one
// set of keys would be two tags.
//
// # Constant time
//
// [Sign] is constant time in the private key and in the signer's position:
// no branch, early exit or memory index depends on them. It finds the
// position by comparing x·g with every ring key (crypto/subtle, no early
// exit), keeps a 0/1 mask per slot and accumulates the position as a scalar
// with constant-time selects; i⁻¹ uses a constant-time inversion and
// σ_i = x·h, A1, w·g, w·h the constant-time scalar multiplications of
// filippo.io/edwards25519. Every slot, the signer's included, gets
// simulated commitments from random (c_j, z_j) computed by the same
// variable-time code as verification (fixed-base tables, see Speed and
// memory); its inputs are public points (h, A0, A1 once computed and
// published, the ring keys) and random scalars independent of the secrets.
// The real commitments are then placed at the signer's slot, and c_i and
// z_i written back, by selects over all slots. The only secret-dependent
// early exit is an error for a key that is not in the ring, which the
// caller knows anyway.
//
// This is checked with valgrind memcheck (ct_valgrind_test.go): the private
// key and the public key it derives (hence the position) are marked as
// undefined memory and memcheck reports any branch or memory index that
// depends on them. The check signs at every slot of rings that take each
// path of the commitments (Straus' method, tables of h, A0 and A1, and a
// tag's own table of h). From the repository root:
//
//	GODEBUG=asyncpreemptoff=1 go test -tags valgrind -ldflags='-s=false -w=false -compressdwarf=false' -exec 'valgrind -q --error-exitcode=1 --suppressions=testdata/valgrind.supp' -run TestValgrind ./trs/
//
// The suppressions (testdata/valgrind.supp) cover two branches in
// filippo.io/edwards25519 whose outcome is the same for every valid secret.
// TestValgrindControl (TRS_VALGRIND_CONTROL=1) leaks the key through a
// variable-time multiplication, through a fixed-base table and through an
// early-exit search, and must fail.
//
// Nonces are hedged (spec §4): w and every simulated (c_j, z_j) come from
// one stream seeded with the key, 32 bytes from crypto/rand, the tag digest
// and the message, so a failing random source still gives different nonces
// for different statements.
//
// [Verify], [Trace], [VerifyBatch], the [Verifier] and the [Index] handle
// only public data and run in variable time.
//
// # Speed and memory
//
// With t2 the cost of one variable-time double-scalar multiplication
// (filippo.io/edwards25519's VarTimeDoubleScalarBaseMult), verification
// costs per ring member about 1 t2 for a_j = z_j·g + c_j·Y_j and well under
// 1 t2 for b_j = z_j·h + c_j·A0 + ((j+1)·c_j)·A1: b_j has three bases fixed
// for the whole signature, so it comes from fixed-base tables instead of
// doublings. The tables of A0 and A1 are built for each signature, with a
// shape chosen by the ring size (a few kilobytes for small rings, up to
// 245 KB each at n = 1000, freed afterwards); rings of fewer than about ten
// members, where tables do not pay, use Straus' method. The table of h is
// built once per [Tag], on the use that reaches about 300 ring members'
// worth of signatures and verifications (six uses at n = 50, the first from
// n = 300 on), and then kept with the tag: 165,120 bytes. Signing costs
// what verification does plus four constant-time multiplications.
//
// A [Verifier] also keeps tables of the ring keys, which bring a_j to about
// a third of t2. They cost [RingTableSize] bytes per ring member (49,920
// bytes of entries and their bookkeeping) and about 4 t2 per member to
// build, so a Verifier builds them for a ring on its fifth successful
// verification there, in a cache bounded in bytes that evicts the least
// recently used ring. [VerifyBatch] builds them for every ring shared by 8
// or more of its items, up to 64 MiB per call, and drops them when it
// returns.
//
// # Cost of verification
//
// Every verifier takes the ring from the tag, which the verifier chose, not
// from the request. [Verify], [Accept], [Trace], [VerifyBatch] and
// [Index.CheckAndAdd] refuse a signature for another ring size with
// [ErrRingMismatch] first, in constant time and before any group operation
// (Trace checks both signatures before verifying either), and
// [ParseSignature] refuses a length other than [SignatureSize](n) for
// 1 ≤ n ≤ [MaxRingSize] before decoding anything. So the worst case of a
// request against a tag of n members is one verification of a signature
// of the right size: parsing 32 + 64n bytes (one point, 2n scalars), one
// hash to the group, n point additions, at most 2n variable-time
// double-scalar multiplications (BenchmarkVerify measures it against
// BenchmarkReferenceT2 at each ring size), one batch encoding of 2n points,
// and hashing the message twice and 64n + O(1) further bytes; the message
// is the one input whose size the request controls. Trace costs two
// verifications and n additions, VerifyBatch the sum of its items, and an
// index check one verification, n fingerprints and at most one scalar
// multiplication per stored signature that shares a fingerprint (a tag
// holds at most n).
//
// # Specification
//
// docs/spec/trs.md in the repository gives every hash layout, the nonce
// derivation, the signature and ring encodings and the spent-index record
// and fingerprint format, and says where it departs from the paper (the
// challenge is a labelled transcript of doubled encodings). A signature is
// [SignatureSize](n) = 32 + 64n bytes with no header: the ring size follows
// from the length and must match the tag's ring. Known-answer vectors in
// testdata/ freeze all of it.
//
// # Spent index
//
// An [Index] answers, for a new signature under a tag, whether its signer
// already has a signature stored under that tag (spec §8). A member's σ at
// its own position is x·h, the same in all its signatures under the tag, so
// a double signer's two signatures share σ_j at position j. The index keeps,
// per stored signature, a [Record] (tag digest, A0, A1) and one 64-bit
// fingerprint of σ_j per position (spec §8.2). A check hands
// the store the new signature's record and fingerprints in one
// [Store.CheckAndAdd] call; the store returns the stored records that share
// a fingerprint, the index confirms every candidate exactly by recomputing
// σ'_j = A0' + j·A1' (so a fingerprint collision never produces Linked or
// Revealed), and the store adds the signature only if it is Fresh, atomically
// with the lookup: O(n) work whatever the number stored. It never stores an
// unverified signature: [Index.CheckAndAdd] verifies, and
// [Index.CheckAndAddAccepted] takes only an [Accepted], which only a
// successful verification ([Accept]) produces. [Index.CheckAccepted]
// answers the same question without storing, for an application that
// refuses a signature for another reason but must still reveal a double
// signer and must not spend the refused one. The store makes a check and
// its add atomic per tag — [NewMemoryStore] within a process, a database
// store across processes — so two concurrent checks can never both get
// Fresh for two signatures by one member.
//
// The record layout and the fingerprint formula are a persisted contract,
// versioned as [StoreFormat]. [NewMemoryStore] keeps 64 bytes per record plus
// one 8-byte slot per position in a per-tag open-addressing table filled to
// 65–80%: about 660 bytes per stored signature at n = 50, as BenchmarkIndex
// measures (B/sig), with lookups as fast at a million stored signatures as
// at a thousand. A tag of n members holds at most n stored signatures,
// since any n+1 valid ones include two by one member.
package trs
