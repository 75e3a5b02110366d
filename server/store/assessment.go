package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/ticket"
)

// maxAssessmentBatch bounds the ids of one IN list when the events of many tickets are read.
const maxAssessmentBatch = 500

// AssessmentTickets returns the tickets p may see that an assessment of the period [from, to) reads:
// those received before to that changed at or after from or are still open — a ticket closed before
// the period began has nothing in it. Each comes with its history and without the citizen's
// identity (an assessment reads none, and nothing is decrypted), ordered by ID. The scope is the
// principal's, as for [Store.List]: a handling unit gets the tickets it or a unit below it handles,
// a hotline office those of its jurisdiction, supervisors, auditors and the system all; an admin
// none.
func (s *Store) AssessmentTickets(ctx context.Context, p Principal, from, to time.Time) ([]*ticket.Ticket, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("%w: the period must start before it ends", ErrInvalid)
	}
	var open []string
	for _, st := range ticket.States() {
		if st.Open() {
			open = append(open, string(st))
		}
	}
	var out []*ticket.Ticket
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		out = nil
		sc, err := s.scopeOf(ctx, tx, p)
		if err != nil {
			return err
		}
		var rows []ticketRow
		q := tx.NewSelect().Model(&rows).Column("id", "version", "snapshot").
			Where("t.received_us < ?", micros(to)).
			WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				return q.Where("t.updated_us >= ?", micros(from)).WhereOr("t.state IN (?)", bun.In(open))
			})
		if err := sc.apply(q).Order("t.id ASC").Scan(ctx); err != nil {
			return err
		}
		byID := make(map[string]*ticket.Ticket, len(rows))
		out = make([]*ticket.Ticket, len(rows))
		for i, r := range rows {
			t := &ticket.Ticket{}
			if err := json.Unmarshal(r.Snapshot, t); err != nil {
				return &CorruptError{Table: "tickets", Key: r.ID + " snapshot", Err: err}
			}
			out[i], byID[r.ID] = t, t
		}
		for lo := 0; lo < len(rows); lo += maxAssessmentBatch {
			ids := make([]string, 0, maxAssessmentBatch)
			for _, r := range rows[lo:min(lo+maxAssessmentBatch, len(rows))] {
				ids = append(ids, r.ID)
			}
			var evs []eventRow
			if err := tx.NewSelect().Model(&evs).Where("ticket_id IN (?)", bun.In(ids)).Order("ticket_id ASC", "seq ASC").Scan(ctx); err != nil {
				return err
			}
			for _, er := range evs {
				e, err := decodeEvent(er)
				if err != nil {
					return err
				}
				t := byID[er.TicketID]
				t.History = append(t.History, e)
			}
		}
		for i, r := range rows {
			if int64(len(out[i].History)) != r.Version {
				return &CorruptError{Table: "tickets", Key: r.ID, Err: fmt.Errorf("version %d but %d events", r.Version, len(out[i].History))}
			}
		}
		return nil
	})
	return out, err
}
