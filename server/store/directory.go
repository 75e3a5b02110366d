package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/routing"
)

// MaxUnitsPerImport bounds the units one [Store.PutUnits] writes.
const MaxUnitsPerImport = 10000

// PutUnits creates or replaces units of the directory in one transaction (admin only): an import
// merges into the directory, it deletes no unit (tickets name their units). When regions are stored,
// the directory the units form with them and the catalogue is checked before commit, as
// [Store.PutRegions] does: an inconsistent directory is refused and nothing changes; every server
// instance then rebuilds its router from the new configuration, swapping it in whole.
//
// The audit chain gets one row: "unit.put" with the unit's id for one unit, "units.import" with the
// count and the SM3 digest of the units' JSON for several.
func (s *Store) PutUnits(ctx context.Context, p Principal, units []routing.Unit, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return forbidden(p, "change units")
	}
	if len(units) == 0 || len(units) > MaxUnitsPerImport {
		return fmt.Errorf("%w: an import carries 1–%d units, not %d", ErrInvalid, MaxUnitsPerImport, len(units))
	}
	rows := make([]unitRow, len(units))
	ids := make([]string, len(units))
	seen := make(map[string]int, len(units))
	for i, u := range units {
		if strings.TrimSpace(u.ID) == "" || len(u.ID) > 64 || len(u.Parent) > 64 || u.Parent == u.ID {
			return fmt.Errorf("%w: unit %d: id must be 1–64 bytes and not its own parent", ErrInvalid, i+1)
		}
		if j, dup := seen[u.ID]; dup {
			return fmt.Errorf("%w: unit %d: id %q also at %d", ErrInvalid, i+1, clip(u.ID), j+1)
		}
		seen[u.ID] = i + 1
		row, err := encodeUnit(u, micros(now))
		if err != nil {
			return err
		}
		rows[i], ids[i] = row, u.ID
	}
	all, err := json.Marshal(units)
	if err != nil {
		return err
	}
	digest := sm3.Sum(all)
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for start := 0; start < len(ids); start += 500 {
			end := min(start+500, len(ids))
			if _, err := tx.NewDelete().Model((*unitRow)(nil)).Where("id IN (?)", bun.In(ids[start:end])).Exec(ctx); err != nil {
				return err
			}
			batch := rows[start:end]
			if _, err := tx.NewInsert().Model(&batch).Exec(ctx); err != nil {
				return err
			}
		}
		if err := s.bumpConfig(ctx, tx, "directory"); err != nil {
			return err
		}
		if _, _, err := s.buildRouter(ctx, tx); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%w: the units would leave the directory inconsistent: %w", ErrInvalid, err)
		}
		if len(units) == 1 {
			return s.appendAudit(ctx, tx, now, p.Actor, "unit.put", units[0].ID, "role="+string(p.Role), "parent="+units[0].Parent)
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "units.import", "units", "role="+string(p.Role),
			fmt.Sprintf("rows=%d", len(units)), "sm3="+hex.EncodeToString(digest[:]))
	})
}

// Regions returns the stored region subtree, ordered by code. Every principal may read it.
func (s *Store) Regions(ctx context.Context, p Principal) ([]routing.Region, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	var rows []regionRow
	if err := s.db.NewSelect().Model(&rows).Order("code ASC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]routing.Region, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Body, &out[i]); err != nil {
			return nil, &CorruptError{Table: "regions", Key: r.Code, Err: err}
		}
	}
	return out, nil
}

// Catalogue returns the stored dispatch catalogue (派单目录), ordered by code. Every principal may read
// it.
func (s *Store) Catalogue(ctx context.Context, p Principal) ([]routing.Matter, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	var rows []matterRow
	if err := s.db.NewSelect().Model(&rows).Order("code ASC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]routing.Matter, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Body, &out[i]); err != nil {
			return nil, &CorruptError{Table: "catalogue", Key: r.Code, Err: err}
		}
	}
	return out, nil
}
