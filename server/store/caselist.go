package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// CaseSummary is an appeal, objection or reconsideration as a unit's list shows it: no request text.
type CaseSummary struct {
	ID, Family, TicketID, Unit, State string
	Created, Updated                  time.Time
	Version                           int64
}

// UnitCases lists the cases about unit filed in [from, to), newest first, at most limit (1–500),
// as p may see them: a handling unit only its own and its subordinates' (another unit's list is
// empty), the hotline office, supervisors, auditors and the system every unit's; an admin none.
func (s *Store) UnitCases(ctx context.Context, p Principal, unit string, from, to time.Time, limit int) ([]CaseSummary, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role == RoleAdmin {
		return nil, forbidden(p, "read cases")
	}
	if limit <= 0 || limit > 500 {
		return nil, fmt.Errorf("%w: limit %d outside 1–500", ErrInvalid, limit)
	}
	var out []CaseSummary
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if p.Role == RoleHandlingUnit {
			units, err := s.subtree(ctx, tx, p.Unit)
			if err != nil {
				return err
			}
			if !slices.Contains(units, unit) {
				return nil
			}
		}
		var rows []caseRow
		if err := tx.NewSelect().Model(&rows).ExcludeColumn("snapshot").
			Where("c.unit_id = ? AND c.created_us >= ? AND c.created_us < ?", unit, micros(from), micros(to)).
			OrderExpr("c.created_us DESC, c.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
			return err
		}
		for _, r := range rows {
			cs := CaseSummary{ID: r.ID, Family: r.Family, Unit: r.UnitID, State: r.State, Version: r.Version,
				Created: fromMicros(r.CreatedUS), Updated: fromMicros(r.UpdatedUS)}
			if r.TicketID != nil {
				cs.TicketID = *r.TicketID
			}
			out = append(out, cs)
		}
		return nil
	})
	return out, err
}
