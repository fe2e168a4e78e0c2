package payments

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/ledger"
)

// TestEnrollRefused: the processor enrolls a key once, for itself, proved
// by its holder for its opener key.
func TestEnrollRefused(t *testing.T) {
	w := newWorld(t, 2)
	c := must(arsig.GenerateKey())
	otherOpener := must(arsig.GenerateOpenerKey())
	forOther := must(NewEnrollment(c, must(ecdsa.GenerateKey()).Public(), w.opener.Public(), []byte("acct"), t0))
	wrongOpener := must(NewEnrollment(c, w.procKey.Public(), otherOpener.Public(), []byte("acct"), t0))
	honest := must(NewEnrollment(c, w.procKey.Public(), w.opener.Public(), []byte("acct"), t0))
	// Someone enrolls customer 0's public key with its own account: the
	// proof, made with another key, does not verify.
	stolen := honest.Bytes()
	i := bytes.Index(stolen, c.Public().Bytes())
	copy(stolen[i:], w.customers[0].Public().Bytes())
	again := must(NewEnrollment(w.customers[0], w.procKey.Public(), w.opener.Public(), []byte("second"), t0))
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"with another processor", forOther.Bytes(), ErrRefused},
		{"proved for another opener key", wrongOpener.Bytes(), ErrBadSignature},
		{"of someone else's key", stolen, ErrBadSignature},
		{"of a key enrolled already", again.Bytes(), ErrRefused},
		{"truncated", honest.Bytes()[:30], ErrMalformed},
	} {
		if _, err := w.proc.Enroll(ctx, tc.b); !errors.Is(err, tc.want) {
			t.Errorf("enrollment %s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := NewEnrollment(c, w.procKey.Public(), w.opener.Public(), nil, t0); !errors.Is(err, ErrMalformed) {
		t.Errorf("enrollment without an account: %v", err)
	}
	must(w.proc.Enroll(ctx, honest.Bytes()))
	if _, err := w.proc.PublishRoster(ctx, []*arsig.PublicKey{c.Public(), must(arsig.GenerateKey()).Public()}, limit, t0, t0.Add(time.Hour)); !errors.Is(err, ErrUnknown) {
		t.Errorf("roster with a key not enrolled: %v", err)
	}
	if _, err := w.proc.PublishRoster(ctx, []*arsig.PublicKey{c.Public()}, limit, t0, t0); !errors.Is(err, ErrMalformed) {
		t.Errorf("roster valid for no time: %v", err)
	}
}

// TestProcessorReplay: a processor rebuilt from its ledger has every
// enrollment, roster and disclosure, and numbers rosters on.
func TestProcessorReplay(t *testing.T) {
	w := newWorld(t, 3)
	p := w.pay(t, 1, 100, "x")
	d := must(w.proc.Open(ctx, p.Bytes(), "dispute", t0))
	proc := must(OpenProcessor(ctx, w.procKey, w.opener, w.procL))
	for i, c := range w.customers {
		if en, ok := proc.Enrollment(c.Public()); !ok || !bytes.Equal(en.Bytes(), enrollmentOf(w, c)) {
			t.Fatalf("rebuilt processor lost enrollment %d", i)
		}
	}
	if again := must(proc.Open(ctx, p.Bytes(), "other", t0)); !bytes.Equal(again.Bytes(), d.Bytes()) {
		t.Fatal("rebuilt processor lost the disclosure")
	}
	r := must(proc.PublishRoster(ctx, []*arsig.PublicKey{w.customers[0].Public()}, limit, t0, t0.Add(time.Hour)))
	if r.Number() != w.roster.Number()+1 {
		t.Fatalf("rebuilt processor's roster number %d", r.Number())
	}
}

// TestProcessorReplayRefuses: a ledger rewritten with a changed record or
// a record out of order does not open.
func TestProcessorReplayRefuses(t *testing.T) {
	w := newWorld(t, 3)
	must(w.proc.Open(ctx, w.pay(t, 1, 100, "x").Bytes(), "dispute", t0))
	flip := func(kind ledger.Kind) func(ledger.Entry) []ledger.Entry {
		done := false
		return func(e ledger.Entry) []ledger.Entry {
			if e.Kind != kind || done {
				return []ledger.Entry{e}
			}
			done = true
			p := bytes.Clone(e.Payload)
			p[len(p)-1] ^= 1
			return []ledger.Entry{{Kind: e.Kind, Payload: p}}
		}
	}
	var disclosure ledger.Entry
	w.procL.Scan(ctx, 0, func(e ledger.Entry) error {
		if e.Kind == kindDisclosure {
			disclosure = e
		}
		return nil
	})
	early := func(e ledger.Entry) []ledger.Entry { // the disclosure first
		switch {
		case e.Seq == 0:
			return []ledger.Entry{disclosure, e}
		case e.Kind == kindDisclosure:
			return nil
		}
		return []ledger.Entry{e}
	}
	for _, c := range []struct {
		name string
		edit func(ledger.Entry) []ledger.Entry
		want error
	}{
		{"enrollment proof changed", flip(kindEnrollment), ErrBadSignature},
		{"roster signature changed", flip(kindRoster), ErrBadSignature},
		{"disclosure signature changed", flip(kindDisclosure), ErrBadSignature},
		{"disclosure before its roster", early, ErrUnknown},
		{"a roster of keys not enrolled", func(e ledger.Entry) []ledger.Entry {
			if e.Kind == kindEnrollment {
				return nil
			}
			return []ledger.Entry{e}
		}, ErrUnknown},
		{"an unknown kind of the package", func(e ledger.Entry) []ledger.Entry {
			return []ledger.Entry{e, {Kind: kindLast, Payload: []byte{1}}}
		}, ErrMalformed},
	} {
		l := ledger.NewMemory()
		w.procL.Scan(ctx, 0, func(e ledger.Entry) error {
			for _, n := range c.edit(e) {
				must(l.Append(ctx, n.Kind, n.Payload))
			}
			return nil
		})
		if _, err := OpenProcessor(ctx, w.procKey, w.opener, l); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestReplayRefusesSecondEnrollment: a ledger holding a second enrollment
// of one key (two processes enrolling it at once on one database ledger,
// or a rewritten ledger) is not one the processor wrote, since Enroll
// enrolls a key once. A processor rebuilt from it by taking the later
// enrollment would charge the key's disputed payments to another account
// than the running one does.
func TestReplayRefusesSecondEnrollment(t *testing.T) {
	w := newWorld(t, 2)
	again := must(NewEnrollment(w.customers[0], w.procKey.Public(), w.opener.Public(), []byte("second account"), t0))
	l := ledger.NewMemory()
	w.procL.Scan(ctx, 0, func(e ledger.Entry) error {
		_, err := l.Append(ctx, e.Kind, e.Payload)
		return err
	})
	must(l.Append(ctx, kindEnrollment, again.Bytes()))
	p, err := OpenProcessor(ctx, w.procKey, w.opener, l)
	if !errors.Is(err, ErrRefused) || !errors.Is(err, ledger.ErrCorrupt) {
		account := ""
		if p != nil {
			if en, ok := p.Enrollment(w.customers[0].Public()); ok {
				account = string(en.Account())
			}
		}
		t.Fatalf("ledger with a key enrolled twice: %v; the key's account is %q", err, account)
	}
}

// TestReplayRefusesSecondDisclosure: the processor discloses a payment
// once, and opening it again, or a copy re-signed by another customer (the
// same ID), returns that disclosure. A ledger with a second disclosure of
// one payment ID (two processes on one ledger) is not one it wrote; taking
// the later one, a rebuilt processor would answer a dispute with another
// disclosure, naming another payer, than the running one did.
func TestReplayRefusesSecondDisclosure(t *testing.T) {
	w := newWorld(t, 4)
	p := w.pay(t, 1, 100, "x")
	before := ledger.NewMemory()
	w.procL.Scan(ctx, 0, func(e ledger.Entry) error {
		_, err := before.Append(ctx, e.Kind, e.Payload)
		return err
	})
	must(w.proc.Open(ctx, p.Bytes(), "dispute", t0))
	resigned := *p
	resigned.sig = must(arsig.Sign(w.customers[2], w.roster.ring, w.roster.opener, p.id[:]))
	second := must(must(OpenProcessor(ctx, w.procKey, w.opener, before)).Open(ctx, resigned.Bytes(), "dispute", t0))
	l := ledger.NewMemory()
	w.procL.Scan(ctx, 0, func(e ledger.Entry) error {
		_, err := l.Append(ctx, e.Kind, e.Payload)
		return err
	})
	must(l.Append(ctx, kindDisclosure, second.Bytes()))
	proc, err := OpenProcessor(ctx, w.procKey, w.opener, l)
	if !errors.Is(err, ErrRefused) || !errors.Is(err, ledger.ErrCorrupt) {
		named := -1
		if proc != nil {
			d := must(proc.Open(ctx, p.Bytes(), "dispute", t0))
			for i, c := range w.customers {
				if d.Customer().Equal(c.Public()) {
					named = i
				}
			}
		}
		t.Fatalf("ledger with a payment disclosed twice: %v; the rebuilt processor's disclosure names customer %d", err, named)
	}
}

func enrollmentOf(w *world, c *arsig.PrivateKey) []byte {
	en, _ := w.proc.Enrollment(c.Public())
	return en.Bytes()
}
