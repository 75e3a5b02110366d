package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Sweep refreshes the due-soon (预警) and overdue (超期) flags of the projection at instant now, for
// at most limit tickets whose flags the clock has overtaken since their last write, and returns how
// many it changed (system only: the deadline sweeper). The flags are derived data: no event is
// written, one audit row records the sweep.
func (s *Store) Sweep(ctx context.Context, p Principal, now time.Time, limit int) (int, error) {
	if err := p.validate(); err != nil {
		return 0, err
	}
	if p.Role != RoleSystem {
		return 0, forbidden(p, "sweep deadlines")
	}
	if limit <= 0 || limit > 10000 {
		return 0, fmt.Errorf("%w: sweep batch %d outside 1–10000", ErrInvalid, limit)
	}
	us := micros(now)
	var ids []string
	if err := s.db.NewSelect().Model((*ticketRow)(nil)).Column("id").
		Where("(t.next_due_us <= ? AND t.overdue = 0) OR (t.due_soon_us <= ? AND t.next_due_us > ? AND t.due_soon = 0)", us, us, us).
		OrderExpr("t.next_due_us ASC").Limit(int64(limit)).Scan(ctx, &ids); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	changed := 0
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		changed = 0
		for _, id := range ids {
			l, err := s.load(ctx, tx, id, true)
			if err != nil {
				return err
			}
			fresh := l.row
			project(&fresh, l.t, s.machine, now)
			if fresh.Overdue == l.row.Overdue && fresh.DueSoon == l.row.DueSoon {
				continue
			}
			if _, err := tx.NewUpdate().Model((*ticketRow)(nil)).Set("overdue = ?", fresh.Overdue).Set("due_soon = ?", fresh.DueSoon).
				Where("id = ? AND version = ?", id, l.row.Version).Exec(ctx); err != nil {
				return err
			}
			changed++
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "ticket.sweep", "", "role="+string(p.Role), fmt.Sprintf("changed=%d", changed))
	})
	return changed, err
}
