package main

import (
	"bytes"
	"fmt"

	"github.com/ringtrace/ringtrace/arsig"
	"github.com/ringtrace/ringtrace/internal/parallel"
)

// arsOps is the number of measurements per ARS ring size.
const arsOps = 4

func measureARS(sw sweep, prims primitives, p *progress) ([]arsRow, error) {
	var rows []arsRow
	for _, n := range sw.ARSSizes {
		row, err := measureARSAt(sw, prims, n, p)
		if err != nil {
			return nil, fmt.Errorf("ring of %d: %w", n, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// measureARSAt measures every operation at ring size n: signing, constant
// time in the secrets, against CTMSM, the rest against MSM.
func measureARSAt(sw sweep, prims primitives, n int, p *progress) (arsRow, error) {
	row := arsRow{N: n, BatchK: sw.BatchK}
	privs := make([]*arsig.PrivateKey, n)
	pubs := make([]*arsig.PublicKey, n)
	for i := range privs {
		k, err := arsig.GenerateKey()
		if err != nil {
			return row, err
		}
		privs[i], pubs[i] = k, k.Public()
	}
	ring, err := arsig.NewRing(pubs)
	if err != nil {
		return row, err
	}
	opener, err := arsig.GenerateOpenerKey()
	if err != nil {
		return row, err
	}
	openerPub := opener.Public()
	signer := privs[n/2]
	msg := []byte("usage record: 1 call, 12 units")
	sig, err := arsig.Sign(signer, ring, openerPub, msg)
	if err != nil {
		return row, err
	}
	row.SigBytes = len(sig.Bytes())

	label := func(op string) string { return fmt.Sprintf("ARS N=%d %s", n, op) }
	var failed error
	fail := func(err error) {
		if err != nil && failed == nil {
			failed = err
		}
	}
	p.run(label("sign"), func() timing {
		return measure(sw.Budget, loop(func() {
			_, err := arsig.Sign(signer, ring, openerPub, msg)
			fail(err)
		}), prims.CTMSM)
	}, &row.Sign)
	p.run(label("verify"), func() timing {
		return measure(sw.Budget, loop(func() { fail(arsig.Verify(ring, openerPub, msg, sig)) }), prims.MSM)
	}, &row.Verify)
	p.run(label("open"), func() timing {
		return measure(sw.Budget, loop(func() {
			o, err := opener.Open(ring, msg, sig)
			fail(err)
			if err == nil && !o.Signer().Equal(signer.Public()) {
				fail(fmt.Errorf("open named the wrong signer"))
			}
		}), prims.MSM)
	}, &row.Open)
	if failed != nil {
		return row, failed
	}

	// Batch verification: k signatures on the one ring by different members
	// (members repeat when k > N, on different messages).
	k := sw.BatchK
	p.note("ARS N=%d: signing %d signatures for the batch", n, k)
	items := make([]arsig.BatchItem, k)
	errs := make([]error, k)
	parallel.For(k, func(i int) {
		m := fmt.Appendf(nil, "usage record %d: 1 call, 12 units", i)
		s, err := arsig.Sign(privs[i%n], ring, openerPub, m)
		items[i] = arsig.BatchItem{Ring: ring, Opener: openerPub, Message: m, Signature: s}
		errs[i] = err
	})
	for _, err := range errs {
		if err != nil {
			return row, err
		}
	}
	// Every item gets its own copy of the ring, as a verifier that parsed
	// each signature's ring from the wire would have: the batch must find
	// that they are equal by encoding, not by pointer.
	enc := ring.Bytes()
	for i := range items {
		r, err := arsig.ParseRing(bytes.Clone(enc))
		if err != nil {
			return row, err
		}
		items[i].Ring = r
	}
	p.run(label(fmt.Sprintf("batch verify (k=%d), per signature", k)), func() timing {
		t := measure(sw.Budget, loop(func() {
			for _, err := range arsig.VerifyBatch(items) {
				fail(err)
			}
		}), prims.MSM)
		return t.per(k)
	}, &row.Batch)
	return row, failed
}
