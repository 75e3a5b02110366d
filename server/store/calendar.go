package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
)

// clockStatus is what the projection needs of the lifecycle: the status of a ticket's clocks.
type clockStatus interface {
	Status(t *ticket.Ticket, now time.Time) ([]deadline.StageStatus, error)
}

// machineRef holds the store's ticket lifecycle. It is swapped whole when the holiday schedule
// changes ([Store.SetCalendar]); each call reads the machine of the moment.
type machineRef struct {
	p atomic.Pointer[ticket.Machine]
}

func newMachineRef(m *ticket.Machine) *machineRef {
	r := &machineRef{}
	r.p.Store(m)
	return r
}

func (r *machineRef) load() *ticket.Machine { return r.p.Load() }

func (r *machineRef) Accept(in ticket.Intake, actor string, role ticket.Role, now time.Time) (*ticket.Ticket, error) {
	return r.load().Accept(in, actor, role, now)
}

func (r *machineRef) Apply(t *ticket.Ticket, req ticket.Request, now time.Time) (ticket.Event, error) {
	return r.load().Apply(t, req, now)
}

// Replay replays events on the store's lifecycle. Events recorded before they carried the deadlines
// they set ([ticket.Event].Dues, from 2026-11-30) are recounted on the calendar, so such a history,
// written under a provisional holiday schedule, no longer replays once the schedule is published:
// it is then replayed on the calendar it was written under, the built-in national one
// ([deadline.China]) — a history written while a holiday file was loaded at run time replays on the
// current calendar. A legacy history that replays on neither is a [LegacyHistoryError], to be
// re-verified against the schedule of its time.
func (r *machineRef) Replay(events []ticket.Event) (*ticket.Ticket, error) {
	m := r.load()
	t, err := m.Replay(events)
	if err == nil || !slices.ContainsFunc(events, func(e ticket.Event) bool { return e.Dues == nil }) {
		return t, err
	}
	if builtin, berr := ticket.NewMachine(deadline.China(), m.DeadlinePolicy(), m.Policy()); berr == nil {
		if t, berr := builtin.Replay(events); berr == nil {
			return t, nil
		}
	}
	return nil, &LegacyHistoryError{Err: err}
}

// LegacyHistoryError is a history with events recorded before events carried their deadlines
// ([ticket.Event].Dues) that replays neither on the store's calendar nor on the built-in one it was
// most likely written under: a holiday schedule loaded then and changed since. Its deadlines must be
// checked by hand against the schedule in force when it was written.
type LegacyHistoryError struct {
	// Err is why it does not replay on the store's calendar.
	Err error
}

func (e *LegacyHistoryError) Error() string {
	return "history recorded before events carried their deadlines replays neither on the current holiday schedule " +
		"nor on the built-in one: re-verify it against the schedule in force when it was written: " + e.Err.Error()
}

func (e *LegacyHistoryError) Unwrap() error { return e.Err }

func (r *machineRef) Status(t *ticket.Ticket, now time.Time) ([]deadline.StageStatus, error) {
	return r.load().Status(t, now)
}

// Calendar returns the working-day calendar the store's lifecycle counts on.
func (s *Store) Calendar() *deadline.Calendar { return s.machine.load().Calendar() }

// SetCalendar makes the store count deadlines on cal from now on — a newly published holiday
// schedule, loaded without a restart — keeping the deadline policy and the ticket policy. Clocks
// already running keep their deadlines until [Store.Reclock] recomputes them. Every instance on the
// database must be given the same calendar (the sweeper does this from a holiday directory).
func (s *Store) SetCalendar(cal *deadline.Calendar) error {
	if cal == nil {
		return fmt.Errorf("%w: nil calendar", ErrInvalid)
	}
	cur := s.machine.load()
	m, err := ticket.NewMachine(cal, cur.DeadlinePolicy(), cur.Policy())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	s.machine.p.Store(m)
	return nil
}

// ReclockOptions select the tickets [Store.Reclock] recomputes.
type ReclockOptions struct {
	// All recomputes every open ticket with a running clock (a change to a published year, as in
	// 2015, 2019 and 2020); otherwise only the tickets marked provisional (a newly published year).
	All bool
	// After is the ticket id to continue after (the previous result's Next); "" starts.
	After string
	// Limit is how many tickets one call reads at most (1–10000).
	Limit int
}

// ReclockResult says what one [Store.Reclock] call did.
type ReclockResult struct {
	// Read counts the tickets read; Changed those whose clocks moved; Fixed those that were
	// provisional and no longer are.
	Read, Changed, Fixed int
	// Next is the id to continue after; "" when the pass is complete.
	Next string
	// Skipped names the tickets whose snapshot does not decode ("id: reason"), left as they are.
	Skipped []string
}

