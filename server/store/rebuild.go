package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/ticket"
)

// Mismatch names a ticket whose stored projection or snapshot disagrees with its replayed history, or
// whose history does not replay.
type Mismatch struct {
	ID     string
	Reason string
}

// VerifyTickets replays every ticket's history with the lifecycle ([ticket.Machine.Replay]) and
// reports each ticket whose history does not replay, or whose snapshot or projection differs from the
// replayed ticket. Only auditors, supervisors and admins may run it.
func (s *Store) VerifyTickets(ctx context.Context, p Principal) ([]Mismatch, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if !mayAudit(p) {
		return nil, forbidden(p, "verify tickets")
	}
	return s.replayAll(ctx, nil)
}

// Rebuild replays every ticket like [Store.VerifyTickets] and rewrites the projection and snapshot of
// each that disagrees with its history (the history is the record), auditing each repair. Histories
// that do not replay are reported and left alone. Admin only.
func (s *Store) Rebuild(ctx context.Context, p Principal, now time.Time) ([]Mismatch, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role != RoleAdmin {
		return nil, forbidden(p, "rebuild projections")
	}
	return s.replayAll(ctx, func(ctx context.Context, tx bun.Tx, row ticketRow, t *ticket.Ticket) error {
		fixed := row
		if err := s.fillRow(&fixed, t, fromMicros(row.UpdatedUS)); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(&fixed).ExcludeColumn("id", "created_us", "source_platform", "upstream", "version").
			Where("id = ? AND version = ?", row.ID, row.Version).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*ticketUnitRow)(nil)).Where("ticket_id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		if us := unitRows(row.ID, t); len(us) > 0 {
			if _, err := tx.NewInsert().Model(&us).Exec(ctx); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "ticket.rebuild", row.ID, "role="+string(p.Role), fmt.Sprintf("version=%d", row.Version))
	})
}

func (s *Store) replayAll(ctx context.Context, repair func(context.Context, bun.Tx, ticketRow, *ticket.Ticket) error) ([]Mismatch, error) {
	var out []Mismatch
	after := ""
	for {
		var ids []string
		if err := s.db.NewSelect().Table("tickets").Column("id").Where("id > ?", after).Order("id ASC").Limit(500).Scan(ctx, &ids); err != nil {
			return out, err
		}
		for _, id := range ids {
			var mm *Mismatch
			err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				row, replayed, reason, err := s.checkTicket(ctx, tx, id)
				if err != nil {
					return err
				}
				if reason == "" {
					return nil
				}
				mm = &Mismatch{ID: id, Reason: reason}
				if repair != nil && replayed != nil {
					return repair(ctx, tx, row, replayed)
				}
				return nil
			})
			if err != nil {
				return out, err
			}
			if mm != nil {
				out = append(out, *mm)
			}
		}
		if len(ids) < 500 {
			return out, nil
		}
		after = ids[len(ids)-1]
	}
}

