package audit_test

import (
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/hotline12345/hotline/server/audit"
)

func Example() {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	entries := []audit.Entry{
		{Seq: 1, At: at, Actor: "unit:street-office", Action: "ticket.intake", Subject: "ticket:0001", Fields: []string{"phone=138****8000"}},
		{Seq: 2, At: at.Add(time.Minute), Actor: "unit:street-office", Action: "ticket.dispatch", Subject: "ticket:0001", Fields: []string{"to=unit:housing"}},
		{Seq: 3, At: at.Add(time.Hour), Actor: "unit:housing", Action: "pii.reveal", Subject: "ticket:0001", Fields: []string{"field=phone", "reason=回访核实"}},
	}
	// Appending: each row's hash chains the previous one.
	var rows []audit.Row
	var prev []byte
	for _, e := range entries {
		prev = audit.Next(prev, e)
		rows = append(rows, audit.Row{Entry: e, Hash: prev})
	}
	all := func(rows []audit.Row) iter.Seq2[audit.Row, error] {
		return func(yield func(audit.Row, error) bool) {
			for _, r := range rows {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
	fmt.Println("intact:", audit.Verify(all(rows)))

	// A checkpoint, signed and kept outside the database.
	priv, _ := audit.GenerateKey()
	head, _ := audit.Tip(all(rows))
	cp, _ := audit.Sign(priv, audit.Checkpoint{Size: head.Size, Head: head.Hash, At: at.Add(2 * time.Hour)})

	// Someone edits the reveal's reason.
	rows[2].Fields = []string{"field=phone", "reason=工作需要"}
	err := audit.Verify(all(rows))
	var be *audit.BreakError
	fmt.Println(errors.As(err, &be), be.Seq, err)

	// Someone deletes the last row instead: the chain still verifies, the checkpoint does not.
	fmt.Println("cut, alone:", audit.Verify(all(rows[:2])))
	fmt.Println("cut, against the checkpoint:", audit.VerifyCheckpoint(&priv.PublicKey, cp, all(rows[:2])))
	// Output:
	// intact: <nil>
	// true 3 audit: chain broken at seq 3: hash does not match the row's contents and the previous hash
	// cut, alone: <nil>
	// cut, against the checkpoint: audit: chain broken at seq 3: truncated: expected at least 3 rows, found 2
}
