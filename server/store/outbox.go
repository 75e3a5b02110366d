package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// OutboxMessage is a notification written in the same transaction as the change it announces; the
// outbox worker (the operations issue) delivers it and marks it sent.
type OutboxMessage struct {
	ID       string
	Topic    string // e.g. "ticket.dispatch", "appeal.uphold"
	Subject  string // the ticket or case id
	Payload  []byte // JSON, ids and states only
	Created  time.Time
	Attempts int
}

// PendingOutbox returns up to limit unsent messages, oldest first (system only).
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
	var rows []outboxRow
	if err := s.db.NewSelect().Model(&rows).Where("sent_us IS NULL").Order("created_us ASC", "id ASC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = OutboxMessage{ID: r.ID, Topic: r.Topic, Subject: r.Subject, Payload: r.Payload, Created: fromMicros(r.CreatedUS), Attempts: r.Attempts}
	}
	return out, nil
}

// MarkOutbox records a delivery attempt of message id: sent, or failed (counted for back-off).
func (s *Store) MarkOutbox(ctx context.Context, p Principal, id string, sent bool, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleSystem {
		return forbidden(p, "mark outbox messages")
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*outboxRow)(nil)).Set("attempts = attempts + 1").Where("id = ? AND sent_us IS NULL", id)
		if sent {
			q = q.Set("sent_us = ?", micros(now))
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
