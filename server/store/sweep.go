package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/ticket"
)

// sweepRow is a ticket's projection with the sweeper's columns (migration 20261130000004).
type sweepRow struct {
	ticketRow   `bun:",extend"`
	SweepAtUS   *int64 `bun:"sweep_at_us"`
	Provisional int16  `bun:"provisional"`
}

// SweepOptions tune one [Store.SweepDue] call.
type SweepOptions struct {
	// Limit is how many tickets the call takes at most (1–10000), each in the one transaction.
	Limit int
	// Urge applies 催办 (urging) as the system, once per clock and deadline, to a ticket whose stage
	// clock has run out, where the lifecycle allows it (002 §6 (二) 1 (6): 对超出办理期限的,由政务热线平台
	// 下达催办单).
	Urge bool
}

// SweepResult counts what one [Store.SweepDue] call did.
type SweepResult struct {
	// Tickets is how many tickets were taken (their sweep instant had passed).
	Tickets int
	// Flagged counts the tickets whose due-soon (预警) or overdue (超期) flag changed.
	Flagged int
	// DueSoon, Overdue and Callbacks count the notices written (a notice written before is not
	// written again, nor counted).
	DueSoon, Overdue, Callbacks int
	// Urged counts the urging events applied; UrgeRefused the overdue tickets the lifecycle would not
	// urge (a state or policy without urging).
	Urged, UrgeRefused int
	// Full reports that the call took Limit tickets: more may be due.
	Full bool
	// Skipped names the tickets that could not be swept ("id: reason": a snapshot or history that
	// does not decode, an identity that does not open). They are set aside — no sweep instant until
	// their next change — so that one bad ticket does not stop the sweeper; VerifyTickets and Rebuild
	// are the tools for them.
	Skipped []string
}

func (r SweepResult) acted() bool {
	return r.Flagged+r.DueSoon+r.Overdue+r.Callbacks+r.Urged > 0
}

// Sweep is [Store.SweepDue] without urging, returning how many tickets' flags changed.
func (s *Store) Sweep(ctx context.Context, p Principal, now time.Time, limit int) (int, error) {
	r, err := s.SweepDue(ctx, p, SweepOptions{Limit: limit}, now)
	return r.Flagged, err
}

// SweepDue does the deadline sweeper's work on the tickets whose sweep instant has passed at now,
// at most o.Limit of them, earliest first (system only). For each running stage clock it writes a
// due-soon notice once the clock is in its due-soon window (预警, the deadline policy's lead) and an
// overdue notice once it has run out (超期), each once per clock and deadline, to the handling units
// and the lead unit's leader (or the hotline office while no unit has the ticket); with o.Urge the
// first overdue notice of a clock comes with an urging event (催办). For a replied ticket awaiting
// its callback it writes the callback-due notice to the hotline office (100% callbacks: 000 §4 (四),
// 004 §11). It refreshes the projection's due-soon and overdue flags and sets the ticket's next
// sweep instant.
//
// The tickets are read through the index on their sweep instant, so a sweep costs the tickets due,
// not the tickets open; and a due ticket costs its row, not its snapshot: the sweep compares now
// with the instants of the ticket's sweep plan (sweepplan.go), stored at its last write or reclock.
// A row written before the plan existed (migration 20261201000101) is decoded and timed on the
// calendar as before, and gets its plan. On PostgreSQL and MariaDB they are taken with FOR UPDATE SKIP LOCKED: two
// server instances sweeping at once take disjoint tickets, and a ticket a writer holds is left for
// the next sweep; on SQLite the one writer holds the database. One audit row records a sweep that
// did anything.
func (s *Store) SweepDue(ctx context.Context, p Principal, o SweepOptions, now time.Time) (SweepResult, error) {
	if err := p.validate(); err != nil {
		return SweepResult{}, err
	}
	if p.Role != RoleSystem {
		return SweepResult{}, forbidden(p, "sweep deadlines")
	}
	if o.Limit <= 0 || o.Limit > 10000 {
		return SweepResult{}, fmt.Errorf("%w: sweep batch %d outside 1–10000", ErrInvalid, o.Limit)
	}
	if now.IsZero() {
		return SweepResult{}, fmt.Errorf("%w: zero time", ErrInvalid)
	}
	m := s.machine.load()
	var res SweepResult
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res = SweepResult{}
		var rows []sweepRow
		q := tx.NewSelect().Model(&rows).Column(sweepColumns()...).
			Where("t.sweep_at_us <= ?", micros(now)).OrderExpr("t.sweep_at_us ASC").Limit(int64(o.Limit))
		if err := s.skipLocked(q).Scan(ctx); err != nil {
			return err
		}
		res.Tickets, res.Full = len(rows), len(rows) == o.Limit
		// An urging event appends an audit row under its ticket's shard lock: taking the tickets in
		// shard order makes every sweep take those locks in ascending order, so two instances never
		// wait on each other in a cycle.
		slices.SortFunc(rows, byShard)
		plans, err := s.plans(ctx, tx, rows)
		if err != nil {
			return err
		}
		return s.sweepRows(ctx, tx, p, m, o, rows, plans, now, &res)
	})
	if err != nil || !res.acted() {
		return res, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.appendAudit(ctx, tx, now, p.Actor, "ticket.sweep", "", "role="+string(p.Role),
			fmt.Sprintf("tickets=%d", res.Tickets), fmt.Sprintf("flagged=%d", res.Flagged), fmt.Sprintf("due_soon=%d", res.DueSoon),
			fmt.Sprintf("overdue=%d", res.Overdue), fmt.Sprintf("urged=%d", res.Urged), fmt.Sprintf("callbacks=%d", res.Callbacks))
	})
	return res, err
}

