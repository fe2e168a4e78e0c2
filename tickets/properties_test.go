package tickets

import (
	"errors"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/trs"
)

// action is one presentation at an exit in a random run.
type action struct {
	Vehicle int  // whose pass signs
	Replay  bool // present the vehicle's last ticket again instead of a new trip
	Route   int  // which route a new trip takes
}

// TestExitOutcomesProperty runs random sequences of trips, second trips and
// replays against a fresh provider and checks each outcome against a
// model: a pass's first ticket is accepted, an identical copy of it is
// linked, and any other ticket of the pass reveals its key and buyer.
func TestExitOutcomesProperty(t *testing.T) {
	params := gopter.DefaultTestParametersWithSeed(7)
	params.MinSuccessfulTests = 20
	if testing.Short() {
		params.MinSuccessfulTests = 5
	}
	routes := [][2]PlazaID{{1, 2}, {2, 3}, {3, 1}, {1, 3}}
	w := newWorld(t, ledger.NewMemory(), 2)
	nv := len(w.vehicles)
	genAction := gen.Struct(typeOfAction, map[string]gopter.Gen{
		"Vehicle": gen.IntRange(0, nv-1),
		"Replay":  gen.Bool(),
		"Route":   gen.IntRange(0, len(routes)-1),
	})
	props := gopter.NewProperties(params)
	props.Property("exit outcomes follow the model", prop.ForAll(
		func(actions []action) string {
			p, err := OpenProvider(w.providerKey, w.authority.PublicKey(), ledger.NewMemory(), testConfig)
			if err != nil {
				return err.Error()
			}
			setup(t, w, p)
			accepted := make([]*Ticket, nv) // the pass's accepted ticket
			last := make([]*Ticket, nv)     // the pass's last presented ticket
			for k, a := range actions {
				at := day0.Add(time.Duration(k+1) * time.Minute)
				tk := last[a.Vehicle]
				if !a.Replay || tk == nil {
					r := routes[a.Route]
					tk = w.ticket(t, a.Vehicle, r[0], r[1], at)
				}
				_, err := w.plazas[tk.ExitPlaza].Exit(tk, tk.Entry.Time.Add(10*time.Minute))
				var re *ReuseError
				switch {
				case accepted[a.Vehicle] == nil:
					if err != nil {
						return "first use refused: " + err.Error()
					}
					accepted[a.Vehicle] = tk
				case tk == accepted[a.Vehicle]:
					// Only the stored ticket links; a replay of a refused
					// second ticket reveals the key again.
					if !errors.As(err, &re) || re.Kind != trs.Linked {
						return "replay not linked"
					}
				default:
					if !errors.As(err, &re) || re.Kind != trs.Revealed || re.Buyer != w.vehicles[a.Vehicle].ID() {
						return "second use not revealed to its buyer"
					}
				}
				last[a.Vehicle] = tk
			}
			return ""
		},
		gen.SliceOfN(12, genAction),
	))
	props.TestingRun(t)
}

var typeOfAction = reflectTypeOf[action]()

// setup copies w's plazas, fares and sales into the empty provider p and
// points w's plazas at it.
func setup(t *testing.T, w *world, p *Provider) {
	t.Helper()
	w.ledger.Scan(ctx, 0, func(e ledger.Entry) error {
		switch e.Kind {
		case KindPlaza, KindFares, KindPurchase, KindSale:
			if _, err := p.l.Append(ctx, e.Kind, e.Payload); err != nil {
				t.Fatal(err)
			}
			return p.replay(e)
		}
		return nil
	})
	for _, pl := range w.plazas {
		pl.provider = p
	}
}
