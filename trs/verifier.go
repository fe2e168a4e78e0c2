package trs

import (
	"container/list"
	"crypto/sha512"
	"fmt"
	"sync"
)

// RingTableSize is the memory a [Verifier] spends on the tables of one
// ring member: 49,920 bytes of precomputed multiples of its key, plus
// bookkeeping.
const RingTableSize = 50_200

// verifierBuildAfter is how many successful verifications on a ring a
// Verifier does without tables before it builds them. Building costs about
// 4 t2 per member and saves about 0.75 t2 per member and verification, so
// the tables pay for themselves after five or six verifications; building
// at the break-even point never costs more than twice what the best
// choice in hindsight would have.
const verifierBuildAfter = 5

// verifierMaxCounted bounds how many rings without tables a Verifier
// counts verifications of; past it, it forgets the counts and starts again.
const verifierMaxCounted = 4096

// Verifier verifies signatures like [Verify], and keeps precomputed tables
// of the keys of the rings it verifies most, which make every later
// verification on such a ring about 40% cheaper. It is meant for a verifier
// that sees many signatures under few rings, such as a toll plaza checking
// the tickets of the current sales.
//
// The tables of a ring are built by the call that completes the ring's
// fifth successful verification without them (about four verifications'
// worth of work, spread over every core), cost [RingTableSize] bytes per
// ring member, and live in a cache of at most the number of bytes given to
// [NewVerifier], keyed by the ring's canonical encoding (so two [Ring]
// values of the same keys share them) and evicting the least recently used
// ring first. A ring whose tables would not fit is verified without them.
// The counts of rings without tables are kept apart (at most 4,096 rings,
// then forgotten), so rings verified only a few times never evict tables.
// Tables are read-only once built; a verification that is using evicted
// tables finishes with them, so the memory in use can briefly exceed the
// bound by the tables in flight.
//
// A Verifier is safe for concurrent use; its results are exactly those of
// [Verify] and [Accept].
type Verifier struct {
	maxBytes int

	mu     sync.Mutex
	used   int                                 // bytes of the tables in the cache
	lru    list.List                           // of *ringEntry, most recently used at the front
	byRing map[[sha512.Size]byte]*list.Element // the rings with tables
	counts map[[sha512.Size]byte]int           // the others: verifications so far, -1 while building
}

// ringEntry is one ring's tables in the cache.
type ringEntry struct {
	key    [sha512.Size]byte
	size   int // bytes charged to the cache
	tables *ringTables
}

// NewVerifier returns a Verifier whose cache holds at most cacheBytes
// bytes of ring tables: [RingTableSize]·n per ring of n members. With
// cacheBytes ≤ 0 it never builds tables and verifies like [Verify].
func NewVerifier(cacheBytes int) *Verifier {
	return &Verifier{
		maxBytes: max(cacheBytes, 0),
		byRing:   make(map[[sha512.Size]byte]*list.Element),
		counts:   make(map[[sha512.Size]byte]int),
	}
}

// Verify is [Verify] with the Verifier's ring tables.
func (v *Verifier) Verify(tag *Tag, msg []byte, sig *Signature) error {
	_, err := v.accept(tag, msg, sig, false)
	return err
}

// Accept is [Accept] with the Verifier's ring tables: it verifies sig and
// returns what [Index.CheckAndAddAccepted] needs.
func (v *Verifier) Accept(tag *Tag, msg []byte, sig *Signature) (*Accepted, error) {
	return v.accept(tag, msg, sig, true)
}

func (v *Verifier) accept(tag *Tag, msg []byte, sig *Signature, index bool) (*Accepted, error) {
	if v == nil || v.byRing == nil {
		return nil, fmt.Errorf("%w: verifier not made by NewVerifier", ErrInvalidInput)
	}
	var keys *ringTables
	if tag.valid() {
		keys = v.lookup(tag.ring)
	}
	var a *Accepted
	var err error
	if index {
		a, err = accept(tag, msg, sig, keys)
	} else {
		_, err = verifyWith(tag, msg, sig, keys)
	}
	if err == nil && keys == nil {
		v.verifiedWithout(tag.ring)
	}
	return a, err
}

// lookup returns the tables of r if the cache has them, and marks r as
// recently used.
func (v *Verifier) lookup(r *Ring) *ringTables {
	key := r.encodingDigest()
	v.mu.Lock()
	defer v.mu.Unlock()
	el, ok := v.byRing[*key]
	if !ok {
		return nil
	}
	v.lru.MoveToFront(el)
	return el.Value.(*ringEntry).tables
}

// verifiedWithout counts a successful verification of r without tables
// and builds r's tables when the count reaches verifierBuildAfter and they
// fit in the cache.
func (v *Verifier) verifiedWithout(r *Ring) {
	size := ringEntrySize(len(r.keys))
	if size > v.maxBytes {
		return // would never fit: do not even count
	}
	key := r.encodingDigest()
	v.mu.Lock()
	if _, built := v.byRing[*key]; built {
		v.mu.Unlock()
		return
	}
	c, counted := v.counts[*key]
	if c < 0 {
		v.mu.Unlock()
		return // another goroutine is building them
	}
	if c+1 < verifierBuildAfter {
		if !counted && len(v.counts) >= verifierMaxCounted {
			clear(v.counts)
		}
		v.counts[*key] = c + 1
		v.mu.Unlock()
		return
	}
	v.counts[*key] = -1
	v.mu.Unlock()

	tables := newRingTables(r)

	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.counts, *key)
	if _, built := v.byRing[*key]; built {
		return // built meanwhile after the counts were forgotten
	}
	e := &ringEntry{key: *key, size: size, tables: tables}
	v.byRing[*key] = v.lru.PushFront(e)
	v.used += size
	for v.used > v.maxBytes {
		old := v.lru.Remove(v.lru.Back()).(*ringEntry)
		delete(v.byRing, old.key)
		v.used -= old.size
	}
}

// ringEntrySize is what the cache charges for the tables of a ring of n
// members.
func ringEntrySize(n int) int { return n * RingTableSize }
