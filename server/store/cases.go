package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/appeal"
)

// CaseRecord is an appeal, objection or reconsideration as stored: its family, version and the
// machine rebuilt from its history.
type CaseRecord struct {
	ID      string
	Family  string
	Version int64
	Machine procedure
}

// FileAppeal files a bad-review appeal (000 第六条), FileObjection a responsibility objection (000
// 第七条) and FileReconsideration a citizen's reconsideration: each runs the appeal package's filing
// and stores the request, the filing event, an outbox row and the audit row in one transaction. The
// actor's unit, when set, must be the principal's.
func (s *Store) FileAppeal(ctx context.Context, p Principal, req appeal.Request, by appeal.Actor, now time.Time) (CaseRecord, error) {
	return s.fileCase(ctx, p, FamilyAppeal, req, by, now)
}

// FileObjection files a responsibility objection; see [Store.FileAppeal].
func (s *Store) FileObjection(ctx context.Context, p Principal, req appeal.ObjectionRequest, by appeal.Actor, now time.Time) (CaseRecord, error) {
	return s.fileCase(ctx, p, FamilyObjection, req, by, now)
}

// FileReconsideration files a reconsideration; see [Store.FileAppeal].
func (s *Store) FileReconsideration(ctx context.Context, p Principal, req appeal.ReconsiderationRequest, by appeal.Actor, now time.Time) (CaseRecord, error) {
	return s.fileCase(ctx, p, FamilyReconsideration, req, by, now)
}

func (s *Store) checkCaseActor(p Principal, by appeal.Actor) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role == RoleAuditor || p.Role == RoleAdmin {
		return forbidden(p, "act on appeals")
	}
	if u := actorUnit(by); u != "" && u != p.Unit && p.Role != RoleSystem {
		return forbidden(p, fmt.Sprintf("act for unit %q", u))
	}
	return nil
}

func (s *Store) fileCase(ctx context.Context, p Principal, family string, req any, by appeal.Actor, now time.Time) (CaseRecord, error) {
	if err := s.checkCaseActor(p, by); err != nil {
		return CaseRecord{}, err
	}
	m, ticketID, err := fileCase(s.appeals, family, req, by, now)
	if err != nil {
		return CaseRecord{}, err
	}
	if err := s.requireCaseAttachments(ctx, p, family, req); err != nil {
		return CaseRecord{}, err
	}
	reqJSON, err := json.Marshal(req)
	if err != nil {
		return CaseRecord{}, err
	}
	id := newID()
	unit := p.Unit
	if unit == "" {
		unit = actorUnit(by)
	}
	row := caseRow{ID: id, Family: family, UnitID: unit, State: caseState(m), Version: 1, Snapshot: reqJSON,
		CreatedUS: micros(now), UpdatedUS: micros(now)}
	if ticketID != "" {
		row.TicketID = &ticketID
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		return s.writeCaseEvent(ctx, tx, p, id, family, m.History()[0], 1, now)
	})
	if err != nil {
		return CaseRecord{}, err
	}
	return CaseRecord{ID: id, Family: family, Version: 1, Machine: m}, nil
}

func (s *Store) writeCaseEvent(ctx context.Context, tx bun.Tx, p Principal, id, family string, e appeal.Event, version int64, now time.Time) error {
	er, err := encodeCaseEvent(id, e)
	if err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(&er).Exec(ctx); err != nil {
		if isUnique(err) {
			return &VersionError{ID: id, Given: version - 1, Current: version}
		}
		return err
	}
	payload, _ := json.Marshal(map[string]any{"case": id, "family": family, "action": er.Action, "version": version})
	if _, err := tx.NewInsert().Model(&outboxRow{ID: newID(), Topic: family + "." + er.Action, Subject: id,
		Payload: payload, CreatedUS: micros(now)}).Exec(ctx); err != nil {
		return err
	}
	return s.appendAudit(ctx, tx, now, p.Actor, family+"."+er.Action, id, "role="+string(p.Role), "unit="+p.Unit,
		"by="+er.Actor, fmt.Sprintf("version=%d", version))
}

