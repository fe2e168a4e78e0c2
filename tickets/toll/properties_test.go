package toll

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// action is one presentation at an exit in a random run.
type action struct {
	Vehicle int  // whose pass signs
	Replay  bool // present the vehicle's last ticket again instead of a new trip
	Route   int  // which route a new trip takes
}

// TestExitOutcomesProperty runs random sequences of trips, second trips
// and replays against fresh plazas and stores and checks each outcome
// against a model: a pass's first ticket is accepted, an identical copy
// of it is linked, and any other ticket of the pass reveals its key, which
// the operator maps to the buyer.
func TestExitOutcomesProperty(t *testing.T) {
	params := gopter.DefaultTestParametersWithSeed(7)
	params.MinSuccessfulTests = 20
	if testing.Short() {
		params.MinSuccessfulTests = 5
	}
	w := newWorld(t, 2)
	a := w.ops[0]
	nv := len(w.vehicles)
	genAction := gen.Struct(reflect.TypeFor[action](), map[string]gopter.Gen{
		"Vehicle": gen.IntRange(0, nv-1),
		"Replay":  gen.Bool(),
		"Route":   gen.IntRange(0, len(routes)-1),
	})
	props := gopter.NewProperties(params)
	props.Property("exit outcomes follow the model", prop.ForAll(
		func(actions []action) string {
			// Fresh shared stores and plazas for each run.
			spent, used := trs.NewMemoryStore(), tickets.NewMemoryUsedSet()
			plazas := map[PlazaID]*Plaza{}
			for id, pw := range a.plazas {
				p, err := OpenPlaza(ctx, pw.key, id, a.key.Public(), []*ecdsa.PublicKey{w.ops[1].key.Public()}, Stores{Ledger: ledger.NewMemory(), Spent: spent, Used: used})
				if err != nil {
					return err.Error()
				}
				for _, r := range append(append([][]byte(nil), a.records...), w.sales...) {
					if err := p.Apply(ctx, r); err != nil {
						return err.Error()
					}
				}
				plazas[id] = p
			}
			op, err := OpenOperator(ctx, a.key, w.config(0), Stores{Ledger: a.l, Spent: spent})
			if err != nil {
				return err.Error()
			}
			accepted := make([][]byte, nv) // the pass's accepted ticket
			last := make([][]byte, nv)     // the pass's last presented ticket
			exitOf := make(map[string]PlazaID)
			for k, act := range actions {
				at := day0.Add(time.Duration(k+1) * time.Minute)
				tk := last[act.Vehicle]
				if !act.Replay || tk == nil {
					r := routes[act.Route]
					trip, err := NewTrip()
					if err != nil {
						return err.Error()
					}
					proof, err := plazas[r[0]].Enter(trip.Commitment(), at)
					if err != nil {
						return err.Error()
					}
					trip.SetEntryProof(proof)
					if tk, err = w.vehicles[act.Vehicle].pass.Ticket(trip, a.key.Public(), r[1]); err != nil {
						return err.Error()
					}
					exitOf[string(tk)] = r[1]
				}
				_, err := plazas[exitOf[string(tk)]].Exit(ctx, tk, at.Add(10*time.Minute))
				var re *tickets.ReuseError
				switch {
				case accepted[act.Vehicle] == nil:
					if err != nil {
						return "first use refused: " + err.Error()
					}
					accepted[act.Vehicle] = tk
				case bytes.Equal(tk, accepted[act.Vehicle]):
					if !errors.As(err, &re) || re.Kind != trs.Linked {
						return "replay not linked"
					}
				default:
					// A replay of a refused second ticket reveals the key
					// again: only the stored ticket links.
					if !errors.As(err, &re) || re.Kind != trs.Revealed {
						return "second use not revealed"
					}
					if buyer, err := op.Reveal(ctx, tk); err != nil || buyer != w.vehicles[act.Vehicle].id {
						return "second use not mapped to its buyer"
					}
				}
				last[act.Vehicle] = tk
			}
			return ""
		},
		gen.SliceOfN(12, genAction),
	))
	props.TestingRun(t)
}
