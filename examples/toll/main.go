// Command toll simulates one day of the AnonymousTollPass toll system on
// this module's traceable ring signatures: a registration authority, a toll
// service provider, a line of plazas with a fare table, a few hundred
// vehicles buying tickets in rings of 50, honest trips, a vehicle that uses
// its ticket twice (revealed and mapped to its buyer), one that presents
// another vehicle's overheard entry proof (rejected), settlement and
// payouts. It prints a summary with the time each step took, and exits
// non-zero if any outcome differs from the expected one, so it doubles as a
// smoke test.
//
//	go run ./examples/toll                       # state in memory
//	go run ./examples/toll -ledger /tmp/toll.log  # state in a crash-safe file
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/ledger"
	"github.com/ringtrace/ringtrace/tickets/money"
	"github.com/ringtrace/ringtrace/trs"
)

type options struct {
	vehicles   int
	ringSize   int
	ledgerPath string // "" keeps the ledger in memory
}

func main() {
	var o options
	flag.IntVar(&o.vehicles, "vehicles", 300, "number of vehicles (a multiple of -ring)")
	flag.IntVar(&o.ringSize, "ring", 50, "tickets per sale ring (the paper's size is 50)")
	flag.StringVar(&o.ledgerPath, "ledger", "", "keep the ledger in this new file instead of memory")
	flag.Parse()
	if err := simulate(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "toll:", err)
		os.Exit(1)
	}
}

var (
	krw       = money.MustCurrency("KRW")
	price     = money.MustNew(3000, krw)
	dayStart  = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	plazaName = []string{"Seoul TG", "Suwon", "Cheonan", "Daejeon", "Daegu"}
)

// fare is the toll between plazas i and j on a line: a base charge plus
// 500 won per section. The longest trip (2,800) fits a 3,000-won ticket.
func fare(i, j int) money.Amount {
	d := int64(i - j)
	if d < 0 {
		d = -d
	}
	return money.MustNew(800+500*d, krw)
}

// pick is the simulation's deterministic choice: a number in [0, n) derived
// from SHA-256 of a label and an index, so runs are reproducible without
// math/rand.
func pick(label string, i, n int) int {
	h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte(label), uint64(i)))
	return int(binary.BigEndian.Uint64(h[:8]) % uint64(n))
}

// parallel runs f(0..n-1) over all cores and returns the first error.
func parallel(n int, f func(i int) error) error {
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return first
}

// step prints one summary line with the time since start.
func step(w io.Writer, name string, start time.Time, format string, args ...any) {
	ms := float64(time.Since(start).Microseconds()) / 1000
	fmt.Fprintf(w, "  %-9s %-60s %8.1f ms\n", name, fmt.Sprintf(format, args...), ms)
}

type vehicle struct {
	*tickets.Vehicle
	reg  *tickets.VehicleRegistration
	pass *tickets.Pass
	trip *tickets.Trip
	from int // plaza indices
	to   int
	tk   *tickets.Ticket
	req  *tickets.UsageRequest
}

