package ledger

import (
	"os"
	"path/filepath"
	"testing"
)

const benchPayloadSize = 256

func BenchmarkAppend(b *testing.B) {
	payload := make([]byte, benchPayloadSize)
	for _, impl := range []struct {
		name string
		new  func(b *testing.B) Ledger
	}{
		{"memory", func(*testing.B) Ledger { return NewMemory() }},
		{"file", func(b *testing.B) Ledger { return newTestFile(b, filepath.Join(b.TempDir(), "ledger")) }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			l := impl.new(b)
			b.SetBytes(benchPayloadSize)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Append(ctx, 1, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenFile measures recovery's full verification of a file of
// 10,000 records, built directly so setup needs no fsyncs.
func BenchmarkOpenFile(b *testing.B) {
	const records = 10_000
	payload := make([]byte, benchPayloadSize)
	file := appendHeader(nil)
	var prev [HashSize]byte
	for i := range uint64(records) {
		file = appendFrame(file, i, 1, &prev, payload)
		prev = ChainHash(i, 1, payload, prev)
	}
	path := filepath.Join(b.TempDir(), "ledger")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		b.Fatal(err)
	}
	b.Run("records=10000", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		b.ReportAllocs()
		for b.Loop() {
			l, err := OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if l.Len() != records || l.Head() != prev {
				b.Fatal("wrong ledger")
			}
			l.Close()
		}
	})
}

func BenchmarkScan(b *testing.B) {
	const records = 10_000
	payload := make([]byte, benchPayloadSize)
	mem := NewMemory()
	file := appendHeader(nil)
	var prev [HashSize]byte
	for i := range uint64(records) {
		mem.Append(ctx, 1, payload)
		file = appendFrame(file, i, 1, &prev, payload)
		prev = ChainHash(i, 1, payload, prev)
	}
	path := filepath.Join(b.TempDir(), "ledger")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		b.Fatal(err)
	}
	for _, impl := range []struct {
		name string
		l    Ledger
	}{{"memory", mem}, {"file", newTestFile(b, path)}} {
		l := impl.l
		b.Run(impl.name+"/records=10000", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := l.Scan(ctx, 0, func(Entry) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