// Reclock recomputes the deadlines of running clocks on the store's current calendar, one page of
// tickets at a time in id order (system only): after a new holiday schedule, a deadline counted over
// provisional days moves to the published ones and its ticket's provisional mark is cleared. A
// ticket whose deadlines moved gets its snapshot, projection and sweep instant rewritten and an
// audit row naming each clock's old and new deadline; its history is not touched (the events
// record what was known when they happened). The sweep plan of every ticket read is recomputed as
// well (its due-soon instants are counted on the calendar; a row written before the plan existed
// gets one), so that the sweeper acts on the new calendar. Tickets locked by a writer are skipped and left for
// the next pass.
func (s *Store) Reclock(ctx context.Context, p Principal, o ReclockOptions, now time.Time) (ReclockResult, error) {
	if err := p.validate(); err != nil {
		return ReclockResult{}, err
	}
	if p.Role != RoleSystem {
		return ReclockResult{}, forbidden(p, "recompute deadlines")
	}
	if o.Limit <= 0 || o.Limit > 10000 {
		return ReclockResult{}, fmt.Errorf("%w: reclock batch %d outside 1–10000", ErrInvalid, o.Limit)
	}
	m := s.machine.load()
	var res ReclockResult
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res = ReclockResult{}
		var rows []sweepRow
		q := tx.NewSelect().Model(&rows).ExcludeColumn("identity", "caller_phone_bi", "caller_id_bi").Where("t.id > ?", o.After)
		if o.All {
			q = q.Where("t.next_due_us IS NOT NULL").Where("t.state IN (?)", bun.In(openStates()))
		} else {
			q = q.Where("t.provisional = 1")
		}
		if err := s.skipLocked(q.OrderExpr("t.id ASC").Limit(int64(o.Limit))).Scan(ctx); err != nil {
			return err
		}
		res.Read = len(rows)
		if len(rows) == o.Limit {
			res.Next = rows[len(rows)-1].ID
		}
		// Audit rows go to their shards in ascending order, as in the sweep, so that two instances
		// never wait on each other's shard locks in a cycle.
		slices.SortFunc(rows, byShard)
		for _, row := range rows {
			changed, fixed, err := s.reclockOne(ctx, tx, p, m, row, now)
			if err != nil && setAside(err) {
				res.Skipped = append(res.Skipped, row.ID+": "+err.Error())
				continue
			}
			if err != nil {
				return err
			}
			if changed {
				res.Changed++
			}
			if fixed {
				res.Fixed++
			}
		}
		return nil
	})
	return res, err
}

func (s *Store) reclockOne(ctx context.Context, tx bun.Tx, p Principal, m *ticket.Machine, row sweepRow, now time.Time) (changed, fixed bool, err error) {
	t := &ticket.Ticket{}
	if err := json.Unmarshal(row.Snapshot, t); err != nil {
		return false, false, &CorruptError{Table: "tickets", Key: row.ID + " snapshot", Err: err}
	}
	st, err := m.Status(t, now)
	if err != nil {
		return false, false, nil // a clock the policy cannot time: nothing to recompute it with
	}
	due := map[deadline.Key]deadline.Deadline{}
	for _, x := range st {
		due[x.Key] = x.Due
	}
	var moved []string
	for _, c := range clockPtrs(&t.Deadlines) {
		nd, ok := due[c.Key]
		if !c.Running() || !ok || (nd.At.Equal(c.Due.At) && nd.Provisional == c.Due.Provisional && nd.LastDay.Equal(c.Due.LastDay)) {
			continue
		}
		moved = append(moved, fmt.Sprintf("%s=%s→%s", c.Key, c.Due.At.UTC().Format(time.RFC3339), nd.At.UTC().Format(time.RFC3339)))
		c.Due = nd
	}
	at, prov := sweepState(t, m, now, true)
	wasProvisional := row.Provisional == 1
	fixed = wasProvisional && prov == 0
	if len(moved) == 0 {
		// The deadlines stand, but the due-soon instants of the sweep plan are counted on the
		// calendar too (and a row written before the plan existed has none): store them afresh.
		plan := planOf(t, st).encode()
		replan := !bytes.Equal(plan, row.SweepPlan)
		if !replan && (!wasProvisional || prov == 1) {
			return false, false, nil
		}
		q := tx.NewUpdate().Table("tickets").Where("id = ?", row.ID)
		if fixed {
			q = q.Set("provisional = 0")
		}
		if replan {
			q = q.Set("sweep_plan = ?", plan).Set("sweep_at_us = ?", at)
		}
		_, err := q.Exec(ctx)
		return false, fixed, err
	}
	fresh := row.ticketRow
	project(&fresh, t, m, now)
	snap, err := json.Marshal(stripped(t))
	if err != nil {
		return false, false, err
	}
	fresh.Snapshot = snap
	if _, err := tx.NewUpdate().Model(&fresh).
		Column("snapshot", "sweep_plan", "next_due_us", "due_soon_us", "due_first_contact_us", "due_reply_us", "due_redo_us", "due_cap_us", "overdue", "due_soon").
		WherePK().Exec(ctx); err != nil {
		return false, false, err
	}
	if _, err := tx.NewUpdate().Table("tickets").Set("sweep_at_us = ?", at).Set("provisional = ?", prov).Where("id = ?", row.ID).Exec(ctx); err != nil {
		return false, false, err
	}
	fields := append([]string{"role=" + string(p.Role), fmt.Sprintf("version=%d", row.Version), fmt.Sprintf("provisional=%d", prov)}, moved...)
	return true, fixed, s.appendAudit(ctx, tx, now, p.Actor, "ticket.reclock", row.ID, fields...)
}

// openStates are the text forms of the lifecycle's open states.
func openStates() []string {
	var out []string
	for _, st := range ticket.States() {
		if st.Open() {
			out = append(out, text(st))
		}
	}
	return out
}