func simulate(w io.Writer, o options) error {
	if o.ringSize < 2 || o.vehicles < 2*o.ringSize || o.vehicles%o.ringSize != 0 {
		return fmt.Errorf("-vehicles (%d) must be a multiple of -ring (%d), at least two rings", o.vehicles, o.ringSize)
	}
	var l ledger.Ledger = ledger.NewMemory()
	where := "memory"
	if o.ledgerPath != "" {
		if fi, err := os.Stat(o.ledgerPath); err == nil && fi.Size() > 0 {
			return fmt.Errorf("ledger file %s already exists; the simulation starts a new one", o.ledgerPath)
		}
		f, err := ledger.OpenFile(o.ledgerPath)
		if err != nil {
			return err
		}
		defer f.Close()
		l, where = f, o.ledgerPath
	}
	nPlazas := len(plazaName)
	fmt.Fprintf(w, "AnonymousTollPass: one simulated day, %d vehicles, rings of %d, %d plazas, ledger in %s\n",
		o.vehicles, o.ringSize, nPlazas, where)
	total := time.Now()

	// Setup: authority, provider, plazas, fares.
	t0 := time.Now()
	raKey, err := ecdsa.GenerateKey()
	if err != nil {
		return err
	}
	authority := tickets.NewAuthority(raKey)
	providerKey, err := ecdsa.GenerateKey()
	if err != nil {
		return err
	}
	cfg := tickets.Config{Currency: krw, RingSize: o.ringSize, SaleValidity: 24 * time.Hour, MaxTrip: 3 * time.Hour}
	provider, err := tickets.OpenProvider(providerKey, authority.PublicKey(), l, cfg)
	if err != nil {
		return err
	}
	plazas := make([]*tickets.Plaza, nPlazas)
	var fares []tickets.Fare
	for i := range plazas {
		key, err := ecdsa.GenerateKey()
		if err != nil {
			return err
		}
		id := tickets.PlazaID(i + 1)
		if _, err := provider.RegisterPlaza(id, plazaName[i], key.Public()); err != nil {
			return err
		}
		plazas[i] = tickets.NewPlaza(id, key, provider)
		for j := range plazas {
			if j != i {
				fares = append(fares, tickets.Fare{Entry: id, Exit: tickets.PlazaID(j + 1), Amount: fare(i, j)})
			}
		}
	}
	if _, err := provider.PublishFares(fares, dayStart); err != nil {
		return err
	}
	step(w, "setup", t0, "authority, provider, %d plazas, %d fares", nPlazas, len(fares))

	// Registration.
	t0 = time.Now()
	vs := make([]*vehicle, o.vehicles)
	err = parallel(len(vs), func(i int) error {
		v, err := tickets.NewVehicle(tickets.VehicleID(1001 + i))
		if err != nil {
			return err
		}
		reg, err := authority.Register(v.ID(), v.PublicKey(), dayStart)
		if err != nil {
			return err
		}
		vs[i] = &vehicle{Vehicle: v, reg: reg}
		return v.SetRegistration(reg, authority.PublicKey())
	})
	if err != nil {
		return err
	}
	step(w, "register", t0, "%d vehicles registered with the authority", len(vs))

	// Purchases: the provider forms a ring from every ringSize orders.
	t0 = time.Now()
	var sales []*tickets.Sale
	buyAt := dayStart.Add(5 * time.Hour)
	for _, v := range vs {
		req, err := v.OrderTicket(price, buyAt)
		if err != nil {
			return err
		}
		sale, err := provider.Purchase(v.reg, req, buyAt)
		if err != nil {
			return err
		}
		if sale != nil {
			sales = append(sales, sale)
		}
	}
	err = parallel(len(vs), func(i int) error {
		for _, s := range sales {
			ps, err := vs[i].Claim(s, provider.PublicKey())
			if err != nil {
				return err
			}
			if len(ps) == 1 {
				vs[i].pass = ps[0]
				return nil
			}
		}
		return fmt.Errorf("vehicle %d got no pass", vs[i].ID())
	})
	if err != nil {
		return err
	}
	step(w, "purchase", t0, "%d tickets at %v -> %d sales, rings of %d one-time keys", len(vs), price, len(sales), o.ringSize)

	// Entries: each vehicle commits to a fresh trip secret.
	t0 = time.Now()
	err = parallel(len(vs), func(i int) error {
		v := vs[i]
		v.from = pick("entry", i, nPlazas)
		v.to = (v.from + 1 + pick("exit", i, nPlazas-1)) % nPlazas
		trip, err := tickets.NewTrip()
		if err != nil {
			return err
		}
		v.trip = trip
		at := dayStart.Add(6*time.Hour + time.Duration(i)*7*time.Second)
		proof, err := plazas[v.from].Enter(v.trip.Commitment(), at)
		if err != nil {
			return err
		}
		return v.trip.SetEntryProof(proof)
	})
	if err != nil {
		return err
	}
	step(w, "entry", t0, "%d entry proofs on trip-secret commitments", len(vs))

	// Tickets: a TRS signature per vehicle under its sale's tag.
	t0 = time.Now()
	err = parallel(len(vs), func(i int) error {
		v := vs[i]
		tk, err := v.pass.Ticket(v.trip, plazas[v.to].ID())
		v.tk = tk
		return err
	})
	if err != nil {
		return err
	}
	step(w, "sign", t0, "%d tickets signed (TRS n=%d, %d-byte signatures)", len(vs), o.ringSize, trs.SignatureSize(o.ringSize))

	// Cheat: vehicle B overhears vehicle A's entry proof and presents it at
	// A's exit with its own pass and a secret of its own.
	t0 = time.Now()
	victim, forger := vs[1], vs[2]
	var guess [tickets.TripSecretSize]byte
	copy(guess[:], "a guess at the victim's secret..")
	forged, err := forger.pass.SignTicket(victim.trip.EntryProof(), &guess, plazas[victim.to].ID())
	if err != nil {
		return err
	}
	exitOf := func(v *vehicle) time.Time {
		return v.trip.EntryProof().Time.Add(time.Duration(20+5*abs(v.to-v.from)) * time.Minute)
	}
	_, err = plazas[victim.to].Exit(forged, exitOf(victim))
	if !errors.Is(err, tickets.ErrBadEntryProof) {
		return fmt.Errorf("overheard entry proof: got %v, want a bad entry proof rejection", err)
	}
	step(w, "forgery", t0, "%d shows %d's overheard entry proof: REJECTED bad proof", forger.ID(), victim.ID())

	// Exits, all plazas at once on the shared spent index.
	t0 = time.Now()
	err = parallel(len(vs), func(i int) error {
		v := vs[i]
		req, err := plazas[v.to].Exit(v.tk, exitOf(v))
		if err != nil {
			return fmt.Errorf("vehicle %d's honest exit: %w", v.ID(), err)
		}
		v.req = req
		return nil
	})
	if err != nil {
		return err
	}
	step(w, "exit", t0, "%d tickets accepted (proof, fare, time, TRS, spent index)", len(vs))

	// Cheat: one vehicle uses its pass again for a second trip.
	t0 = time.Now()
	cheater := vs[pick("cheater", 0, len(vs))]
	trip2, err := tickets.NewTrip()
	if err != nil {
		return err
	}
	from2, to2 := cheater.to, (cheater.to+1)%nPlazas
	at2 := exitOf(cheater).Add(2 * time.Hour)
	proof2, err := plazas[from2].Enter(trip2.Commitment(), at2)
	if err != nil {
		return err
	}
	if err := trip2.SetEntryProof(proof2); err != nil {
		return err
	}
	second, err := cheater.pass.Ticket(trip2, plazas[to2].ID())
	if err != nil {
		return err
	}
	_, err = plazas[to2].Exit(second, at2.Add(30*time.Minute))
	var reuse *tickets.ReuseError
	if !errors.As(err, &reuse) || reuse.Kind != trs.Revealed || !reuse.BuyerKnown || reuse.Buyer != cheater.ID() {
		return fmt.Errorf("double use: got %v, want the key revealed and mapped to vehicle %d", err, cheater.ID())
	}
	step(w, "reuse", t0, "pass reused: REVEALED sale %d slot %d -> buyer vehicle %d", reuse.Sale, reuse.Slot, reuse.Buyer)

	// A replay of an accepted ticket is linked.
	t0 = time.Now()
	replayed := vs[0]
	_, err = plazas[replayed.to].Exit(replayed.tk, exitOf(replayed).Add(time.Minute))
	if !errors.As(err, &reuse) || reuse.Kind != trs.Linked {
		return fmt.Errorf("replay: got %v, want linked", err)
	}
	step(w, "replay", t0, "vehicle %d's ticket shown again: LINKED, refused", replayed.ID())

	// Settlement: every plaza files its usage requests; one is filed twice.
	t0 = time.Now()
	reqs := make([]*tickets.UsageRequest, 0, len(vs)+1)
	for _, v := range vs {
		reqs = append(reqs, v.req)
	}
	reqs = append(reqs, vs[3].req)
	settleAt := dayStart.Add(23 * time.Hour)
	s, err := provider.Settle(reqs, settleAt)
	if err != nil {
		return err
	}
	counts := map[tickets.Outcome]int{}
	for _, r := range s.Results {
		counts[r.Outcome]++
	}
	if counts[tickets.Paid] != len(vs) || counts[tickets.AlreadySettled] != 1 {
		return fmt.Errorf("settlement outcomes %v, want %d paid and 1 already settled", counts, len(vs))
	}
	step(w, "settle", t0, "%d requests: %d paid, %d filed twice (not paid again)", len(reqs), counts[tickets.Paid], counts[tickets.AlreadySettled])

	t0 = time.Now()
	again, err := provider.Settle(reqs, settleAt.Add(time.Minute))
	if err != nil {
		return err
	}
	for _, r := range again.Results {
		if r.Outcome != tickets.AlreadySettled {
			return fmt.Errorf("second settlement of the same requests: %v", r.Outcome)
		}
	}
	step(w, "resettle", t0, "same %d again: all already settled, %d statements", len(reqs), len(again.Statements))

	// Payouts.
	sum := money.Zero(krw)
	for _, st := range s.Statements {
		if err := st.Verify(provider.PublicKey()); err != nil {
			return err
		}
		if bal := provider.Balance(st.Plaza); bal != st.Amount {
			return fmt.Errorf("plaza %d balance %v, statement %v", st.Plaza, bal, st.Amount)
		}
		if sum, err = sum.Add(st.Amount); err != nil {
			return err
		}
		reg, _ := provider.Plaza(st.Plaza)
		fmt.Fprintf(w, "  payout    plaza %d %-10q %4d tickets %14v   (statement #%d, signed)\n",
			st.Plaza, reg.Name, len(st.Requests), st.Amount, st.Number)
	}
	fmt.Fprintf(w, "  payouts   total %v for %d trips; tickets sold for %v\n", sum, len(vs), mustMul(price, int64(len(vs))))

	// Ledger: every state change, chained; rebuild the provider from it.
	t0 = time.Now()
	stats := provider.Stats()
	rebuilt, err := tickets.OpenProvider(providerKey, authority.PublicKey(), l, cfg)
	if err != nil {
		return err
	}
	if got := rebuilt.Stats(); !reflect.DeepEqual(got, stats) {
		return fmt.Errorf("provider rebuilt from the ledger differs:\n got %+v\nwant %+v", got, stats)
	}
	head := l.Head()
	step(w, "ledger", t0, "%d entries, head %x.., rebuilt provider: state equal", l.Len(), head[:6])
	rv := provider.Reveals()
	if len(rv) != 1 || rv[0].Buyer != cheater.ID() {
		return fmt.Errorf("reveals: %d", len(rv))
	}
	fmt.Fprintf(w, "  reveals   %d: sale %d, key slot %d, buyer vehicle %d, caught at %s (plaza %d)\n",
		len(rv), rv[0].Sale, rv[0].Slot, rv[0].Buyer, rv[0].Stage, rv[0].Plaza)
	fmt.Fprintf(w, "ok: %d honest trips paid once, double use revealed, forged entry rejected (%.0f ms in all)\n",
		len(vs), float64(time.Since(total).Microseconds())/1000)
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func mustMul(a money.Amount, n int64) money.Amount {
	p, err := a.Mul(n)
	if err != nil {
		panic(err)
	}
	return p
}
