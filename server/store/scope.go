package store

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// scope is what a principal may see of the tickets: all of them, those handled by one of units, or
// those placed in one of areas (region-code prefixes).
type scope struct {
	all   bool
	units []string
	areas []string
}

// scopeOf resolves what p may see, reading the unit tree in the caller's transaction.
func (s *Store) scopeOf(ctx context.Context, db bun.IDB, p Principal) (scope, error) {
	switch p.Role {
	case RoleSupervisor, RoleAuditor, RoleSystem:
		return scope{all: true}, nil
	case RoleHandlingUnit:
		units, err := s.subtree(ctx, db, p.Unit)
		return scope{units: units}, err
	case RoleHotlineOffice:
		areas, err := s.areasOf(ctx, db, p.Unit)
		return scope{areas: areas}, err
	}
	return scope{}, forbidden(p, "read tickets")
}

// subtree returns unit and every unit below it in the unit tree.
func (s *Store) subtree(ctx context.Context, db bun.IDB, unit string) ([]string, error) {
	var rows []struct {
		ID       string  `bun:"id"`
		ParentID *string `bun:"parent_id"`
	}
	if err := db.NewSelect().Table("units").Column("id", "parent_id").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	children := map[string][]string{}
	for _, r := range rows {
		if r.ParentID != nil {
			children[*r.ParentID] = append(children[*r.ParentID], r.ID)
		}
	}
	out := []string{unit}
	seen := map[string]bool{unit: true}
	for i := 0; i < len(out); i++ {
		for _, c := range children[out[i]] {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// sees reports whether the scope covers a ticket placed at region and handled by handlers.
func (sc scope) sees(region string, handlers []string) bool {
	if sc.all {
		return true
	}
	for _, a := range sc.areas {
		if a != "" && strings.HasPrefix(region, a) {
			return true
		}
	}
	for _, u := range sc.units {
		for _, h := range handlers {
			if u == h {
				return true
			}
		}
	}
	return false
}

// apply restricts q (over tickets aliased t) to the scope.
func (sc scope) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if sc.all {
		return q
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(sc.units) > 0 {
			q = q.WhereOr("t.id IN (SELECT tu.ticket_id FROM ticket_units AS tu WHERE tu.unit_id IN (?))", bun.In(sc.units))
		}
		for _, a := range sc.areas {
			if a != "" {
				q = q.WhereOr("t.region_code LIKE ?", likePrefix(a))
			}
		}
		if len(sc.units) == 0 && len(sc.areas) == 0 {
			q = q.Where("1 = 0")
		}
		return q
	})
}

// district returns the district (the first six characters of the region code) every ticket of the
// scope is placed in, when the scope is one area of at least a district's length and no units;
// exact reports that the area is the district itself, so that the district's equality is the
// scope's whole condition.
func (sc scope) district() (district string, exact, ok bool) {
	if sc.all || len(sc.units) > 0 || len(sc.areas) != 1 {
		return "", false, false
	}
	a := []rune(strings.TrimSuffix(likePrefix(sc.areas[0]), "%"))
	if len(a) < districtLen {
		return "", false, false
	}
	return string(a[:districtLen]), len(a) == districtLen, true
}

// districtLen is the length of a district's region code (county level: 310113), the first column
// of tickets_district.
const districtLen = 6

// likePrefix escapes s for a LIKE prefix match (region codes are digits; escaping is belt and braces).
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, ``, `%`, ``, `_`, ``)
	return r.Replace(s) + "%"
}
