package postgres

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/trs"
)

// The plaza processes of TestPlazasShareOneDatabase are this test binary,
// run again with plazaVariable naming the schema to work in. A plaza reads
// presentations, one JSON line each, from stdin and answers each with one
// JSON line on stdout.
//
// What a plaza does with a presentation is plazaWork. Today it is a
// trs.Index over the PostgreSQL spent store (trsPlazaWork); a toll plaza's
// exit over the PostgreSQL stores replaces it, with a presentation that
// carries a ticket instead of a bare signature.

const plazaVariable = "RINGTRACE_POSTGRES_PLAZA_SCHEMA"

// presentation is what one plaza is shown.
type presentation struct {
	Input []byte // for trsPlazaWork, a JSON signedMessage
	// PauseAt, if set, is the hookPoint name (after-lock, before-commit)
	// at which the plaza stops mid-check-and-add, printing "paused", to be
	// killed there.
	PauseAt string
}

// outcome is a plaza's answer: Fresh (accepted), Linked or Revealed, with
// the revealed slot; or an error.
type outcome struct {
	Kind  string
	Slot  int
	Error string
}

// plazaWork handles one presentation at a plaza over db.
type plazaWork func(ctx context.Context, db *DB, input []byte) (outcome, error)

// signedMessage is the trs plaza's input: a signature with its tag.
type signedMessage struct {
	Issue, Ring, Message, Signature []byte
}

func trsPlazaWork(ctx context.Context, db *DB, input []byte) (outcome, error) {
	var m signedMessage
	if err := json.Unmarshal(input, &m); err != nil {
		return outcome{}, err
	}
	ring, err := trs.ParseRing(m.Ring)
	if err != nil {
		return outcome{}, err
	}
	sig, err := trs.ParseSignature(m.Signature)
	if err != nil {
		return outcome{}, err
	}
	res, err := trs.NewIndex(db.SpentStore()).CheckAndAdd(ctx, trs.NewTag(m.Issue, ring), m.Message, sig)
	if err != nil {
		return outcome{}, err
	}
	return outcome{Kind: res.Kind.String(), Slot: res.Index}, nil
}

// runPlaza is a plaza process's main.
func runPlaza(schema string, work plazaWork) {
	fail := func(err error) {
		fmt.Println("error", err)
		os.Exit(1)
	}
	cfg, err := poolConfig(os.Getenv(dsnVariable), schema)
	if err != nil {
		fail(err)
	}
	db, err := open(ctx, cfg)
	if err != nil {
		fail(err)
	}
	var pauseAt string
	db.SpentStore().hook = func(p hookPoint, _ uint32) {
		if p.String() == pauseAt {
			fmt.Println("paused")
			time.Sleep(time.Hour) // until killed
		}
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<20)
	for in.Scan() {
		var p presentation
		if err := json.Unmarshal(in.Bytes(), &p); err != nil {
			fail(err)
		}
		pauseAt = p.PauseAt
		out, err := work(ctx, db, p.Input)
		if err != nil {
			out = outcome{Error: err.Error()}
		}
		line, _ := json.Marshal(out)
		fmt.Println(string(line))
	}
	os.Exit(0)
}

// plaza is a running plaza process.
type plaza struct {
	t     *testing.T
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func startPlaza(t *testing.T, schema, name string) *plaza {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPlazasShareOneDatabase$")
	cmd.Env = append(os.Environ(), plazaVariable+"="+schema)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &plaza{t: t, name: name, cmd: cmd, stdin: stdin, lines: make(chan string, 16)}
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			p.lines <- s.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	p.expect("ready")
	return p
}

func (p *plaza) next() string {
	p.t.Helper()
	select {
	case line, ok := <-p.lines:
		if !ok {
			p.t.Fatalf("%s exited", p.name)
		}
		return line
	case <-time.After(60 * time.Second):
		p.t.Fatalf("%s: no answer", p.name)
	}
	return ""
}

func (p *plaza) expect(line string) {
	p.t.Helper()
	if got := p.next(); got != line {
		p.t.Fatalf("%s: %q, want %q", p.name, got, line)
	}
}

func (p *plaza) present(pr presentation) {
	p.t.Helper()
	line, _ := json.Marshal(pr)
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		p.t.Fatal(err)
	}
}

func (p *plaza) outcome() outcome {
	p.t.Helper()
	var o outcome
	if err := json.Unmarshal([]byte(p.next()), &o); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
	return o
}

func (p *plaza) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatal(err)
	}
	p.cmd.Wait()
}

