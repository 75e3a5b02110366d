package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/ticket"
)

// CasePlan is what a decision's effects ask of the store's records, as the caller planned it from
// them (the reference server plans with server/loop.PlanEffects): the reviews to void and the
// ticket requests to apply to the case's ticket, in order.
type CasePlan struct {
	// VoidReviews are the reviews found unfounded (不属实评价, 000 §6 (二)).
	VoidReviews []string
	// VoidReason is recorded with each void; empty means appeal.UnfoundedReview.
	VoidReason string
	// Steps are applied in order to the case's ticket through the ticket lifecycle, each with its own
	// actor and role: the party the effect names carries it out.
	Steps []ticket.Request
}

// Planner turns the effects of a decision on the case's ticket into a [CasePlan]. t is the ticket as
// stored, read and locked in the decision's transaction (the planner must not keep it); c is the case
// after the decision.
type Planner func(t *ticket.Ticket, c CaseRecord, effects []appeal.Effect) (CasePlan, error)

// CaseDecision is what [Store.DecideCase] stored.
type CaseDecision struct {
	Case    CaseRecord
	Effects []appeal.Effect
	// TicketID and TicketVersion are the case's ticket and its version after the steps, when the
	// effects touched it ("" and 0 otherwise).
	TicketID      string
	TicketVersion int64
	// Events are the ticket events the steps stored, in order, without the citizen's identity.
	Events []ticket.Event
	// Voided are the reviews this decision voided; a review already void is left as it is.
	Voided []string
}