// checkTicket replays one ticket and compares; reason is "" when all agrees. replayed is nil when the
// history does not replay.
func (s *Store) checkTicket(ctx context.Context, tx bun.Tx, id string) (ticketRow, *ticket.Ticket, string, error) {
	var row ticketRow
	if err := s.forUpdate(tx.NewSelect().Model(&row).Where("id = ?", id)).Scan(ctx); err != nil {
		return row, nil, "", err
	}
	person, err := s.openIdentity(id, row.Identity)
	if err != nil {
		return row, nil, err.Error(), nil
	}
	events, err := s.events(ctx, tx, id, person)
	if err != nil {
		return row, nil, err.Error(), nil
	}
	replayed, err := s.machine.Replay(events)
	if err != nil {
		return row, nil, "history does not replay: " + err.Error(), nil
	}
	if int64(len(events)) != row.Version {
		return row, replayed, fmt.Sprintf("version %d but %d events", row.Version, len(events)), nil
	}
	want, err := json.Marshal(stripped(replayed))
	if err != nil {
		return row, nil, "", err
	}
	var stored ticket.Ticket
	if err := json.Unmarshal(row.Snapshot, &stored); err != nil {
		return row, replayed, "snapshot does not decode: " + err.Error(), nil
	}
	got, _ := json.Marshal(stored)
	if !bytes.Equal(want, got) {
		// A reclock since the last event (a new holiday schedule, [Store.Reclock]) moved the running
		// clocks without an event: the snapshot is the replayed ticket with them recomputed.
		rc := replayed.Clone()
		recomputeClocks(rc, s.machine.load(), fromMicros(row.UpdatedUS))
		want, _ = json.Marshal(stripped(rc))
		if !bytes.Equal(want, got) {
			return row, replayed, "snapshot differs from the replayed history", nil
		}
		replayed = rc
	}
	fresh := row
	project(&fresh, replayed, s.machine, fromMicros(row.UpdatedUS))
	// The flags depend on the clock, and the sweeper moves them on without an event.
	fresh.Overdue, fresh.DueSoon = row.Overdue, row.DueSoon
	if row.SweepPlan == nil || samePlanButSoon(row.SweepPlan, fresh.SweepPlan) {
		// NULL: written before the sweep plan existed (the sweeper fills it in). The due-soon
		// instants are counted on the calendar of the write, or of the last reclock, like the clocks.
		fresh.SweepPlan = row.SweepPlan
	}
	if !reflect.DeepEqual(fresh, row) {
		return row, replayed, "projection differs from the replayed history", nil
	}
	var units []ticketUnitRow
	if err := tx.NewSelect().Model(&units).Where("ticket_id = ?", id).Order("unit_id ASC").Scan(ctx); err != nil {
		return row, nil, "", err
	}
	wantUnits := unitRows(id, replayed)
	if len(units) != len(wantUnits) {
		return row, replayed, "handling units differ from the replayed history", nil
	}
	for _, w := range wantUnits {
		found := false
		for _, u := range units {
			found = found || (u.UnitID == w.UnitID && u.Role == w.Role)
		}
		if !found {
			return row, replayed, "handling units differ from the replayed history", nil
		}
	}
	return row, replayed, "", nil
}

// recomputeClocks sets the deadline of every running clock of t to what m's calendar gives, as
// [Store.Reclock] does.
func recomputeClocks(t *ticket.Ticket, m *ticket.Machine, now time.Time) {
	st, err := m.Status(t, now)
	if err != nil {
		return
	}
	for _, c := range clockPtrs(&t.Deadlines) {
		for _, x := range st {
			if c.Running() && x.Key == c.Key {
				c.Due = x.Due
			}
		}
	}
}

// VerifyCases replays the history of every appeal, objection and reconsideration and reports each
// whose history does not replay or whose stored state or version disagrees with it.
func (s *Store) VerifyCases(ctx context.Context, p Principal) ([]Mismatch, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if !mayAudit(p) {
		return nil, forbidden(p, "verify cases")
	}
	var out []Mismatch
	after := ""
	for {
		var ids []string
		if err := s.db.NewSelect().Table("cases").Column("id").Where("id > ?", after).Order("id ASC").Limit(500).Scan(ctx, &ids); err != nil {
			return out, err
		}
		for _, id := range ids {
			// Read as the system, which sees every case.
			row, m, err := s.loadCase(ctx, s.db, Principal{Actor: p.Actor, Role: RoleSystem}, id, false)
			switch {
			case err != nil:
				out = append(out, Mismatch{ID: id, Reason: err.Error()})
			case caseState(m) != row.State:
				out = append(out, Mismatch{ID: id, Reason: fmt.Sprintf("state %s, history leads to %s", row.State, caseState(m))})
			case int64(len(m.History())) != row.Version:
				out = append(out, Mismatch{ID: id, Reason: fmt.Sprintf("version %d but %d events", row.Version, len(m.History()))})
			}
		}
		if len(ids) < 500 {
			return out, nil
		}
		after = ids[len(ids)-1]
	}
}
