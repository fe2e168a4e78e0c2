package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/ringtrace/ringtrace/ecdsa"
	"github.com/ringtrace/ringtrace/tickets/netting"
	"github.com/ringtrace/ringtrace/tickets/toll"
)

// netDay is the netter's part of the day: it collects the statements each
// operator signed (to its plazas and to the partner), turns those of the
// day into obligations, nets them, and prints the transfers that settle
// the day instead of one per statement. It fails unless netting saves a
// transfer, which two operators owing each other guarantee.
func netDay(w io.Writer, d *driver, dir *directory) error {
	t0 := time.Now()
	var operators []*ecdsa.PublicKey
	for _, op := range dir.operators {
		operators = append(operators, op.key)
		d.net.send("main", op.name, "statements", nil)
	}
	replies, err := d.await("statements", len(dir.operators))
	if err != nil {
		return err
	}
	var statements []*toll.Statement
	for _, r := range replies {
		for _, b := range unlist(r.body) {
			st, err := toll.ParseStatement(b)
			if err != nil {
				return fmt.Errorf("netting: a statement of %s: %w", r.from, err)
			}
			statements = append(statements, st)
		}
	}
	obligations, err := netting.TollObligations(dayStart, dayStart.Add(24*time.Hour), operators, statements)
	if err != nil {
		return err
	}
	s, err := netting.Net(obligations)
	if err == nil {
		err = s.Check(obligations)
	}
	if err != nil {
		return err
	}
	before, after := len(obligations), len(s.Transfers())
	if after >= before {
		return fmt.Errorf("netting %d obligations took %d transfers", before, after)
	}
	step(w, "netting", t0, "%d statements of the day: %d transfers unnetted, %d netted, %d saved", len(statements), before, after, before-after)
	lines := make([]string, 0, after)
	for _, t := range s.Transfers() {
		lines = append(lines, fmt.Sprintf("  transfer  %-22s pays %-22s %12v\n", dir.partyName(t.Payer), dir.partyName(t.Payee), t.Amount))
	}
	slices.Sort(lines)
	for _, l := range lines {
		io.WriteString(w, l)
	}
	return nil
}

// partyName names an operator or plaza by the key netting names it by.
func (d *directory) partyName(p netting.Party) string {
	for _, o := range d.operators {
		if string(o.key.Bytes()) == string(p) {
			return "operator " + o.name
		}
		for _, pl := range o.plazas {
			if string(pl.key.Bytes()) == string(p) {
				return fmt.Sprintf("%s's plaza %q", o.name, pl.display)
			}
		}
	}
	return fmt.Sprintf("%x", string(p))
}
