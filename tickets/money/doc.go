// Package money represents amounts of money as a signed integer count of a
// currency's minor unit (cents, pence, won) together with a three-letter
// currency code in the style of ISO 4217. There are no floating-point values
// anywhere: arithmetic is exact, checked for int64 overflow, and refuses to
// mix currencies.
//
// An [Amount] is a small comparable value. [Amount.Add], [Amount.Sub] and
// [Amount.Mul] return an error instead of wrapping around or silently
// converting, so callers that total fares or payouts either get the exact
// result or a reason.
//
// # Encoding
//
// [Amount.Bytes] produces exactly [EncodedSize] bytes:
//
//	u8(version = 1) || currency[3] (ASCII 'A'..'Z') || i64be(minor units)
//
// and [Parse] accepts exactly that form. Negative amounts encode and parse;
// record formats that need a positive amount check it themselves.
package money
