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
	var res ApplyResult
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sc, err := s.scopeOf(ctx, tx, p)
		if err != nil {
			return err
		}
		l, err := s.load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !sc.sees(l.row.RegionCode, handlers(l.t)) {
			return fmt.Errorf("%w: ticket %s", ErrNotFound, id)
		}
		if l.row.Version != version {
			return &VersionError{ID: id, Given: version, Current: l.row.Version}
		}
		ev, err := s.machine.Apply(l.t, r, now)
		if err != nil {
			return err
		}
		row := l.row
		row.Version = version + 1
		row.UpdatedUS = micros(now)
		if err := s.fillRow(&row, l.t, now); err != nil {
			return err
		}
		upd := tx.NewUpdate().Model(&row).ExcludeColumn("id", "created_us", "source_platform", "upstream").
			Where("id = ? AND version = ?", id, version)
		if err := s.writeChange(ctx, tx, p, id, l.t, ev, now, upd); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, tx, now, p.Actor, "ticket.on_behalf", id, "role="+string(p.Role), "unit="+p.Unit,
			fmt.Sprintf("version=%d", row.Version), "action="+text(r.Action), "decided_by_role="+text(r.Role)); err != nil {
			return err
		}
		res = ApplyResult{Version: row.Version, Event: strippedEvent(ev)}
		return nil
	})
	return res, err
}
