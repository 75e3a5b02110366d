package store

// This file holds what the server's intake loop and its lifecycle endpoints need from the store
// besides Intake, Apply and Get: the machine, the role mapping, the intake's answer kept with its
// idempotency key, and actions recorded on behalf of a role no credential carries.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/ticket"
)

// Machine returns the ticket lifecycle the store applies.
func (s *Store) Machine() *ticket.Machine { return s.machineOf() }

// TicketRole returns the lifecycle role a principal of role r acts in, and false for the roles that
// apply no transition (auditor, admin).
func TicketRole(r Role) (ticket.Role, bool) { return ticketRole(r) }

// SaveIntakeAnswer keeps answer as the result of the intake that p sent with idempotency key key and
// that stored ticket id, so that a retry with the key answers it again. answer must be a JSON object
// with the stored result's "id", "number" and "version" (so [Store.Intake] still reads it) and must
// hold no personal data: it is kept in clear, for the key's retention. A key that p did not use for
// ticket id is ErrNotFound.
func (s *Store) SaveIntakeAnswer(ctx context.Context, p Principal, key, id string, answer []byte) error {
	if err := p.validate(); err != nil {
		return err
	}
	var res IntakeResult
	if err := json.Unmarshal(answer, &res); err != nil || res.ID != id || res.Number == "" || res.Version < 1 {
		return fmt.Errorf("%w: the answer must be a JSON object naming ticket %s, its number and version", ErrInvalid, id)
	}
	r, err := s.db.NewUpdate().Model((*idemRow)(nil)).Set("result = ?", answer).
		Where("sender = ? AND idem_key = ? AND ticket_id = ?", senderOf(p), key, id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: idempotency key of ticket %s", ErrNotFound, id)
	}
	return nil
}

// IntakeAnswer returns the result kept for p's idempotency key key and the ticket it stored: what
// [Store.SaveIntakeAnswer] kept, or the stored result of [Store.Intake] when nothing was kept yet.
// A key not (or no longer) stored is ErrNotFound.
func (s *Store) IntakeAnswer(ctx context.Context, p Principal, key string) (answer []byte, id string, err error) {
	if err := p.validate(); err != nil {
		return nil, "", err
	}
	var r idemRow
	err = s.db.NewSelect().Model(&r).Column("ticket_id", "result").
		Where("sender = ? AND idem_key = ?", senderOf(p), key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("%w: idempotency key", ErrNotFound)
	}
	if err != nil {
		return nil, "", err
	}
	return r.Result, r.TicketID, nil
}

// onBehalfRoles are the lifecycle roles no credential carries, whose decisions the hotline office
// records: the leader in charge who designates a unit (004 §6 上报分管领导，由分管领导指定处置单位) or
// approves an extension, and the upper offices that approve escalated extensions (004 §9 第二款).
var onBehalfRoles = map[ticket.Role]bool{ticket.RoleLeader: true, ticket.RoleUpperOffice: true}

// ApplyOnBehalf applies r to ticket id at version as [Store.Apply] does, except that r's actor and
// role are those of the person who decided — a leader or an upper office, roles no credential
// carries — and p, a hotline office or the system, records the decision on their behalf. The event
// names r.Actor and r.Role; the audit chain names p as the recorder. Any other role in r is
// ErrForbidden.
func (s *Store) ApplyOnBehalf(ctx context.Context, p Principal, id string, version int64, r ticket.Request, now time.Time) (ApplyResult, error) {
	if err := p.validate(); err != nil {
		return ApplyResult{}, err
	}
	if p.Role != RoleHotlineOffice && p.Role != RoleSystem {
		return ApplyResult{}, forbidden(p, "record decisions on another's behalf")
	}
	if !onBehalfRoles[r.Role] {
		return ApplyResult{}, fmt.Errorf("%w: decisions are recorded on behalf of a leader or an upper office only, not %q", ErrForbidden, text(r.Role))
	}
	if strings.TrimSpace(r.Actor) == "" || len(r.Actor) > 128 {
		return ApplyResult{}, fmt.Errorf("%w: who decided (1–128 bytes) is required", ErrInvalid)
	}
	return s.applyRecorded(ctx, p, id, version, r, now)
}

// screeningActions are the screening decisions of 000 §4 (一) that the lifecycle gives to the hotline
// office alone — the return upstream of a 国办 item (退回国办) and the archive of a city item as a
// general suggestion — and that the system taking an item in records on the office's behalf, as the
// office's screening policy decided them.
var screeningActions = map[ticket.Action]bool{ticket.ActionReturnUpstream: true, ticket.ActionArchive: true}

// ApplyScreening applies r, the outcome of intake screening — a return upstream (000 §4 (一): 超出本市
// 事权范围或要素不全的事项, 5个工作日内退回) or an archive as a general suggestion — to ticket id at
// version, recorded by p on the hotline office's behalf. An item from the 国务院 platform may lie
// outside every office's jurisdiction (that is why it goes back): no office can take it in, so the
// receiving platform's system takes it in and returns it with its reason as the office's screening
// policy decided, within the 000 §4 window the lifecycle checks. The event names the hotline office's
// role and r.Actor; the audit chain names p as the recorder. p must be the system (an office applies
// its own decisions with [Store.Apply]); r must be one of those two actions in the hotline office's
// role, anything else is ErrForbidden.
func (s *Store) ApplyScreening(ctx context.Context, p Principal, id string, version int64, r ticket.Request, now time.Time) (ApplyResult, error) {
	if err := p.validate(); err != nil {
		return ApplyResult{}, err
	}
	switch {
	case p.Role != RoleSystem:
		return ApplyResult{}, forbidden(p, "record screening decisions on the hotline office's behalf")
	case r.Role != ticket.RoleHotlineOffice || !screeningActions[r.Action]:
		return ApplyResult{}, fmt.Errorf("%w: the system records only the hotline office's return upstream or archive at intake, not %q as %q",
			ErrForbidden, text(r.Action), text(r.Role))
	case strings.TrimSpace(r.Actor) == "" || len(r.Actor) > 128:
		return ApplyResult{}, fmt.Errorf("%w: who recorded (1–128 bytes) is required", ErrInvalid)
	}
	return s.applyRecorded(ctx, p, id, version, r, now)
}