// sweepColumns are the columns of a due ticket a sweep reads: what its notices say of it (number,
// state, lead unit, region, version, replies), its flags and its sweep plan.
func sweepColumns() []string {
	return []string{"id", "number", "state", "lead_unit", "region_code", "version", "replies", "overdue", "due_soon", "sweep_at_us", "sweep_plan"}
}

// sweeping is one ticket's sweep in the making: its notices to write, unless written before.
type sweeping struct {
	row      sweepRow
	plan     sweepPlan
	backfill []byte // the plan computed for a row that had none, to store
	notices  []*noticeRow
	kinds    []string // "due_soon", "overdue" or "callback_due", one per notice
	urge     bool
	skip     bool // set aside: it does not decode
}

// plans decodes the sweep plans of rows; for a row that has none, or one that does not decode
// (rows written before migration 20261201000101), the plan is nil and the row's snapshot is read
// instead: that row is swept the slow way, from the ticket.
func (s *Store) plans(ctx context.Context, tx bun.Tx, rows []sweepRow) ([]*sweepPlan, error) {
	out := make([]*sweepPlan, len(rows))
	var ids []string
	at := map[string]int{}
	for i := range rows {
		if rows[i].SweepPlan != nil {
			if p, err := decodePlan(rows[i].SweepPlan); err == nil {
				out[i] = &p
				continue
			}
		}
		ids = append(ids, rows[i].ID)
		at[rows[i].ID] = i
	}
	for chunk := range slices.Chunk(ids, sweepBatch) {
		var snaps []struct {
			ID       string `bun:"id"`
			Snapshot []byte `bun:"snapshot"`
		}
		if err := tx.NewSelect().Table("tickets").Column("id", "snapshot").Where("id IN (?)", bun.In(chunk)).Scan(ctx, &snaps); err != nil {
			return nil, err
		}
		for _, x := range snaps {
			rows[at[x.ID]].Snapshot = x.Snapshot
		}
	}
	return out, nil
}

// setAside reports whether err is a fault of one ticket's stored data (or of its identity's key),
// which the sweep notes and goes past, rather than a failure of the database, which ends the batch.
func setAside(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce) || errors.Is(err, ErrNoKeys)
}

// sweepBatch bounds the statements of one round trip.
const sweepBatch = 500

