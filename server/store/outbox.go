package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// OutboxMessage is a notification written in the same transaction as the change it announces; the
// outbox worker (server/outbox) claims it, delivers it and acknowledges it.
type OutboxMessage struct {
	ID       string
	Topic    string // e.g. "ticket.dispatch", "appeal.uphold"
	Subject  string // the ticket or case id
	Payload  []byte // JSON, ids and states only
	Created  time.Time
	Attempts int // deliveries tried before this one
	// Claim names the claim that took the message ([Store.ClaimOutbox]); a failure is recorded
	// only under it.
	Claim string
	// Dead is when the message was given up on (dead letters only), LastError why.
	Dead      time.Time
	LastError string
}

// maxLastError bounds the stored error text of a failed delivery (the column holds 500 characters).
const maxLastError = 500

// PendingOutbox returns up to limit unsent messages that are not dead letters, oldest first (system
// only). The worker uses [Store.ClaimOutbox], which several instances may call at once.
func (s *Store) PendingOutbox(ctx context.Context, p Principal, limit int) ([]OutboxMessage, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role != RoleSystem {
		return nil, forbidden(p, "read the outbox")
	}
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("%w: outbox batch %d outside 1–1000", ErrInvalid, limit)
	}
	var rows []noticeRow
	if err := s.db.NewSelect().Model(&rows).Where("sent_us IS NULL AND dead_us IS NULL").Order("created_us ASC", "id ASC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	return messages(rows), nil
}

func messages(rows []noticeRow) []OutboxMessage {
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = OutboxMessage{ID: r.ID, Topic: r.Topic, Subject: r.Subject, Payload: r.Payload, Created: fromMicros(r.CreatedUS), Attempts: r.Attempts}
		if r.Claim != nil {
			out[i].Claim = *r.Claim
		}
		if r.DeadUS != nil {
			out[i].Dead = fromMicros(*r.DeadUS)
		}
		if r.LastError != nil {
			out[i].LastError = *r.LastError
		}
	}
	return out
}

// MarkOutbox records a delivery attempt of message id: sent, or failed (counted, and tried again
// at once).
func (s *Store) MarkOutbox(ctx context.Context, p Principal, id string, sent bool, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleSystem {
		return forbidden(p, "mark outbox messages")
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*noticeRow)(nil)).Set("attempts = attempts + 1").Where("id = ? AND sent_us IS NULL", id)
		if sent {
			q = q.Set("sent_us = ?", micros(now)).Set("due_us = NULL").Set("claim = NULL")
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("%w: pending outbox message %s", ErrNotFound, id)
		}
		return nil
	})
}

// ClaimOutbox takes up to limit messages due at now — new ones, and failed ones whose back-off has
// passed — oldest due first, and claims them until now+lease (system only): another call, on this
// instance or another, does not take them before the lease runs out, so a message is delivered by
// one worker at a time, and one whose worker died is taken again after its lease. On PostgreSQL and
// MariaDB the rows are read with FOR UPDATE SKIP LOCKED, so concurrent claims do not wait on each
// other. Each claim counts as an attempt.
func (s *Store) ClaimOutbox(ctx context.Context, p Principal, limit int, lease time.Duration, now time.Time) ([]OutboxMessage, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role != RoleSystem {
		return nil, forbidden(p, "claim outbox messages")
	}
	switch {
	case limit <= 0 || limit > 1000:
		return nil, fmt.Errorf("%w: outbox batch %d outside 1–1000", ErrInvalid, limit)
	case lease <= 0:
		return nil, fmt.Errorf("%w: outbox lease %s is not positive", ErrInvalid, lease)
	case now.IsZero():
		return nil, fmt.Errorf("%w: zero time", ErrInvalid)
	}
	var out []OutboxMessage
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var rows []noticeRow
		q := tx.NewSelect().Model(&rows).Where("due_us <= ?", micros(now)).OrderExpr("due_us ASC").Limit(int64(limit))
		if err := s.skipLocked(q).Scan(ctx); err != nil {
			return err
		}
		if len(rows) == 0 {
			out = nil
			return nil
		}
		claim := newID()
		ids := make([]string, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
			rows[i].Claim = &claim
		}
		if _, err := tx.NewUpdate().Model((*noticeRow)(nil)).Set("due_us = ?", micros(now.Add(lease))).Set("claim = ?", claim).
			Set("attempts = attempts + 1").Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
			return err
		}
		out = messages(rows)
		return nil
	})
	return out, err
}

