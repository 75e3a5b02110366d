package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
)

// A search for text in the title finds the same tickets on every dialect: PostgreSQL asks a
// two-character term through tickets_title_bigrams and the others a LIKE, and both mean "the title
// contains the term" (wildcards dropped).
func TestListTitleSameOnEveryDialect(t *testing.T) {
	titles := []string{"噪声扰民", "夜间施工噪声", "化粪池满溢", "占道 经营", "路灯噪", "噪声噪声"}
	cases := []struct {
		term string
		want []string
	}{
		{"噪声", []string{"噪声扰民", "夜间施工噪声", "噪声噪声"}},
		{"声扰", []string{"噪声扰民"}},
		{"声噪", []string{"噪声噪声"}},
		{"粪池", []string{"化粪池满溢"}},
		{"化粪池", []string{"化粪池满溢"}},
		{"施工噪声", []string{"夜间施工噪声"}},
		{"噪", []string{"噪声扰民", "夜间施工噪声", "路灯噪", "噪声噪声"}},
		{"道 ", []string{"占道 经营"}},
		{" 经", []string{"占道 经营"}},
		{"道经", nil},
		{"民夜", nil},
		{"噪%声", []string{"噪声扰民", "夜间施工噪声", "噪声噪声"}},
		{"灯_噪", []string{"路灯噪"}},
	}
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		for i, title := range titles {
			_, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake(title)}, at("2026-11-23 09:00").Add(time.Duration(i)*time.Minute))
			require.NoError(t, err)
		}
		for _, c := range cases {
			for _, p := range []Principal{office, superv} {
				page, err := s.List(ctx, p, Filter{Title: c.term}, at("2026-11-23 10:00"))
				require.NoError(t, err, c.term)
				var got []string
				for _, it := range page.Items {
					got = append(got, it.Title)
				}
				slices.Sort(got)
				want := slices.Clone(c.want)
				slices.Sort(want)
				assert.Equal(t, want, got, "%q as %s", c.term, p.Role)
			}
		}
	})
}

// An office sees the tickets placed in its jurisdiction, whether it is a district (the listing asks
// the district's equality alone), a street inside one (the district's equality beside the street's
// LIKE) or a city (the LIKE alone), with every filter; paging by cursor gives each ticket once.
func TestListJurisdictionLevels(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		for _, u := range []routing.Unit{
			{ID: "office-yy", Name: "友谊路街道热线站", Kind: routing.UnitStreet, Areas: []routing.RegionCode{"310113001"}},
			{ID: "office-sh", Name: "上海市热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"31"}},
		} {
			require.NoError(t, s.PutUnit(ctx, admin, u, at("2026-11-20 09:00")))
		}
		places := []string{"310113001", "310113002", "310115001", "310113001", "310115003", "310113"}
		byRegion := map[string]int{}
		for i, region := range places {
			in := sampleIntake("噪声扰民")
			in.Place.RegionCode = region
			if i%2 == 1 {
				in.Channel = ticket.ChannelKiosk
			}
			p := office
			if region[:6] == "310115" {
				p = office2
			}
			_, err := s.Intake(ctx, p, IntakeRequest{Intake: in}, at("2026-11-23 09:00").Add(time.Duration(i)*time.Minute))
			require.NoError(t, err)
			byRegion[region]++
		}
		street := Principal{Actor: "operator-y", Unit: "office-yy", Role: RoleHotlineOffice}
		city := Principal{Actor: "operator-s", Unit: "office-sh", Role: RoleHotlineOffice}
		cases := []struct {
			name string
			p    Principal
			f    Filter
			now  string
			want int
		}{
			{"district", office, Filter{}, "2026-11-23 10:00", 4},
			{"other district", office2, Filter{}, "2026-11-23 10:00", 2},
			{"street", street, Filter{}, "2026-11-23 10:00", 2},
			{"city", city, Filter{}, "2026-11-23 10:00", 6},
			{"district, kiosk", office, Filter{Channel: "kiosk"}, "2026-11-23 10:00", 3},
			{"street, kiosk", street, Filter{Channel: "kiosk"}, "2026-11-23 10:00", 1},
			{"district, title", office, Filter{Title: "噪声"}, "2026-11-23 10:00", 4},
			{"street, title", street, Filter{Title: "扰民"}, "2026-11-23 10:00", 2},
			// The first-contact clock (1 working day, 004 §8 (一)) has run out two days on, and is
			// in its due-soon window before that.
			{"district, overdue", office, Filter{Overdue: true}, "2026-11-26 10:00", 4},
			{"street, overdue", street, Filter{Overdue: true}, "2026-11-26 10:00", 2},
			{"city, overdue", city, Filter{Overdue: true}, "2026-11-26 10:00", 6},
			{"district, not yet overdue", office, Filter{Overdue: true}, "2026-11-23 10:00", 0},
		}
		for _, c := range cases {
			var got []string
			cursor := ""
			for {
				page, err := s.List(ctx, c.p, Filter{Channel: c.f.Channel, Title: c.f.Title, Overdue: c.f.Overdue, Limit: 1, Cursor: cursor}, at(c.now))
				require.NoError(t, err, c.name)
				for _, it := range page.Items {
					got = append(got, it.ID)
				}
				if page.Next == "" {
					break
				}
				cursor = page.Next
			}
			assert.Len(t, got, c.want, c.name)
			assert.Len(t, slices.Compact(slices.Sorted(slices.Values(got))), len(got), "%s: no ticket twice", c.name)
		}
		assert.Equal(t, 2, byRegion["310113001"])
	})
}

