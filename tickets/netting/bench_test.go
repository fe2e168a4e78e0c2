package netting

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkNet nets random obligations among many parties: the heuristic
// path.
func BenchmarkNet(b *testing.B) {
	for _, size := range []struct{ obligations, parties int }{{1000, 100}, {10000, 1000}} {
		b.Run(fmt.Sprintf("obligations=%d,parties=%d", size.obligations, size.parties), func(b *testing.B) {
			obs := randomObligations(rand.New(rand.NewPCG(1, 2)), size.obligations, size.parties, 100000, eur)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Net(obs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNetExact nets obligations among parties parties, all with a
// non-zero net: the exact search over every subset.
func BenchmarkNetExact(b *testing.B) {
	for _, parties := range []int{8, 12, 16} {
		b.Run(fmt.Sprintf("parties=%d", parties), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(3, 4))
			var obs []Obligation
			for {
				obs = randomObligations(rng, 4*parties, parties, 1000, eur)
				if len(mustNet(b, obs).Nets()) == parties {
					break
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Net(obs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
