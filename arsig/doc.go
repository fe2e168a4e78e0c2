// Package arsig implements accountable ring signatures: the DDH-based
// scheme of Bootle, Cerulli, Chaidos, Ghadafi, Groth and Petit, "Short
// Accountable Ring Signatures Based on DDH" (ESORICS 2015, ePrint 2015/643),
// over ristretto255, as specified in docs/spec/arsig.md of this repository.
//
// A member of a [Ring] signs a message anonymously: a verifier learns that
// some member signed, not which. Every signature carries the signer's key
// encrypted to an opener (a bill collector, say), who can name the signer
// with an [Opening] that anyone can check. Nobody, not even a corrupt
// opener, can make a signature that opens to an honest member, or an opening
// that names anybody but the signer.
//
//	opener, _ := arsig.GenerateOpenerKey()
//	sig, _ := arsig.Sign(user, ring, opener.Public(), msg)
//	err := arsig.Verify(ring, opener.Public(), msg, sig)
//	opening, _ := opener.Open(ring, msg, sig)
//	err = arsig.VerifyOpening(ring, opener.Public(), msg, sig, opening)
//
// Most users want the tickets package, which builds usage records, invoices
// and settlement on top of this one.
//
// # Construction
//
// A signature is an ElGamal encryption c = (r·g, vk + r·pk_O) of the
// signer's key, an n-ary one-out-of-many proof (Groth–Kohlweiss; see
// internal/oneofmany) that c encrypts one of the ring's keys, and a proof of
// knowledge of the signer's private key and r, all under one Fiat–Shamir
// challenge that binds the suite, the commitment key, n and m, the opener
// key, the whole ring, the message and every commitment. The ring is padded
// to n^m positions with copies of its last key; the base n is chosen per
// ring size (see [SignatureSize]): 1,315 bytes at 1,024 members. An
// [Opening] is the decrypted key and a Chaum–Pedersen proof of correct
// decryption, 96 bytes.
//
// # Verification
//
// [Verify] checks every equation in one variable-time multi-scalar
// multiplication with fresh random weights, about one term per ring member
// plus a few dozen. [VerifyBatch] merges many signatures into one such
// multiplication, with one term per key of each distinct ring, and bisects
// to name the invalid ones if the merged check fails. From 128 terms on the
// multiplication uses Pippenger's bucket method (internal/ristretto), which
// costs about 0.55 of Straus' method at 1,024 terms and keeps scaling where
// Straus' tables fall out of the cache; a [Ring] keeps its keys normalised
// for it after its first verification (120 bytes per key).
//
// # Cost of verification
//
// A signature names its own base n and digit count m. [Verify] accepts any
// 2 ≤ n ≤ 16 with m the smallest digit count for the ring (n^m ≥ N') and
// refuses every other (n, m) with [ErrRingMismatch] first, before any group
// operation; [VerifyBatch], [OpenerKey.Open] and [VerifyOpening] verify the
// same way first. [ParseSignature] refuses a length that does not match its
// header before decoding anything, and decodes at most 40 points and 245
// scalars (9,123 bytes, n = m = 16) whatever the ring. So against a ring of
// N' members, the most a request can make the verifier do, by choosing
// n, is:
//
//   - one variable-time multi-scalar multiplication of at most N' + 83
//     terms (N' + n·m + 2m + 11), which dominates;
//   - fewer than 18·N' scalar multiplications for the products P_k and
//     16·N' additions folding the padding (n^m < 16·N');
//   - hashing the ring, the message and the signature once, and the
//     message is the one input whose size the request controls;
//   - on the first use of an (n, m), computing its commitment key (n·m + 1
//     ≤ 65 hashes to the group), kept for later: there are 88 shapes for
//     ring sizes up to [MaxRingSize], so the cache stays bounded.
//
// An honest signature costs the same multiplication within a few dozen
// terms (see [MaxRingSize] for times). Open adds one constant-time scalar
// multiplication and VerifyOpening two double-scalar multiplications.
// VerifyBatch of k items costs less than the items one by one when they
// are valid; when some are not it bisects, at most 2k − 1 merged checks in
// all, each item's own terms in at most ⌈log2 k⌉ + 1 of them.
//
// # Timing
//
// [Sign] is constant time in the private key and the signer's position: the
// position is found with constant-time comparisons against every member and
// never becomes an integer, and every multi-scalar multiplication with
// coefficients that depend on it is the constant-time one.
// [OpenerKey.Open] is constant time in the opener key. Verify, VerifyBatch,
// VerifyOpening and the search of the decrypted key in the ring handle
// public data and are variable time.
//
// Two checks back the first two claims. Under valgrind memcheck
// (ct_valgrind_test.go), the member's private key and its public key (hence
// the position), and for Open the opener key, are marked as undefined
// memory, and memcheck reports any branch, memory index or system call that
// depends on them, through Sign at every position of several rings and
// bases and through Open; the published values (ciphertext, commitments,
// responses, the decrypted signer key, the opening's proof) are declassified
// where they are computed. From the repository root:
//
//	GODEBUG=asyncpreemptoff=1 go test -tags valgrind -ldflags='-s=false -w=false -compressdwarf=false' -exec 'valgrind -q --leak-check=no --error-exitcode=1 --suppressions=../trs/testdata/valgrind.supp' -run TestValgrind ./arsig/
//
// It uses the suppressions of package trs (two branches in
// filippo.io/edwards25519 whose outcome is the same for every valid
// secret) and no others; ARSIG_VALGRIND_CONTROL=1 adds deliberate leaks
// that it must report. A dudect-style timing test compares the running
// times of two classes of secrets:
//
//	go test -tags ctcheck -run CT -v ./arsig/
//
// # Encodings
//
// Keys are 32 bytes, rings u32be(N') followed by the keys in canonical
// order, signatures a three-byte header (version, n, m) followed by points
// and scalars in a fixed order, openings 96 bytes; docs/spec/arsig.md in
// the repository gives every layout and hash. Parsers are strict: exact
// lengths, canonical points and scalars, no identity points; they return
// errors wrapping [ErrMalformed].
package arsig
