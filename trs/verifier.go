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

// countEntrySize is what the cache charges for a ring it only counts.
const countEntrySize = 256

// Verifier verifies signatures like [Verify], and keeps precomputed tables
// of the keys of the rings it verifies most, which make every later
// verification on such a ring about twice as fast (about 1·n·t2 instead of
// 1.7·n·t2, t2 being one double-scalar multiplication). It is meant for a
// verifier that sees many signatures under few rings, such as a toll plaza
// checking the tickets of the current sales.
//
// The tables of a ring are built by the call that completes the ring's
// fifth successful verification (about four verifications' worth of work
// on every core), cost [RingTableSize] bytes per ring member, and live in
// a cache of at most the number of bytes given to [NewVerifier], keyed by
// the ring's canonical encoding (so two [Ring] values of the same keys
// share them) and evicting the least recently used ring first. A ring
// whose tables would not fit is verified without them. Rings not yet built
// are counted in the same cache at a few hundred bytes each. Tables are
// read-only once built; a verification that is using evicted tables
// finishes with them, so the memory in use can briefly exceed the bound by
// the tables in flight.
//
// A Verifier is safe for concurrent use; its results are exactly those of
// [Verify] and [Accept].
type Verifier struct {
	maxBytes int

	mu     sync.Mutex
	used   int
	lru    list.List // of *ringEntry, most recently used at the front
	byRing map[[sha512.Size]byte]*list.Element
}

// ringEntry is one ring in the cache: counted until its tables are built.
type ringEntry struct {
	key       [sha512.Size]byte
	size      int         // bytes charged to the cache
	successes int         // verifications without tables so far
	building  bool        // a goroutine is building the tables
	tables    *ringTables // nil until built
}

// NewVerifier returns a Verifier whose cache holds at most cacheBytes
// bytes of ring tables: [RingTableSize]·n per ring of n members. With
// cacheBytes ≤ 0 it never builds tables and verifies like [Verify].
func NewVerifier(cacheBytes int) *Verifier {
	return &Verifier{maxBytes: max(cacheBytes, 0), byRing: make(map[[sha512.Size]byte]*list.Element)}
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
	e := v.entry(key)
	e.successes++
	if e.successes < verifierBuildAfter || e.building || e.tables != nil {
		v.mu.Unlock()
		return
	}
	e.building = true
	v.mu.Unlock()

	tables := newRingTables(r)

	v.mu.Lock()
	defer v.mu.Unlock()
	e = v.entry(key) // re-created if it was evicted meanwhile
	e.building = false
	e.tables = tables
	v.used += size - e.size
	e.size = size
	v.evict(e)
}

// entry returns the cache entry of key, creating a counting entry at the
// front if there is none. v.mu must be held.
func (v *Verifier) entry(key *[sha512.Size]byte) *ringEntry {
	if el, ok := v.byRing[*key]; ok {
		v.lru.MoveToFront(el)
		return el.Value.(*ringEntry)
	}
	e := &ringEntry{key: *key, size: countEntrySize}
	v.byRing[*key] = v.lru.PushFront(e)
	v.used += e.size
	v.evict(e)
	return e
}

// evict drops least recently used entries other than keep until the
// cache is within its bound. v.mu must be held.
func (v *Verifier) evict(keep *ringEntry) {
	for v.used > v.maxBytes {
		el := v.lru.Back()
		e := el.Value.(*ringEntry)
		if e == keep {
			el = el.Prev()
			if el == nil {
				return
			}
			e = el.Value.(*ringEntry)
		}
		v.lru.Remove(el)
		delete(v.byRing, e.key)
		v.used -= e.size
	}
}

// ringEntrySize is what the cache charges for the tables of a ring of n
// members.
func ringEntrySize(n int) int { return n*RingTableSize + countEntrySize }