// AckOutbox records that the messages ids were delivered: they are sent and never tried again
// (system only). A message already sent is left as it is; a dead letter delivered after all is
// marked sent.
func (s *Store) AckOutbox(ctx context.Context, p Principal, ids []string, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleSystem {
		return forbidden(p, "acknowledge outbox messages")
	}
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > 1000 {
		return fmt.Errorf("%w: %d messages to acknowledge, at most 1000 at once", ErrInvalid, len(ids))
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*noticeRow)(nil)).Set("sent_us = ?", micros(now)).Set("due_us = NULL").
			Set("claim = NULL").Set("dead_us = NULL").Where("id IN (?) AND sent_us IS NULL", bun.In(ids)).Exec(ctx)
		return err
	})
}

// FailOutbox records a failed delivery of message id under claim (system only): it is tried again
// at retry, or, when retry is zero, given up on at now — a dead letter, kept with reason until
// [Store.RequeueOutbox]. A claim that is no longer the message's (its lease ran out and another
// worker took it) changes nothing.
func (s *Store) FailOutbox(ctx context.Context, p Principal, id, claim string, retry time.Time, reason string, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleSystem {
		return forbidden(p, "record outbox failures")
	}
	if len([]rune(reason)) > maxLastError {
		reason = string([]rune(reason)[:maxLastError])
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*noticeRow)(nil)).Set("last_error = ?", reason).Set("claim = NULL").
			Where("id = ? AND claim = ? AND sent_us IS NULL", id, claim)
		if retry.IsZero() {
			q = q.Set("due_us = NULL").Set("dead_us = ?", micros(now))
		} else {
			q = q.Set("due_us = ?", micros(retry))
		}
		_, err := q.Exec(ctx)
		return err
	})
}

// DeadOutbox returns up to limit dead letters, most recent first (system and admin).
func (s *Store) DeadOutbox(ctx context.Context, p Principal, limit int) ([]OutboxMessage, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role != RoleSystem && p.Role != RoleAdmin {
		return nil, forbidden(p, "read the dead letters")
	}
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("%w: outbox batch %d outside 1–1000", ErrInvalid, limit)
	}
	var rows []noticeRow
	if err := s.db.NewSelect().Model(&rows).Where("dead_us IS NOT NULL").OrderExpr("dead_us DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	return messages(rows), nil
}

// RequeueOutbox makes dead letter id pending again, due at now with its attempts reset (system and
// admin; audited): for a receiver that was fixed.
func (s *Store) RequeueOutbox(ctx context.Context, p Principal, id string, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleSystem && p.Role != RoleAdmin {
		return forbidden(p, "requeue dead letters")
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*noticeRow)(nil)).Set("dead_us = NULL").Set("due_us = ?", micros(now)).Set("attempts = 0").
			Where("id = ? AND dead_us IS NOT NULL", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("%w: dead letter %s", ErrNotFound, id)
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "outbox.requeue", id, "role="+string(p.Role))
	})
}

// OutboxStats is the state of the outbox at an instant.
type OutboxStats struct {
	// Pending counts the messages not yet delivered nor given up on; Oldest is when the oldest of
	// them was written (zero when none).
	Pending int
	Oldest  time.Time
	// Dead counts the dead letters.
	Dead int
}

// OutboxStats counts the pending messages and the dead letters (system and admin), through the
// indexes on their instants.
func (s *Store) OutboxStats(ctx context.Context, p Principal) (OutboxStats, error) {
	if err := p.validate(); err != nil {
		return OutboxStats{}, err
	}
	if p.Role != RoleSystem && p.Role != RoleAdmin {
		return OutboxStats{}, forbidden(p, "read the outbox")
	}
	var st OutboxStats
	var oldest *int64
	if err := s.db.NewSelect().Model((*noticeRow)(nil)).ColumnExpr("COUNT(*)").ColumnExpr("MIN(created_us)").
		Where("due_us IS NOT NULL").Scan(ctx, &st.Pending, &oldest); err != nil {
		return OutboxStats{}, err
	}
	if oldest != nil {
		st.Oldest = fromMicros(*oldest)
	}
	if err := s.db.NewSelect().Model((*noticeRow)(nil)).ColumnExpr("COUNT(*)").Where("dead_us IS NOT NULL").Scan(ctx, &st.Dead); err != nil {
		return OutboxStats{}, err
	}
	return st, nil
}

// PurgeOutbox deletes the messages delivered before before and returns how many (system and admin).
// Dead letters are kept until requeued.
func (s *Store) PurgeOutbox(ctx context.Context, p Principal, before time.Time) (int64, error) {
	if err := p.validate(); err != nil {
		return 0, err
	}
	if p.Role != RoleSystem && p.Role != RoleAdmin {
		return 0, forbidden(p, "purge the outbox")
	}
	res, err := s.db.NewDelete().Model((*noticeRow)(nil)).Where("sent_us IS NOT NULL AND sent_us < ?", micros(before)).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
