package store

// This file holds the mappings between the routing package's directory (regions, the dispatch
// catalogue, units) and the store's rows, and the router built from them. When the routing package's
// names change, this is the file to fix.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/routing"
)

type regionRow struct {
	bun.BaseModel `bun:"table:regions"`
	Code          string  `bun:"code,pk"`
	ParentCode    *string `bun:"parent_code"`
	Body          []byte  `bun:"body"`
	UpdatedUS     int64   `bun:"updated_us"`
}

type matterRow struct {
	bun.BaseModel `bun:"table:catalogue"`
	Code          string `bun:"code,pk"`
	Body          []byte `bun:"body"`
	UpdatedUS     int64  `bun:"updated_us"`
}

// builtRouter is a router with the configuration versions it was built from.
type builtRouter struct {
	versions string
	router   *routing.Router
}

// routerCache holds the last router built; it is replaced whole (atomically), never changed.
type routerCache struct{ p atomic.Pointer[builtRouter] }

func defaultRoutingPolicy() routing.Policy { return routing.Shanghai() }

// PutRegions replaces the district's region subtree (admin only). The new tree and the directory it
// forms with the stored catalogue and units are checked before commit: an inconsistent configuration
// is refused and nothing changes.
func (s *Store) PutRegions(ctx context.Context, p Principal, regions []routing.Region, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return forbidden(p, "change regions")
	}
	if _, err := routing.NewRegionTree(regions); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	rows := make([]regionRow, len(regions))
	for i, r := range regions {
		body, err := json.Marshal(r)
		if err != nil {
			return err
		}
		rows[i] = regionRow{Code: string(r.Code), Body: body, UpdatedUS: micros(now)}
		if r.Parent != "" {
			pc := string(r.Parent)
			rows[i].ParentCode = &pc
		}
	}
	return s.replaceConfig(ctx, p, "regions", (*regionRow)(nil), &rows, len(rows), now)
}

// PutCatalogue replaces the dispatch catalogue (事项目录, admin only), checked like [Store.PutRegions].
func (s *Store) PutCatalogue(ctx context.Context, p Principal, matters []routing.Matter, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return forbidden(p, "change the catalogue")
	}
	rows := make([]matterRow, len(matters))
	for i, m := range matters {
		body, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if strings.TrimSpace(string(m.Code)) == "" || len(m.Code) > 64 {
			return fmt.Errorf("%w: matter %d: code must be 1–64 bytes", ErrInvalid, i+1)
		}
		rows[i] = matterRow{Code: string(m.Code), Body: body, UpdatedUS: micros(now)}
	}
	return s.replaceConfig(ctx, p, "catalogue", (*matterRow)(nil), &rows, len(rows), now)
}

func (s *Store) replaceConfig(ctx context.Context, p Principal, name string, model, rows any, n int, now time.Time) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model(model).Where("1 = 1").Exec(ctx); err != nil {
			return err
		}
		if n > 0 {
			if _, err := tx.NewInsert().Model(rows).Exec(ctx); err != nil {
				if isUnique(err) {
					return fmt.Errorf("%w: duplicate code in %s", ErrInvalid, name)
				}
				return err
			}
		}
		if err := s.bumpConfig(ctx, tx, name); err != nil {
			return err
		}
		if _, _, err := s.buildRouter(ctx, tx); err != nil {
			return fmt.Errorf("%w: the %s would leave the directory inconsistent: %w", ErrInvalid, name, err)
		}
		return s.appendAudit(ctx, tx, now, p.Actor, name+".put", name, "role="+string(p.Role), fmt.Sprintf("rows=%d", n))
	})
}

// buildRouter loads regions, catalogue and units in db and builds the router; versions names the
// configuration it was built from.
func (s *Store) buildRouter(ctx context.Context, db bun.IDB) (*routing.Router, string, error) {
	versions, err := s.configVersions(ctx, db)
	if err != nil {
		return nil, "", err
	}
	var rrows []regionRow
	if err := db.NewSelect().Model(&rrows).Order("code ASC").Scan(ctx); err != nil {
		return nil, "", err
	}
	regions := make([]routing.Region, len(rrows))
	for i, r := range rrows {
		if err := json.Unmarshal(r.Body, &regions[i]); err != nil {
			return nil, "", &CorruptError{Table: "regions", Key: r.Code, Err: err}
		}
	}
	var mrows []matterRow
	if err := db.NewSelect().Model(&mrows).Order("code ASC").Scan(ctx); err != nil {
		return nil, "", err
	}
	matters := make([]routing.Matter, len(mrows))
	for i, r := range mrows {
		if err := json.Unmarshal(r.Body, &matters[i]); err != nil {
			return nil, "", &CorruptError{Table: "catalogue", Key: r.Code, Err: err}
		}
	}
	var urows []unitRow
	if err := db.NewSelect().Model(&urows).Order("id ASC").Scan(ctx); err != nil {
		return nil, "", err
	}
	units := make([]routing.Unit, len(urows))
	for i, r := range urows {
		u, err := decodeUnit(r)
		if err != nil {
			return nil, "", err
		}
		units[i] = u
	}
	if len(regions) == 0 {
		return nil, versions, fmt.Errorf("%w: no regions stored", ErrNotFound)
	}
	tree, err := routing.NewRegionTree(regions)
	if err != nil {
		return nil, "", err
	}
	dir, err := routing.NewDirectory(tree, matters, units)
	if err != nil {
		return nil, "", err
	}
	r, err := routing.NewRouter(dir, s.routingPolicy)
	return r, versions, err
}

func (s *Store) configVersions(ctx context.Context, db bun.IDB) (string, error) {
	var rows []configRow
	if err := db.NewSelect().Model(&rows).Order("name ASC").Scan(ctx); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s=%d;", r.Name, r.Version)
	}
	return b.String(), nil
}

// Router returns the router over the stored directory. It is immutable and shared: rebuilt, and
// swapped in whole, only when the regions, the catalogue or the units changed (on this or another
// server instance) since it was built.
func (s *Store) Router(ctx context.Context, p Principal) (*routing.Router, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	versions, err := s.configVersions(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if b := s.routers.p.Load(); b != nil && b.versions == versions {
		return b.router, nil
	}
	var r *routing.Router
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		r, versions, err = s.buildRouter(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.routers.p.Store(&builtRouter{versions: versions, router: r})
	return r, nil
}
