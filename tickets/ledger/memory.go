package ledger

import (
	"context"
	"fmt"
	"sync"
)

// Memory is a [Ledger] held in memory. Nothing survives the process; it
// serves tests, simulations, and deployments that anchor [Memory.Head]
// elsewhere.
//
// The zero value is an empty ledger ready to use.
type Memory struct {
	mu      sync.RWMutex
	entries []Entry // never modified once appended; Payloads owned here
	closed  bool
}

var _ Ledger = (*Memory)(nil)

// NewMemory returns an empty in-memory ledger.
func NewMemory() *Memory {
	return &Memory{}
}

// Append adds a record. A memory ledger is durable as soon as it returns,
// for as long as the process lives.
func (m *Memory) Append(ctx context.Context, kind Kind, payload []byte) (Entry, error) {
	if ctx == nil {
		return Entry{}, errNilArgument
	}
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	if err := checkPayload(payload); err != nil {
		return Entry{}, err
	}
	stored := clonePayload(payload)

	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return Entry{}, ErrClosed
	}
	e := Entry{Seq: uint64(len(m.entries)), Kind: kind, Payload: stored, Prev: m.headLocked()}
	e.Hash = ChainHash(e.Seq, e.Kind, e.Payload, e.Prev)
	m.entries = append(m.entries, e)
	m.mu.Unlock()

	e.Payload = clonePayload(stored)
	return e, nil
}

// Len returns the number of entries.
func (m *Memory) Len() uint64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return uint64(len(m.entries))
}

// Head returns the hash of the last entry, or all zeros if there is none.
func (m *Memory) Head() [HashSize]byte {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.headLocked()
}

func (m *Memory) headLocked() [HashSize]byte {
	if len(m.entries) == 0 {
		return [HashSize]byte{}
	}
	return m.entries[len(m.entries)-1].Hash
}

// Scan calls fn for each entry from from on; see [Ledger].
func (m *Memory) Scan(ctx context.Context, from uint64, fn func(Entry) error) error {
	if ctx == nil || fn == nil {
		return errNilArgument
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	n := uint64(len(m.entries))
	if from > n {
		m.mu.RUnlock()
		return fmt.Errorf("ledger: scan from %d past the end (%d entries)", from, n)
	}
	// Appends may move the slice but never touch the elements we keep.
	snapshot := m.entries[from:n:n]
	m.mu.RUnlock()

	for _, e := range snapshot {
		if m.isClosed() {
			return ErrClosed
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		e.Payload = clonePayload(e.Payload)
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (m *Memory) isClosed() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.closed
}

// Close marks the ledger closed.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	m.closed = true
	return nil
}
