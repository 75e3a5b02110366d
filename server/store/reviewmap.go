package store

// This file holds the mappings between the assess package and the store's rows (好差评 reviews).
// When the assess package's names change, this is the file to fix.

import (
	"encoding/json"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/assess"
)

type reviewRow struct {
	bun.BaseModel `bun:"table:reviews,alias:r"`
	ID            string  `bun:"id,pk"`
	UnitID        string  `bun:"unit_id"`
	TicketID      *string `bun:"ticket_id"`
	Rating        string  `bun:"rating"`
	AtUS          int64   `bun:"at_us"`
	Body          []byte  `bun:"body"`
}

type reviewVoidRow struct {
	bun.BaseModel `bun:"table:review_voids"`
	ReviewID      string `bun:"review_id,pk"`
	Actor         string `bun:"actor"`
	Reason        string `bun:"reason"`
	AtUS          int64  `bun:"at_us"`
}

func encodeReview(r assess.Review, ticketID string) (reviewRow, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return reviewRow{}, err
	}
	row := reviewRow{ID: r.ID, UnitID: r.Unit, Rating: string(r.Rating), AtUS: micros(r.At), Body: body}
	if ticketID != "" {
		row.TicketID = &ticketID
	}
	return row, nil
}

func decodeReview(r reviewRow, voided bool) (assess.Review, error) {
	var rv assess.Review
	if err := json.Unmarshal(r.Body, &rv); err != nil {
		return rv, &CorruptError{Table: "reviews", Key: r.ID, Err: err}
	}
	if voided {
		rv.Unfounded = true
	}
	return rv, nil
}

func reviewID(r assess.Review) string   { return r.ID }
func reviewUnit(r assess.Review) string { return r.Unit }
