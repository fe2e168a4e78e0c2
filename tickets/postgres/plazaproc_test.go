package postgres

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets"
	"github.com/ringtrace/ringtrace/tickets/toll"
	"github.com/ringtrace/ringtrace/trs"
)

// The plaza processes of TestPlazasShareOneDatabase are this test binary,
// run again with plazaVariable naming the schema to work in. Each is one
// lane of a toll plaza: a toll.Plaza whose spent store and used set are
// the database's, and whose ledger is a chain of its own there. A lane
// reads its setup, then commands, one JSON line each, from stdin, and
// answers each with one JSON line on stdout.

const plazaVariable = "RINGTRACE_POSTGRES_PLAZA_SCHEMA"

// settlementGrace is how long after its sale's validity a spent ticket is
// kept, for settlement: the tag registration's until.
const settlementGrace = 7 * 24 * time.Hour

// laneSetup is a lane's first line: the plaza's key and ID, its
// operator's key, and the public records to apply (none when it is
// restarted: it rebuilds itself from its chain).
type laneSetup struct {
	Key, Operator []byte
	Plaza         toll.PlazaID
	Lane          string
	Records       [][]byte
}

func (s laneSetup) chain() string { return fmt.Sprintf("plaza/%d/lane/%s", s.Plaza, s.Lane) }

// laneCommand is an entry (Commitment) or an exit (Ticket) at Time. An
// exit with PauseAt set (a hookPoint name: after-lock, before-commit)
// stops there, in the middle of spending the ticket, printing "paused",
// until the process is killed.
type laneCommand struct {
	Commitment *[32]byte
	Ticket     []byte
	Time       time.Time
	PauseAt    string
}

// laneAnswer is the answer to an entry (Proof) or an exit: its Outcome,
// the usage request of an accepted ticket, the slot a revealed one
// reveals.
type laneAnswer struct {
	Proof   []byte
	Outcome string
	Usage   []byte
	Slot    int
	Error   string
}

// Exit outcomes.
const (
	exitAccepted    = "accepted"
	exitLinked      = "linked"
	exitRevealed    = "revealed"
	exitEntryReused = "entry reused"
	exitRefused     = "refused" // any other error
)

func exitOutcome(usage []byte, err error) laneAnswer {
	var re *tickets.ReuseError
	switch {
	case err == nil:
		return laneAnswer{Outcome: exitAccepted, Usage: usage}
	case errors.As(err, &re) && re.Kind == trs.Linked:
		return laneAnswer{Outcome: exitLinked}
	case errors.As(err, &re) && re.Kind == trs.Revealed:
		return laneAnswer{Outcome: exitRevealed, Slot: re.Index}
	case errors.Is(err, toll.ErrEntryReused):
		return laneAnswer{Outcome: exitEntryReused}
	}
	return laneAnswer{Outcome: exitRefused, Error: err.Error()}
}

// runLane is a lane process's main.
func runLane(schema string) {
	fail := func(err error) {
		fmt.Println("error", err)
		os.Exit(1)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<20)
	var setup laneSetup
	if !in.Scan() {
		fail(errors.New("no setup"))
	}
	if err := json.Unmarshal(in.Bytes(), &setup); err != nil {
		fail(err)
	}
	cfg, err := poolConfig(os.Getenv(dsnVariable), schema)
	if err != nil {
		fail(err)
	}
	db, err := open(ctx, cfg)
	if err != nil {
		fail(err)
	}
	key, err := ecdsa.ParsePrivateKey(setup.Key)
	if err != nil {
		fail(err)
	}
	operator, err := ecdsa.ParsePublicKey(setup.Operator)
	if err != nil {
		fail(err)
	}
	l, err := db.Ledger(ctx, setup.chain())
	if err != nil {
		fail(err)
	}
	p, err := toll.OpenPlaza(ctx, key, setup.Plaza, operator, nil, toll.Stores{Ledger: l, Spent: db.SpentStore(), Used: db.UsedSet()})
	if err != nil {
		fail(err)
	}
	for _, r := range setup.Records {
		if err := p.Apply(ctx, r); err != nil {
			fail(err)
		}
		// The plaza registers the tag of every sale it applies before it
		// checks a ticket of it.
		if s, err := tickets.ParseSale(r); err == nil {
			if err := db.SpentStore().Register(ctx, s.Tag(), s.ValidUntil().Add(settlementGrace)); err != nil {
				fail(err)
			}
		}
	}
	var pauseAt string
	db.SpentStore().hook = func(point hookPoint, _ uint32) {
		if point.String() == pauseAt {
			fmt.Println("paused")
			time.Sleep(time.Hour) // until killed
		}
	}
	fmt.Println("ready")
	for in.Scan() {
		var c laneCommand
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fail(err)
		}
		var a laneAnswer
		if c.Commitment != nil {
			a.Proof, err = p.Enter(*c.Commitment, c.Time)
			if err != nil {
				a.Error = err.Error()
			}
		} else {
			pauseAt = c.PauseAt
			a = exitOutcome(p.Exit(ctx, c.Ticket, c.Time))
			pauseAt = ""
		}
		line, _ := json.Marshal(a)
		fmt.Println(string(line))
	}
	os.Exit(0)
}

// lane is a running lane process.
type lane struct {
	t     *testing.T
	name  string
	setup laneSetup
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

// startLane starts a lane process in schema.
func startLane(t *testing.T, schema string, setup laneSetup) *lane {
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
	ln := &lane{t: t, name: setup.chain(), setup: setup, cmd: cmd, stdin: stdin, lines: make(chan string, 16)}
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			ln.lines <- s.Text()
		}
		close(ln.lines)
	}()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	ln.send(setup)
	ln.expect("ready")
	return ln
}

func (ln *lane) next() string {
	ln.t.Helper()
	select {
	case line, ok := <-ln.lines:
		if !ok {
			ln.t.Fatalf("%s exited", ln.name)
		}
		return line
	case <-time.After(60 * time.Second):
		ln.t.Fatalf("%s: no answer", ln.name)
	}
	return ""
}

func (ln *lane) expect(line string) {
	ln.t.Helper()
	if got := ln.next(); got != line {
		ln.t.Fatalf("%s: %q, want %q", ln.name, got, line)
	}
}

func (ln *lane) send(v any) {
	ln.t.Helper()
	line, _ := json.Marshal(v)
	if _, err := ln.stdin.Write(append(line, '\n')); err != nil {
		ln.t.Fatal(err)
	}
}

func (ln *lane) answer() laneAnswer {
	ln.t.Helper()
	var a laneAnswer
	if err := json.Unmarshal([]byte(ln.next()), &a); err != nil {
		ln.t.Fatalf("%s: %v", ln.name, err)
	}
	return a
}

// enter asks the lane for an entry proof of commitment at time at.
func (ln *lane) enter(commitment [32]byte, at time.Time) []byte {
	ln.t.Helper()
	ln.send(laneCommand{Commitment: &commitment, Time: at})
	a := ln.answer()
	if a.Error != "" {
		ln.t.Fatalf("%s: entry: %s", ln.name, a.Error)
	}
	return a.Proof
}

// kill kills the lane with SIGKILL and returns the setup to restart it.
func (ln *lane) kill() laneSetup {
	ln.t.Helper()
	if err := ln.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		ln.t.Fatal(err)
	}
	ln.cmd.Wait()
	s := ln.setup
	s.Records = nil
	return s
}