// caseVisible reports whether p may see case row. Admins see none; every other role but a handling
// unit sees every case. A handling unit sees the cases of its unit and the units below it (the
// unit's own appeals and objections), an objection that names it (or a unit below it) as the
// suggested unit — which may object in turn (000 §7 (二): "建议承办单位"如提出异议) — and a
// reconsideration of a ticket it or a unit below it handles now: the hotline office or the citizen
// files it (002 §6 (二) 3), and it concerns the handling, so its visibility follows the ticket's
// handlers. Another unit's appeal stays that unit's, whoever handles the ticket later.
func (s *Store) caseVisible(ctx context.Context, db bun.IDB, p Principal, row caseRow) (bool, error) {
	if p.Role == RoleAdmin {
		return false, nil
	}
	if p.Role != RoleHandlingUnit {
		return true, nil
	}
	units, err := s.subtree(ctx, db, p.Unit)
	if err != nil {
		return false, err
	}
	if slices.Contains(units, row.UnitID) {
		return true, nil
	}
	if row.Family == FamilyObjection {
		var q struct {
			SuggestedUnit string `json:"suggested_unit"`
		}
		if err := json.Unmarshal(row.Snapshot, &q); err != nil {
			return false, &CorruptError{Table: "cases", Key: row.ID, Err: err}
		}
		if q.SuggestedUnit != "" && slices.Contains(units, q.SuggestedUnit) {
			return true, nil
		}
	}
	if row.Family != FamilyReconsideration || row.TicketID == nil || *row.TicketID == "" {
		return false, nil
	}
	tid, err := s.ticketByRef(ctx, db, *row.TicketID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	n, err := db.NewSelect().Model((*ticketUnitRow)(nil)).Where("ticket_id = ? AND unit_id IN (?)", tid, bun.In(units)).Count(ctx)
	if err != nil {
		return false, err
	}
	return n > 0, nil
}

func (s *Store) loadCase(ctx context.Context, db bun.IDB, p Principal, id string, lock bool) (caseRow, procedure, error) {
	var row caseRow
	q := db.NewSelect().Model(&row).Where("id = ?", id)
	if lock {
		q = s.forUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return row, nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
		}
		return row, nil, err
	}
	ok, err := s.caseVisible(ctx, db, p, row)
	if err != nil {
		return row, nil, err
	}
	if !ok {
		return row, nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	var evs []caseEventRow
	if err := db.NewSelect().Model(&evs).Where("case_id = ?", id).Order("seq ASC").Scan(ctx); err != nil {
		return row, nil, err
	}
	history := make([]appeal.Event, len(evs))
	for i, r := range evs {
		e, err := decodeCaseEvent(r)
		if err != nil {
			return row, nil, err
		}
		history[i] = e
	}
	m, err := replayCase(s.appeals, row.Family, row.Snapshot, history)
	if err != nil {
		return row, nil, &CorruptError{Table: "cases", Key: id, Err: err}
	}
	return row, m, nil
}

// GetCase returns case id rebuilt from its history, if p may see it.
func (s *Store) GetCase(ctx context.Context, p Principal, id string) (CaseRecord, error) {
	if err := p.validate(); err != nil {
		return CaseRecord{}, err
	}
	var rec CaseRecord
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row, m, err := s.loadCase(ctx, tx, p, id, false)
		if err != nil {
			return err
		}
		rec = CaseRecord{ID: id, Family: row.Family, Version: row.Version, Machine: m}
		return nil
	})
	return rec, err
}

// ApplyCase applies action a by actor by to case id at version; a stale version is a *VersionError
// with the current one. It returns the case and the effects the caller must apply to the ticket or
// the reviews (the appeal package's [appeal.Effect]s).
func (s *Store) ApplyCase(ctx context.Context, p Principal, id string, version int64, a appeal.Action, by appeal.Actor, now time.Time) (CaseRecord, []appeal.Effect, error) {
	if err := s.checkCaseActor(p, by); err != nil {
		return CaseRecord{}, nil, err
	}
	var rec CaseRecord
	var effects []appeal.Effect
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row, m, err := s.loadCase(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		if row.Version != version {
			return &VersionError{ID: id, Given: version, Current: row.Version}
		}
		effects, err = m.Apply(a, by, now)
		if err != nil {
			return err
		}
		h := m.History()
		res, err := tx.NewUpdate().Model((*caseRow)(nil)).Set("state = ?", caseState(m)).Set("version = ?", version+1).
			Set("updated_us = ?", micros(now)).Where("id = ? AND version = ?", id, version).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &VersionError{ID: id, Given: version, Current: version + 1}
		}
		rec = CaseRecord{ID: id, Family: row.Family, Version: version + 1, Machine: m}
		return s.writeCaseEvent(ctx, tx, p, id, row.Family, h[len(h)-1], version+1, now)
	})
	return rec, effects, err
}