// DecideCase applies action a by actor by to case id at version, as [Store.ApplyCase] does, and
// carries out its effects in the same transaction: when the action has effects, plan is called with
// the case's ticket (found by the number the case's TicketRef names, or by its ID) and the effects,
// and the reviews it names are voided and its ticket requests applied through the ticket lifecycle.
// Everything is written, or nothing: a refused step (the lifecycle's *ticket.TransitionError), a plan
// the effects do not fit, a review that does not exist, or a stale version leaves the case, the
// ticket and the reviews as they were.
//
// The steps keep the actor and role the plan gives them (the party the effect names: the unit
// closing its ticket as unfounded, the hotline office reopening it); the audit rows name p, who
// took the decision. Audit rows of more than one subject are appended in ascending shard order, so
// two such transactions cannot deadlock on the chain's heads.
func (s *Store) DecideCase(ctx context.Context, p Principal, id string, version int64, a appeal.Action, by appeal.Actor, plan Planner, now time.Time) (CaseDecision, error) {
	if err := s.checkCaseActor(p, by); err != nil {
		return CaseDecision{}, err
	}
	var out CaseDecision
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		out = CaseDecision{}
		row, m, err := s.loadCase(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		if row.Version != version {
			return &VersionError{ID: id, Given: version, Current: row.Version}
		}
		effects, err := m.Apply(a, by, now)
		if err != nil {
			return err
		}
		rec := CaseRecord{ID: id, Family: row.Family, Version: version + 1, Machine: m}
		out.Case, out.Effects = rec, effects
		h := m.History()
		groups := []writeGroup{{auditShard(id), func() error {
			res, err := tx.NewUpdate().Model((*caseRow)(nil)).Set("state = ?", caseState(m)).Set("version = ?", version+1).
				Set("updated_us = ?", micros(now)).Where("id = ? AND version = ?", id, version).Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return &VersionError{ID: id, Given: version, Current: version + 1}
			}
			return s.writeCaseEvent(ctx, tx, p, id, row.Family, h[len(h)-1], version+1, now)
		}}}
		if len(effects) > 0 && plan != nil {
			more, err := s.planCase(ctx, tx, p, row, rec, effects, plan, now, &out)
			if err != nil {
				return err
			}
			groups = append(groups, more...)
		}
		slices.SortStableFunc(groups, func(x, y writeGroup) int { return x.shard - y.shard })
		for _, g := range groups {
			if err := g.write(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return CaseDecision{}, err
	}
	return out, nil
}

// writeGroup is the writes about one audit subject, ending in its audit row.
type writeGroup struct {
	shard int
	write func() error
}

// planCase loads the case's ticket, asks plan what the effects require, checks it against the
// lifecycle and the reviews, and returns the writes that carry it out (each ending in its audit row).
func (s *Store) planCase(ctx context.Context, tx bun.Tx, p Principal, row caseRow, rec CaseRecord, effects []appeal.Effect,
	plan Planner, now time.Time, out *CaseDecision) ([]writeGroup, error) {
	if row.TicketID == nil || *row.TicketID == "" {
		return nil, fmt.Errorf("%w: case %s names no ticket for its effects", ErrInvalid, row.ID)
	}
	tid, err := s.ticketByRef(ctx, tx, *row.TicketID)
	if err != nil {
		return nil, err
	}
	l, err := s.load(ctx, tx, tid, true)
	if err != nil {
		return nil, err
	}
	return s.planLoaded(ctx, tx, p, row, rec, tid, l, effects, plan, now, out)
}

// planLoaded is planCase on the case's ticket tid, already loaded and locked as l.
func (s *Store) planLoaded(ctx context.Context, tx bun.Tx, p Principal, row caseRow, rec CaseRecord, tid string, l loaded,
	effects []appeal.Effect, plan Planner, now time.Time, out *CaseDecision) ([]writeGroup, error) {
	cp, err := plan(l.t, rec, effects)
	if err != nil {
		return nil, err
	}
	var groups []writeGroup
	reason := cp.VoidReason
	if reason == "" {
		reason = appeal.UnfoundedReview
	}
	if len(reason) > 500 {
		return nil, fmt.Errorf("%w: a void's reason is at most 500 bytes", ErrInvalid)
	}
	for _, rid := range cp.VoidReviews {
		if slices.Contains(out.Voided, rid) {
			continue
		}
		var r reviewRow
		if err := tx.NewSelect().Model(&r).Column("id").Where("id = ?", rid).Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("%w: review %s named by case %s", ErrNotFound, rid, row.ID)
			}
			return nil, err
		}
		n, err := tx.NewSelect().Model((*reviewVoidRow)(nil)).Where("review_id = ?", rid).Count(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			continue // already void: it is out of the scores either way
		}
		out.Voided = append(out.Voided, rid)
		groups = append(groups, writeGroup{auditShard(rid), func() error {
			if _, err := tx.NewInsert().Model(&reviewVoidRow{ReviewID: rid, Actor: p.Actor, Reason: reason, AtUS: micros(now)}).Exec(ctx); err != nil {
				return err
			}
			return s.appendAudit(ctx, tx, now, p.Actor, "review.void", rid, "role="+string(p.Role), "unit="+p.Unit, "case="+row.ID)
		}})
	}
	if len(cp.Steps) == 0 {
		return groups, nil
	}
	var events []ticket.Event
	for _, r := range cp.Steps {
		ev, err := s.machine.Apply(l.t, r, now)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	trow := l.row
	trow.Version = l.row.Version + int64(len(events))
	trow.UpdatedUS = micros(now)
	if err := s.fillRow(&trow, l.t, now); err != nil {
		return nil, err
	}
	out.TicketID, out.TicketVersion = tid, trow.Version
	for _, ev := range events {
		out.Events = append(out.Events, strippedEvent(ev))
	}
	groups = append(groups, writeGroup{auditShard(tid), func() error {
		upd := tx.NewUpdate().Model(&trow).ExcludeColumn("id", "created_us", "source_platform", "upstream").
			Where("id = ? AND version = ?", tid, l.row.Version)
		for i, ev := range events {
			var first []query
			if i == 0 {
				first = []query{upd}
			}
			if err := s.writeChange(ctx, tx, p, tid, l.t, ev, now, first...); err != nil {
				return err
			}
		}
		return nil
	}})
	return groups, nil
}

