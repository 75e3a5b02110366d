package store

// This file holds the mappings between the routing package and the store's rows. When the routing
// package's names change, this is the file to fix.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/routing"
)

type unitRow struct {
	bun.BaseModel `bun:"table:units"`
	ID            string  `bun:"id,pk"`
	ParentID      *string `bun:"parent_id"`
	Name          string  `bun:"name"`
	RegionCode    string  `bun:"region_code"`
	Body          []byte  `bun:"body"`
	UpdatedUS     int64   `bun:"updated_us"`
}

func encodeUnit(u routing.Unit, now int64) (unitRow, error) {
	body, err := json.Marshal(u)
	if err != nil {
		return unitRow{}, err
	}
	row := unitRow{ID: u.ID, Name: u.Name, Body: body, UpdatedUS: now}
	if u.Parent != "" {
		p := u.Parent
		row.ParentID = &p
	}
	if len(u.Areas) > 0 {
		row.RegionCode = string(u.Areas[0])
	}
	return row, nil
}

func decodeUnit(r unitRow) (routing.Unit, error) {
	var u routing.Unit
	if err := json.Unmarshal(r.Body, &u); err != nil {
		return u, &CorruptError{Table: "units", Key: r.ID, Err: err}
	}
	return u, nil
}

// areasOf returns the region codes a unit covers: a hotline office's jurisdiction.
func (s *Store) areasOf(ctx context.Context, db bun.IDB, unit string) ([]string, error) {
	var r unitRow
	err := db.NewSelect().Model(&r).Where("id = ?", unit).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return unitAreas(r)
}

// unitAreas returns the region codes of a unit's row.
func unitAreas(r unitRow) ([]string, error) {
	u, err := decodeUnit(r)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(u.Areas))
	for _, a := range u.Areas {
		out = append(out, string(a))
	}
	return out, nil
}