// applyRecorded applies r as it is (its actor and role) to ticket id at version, recorded by p: the
// ticket must be in p's scope; the audit row names p as the recorder and r's role as the decider.
func (s *Store) applyRecorded(ctx context.Context, p Principal, id string, version int64, r ticket.Request, now time.Time) (ApplyResult, error) {
	res, _, err := s.applyStep(ctx, p, id, version, r, true, nil, now)
	return res, err
}

// IntakeStep is one step of what follows an intake's accept (server/loop.PlanIntake), for
// [Store.ApplyIntakeStep].
type IntakeStep struct {
	// Request is applied as [Store.Apply] applies it (the principal's actor and role); or, when its
	// role is a leader or an upper office, as [Store.ApplyOnBehalf] does; or, the principal being the
	// system and the request the hotline office's return upstream or archive, as
	// [Store.ApplyScreening] does.
	Request ticket.Request
	// Key and Answer, when Key is set, keep Answer as the intake's answer for its Idempotency-Key in
	// the step's own transaction, as [Store.SaveIntakeAnswer] does: the answer is kept if and only if
	// the step is stored. Answer must name the ticket, its number and the version after the step.
	Key    string
	Answer []byte
}

// ApplyIntakeStep applies step to ticket id at version, like the method its request calls for (see
// [IntakeStep]), and returns, besides what it stored, the ticket after it as [Store.Get] would return
// it to p — read in the step's transaction, so the caller needs no second read to answer the intake.
func (s *Store) ApplyIntakeStep(ctx context.Context, p Principal, id string, version int64, step IntakeStep, now time.Time) (ApplyResult, Record, error) {
	if err := p.validate(); err != nil {
		return ApplyResult{}, Record{}, err
	}
	r, recorded := step.Request, false
	switch {
	case onBehalfRoles[r.Role]:
		if p.Role != RoleHotlineOffice && p.Role != RoleSystem {
			return ApplyResult{}, Record{}, forbidden(p, "record decisions on another's behalf")
		}
		recorded = true
	case p.Role == RoleSystem && r.Role == ticket.RoleHotlineOffice && screeningActions[r.Action]:
		recorded = true
	default:
		role, ok := ticketRole(p.Role)
		if !ok {
			return ApplyResult{}, Record{}, forbidden(p, "change tickets")
		}
		r.Actor, r.Role = p.Actor, role
	}
	if recorded && (strings.TrimSpace(r.Actor) == "" || len(r.Actor) > 128) {
		return ApplyResult{}, Record{}, fmt.Errorf("%w: who decided (1–128 bytes) is required", ErrInvalid)
	}
	var answer query
	if step.Key != "" {
		var res IntakeResult
		if err := json.Unmarshal(step.Answer, &res); err != nil || res.ID != id || res.Number == "" || res.Version != version+1 {
			return ApplyResult{}, Record{}, fmt.Errorf("%w: the answer must be a JSON object naming ticket %s, its number and version %d", ErrInvalid, id, version+1)
		}
		answer = s.db.NewUpdate().Model((*idemRow)(nil)).Set("result = ?", step.Answer).
			Where("sender = ? AND idem_key = ? AND ticket_id = ?", senderOf(p), step.Key, id)
	}
	return s.applyStep(ctx, p, id, version, r, recorded, answer, now)
}

// applyStep applies r as it is to ticket id at version as p may (in p's scope), writes the change,
// an audit row naming p as the recorder when recorded, and answer (an update of the intake's kept
// answer, which must touch one row) in one transaction, and returns the ticket after it as Get would.
func (s *Store) applyStep(ctx context.Context, p Principal, id string, version int64, r ticket.Request, recorded bool, answer query, now time.Time) (ApplyResult, Record, error) {
	var res ApplyResult
	var rec Record
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row, t, ev, err := s.applyLocked(ctx, tx, p, id, version, r, now)
		if err != nil {
			return err
		}
		if recorded {
			if err := s.appendAudit(ctx, tx, now, p.Actor, "ticket.on_behalf", id, "role="+string(p.Role), "unit="+p.Unit,
				fmt.Sprintf("version=%d", row.Version), "action="+text(r.Action), "decided_by_role="+text(r.Role)); err != nil {
				return err
			}
		}
		if answer != nil {
			r, err := tx.ExecContext(ctx, answer.String())
			if err != nil {
				return err
			}
			if n, err := r.RowsAffected(); err == nil && n != 1 {
				return fmt.Errorf("%w: idempotency key of ticket %s", ErrNotFound, id)
			}
		}
		res = ApplyResult{Version: row.Version, Event: strippedEvent(ev)}
		rec = Record{ID: id, Version: row.Version, Ticket: t}
		if p.Role == RoleSupervisor || p.Role == RoleAuditor {
			rec.Ticket, rec.Masked = maskTicket(t), true
		}
		return nil
	})
	return res, rec, err
}