// TestPlazasShareOneDatabase runs plazas as separate processes on one
// PostgreSQL database. Copies of one signature, and signatures by the same
// member on other messages, are presented at every plaza at once: exactly
// one plaza accepts (Fresh), every other finds it Linked (a copy) or
// Revealed (the member). Then a plaza is killed with SIGKILL in the middle
// of its check-and-add, after taking the tag's lock and after inserting
// its record: the other plazas, waiting for that lock, go on, and exactly
// one of them accepts — the killed plaza's unacknowledged spend left
// nothing behind. At the end every acknowledged spend is stored, and
// nothing else.
func TestPlazasShareOneDatabase(t *testing.T) {
	if schema := os.Getenv(plazaVariable); schema != "" {
		runPlaza(schema, trsPlazaWork)
	}
	const plazas, n = 4, 16
	cfg, schema := testSchema(t)
	db := openConfig(t, cfg)
	admin := adminConn(t, cfg)
	privs, ring := testMembers(t, n)
	issue := []byte("sale-2026-11-21/plazas")
	tag := trs.NewTag(issue, ring)
	register(t, db.SpentStore(), tag)
	var ps []*plaza
	for i := range plazas {
		ps = append(ps, startPlaza(t, schema, fmt.Sprintf("plaza %d", i)))
	}
	type shown struct {
		msg string
		sig *trs.Signature
	}
	sign := func(member int, msg string) shown {
		sig, err := trs.Sign(privs[member], tag, []byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		return shown{msg, sig}
	}
	input := func(s shown) []byte {
		b, _ := json.Marshal(signedMessage{Issue: issue, Ring: ring.Bytes(), Message: []byte(s.msg), Signature: s.sig.Bytes()})
		return b
	}
	var acknowledged []shown // every presentation a plaza accepted

	// judge checks one round's outcomes: exactly one Fresh; a copy of the
	// Fresh signature is Linked, anything else by the member Revealed.
	judge := func(member int, shownAt map[int]shown, outcomes map[int]outcome) {
		t.Helper()
		fresh := -1
		for i, o := range outcomes {
			if o.Kind == trs.Fresh.String() {
				if fresh >= 0 {
					t.Fatalf("member %d accepted at plazas %d and %d", member, fresh, i)
				}
				fresh = i
			}
		}
		if fresh < 0 {
			t.Fatalf("member %d accepted nowhere: %v", member, outcomes)
		}
		acknowledged = append(acknowledged, shownAt[fresh])
		for i, o := range outcomes {
			copyOfFresh := slices.Equal(shownAt[i].sig.Bytes(), shownAt[fresh].sig.Bytes())
			switch {
			case i == fresh:
			case copyOfFresh && o.Kind == trs.Linked.String():
			case !copyOfFresh && o.Kind == trs.Revealed.String() && o.Slot == member:
			default:
				t.Fatalf("member %d at plaza %d: %+v (a copy of the accepted one: %v)", member, i, o, copyOfFresh)
			}
		}
	}

	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	for r := range rounds {
		// Half the plazas see copies of one signature, the others the
		// same member exiting elsewhere.
		member := r
		one := sign(member, "exit at plaza A")
		shownAt := map[int]shown{}
		for i := range ps {
			shownAt[i] = one
			if i >= plazas/2 {
				shownAt[i] = sign(member, fmt.Sprintf("exit at plaza %d", i))
			}
		}
		for i, p := range ps {
			p.present(presentation{Input: input(shownAt[i])})
		}
		outcomes := map[int]outcome{}
		for i, p := range ps {
			outcomes[i] = p.outcome()
		}
		judge(member, shownAt, outcomes)
	}

	for k, point := range []hookPoint{hookLocked, hookInserted} {
		member := rounds + k
		victim, others := ps[0], ps[1:]
		shownAt := map[int]shown{0: sign(member, "exit at plaza A")}
		victim.present(presentation{Input: input(shownAt[0]), PauseAt: point.String()})
		victim.expect("paused")
		for i, p := range others {
			shownAt[i+1] = shownAt[0]
			if i%2 == 1 {
				shownAt[i+1] = sign(member, fmt.Sprintf("exit at plaza %d", i+1))
			}
			p.present(presentation{Input: input(shownAt[i+1])})
		}
		// Every other plaza is waiting for the tag's lock, which the
		// victim holds.
		waitFor(t, admin, `SELECT (count(*) >= $2)::int FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1`, schema, len(others))
		victim.kill()
		outcomes := map[int]outcome{}
		for i, p := range others {
			outcomes[i+1] = p.outcome()
		}
		delete(shownAt, 0)
		judge(member, shownAt, outcomes)
		ps[0] = startPlaza(t, schema, "plaza 0, restarted")
	}

	// No acknowledged spend lost, no other record stored: the store holds
	// exactly the accepted signatures, each Linked when shown again, at
	// a restarted plaza too.
	if got := countRows(t, db, "ringtrace_spent"); got != len(acknowledged) {
		t.Fatalf("%d records stored, %d spends acknowledged", got, len(acknowledged))
	}
	for _, s := range acknowledged {
		ps[0].present(presentation{Input: input(s)})
		if o := ps[0].outcome(); o.Kind != trs.Linked.String() {
			t.Fatalf("an acknowledged spend shown again: %+v", o)
		}
	}
}
