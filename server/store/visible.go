package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// loadVisible loads ticket id as p may see it, for update when lock is set: a ticket outside p's
// scope is ErrNotFound, as if it did not exist. Every read of one ticket on behalf of a principal
// starts here.
func (s *Store) loadVisible(ctx context.Context, db bun.IDB, p Principal, id string, lock bool) (loaded, error) {
	sc, err := s.scopeOf(ctx, db, p)
	if err != nil {
		return loaded{}, err
	}
	l, err := s.load(ctx, db, id, lock)
	if err != nil {
		return loaded{}, err
	}
	if !sc.sees(l.row.RegionCode, handlers(l.t)) {
		return loaded{}, fmt.Errorf("%w: ticket %s", ErrNotFound, id)
	}
	return l, nil
}
