package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/ticket"
)

// CallerTickets returns the tickets p may see raised by the same caller — the same mobile number, or
// the same ID number or credit code — newest first, at most limit: what repeat detection (重复件)
// needs. The lookup goes through the keyed blind indexes; no plaintext is compared or stored.
func (s *Store) CallerTickets(ctx context.Context, p Principal, caller ticket.Person, limit int, now time.Time) ([]Summary, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if err := s.haveKeys(); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		return nil, fmt.Errorf("%w: limit %d outside 1–500", ErrInvalid, limit)
	}
	phone, id := identityOf(caller)
	if phone == "" && id == "" {
		return nil, fmt.Errorf("%w: the caller has no phone, ID number or credit code", ErrInvalid)
	}
	var out []Summary
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sc, err := s.scopeOf(ctx, tx, p)
		if err != nil {
			return err
		}
		var rows []ticketRow
		q := tx.NewSelect().Model(&rows).ExcludeColumn("snapshot", "identity", "caller_phone_bi", "caller_id_bi")
		q = sc.apply(q).WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if phone != "" {
				q = q.WhereOr("t.caller_phone_bi = ?", s.keys.Index.Sum(biPhone, []byte(phone)))
			}
			if id != "" {
				q = q.WhereOr("t.caller_id_bi = ?", s.keys.Index.Sum(biID, []byte(id)))
			}
			return q
		})
		if err := q.OrderExpr("t.received_us DESC, t.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, summaryOf(r))
		}
		return nil
	})
	return out, err
}
