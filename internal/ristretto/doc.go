// Package ristretto implements the prime-order group ristretto255 of
// RFC 9496 on top of filippo.io/edwards25519, together with the RFC 9380
// hash-to-group and hash-to-scalar functions the signature schemes of this
// module use for every base and every challenge.
//
// # Elements and scalars
//
// [Element] is a ristretto255 group element and [Scalar] an integer modulo the
// group order q = 2^252 + 27742317777372353535851937790883648493. Both follow
// the math/big style of filippo.io/edwards25519: methods set the receiver to
// the result and return it, arguments may alias the receiver, and the zero
// value of a Scalar is 0. The zero value of an Element is not valid; use
// [NewIdentityElement], [NewGeneratorElement] or a decoder.
//
// Equality is ristretto equality (RFC 9496 §4.5): two internal
// representatives of one group element compare equal. Never compare the
// underlying Edwards points, which differ between representatives.
//
// # Encoding
//
// [Element.SetCanonicalBytes] implements the decoding of RFC 9496 §4.3.1 and
// refuses, without modifying the receiver, any input that is not the
// canonical encoding of a group element: wrong length, a field element at or
// above 2^255−19, a negative s, a non-square, a negative t or y = 0.
// [Scalar.SetCanonicalBytes] refuses scalars at or above q.
//
// [AppendDoubledEncodings] encodes many elements with a single field
// inversion. It encodes 2·P rather than P (doubling makes the square root of
// the encoding a rational function of the coordinates); since doubling is a
// bijection of a group of odd order, the result is as injective as the
// encoding of P itself and is what the protocols hash when they absorb long
// lists of elements.
//
// # Multiplications
//
// [Element.ScalarMult], [Element.ScalarBaseMult] and
// [Element.MultiScalarMult] are filippo.io/edwards25519's constant-time
// multiplications. The variable-time ones use the package's own point
// arithmetic on filippo.io/edwards25519/field (extended coordinates,
// affine- and projective-Niels addends, mixed additions, batch
// normalisation with one field inversion), which filippo.io/edwards25519
// does not export:
//
//   - [Element.VarTimeMultiScalarMult] uses Straus' method
//     (filippo.io/edwards25519) below 128 terms and Pippenger's bucket
//     method with signed digits from there on, with the window from a cost
//     model (8 bits at 1,000 terms, 10 at 4,000, 13 at 64,000).
//     [PreparedElements] keeps a list of elements normalised for it, for
//     [Element.VarTimeMultiScalarMultPrepared].
//   - A [BaseTable] holds multiples of one fixed element, for
//     [Element.VarTimeMultiScalarMultTables]: one mixed addition per signed
//     digit of the scalar and a few doublings shared by every table of the
//     multiplication, instead of about 250 doublings. [BaseTableShape]
//     picks the shape that pays for the number of uses, and
//     [GeneratorTable] is the shared table of the generator.
//
// # Timing
//
// Every operation is constant time in its inputs unless its name starts with
// VarTime, in which case its execution time depends on the inputs and it
// must only be given public values. Building a [BaseTable] or
// [PreparedElements] is constant time in the elements; using them is not.
// Decoding is constant time in the decoded value but not in whether it is
// valid.
package ristretto
