package ecdsa

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
)

// domainPrefix opens every hashed string, so that a digest signed here is not
// one that another protocol sharing the key would sign, unless that protocol
// hashes strings that begin with the same bytes.
const domainPrefix = "ringtrace-v1-ECDSA"

var errEmptyContext = errors.New("ecdsa: empty context")

// digest returns SHA-256(lp(domainPrefix) || lp(context) || lp(msg)), where
// lp(x) = u64be(len(x)) || x. The length prefixes make the encoding
// injective: no two (context, msg) pairs hash the same string.
func digest(context string, msg []byte) [sha256.Size]byte {
	h := sha256.New()
	writeLengthPrefixed(h, []byte(domainPrefix))
	writeLengthPrefixed(h, []byte(context))
	writeLengthPrefixed(h, msg)
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

func writeLengthPrefixed(h hash.Hash, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}
