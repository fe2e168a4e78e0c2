// Package arsig implements accountable ring signatures: the DDH-based
// scheme of Bootle, Cerulli, Chaidos, Ghadafi, Groth and Petit, "Short
// Accountable Ring Signatures Based on DDH" (ESORICS 2015, ePrint 2015/643),
// over ristretto255, as specified in spec/ARS.md of this repository.
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
// # Timing
//
// [Sign] is constant time in the private key and the signer's position: the
// position is found with constant-time comparisons against every member and
// never becomes an integer, and every multi-scalar multiplication with
// coefficients that depend on it is the constant-time one.
// [OpenerKey.Open] is constant time in the opener key. Verify, VerifyBatch,
// VerifyOpening and the search of the decrypted key in the ring handle
// public data and are variable time. A dudect-style timing test checks the
// first two claims: go test -tags ctcheck -run CT -v ./arsig/.
//
// # Encodings
//
// Keys are 32 bytes, rings u32be(N') followed by the keys in canonical
// order, signatures a three-byte header (version, n, m) followed by points
// and scalars in a fixed order ([Signature]), openings 96 bytes. Parsers
// are strict: exact lengths, canonical points and scalars, no identity
// points; they return errors wrapping [ErrMalformed].
package arsig
