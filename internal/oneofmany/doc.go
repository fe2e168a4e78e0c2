// Package oneofmany implements the n-ary one-out-of-many proof of Groth and
// Kohlweiss ("One-out-of-Many Proofs", EUROCRYPT 2015, ePrint 2014/764) in the
// form Bootle et al. use for accountable ring signatures ("Short Accountable
// Ring Signatures Based on DDH", ESORICS 2015, ePrint 2015/643), as specified
// in docs/spec/arsig.md §3 and §6 of this repository.
//
// # Statement
//
// A homomorphism φ: Z_q → G^w of the form φ(s) = (s·B_0, …, s·B_{w−1}) and a
// list D_0..D_{N'−1} of elements of G^w. The prover knows an index ℓ and a
// scalar r with D_ℓ = φ(r). The list is padded to N = n^m entries with
// copies of its last entry ([Params]); the padding is implicit, never sent.
//
// # Layers
//
// The package offers two layers. [Prove] and [Verify] run the whole proof for
// an explicit [Statement] with its own Fiat–Shamir transcript; they are the
// reference for the algebra and what the package tests exercise. Package
// arsig needs more control: its list has structure (D_k = (c1, c2 − Y_k), so
// Σ p_{k,t}·c1 vanishes and one multi-scalar multiplication per digit over
// the ring suffices), its challenge binds a ciphertext and a second proof,
// and its verifier merges every check of many signatures into one
// multi-scalar multiplication. It therefore drives the pieces directly:
// [NewProver] (commitments A, B, C, D and the coefficients p_{k,t}),
// [Prover.Respond], [Response.Full], [Products] and [CommitmentChecks].
//
// # Commitment key
//
// Com(v; s) = s·h_c + Σ v_{j,i}·g_{j,i} with every generator from
// [ristretto.HashToGroup] under DST "ringtrace-v1-ARS-ck" and a distinct
// label ("h" for h_c, "g" || u32be(j) || u32be(i) for g_{j,i}), so nobody
// knows a discrete-logarithm relation between them. Keys are cached per
// (n, m).
//
// # Timing
//
// The prover is constant time in the secret index and in the witness: the
// digits of ℓ never exist as integers (σ_{j,i} is an OR of constant-time
// equality flags over the public indices k with k_j = i), the coefficients
// p_{k,t} come from constant-time scalar arithmetic over every k, and every
// multi-scalar multiplication that involves them is the constant-time one.
// Verification handles public data and is variable time.
package oneofmany
