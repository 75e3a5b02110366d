package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/routing"
)

// PutUnit creates or replaces a unit of the directory (admin only). The unit tree it forms decides
// which tickets a handling unit sees (its own and its subordinates'), and its areas decide a hotline
// office's jurisdiction.
func (s *Store) PutUnit(ctx context.Context, p Principal, u routing.Unit, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return forbidden(p, "change units")
	}
	if strings.TrimSpace(u.ID) == "" || len(u.ID) > 64 || len(u.Parent) > 64 || u.Parent == u.ID {
		return fmt.Errorf("%w: unit id must be 1–64 bytes and not its own parent", ErrInvalid)
	}
	row, err := encodeUnit(u, micros(now))
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*unitRow)(nil)).Where("id = ?", u.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		if err := s.bumpConfig(ctx, tx, "directory"); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "unit.put", u.ID, "role="+string(p.Role), "parent="+u.Parent)
	})
}

// Units returns every unit of the directory, ordered by id.
func (s *Store) Units(ctx context.Context, p Principal) ([]routing.Unit, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	var out []routing.Unit
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var rows []unitRow
		if err := tx.NewSelect().Model(&rows).Order("id ASC").Scan(ctx); err != nil {
			return err
		}
		out = make([]routing.Unit, 0, len(rows))
		for _, r := range rows {
			u, err := decodeUnit(r)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

type configRow struct {
	bun.BaseModel `bun:"table:config_versions"`
	Name          string `bun:"name,pk"`
	Version       int64  `bun:"version"`
}

// bumpConfig advances the version of a piece of configuration (the directory, the catalogue, the
// regions), so every server instance knows to rebuild what it derived from it.
func (s *Store) bumpConfig(ctx context.Context, tx bun.Tx, name string) error {
	res, err := tx.NewUpdate().Model((*configRow)(nil)).Set("version = version + 1").Where("name = ?", name).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	_, err = tx.NewInsert().Model(&configRow{Name: name, Version: 1}).Exec(ctx)
	return err
}