// ticketByRef finds the store ID of the ticket a case's TicketRef names: its number (what
// server/loop.TicketRef gives) or, failing that, its ID.
func (s *Store) ticketByRef(ctx context.Context, db bun.IDB, ref string) (string, error) {
	var ids []string
	if err := db.NewSelect().Table("tickets").Column("id").Where("number = ? OR id = ?", ref, ref).Limit(2).Scan(ctx, &ids); err != nil {
		return "", err
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("%w: ticket %s", ErrNotFound, ref)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("%w: ticket reference %s names %s", ErrInvalid, ref, strings.Join(ids, " and "))
}

// ApplyDesignation carries out, on ticket id at version, the designation the designating authority
// decided after the suggested unit of an upheld objection objected in turn (000 §7 (二): "建议承办单位"
// 如提出异议，由市政府办公厅指定办理). The objection is the newest one on the ticket in state referred
// whose [appeal.Designate] effect names the unit holding the ticket as the disputing unit; none is
// ErrNotFound. plan (the reference server plans with server/loop.PlanEffects and the authority's
// designation) turns the effect into the disputing unit's return naming the designated unit and the
// authority's designation — the only steps accepted: anything else is ErrForbidden — and they are
// applied through the ticket lifecycle in one transaction, with an audit row on the objection naming
// p as the recorder. p, a hotline office (in its jurisdiction) or the system, records the decision on
// the authority's behalf, as [Store.ApplyOnBehalf] does; a stale version is a *VersionError. The
// objection itself is unchanged (its procedure ends at referred).
func (s *Store) ApplyDesignation(ctx context.Context, p Principal, id string, version int64, plan Planner, now time.Time) (CaseDecision, error) {
	if err := p.validate(); err != nil {
		return CaseDecision{}, err
	}
	if p.Role != RoleHotlineOffice && p.Role != RoleSystem {
		return CaseDecision{}, forbidden(p, "record a designation on the designating authority's behalf")
	}
	if plan == nil {
		return CaseDecision{}, fmt.Errorf("%w: a designation needs a planner", ErrInvalid)
	}
	var out CaseDecision
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		out = CaseDecision{}
		l, err := s.lockForChange(ctx, tx, p, id, version)
		if err != nil {
			return err
		}
		row, rec, effects, err := s.referredObjection(ctx, tx, p, id, l.t)
		if err != nil {
			return err
		}
		out.Case, out.Effects = rec, effects
		checked := func(t *ticket.Ticket, c CaseRecord, effects []appeal.Effect) (CasePlan, error) {
			cp, err := plan(t, c, effects)
			if err != nil {
				return CasePlan{}, err
			}
			if len(cp.VoidReviews) > 0 {
				return CasePlan{}, fmt.Errorf("%w: a designation voids no review", ErrForbidden)
			}
			for i, r := range cp.Steps {
				switch {
				case r.Action == ticket.ActionDesignate && onBehalfRoles[r.Role]:
				case i == 0 && r.Action == ticket.ActionReturn && r.Role == ticket.RoleHandlingUnit && r.Actor == t.Assignment.Lead:
				default:
					return CasePlan{}, fmt.Errorf("%w: a designation applies the disputing unit's return and the authority's designation only, not %q by %q",
						ErrForbidden, text(r.Action), text(r.Role))
				}
			}
			return cp, nil
		}
		groups, err := s.planLoaded(ctx, tx, p, row, rec, id, l, effects, checked, now, &out)
		if err != nil {
			return err
		}
		lead := ""
		if len(out.Events) > 0 {
			if d := out.Events[len(out.Events)-1].Payload.Dispatch; d != nil {
				lead = d.Lead
			}
		}
		groups = append(groups, writeGroup{auditShard(row.ID), func() error {
			return s.appendAudit(ctx, tx, now, p.Actor, FamilyObjection+".designation", row.ID, "role="+string(p.Role), "unit="+p.Unit,
				"ticket="+id, "designated="+lead, fmt.Sprintf("ticket_version=%d", max(out.TicketVersion, version)))
		}})
		slices.SortStableFunc(groups, func(x, y writeGroup) int { return x.shard - y.shard })
		for _, g := range groups {
			if err := g.write(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return CaseDecision{}, err
	}
	return out, nil
}

// referredObjection finds the newest objection on ticket id (t) in state referred whose designation
// effect names the unit holding t as the disputing unit, and returns it with that effect.
func (s *Store) referredObjection(ctx context.Context, tx bun.Tx, p Principal, id string, t *ticket.Ticket) (caseRow, CaseRecord, []appeal.Effect, error) {
	none := fmt.Errorf("%w: ticket %s has no objection awaiting designation by its holder %q (000 §7 (二))", ErrNotFound, id, t.Assignment.Lead)
	if t.Assignment.Lead == "" {
		return caseRow{}, CaseRecord{}, nil, none
	}
	var ids []string
	if err := tx.NewSelect().Model((*caseRow)(nil)).Column("id").
		Where("family = ? AND state = ? AND ticket_id IN (?)", FamilyObjection, string(appeal.StateReferred), bun.In([]string{t.Number.String(), id})).
		Order("created_us DESC", "id DESC").Scan(ctx, &ids); err != nil {
		return caseRow{}, CaseRecord{}, nil, err
	}
	for _, cid := range ids {
		row, m, err := s.loadCase(ctx, tx, p, cid, true)
		if err != nil {
			return caseRow{}, CaseRecord{}, nil, err
		}
		h := m.History()
		var effects []appeal.Effect
		for _, e := range h[len(h)-1].Effects {
			if d, ok := e.(appeal.Designate); ok && d.Disputing == t.Assignment.Lead {
				effects = append(effects, d)
			}
		}
		if len(effects) > 0 {
			return row, CaseRecord{ID: cid, Family: row.Family, Version: row.Version, Machine: m}, effects, nil
		}
	}
	return caseRow{}, CaseRecord{}, nil, none
}