// Apply writes the ticket row once: the projection with its sweep instant and provisional mark in
// one UPDATE (a trigger counts the updates of tickets).
func TestApplyUpdatesTicketRowOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		var ddl []string
		switch s.dialect {
		case SQLite:
			ddl = []string{"CREATE TRIGGER tickets_update_count AFTER UPDATE ON tickets BEGIN UPDATE update_count SET n = n + 1; END"}
		case Postgres:
			ddl = []string{`CREATE FUNCTION count_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE update_count SET n = n + 1; RETURN NULL; END $$`,
				"CREATE TRIGGER tickets_update_count AFTER UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION count_update()"}
		case MySQL:
			ddl = []string{"CREATE TRIGGER tickets_update_count AFTER UPDATE ON tickets FOR EACH ROW UPDATE update_count SET n = n + 1"}
		}
		ddl = append([]string{"CREATE TABLE update_count (n INTEGER NOT NULL)", "INSERT INTO update_count (n) VALUES (0)"}, ddl...)
		for _, q := range ddl {
			_, err := s.db.ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
		count := func() int {
			var n int
			require.NoError(t, s.db.NewRaw("SELECT n FROM update_count").Scan(ctx, &n))
			return n
		}
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("噪声扰民")}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		assert.Zero(t, count(), "intake inserts the row")
		ar, err := s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2026-11-23 09:30"))
		require.NoError(t, err)
		assert.Equal(t, 1, count(), "one UPDATE per Apply")
		var row sweepRow
		require.NoError(t, s.db.NewSelect().Model(&row).Where("t.id = ?", res.ID).Scan(ctx))
		assert.Equal(t, ar.Version, row.Version)
		l, err := s.load(ctx, s.db, res.ID, false)
		require.NoError(t, err)
		wantAt, wantProv := sweepState(l.t, s.machine.load(), at("2026-11-23 09:30"), true)
		assert.Equal(t, wantAt, row.SweepAtUS, "sweep instant written with the projection")
		assert.Equal(t, wantProv, row.Provisional)
		require.NotNil(t, row.SweepAtUS)
	})
}

func TestListHelpers(t *testing.T) {
	pairs := []struct {
		term string
		want bool
	}{
		{"噪声", true}, {"ab", true}, {"噪", false}, {"化粪池", false}, {"道 ", false}, {" 经", false}, {"", false},
	}
	for _, c := range pairs {
		assert.Equal(t, c.want, isPair(c.term), c.term)
	}
	districts := []struct {
		name             string
		sc               scope
		district         string
		exact, narrowing bool
	}{
		{"district", scope{areas: []string{"310113"}}, "310113", true, true},
		{"street", scope{areas: []string{"310113001"}}, "310113", false, true},
		{"city", scope{areas: []string{"31"}}, "", false, false},
		{"two districts", scope{areas: []string{"310113", "310115"}}, "", false, false},
		{"units", scope{units: []string{"unit-a"}}, "", false, false},
		{"all", scope{all: true}, "", false, false},
		{"wildcards dropped", scope{areas: []string{"3101%13"}}, "310113", true, true},
	}
	for _, c := range districts {
		d, exact, ok := c.sc.district()
		assert.Equal(t, c.district, d, c.name)
		assert.Equal(t, c.exact, exact, c.name)
		assert.Equal(t, c.narrowing, ok, c.name)
	}
}

// Migration 20261201000001 renders for every dialect: MariaDB gets the district as a virtual column
// (it indexes no expression) and full indexes, MySQL 8 no IF [NOT] EXISTS, PostgreSQL and SQLite the
// partial indexes, and only PostgreSQL the title bigrams.
func TestListingFiltersMigrationRenders(t *testing.T) {
	for _, name := range []string{"20261201000001_listing_filters.tx.up.sql", "20261201000001_listing_filters.tx.down.sql"} {
		for _, r := range renderMigration(t, name) {
			up := strings.Contains(name, ".up.")
			switch {
			case r.data.Dialect == MySQL:
				assert.Contains(t, r.sql, "region_district", name)
				assert.NotContains(t, r.sql, "WHERE", "%s: MariaDB has no partial index", name)
				assert.NotContains(t, r.sql, "hotline_title_bigrams", name)
				if r.data.MySQL8 {
					assert.NotContains(t, r.sql, "IF EXISTS", name)
					assert.NotContains(t, r.sql, "IF NOT EXISTS", name)
				}
			case r.data.Dialect == Postgres:
				assert.Contains(t, r.sql, "hotline_title_bigrams", name)
				assert.Contains(t, r.sql, "tickets_district_attention", name)
				if up {
					assert.Contains(t, r.sql, "WHERE channel <> 'phone'", name)
					assert.Contains(t, r.sql, "ANALYZE tickets", name)
				}
			case r.data.Dialect == SQLite:
				assert.NotContains(t, r.sql, "hotline_title_bigrams", name)
				if up {
					assert.Contains(t, r.sql, "tickets_provisional ON tickets (id) WHERE provisional = 1", name)
					assert.NotContains(t, r.sql, "<> 'phone'", "%s: SQLite proves no inequality", name)
				}
			}
		}
	}
}