// sweepRows sweeps the tickets rows, which tx holds, in a few round trips whatever their number:
// one to learn which of their notices exist, one per urged ticket, and one per sweepBatch
// statements to write the new notices and the tickets' flags and next instants.
func (s *Store) sweepRows(ctx context.Context, tx bun.Tx, p Principal, m *ticket.Machine, o SweepOptions, rows []sweepRow, plans []*sweepPlan, now time.Time, res *SweepResult) error {
	work := make([]sweeping, len(rows))
	var ids []string
	callback := callbackStates(m.DeadlinePolicy())
	for i, row := range rows {
		w, err := s.sweepNotices(row, plans[i], m, callback, now)
		if err != nil {
			if !setAside(err) {
				return err
			}
			res.Skipped = append(res.Skipped, row.ID+": "+err.Error())
			w = sweeping{row: row, skip: true}
		}
		work[i] = w
		for _, n := range w.notices {
			ids = append(ids, n.ID)
		}
	}
	existing := map[string]bool{}
	for chunk := range slices.Chunk(ids, sweepBatch) {
		var found []string
		if err := tx.NewSelect().Model((*noticeRow)(nil)).Column("id").Where("id IN (?)", bun.In(chunk)).Scan(ctx, &found); err != nil {
			return err
		}
		for _, id := range found {
			existing[id] = true
		}
	}
	var fresh []*noticeRow
	for i := range work {
		w := &work[i]
		for j, n := range w.notices {
			if existing[n.ID] {
				continue
			}
			existing[n.ID] = true
			switch w.kinds[j] {
			case "overdue":
				res.Overdue++
				w.urge = w.urge || o.Urge
			case "due_soon":
				res.DueSoon++
			default:
				res.Callbacks++
			}
			fresh = append(fresh, n)
		}
	}
	flags := make([]ticketFlags, 0, len(work))
	for i := range work {
		w := &work[i]
		if w.skip {
			flags = append(flags, ticketFlags{id: w.row.ID, overdue: w.row.Overdue, dueSoon: w.row.DueSoon})
			continue
		}
		if w.urge {
			urged, ok, err := s.urge(ctx, tx, p, m, w.row.ID, now)
			switch {
			case err != nil && setAside(err):
				// The notices are written; the urging waits for a history that loads.
				res.Skipped = append(res.Skipped, w.row.ID+": urging: "+err.Error())
			case err != nil:
				return fmt.Errorf("store: urging ticket %s: %w", w.row.ID, err)
			case ok:
				res.Urged++
				// The urging wrote the ticket's row, its plan with it.
				w.plan, w.backfill = urged, nil
			default:
				res.UrgeRefused++
			}
		}
		overdue, dueSoon, at := w.plan.state(now)
		if boolInt(overdue) != w.row.Overdue || boolInt(dueSoon) != w.row.DueSoon {
			res.Flagged++
		}
		flags = append(flags, ticketFlags{id: w.row.ID, overdue: boolInt(overdue), dueSoon: boolInt(dueSoon), sweepAt: at, plan: w.backfill})
	}
	if err := s.insertNotices(ctx, tx, fresh); err != nil {
		return err
	}
	batch := s.updateFlags(tx, flags)
	if len(batch) == 0 {
		return nil
	}
	return execBatch(ctx, tx, batch...)
}

