package trs

import (
	"context"
	"fmt"
	"sync"

	"github.com/ringtrace/ringtrace/internal/ristretto"
)

// NewMemoryStore returns an in-memory [Store], safe for concurrent use.
//
// Per tag it keeps the records' A0 and A1 (64 bytes each) in one array and
// their fingerprints in one open-addressing table of 64-bit words, each the
// top bits of a fingerprint and the number of its record, filled to between
// 65% and 80%: 10 to 12.5 bytes per position, so about 700 bytes per stored
// signature at n = 50 (BenchmarkIndex reports the measured value as B/sig).
// Nothing in the tables is a pointer, so the garbage collector does not
// scan them. A lookup costs a few probes per position, whatever the number
// stored. A check holds the lock of its tag's shard (one of 64) across
// lookup, decision and addition.
func NewMemoryStore() Store {
	return new(memoryStore)
}

const storeShards = 64

type memoryStore struct {
	shards [storeShards]struct {
		mu   sync.Mutex
		tags map[[DigestSize]byte]*tagTable
	}
}

func shardOf(tag *[DigestSize]byte) int {
	// The digest is uniform; its first byte is as good as any hash.
	return int(tag[0]) % storeShards
}

func (s *memoryStore) CheckAndAdd(ctx context.Context, r Record, fps []uint64, decide func([]Match) (bool, error)) error {
	if ctx == nil || decide == nil {
		return fmt.Errorf("%w: nil context or decide function", ErrInvalidInput)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sh := &s.shards[shardOf(&r.Tag)]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	t := sh.tags[r.Tag]
	var matches []Match
	if t != nil {
		matches = t.lookup(&r.Tag, fps)
	}
	add, err := decide(matches)
	if err != nil || !add {
		return err
	}
	if sh.tags == nil {
		sh.tags = make(map[[DigestSize]byte]*tagTable)
	}
	if t == nil {
		t = newTagTable()
		sh.tags[r.Tag] = t
	}
	return t.add(&r, fps)
}

// pointsSize is what a tagTable keeps of a record: A0 || A1.
const pointsSize = 2 * ristretto.ElementSize

// Load factors of a tagTable's fingerprint table: it grows when an
// addition would fill it beyond tableMaxLoad, to tableGrownLoad.
const (
	tableMaxLoad   = 0.80
	tableGrownLoad = 0.65
)

// tagTable holds the records of one tag. A tag with n members holds at
// most n records once every stored signature has been verified, since
// n+1 signatures under one tag always include two by one member.
//
// slots is a linear-probing hash table of the fingerprints. A slot holds
// 0 (empty) or the fingerprint with its low idBits bits replaced by its
// record number plus one; it starts at home(fingerprint), which depends
// only on the top 32 bits, so a slot's home is known from its contents. A
// lookup returns every record whose stored bits agree with the
// fingerprint's: a few more candidates than exact fingerprints would give,
// which the index's exact check discards.
type tagTable struct {
	points []byte   // A0 || A1 of record i at pointsSize·i
	slots  []uint64 // see above
	used   int      // non-empty slots
	idBits uint     // 8, 16, 24 or 32: enough for the record numbers
}

func newTagTable() *tagTable { return &tagTable{idBits: 8} }

func (t *tagTable) records() int { return len(t.points) / pointsSize }

func (t *tagTable) idMask() uint64 { return 1<<t.idBits - 1 }

// home returns the first slot to probe for a fingerprint or slot value:
// the top 32 bits scaled to the table length.
func (t *tagTable) home(v uint64) int {
	return int((v >> 32) * uint64(len(t.slots)) >> 32)
}

func (t *tagTable) record(tag *[DigestSize]byte, i int) Record {
	r := Record{Tag: *tag}
	p := t.points[i*pointsSize:]
	copy(r.A0[:], p[:ristretto.ElementSize])
	copy(r.A1[:], p[ristretto.ElementSize:pointsSize])
	return r
}

// lookup returns, for every slot j of fps, the records that may have
// fps[j].
func (t *tagTable) lookup(tag *[DigestSize]byte, fps []uint64) []Match {
	if len(t.slots) == 0 {
		return nil
	}
	var matches []Match
	mask := t.idMask()
	for j, fp := range fps {
		for i := t.home(fp); ; {
			v := t.slots[i]
			if v == 0 {
				break
			}
			if (v^fp)&^mask == 0 {
				matches = append(matches, Match{Record: t.record(tag, int(v&mask)-1), Slot: j})
			}
			if i++; i == len(t.slots) {
				i = 0
			}
		}
	}
	return matches
}

func (t *tagTable) add(r *Record, fps []uint64) error {
	n := t.records()
	if n >= 1<<32-2 {
		return fmt.Errorf("trs: memory store: too many records under one tag")
	}
	if uint64(n+1) > t.idMask() {
		t.widenIDs()
	}
	if need := t.used + len(fps); float64(need) > tableMaxLoad*float64(len(t.slots)) {
		t.resize(int(float64(need)/tableGrownLoad) + 1)
	}
	if len(t.points)+pointsSize > cap(t.points) {
		grown := make([]byte, len(t.points), cap(t.points)+cap(t.points)/4+pointsSize)
		copy(grown, t.points)
		t.points = grown
	}
	t.points = append(t.points, r.A0[:]...)
	t.points = append(t.points, r.A1[:]...)
	id := uint64(n + 1)
	for _, fp := range fps {
		t.insert(fp&^t.idMask() | id)
	}
	return nil
}

// insert puts v in the table unless it is already there (a record lists
// a fingerprint once). The table must have an empty slot.
func (t *tagTable) insert(v uint64) {
	for i := t.home(v); ; {
		switch t.slots[i] {
		case 0:
			t.slots[i] = v
			t.used++
			return
		case v:
			return
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// resize rehashes every slot into a table of size slots.
func (t *tagTable) resize(size int) {
	old := t.slots
	t.slots = make([]uint64, size)
	t.used = 0
	for _, v := range old {
		if v != 0 {
			t.insert(v)
		}
	}
}

// widenIDs gives record numbers 8 more bits, taken from the stored
// fingerprint bits; the top 32 bits, hence every slot's home, stay.
func (t *tagTable) widenIDs() {
	oldMask := t.idMask()
	t.idBits += 8
	mask := t.idMask()
	for i, v := range t.slots {
		if v != 0 {
			t.slots[i] = v&^mask | v&oldMask
		}
	}
}