// insertNotices writes the notices ns, skipping one whose id exists, sweepBatch rows a statement.
// Their values are bound parameters, not SQL text: a payload as a blob literal is twice its size in
// hex for the database to parse, which was most of a sweep's statement time on SQLite. The columns
// not set (sent, claim, dead letter) start NULL.
func (s *Store) insertNotices(ctx context.Context, tx bun.Tx, ns []*noticeRow) error {
	const cols = 7
	for chunk := range slices.Chunk(ns, sweepBatch) {
		var b strings.Builder
		switch s.dialect {
		case SQLite:
			b.WriteString("INSERT OR IGNORE INTO outbox")
		case MySQL:
			b.WriteString("INSERT IGNORE INTO outbox")
		default:
			b.WriteString("INSERT INTO outbox")
		}
		b.WriteString(" (id, topic, subject, payload, created_us, attempts, due_us) VALUES ")
		args := make([]any, 0, cols*len(chunk))
		for i, n := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range cols {
				if j > 0 {
					b.WriteString(", ")
				}
				if s.dialect == Postgres {
					b.WriteString("$" + strconv.Itoa(len(args)+j+1))
				} else {
					b.WriteByte('?')
				}
			}
			b.WriteByte(')')
			args = append(args, n.ID, n.Topic, n.Subject, n.Payload, n.CreatedUS, n.Attempts, n.DueUS)
		}
		if s.dialect == Postgres {
			b.WriteString(" ON CONFLICT DO NOTHING")
		}
		if _, err := tx.Tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// ticketFlags are what a sweep sets on a ticket's row: its flags, its next sweep instant and, for a
// row that had none, its sweep plan.
type ticketFlags struct {
	id               string
	overdue, dueSoon int16
	sweepAt          *int64
	plan             []byte
}

// updateFlags returns the UPDATEs setting the flags and sweep instants of several tickets: one per
// set of values, over the ids that take them (IN), so that a batch costs a few short statements —
// the tickets due at one instant share their flags and next instant, deadlines falling at midnight —
// and one per ticket that gets its sweep plan.
func (s *Store) updateFlags(tx bun.Tx, fs []ticketFlags) []query {
	type values struct {
		overdue, dueSoon int16
		at               int64
		null             bool
	}
	var order []values
	ids := map[values][]string{}
	var out []query
	for _, f := range fs {
		if f.plan != nil {
			out = append(out, tx.NewUpdate().Table("tickets").Set("overdue = ?", f.overdue).Set("due_soon = ?", f.dueSoon).
				Set("sweep_at_us = ?", f.sweepAt).Set("sweep_plan = ?", f.plan).Where("id = ?", f.id))
			continue
		}
		v := values{overdue: f.overdue, dueSoon: f.dueSoon, null: f.sweepAt == nil}
		if f.sweepAt != nil {
			v.at = *f.sweepAt
		}
		if _, ok := ids[v]; !ok {
			order = append(order, v)
		}
		ids[v] = append(ids[v], f.id)
	}
	for _, v := range order {
		var at *int64
		if !v.null {
			at = &v.at
		}
		for chunk := range slices.Chunk(ids[v], sweepBatch) {
			out = append(out, tx.NewUpdate().Table("tickets").Set("overdue = ?", v.overdue).Set("due_soon = ?", v.dueSoon).
				Set("sweep_at_us = ?", at).Where("id IN (?)", bun.In(chunk)))
		}
	}
	return out
}

// sweepNotices lists the notices row's ticket calls for at now: due soon or overdue for each running
// clock that crossed into its window or ran out, to the handling units and the lead unit's leader,
// and callback due for a replied ticket awaiting its callback (callback maps the states that await
// it). Their ids say what they announce, so that one written before is known. It reads plan, the
// row's decoded sweep plan; for a row without one (nil: written before the plan existed) it decodes
// the snapshot and computes the plan on the machine's calendar, for the sweep to store.
func (s *Store) sweepNotices(row sweepRow, plan *sweepPlan, m *ticket.Machine, callback map[string]bool, now time.Time) (sweeping, error) {
	w := sweeping{row: row}
	if plan != nil {
		w.plan = *plan
	} else {
		t := &ticket.Ticket{}
		if err := json.Unmarshal(row.Snapshot, t); err != nil {
			return sweeping{}, &CorruptError{Table: "tickets", Key: row.ID + " snapshot", Err: err}
		}
		st, err := m.Status(t, now)
		if err != nil {
			st = nil // a clock the policy cannot time has no due-soon window (as in project)
		}
		w.plan = planOf(t, st)
		w.backfill = w.plan.encode()
	}
	n := now.UnixNano()
	for _, c := range w.plan.Clocks {
		var kind, topic string
		switch {
		case c.Due == 0 || n >= c.Due:
			kind, topic = "overdue", notify.TopicOverdue
		case c.Soon != 0 && n >= c.Soon:
			kind, topic = "due_soon", notify.TopicDueSoon
		default:
			continue
		}
		due := fromNanos(c.Due)
		nt := rowNotice(row, topic)
		nt.Clock, nt.Due, nt.Provisional, nt.To = c.Key, due, c.Prov, rowRecipients(row, w.plan.Co)
		w.notices = append(w.notices, newNotice(noticeID(row.ID, kind, c.Key, strconv.FormatInt(micros(due), 10)), nt, now))
		w.kinds = append(w.kinds, kind)
	}
	if callback[row.State] {
		nt := rowNotice(row, notify.TopicCallbackDue)
		nt.To = []notify.Recipient{{Role: notify.ToHotlineOffice, Region: row.RegionCode}}
		w.notices = append(w.notices, newNotice(noticeID(row.ID, "callback_due", strconv.Itoa(row.Replies)), nt, now))
		w.kinds = append(w.kinds, "callback_due")
	}
	return w, nil
}

// rowNotice is baseNotice from the projection row of the ticket: its number, state, version, lead
// unit and region are columns of the row.
func rowNotice(row sweepRow, topic string) notify.Notice {
	return notify.Notice{Ticket: row.ID, Number: row.Number, Topic: topic, State: row.State, Version: row.Version,
		Lead: row.LeadUnit, Region: row.RegionCode}
}

// rowRecipients is handlingUnits(t, true) from the row's lead unit and the plan's co-handling units.
func rowRecipients(row sweepRow, co []string) []notify.Recipient {
	if row.LeadUnit == "" && len(co) == 0 {
		return []notify.Recipient{{Role: notify.ToHotlineOffice, Region: row.RegionCode}}
	}
	out := make([]notify.Recipient, 0, len(co)+2)
	if row.LeadUnit != "" {
		out = append(out, notify.Recipient{Role: notify.ToHandlingUnit, Unit: row.LeadUnit})
	}
	for _, u := range co {
		out = append(out, notify.Recipient{Role: notify.ToHandlingUnit, Unit: u})
	}
	first := row.LeadUnit
	if first == "" {
		first = co[0]
	}
	return append(out, notify.Recipient{Role: notify.ToLeader, Unit: first})
}

// callbackStates maps the text of each lifecycle state to whether a ticket in it awaits the hotline
// office's callback under deadline policy pol (awaitingCallback).
func callbackStates(pol deadline.Policy) map[string]bool {
	out := map[string]bool{}
	for _, st := range ticket.States() {
		out[text(st)] = awaitingCallback(&ticket.Ticket{State: st}, pol)
	}
	return out
}

// urge applies the system's urging to ticket id in tx, whose row the sweep holds, and returns the
// sweep plan of the urged ticket, or ok false when the lifecycle refuses (no urging in the ticket's
// state or under its policy).
func (s *Store) urge(ctx context.Context, tx bun.Tx, p Principal, m *ticket.Machine, id string, now time.Time) (plan sweepPlan, ok bool, err error) {
	l, err := s.load(ctx, tx, id, false)
	if err != nil {
		return plan, false, err
	}
	ev, err := m.Apply(l.t, ticket.Request{Actor: p.Actor, Role: ticket.RoleSystem, Action: ticket.ActionUrge}, now)
	var te *ticket.TransitionError
	if errors.As(err, &te) {
		return plan, false, nil
	}
	if err != nil {
		return plan, false, err
	}
	row := l.row
	row.Version++
	row.UpdatedUS = micros(now)
	if err := s.fillRow(&row, l.t, now); err != nil {
		return plan, false, err
	}
	upd := tx.NewUpdate().Model(&row).ExcludeColumn("id", "created_us", "source_platform", "upstream").
		Where("id = ? AND version = ?", id, row.Version-1)
	if err := s.writeChange(ctx, tx, p, id, l.t, ev, now, upd); err != nil {
		return plan, false, err
	}
	plan, err = decodePlan(row.SweepPlan)
	return plan, err == nil, err
}

// skipLocked locks the rows q reads, skipping rows another transaction holds, on the dialects that
// lock rows (PostgreSQL, MariaDB 10.6+, MySQL 8); a SQLite writer holds the whole database.
func (s *Store) skipLocked(q *bun.SelectQuery) *bun.SelectQuery {
	if s.dialect == SQLite {
		return q
	}
	return q.For("UPDATE SKIP LOCKED")
}

// byShard orders tickets by the audit shard of their id, then by id.
func byShard(a, b sweepRow) int {
	return cmp.Or(cmp.Compare(auditShard(a.ID), auditShard(b.ID)), cmp.Compare(a.ID, b.ID))
}
