package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

// benchDialects opens one fresh, migrated store per reachable dialect for a benchmark.
func benchDialects(b *testing.B) []*Store {
	var out []*Store
	ds := dialects(b)
	for _, d := range []Dialect{SQLite, Postgres, MySQL} {
		if mk, ok := ds[d]; ok {
			out = append(out, openFresh(b, mk))
		}
	}
	return out
}

// writers runs op b.N times from w concurrent goroutines (w = 1: the calling goroutine).
func writers(b *testing.B, w int, op func(i int64) error) {
	var n atomic.Int64
	b.ReportAllocs()
	if w == 1 {
		for b.Loop() {
			if err := op(n.Add(1)); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((w + procs - 1) / procs)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(n.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkIntake compares a full intake (idempotency key, number, ticket projection with snapshot
// and sealed identity, event, outbox row and chained audit row, in one transaction) with its
// baseline, a bare single-row INSERT of the same data in its own transaction, on each dialect at 1
// and 8 concurrent writers.
func BenchmarkIntake(b *testing.B) {
	ctx := context.Background()
	for _, s := range benchDialects(b) {
		seedUnits(b, s)
		blob := bareTable(b, s)
		run := atomic.Int64{}
		for _, w := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/writers=%d/intake", s.dialect, w), func(b *testing.B) {
				r := run.Add(1)
				writers(b, w, func(i int64) error {
					_, err := s.Intake(ctx, office, IntakeRequest{Key: fmt.Sprintf("bench-%d-%d", r, i), Intake: sampleIntake("噪声扰民")}, at("2026-11-23 09:00"))
					return err
				})
				if g := &s.pg.group; g.rounds.Load() > 0 {
					b.ReportMetric(float64(g.intakes.Swap(0))/float64(g.rounds.Swap(0)), "intakes/round")
				}
			})
			b.Run(fmt.Sprintf("%s/writers=%d/bare_insert", s.dialect, w), func(b *testing.B) {
				writers(b, w, func(i int64) error {
					_, err := s.db.NewInsert().Model(&bareRow{ID: newID(), Body: blob}).Exec(ctx)
					return err
				})
			})
		}
	}
}

type bareRow struct {
	bun.BaseModel `bun:"table:bench_bare"`
	ID            string `bun:"id,pk"`
	Body          []byte `bun:"body"`
}

// bareTable creates the baseline's table and returns the bytes it inserts: the same data an intake
// stores (the intake as JSON and the sealed identity).
func bareTable(b testing.TB, s *Store) []byte {
	t := schemaTemplate{Dialect: s.dialect}
	_, err := s.db.ExecContext(context.Background(), "CREATE TABLE IF NOT EXISTS bench_bare (id "+t.V(36)+" NOT NULL PRIMARY KEY, body "+t.Blob()+" NOT NULL)"+t.TableOptions())
	require.NoError(b, err)
	in := sampleIntake("噪声扰民")
	body, _ := json.Marshal(in)
	sealed, _, _, err := s.sealIdentity("x", in.Citizen)
	require.NoError(b, err)
	return append(body, sealed...)
}

// TestMeasureBytesPerTicket reports the bytes a ticket takes on each dialect (intake and dispatch:
// projection, snapshot, identity, two events, units, key, outbox, audit rows, with indexes). It is a
// measurement, run when HOTLINE_MEASURE is set.
func TestMeasureBytesPerTicket(t *testing.T) {
	if os.Getenv("HOTLINE_MEASURE") == "" {
		t.Skip("a measurement: set HOTLINE_MEASURE=1")
	}
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		before := dbBytes(t, s)
		const n = 2000
		for i := range n {
			res, err := s.Intake(ctx, office, IntakeRequest{Key: fmt.Sprintf("m-%d", i), Intake: sampleIntake(fmt.Sprintf("噪声扰民 %d", i))}, at("2026-11-23 09:00"))
			require.NoError(t, err)
			_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2026-11-23 09:30"))
			require.NoError(t, err)
		}
		after := dbBytes(t, s)
		t.Logf("%s: %d tickets, %d bytes, %.0f bytes per ticket", s.dialect, n, after-before, float64(after-before)/n)
	})
}

func dbBytes(t *testing.T, s *Store) int64 {
	ctx := context.Background()
	var n int64
	switch s.dialect {
	case SQLite:
		_, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		require.NoError(t, err)
		var pages, size int64
		require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages))
		require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size))
		n = pages * size
	case Postgres:
		require.NoError(t, s.db.NewRaw("SELECT COALESCE(SUM(pg_total_relation_size(quote_ident(table_name))), 0) FROM information_schema.tables WHERE table_schema = current_schema()").Scan(ctx, &n))
	default:
		var tables []string
		require.NoError(t, s.db.NewRaw("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(ctx, &tables))
		_, err := s.db.ExecContext(ctx, "ANALYZE TABLE "+strings.Join(tables, ", "))
		require.NoError(t, err)
		require.NoError(t, s.db.NewRaw("SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(ctx, &n))
	}
	return n
}

// benchRows is how many tickets BenchmarkListPage generates (HOTLINE_BENCH_ROWS, default 1 000 000).
func benchRows() int {
	if v, err := strconv.Atoi(os.Getenv("HOTLINE_BENCH_ROWS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// bulkTickets inserts n projection rows (and their lead-unit rows) with one INSERT … SELECT per table:
// 1000 units, ten streets of district 310113, five states, by phone but 0.5% at a kiosk, one ticket a
// second from 2026-01-01.
func bulkTickets(t testing.TB, s *Store, n int) {
	ctx := context.Background()
	pad := func(x string, w int) string {
		switch s.dialect {
		case SQLite:
			return fmt.Sprintf("printf('%%0%dd', %s)", w, x)
		case Postgres:
			return fmt.Sprintf("lpad((%s)::text, %d, '0')", x, w)
		}
		return fmt.Sprintf("LPAD(%s, %d, '0')", x, w)
	}
	cat := func(parts ...string) string {
		if s.dialect == MySQL {
			return "CONCAT(" + strings.Join(parts, ", ") + ")"
		}
		return "(" + strings.Join(parts, " || ") + ")"
	}
	var prefix, from, blob string
	switch s.dialect {
	case SQLite:
		prefix = fmt.Sprintf("WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < %d) ", n)
		from = "FROM g"
		blob = "X'7B7D'"
	case Postgres:
		from = fmt.Sprintf("FROM generate_series(1, %d) AS g(x)", n)
		blob = "'\\x7b7d'::bytea"
	default:
		from = fmt.Sprintf("FROM (SELECT seq AS x FROM seq_1_to_%d) AS g", n)
		blob = "X'7B7D'"
	}
	xb := "x"
	if s.dialect == Postgres {
		xb = "x::bigint"
	}
	state := "CASE x % 5 WHEN 0 THEN 'received' WHEN 1 THEN 'dispatched' WHEN 2 THEN 'handling' WHEN 3 THEN 'replied' ELSE 'closed' END"
	q := prefix + "INSERT INTO tickets (id, number, state, channel, kind, urgency, complexity, mode, region_code, matter_code, lead_unit, title, " +
		"received_us, next_due_us, overdue, due_soon, supervised, supervisions, urgings, returns, reopenings, repeats, replies, extensions, " +
		"version, snapshot, created_us, updated_us) SELECT " +
		cat("'00000000-0000-7000-8000-'", pad("x", 12)) + ", " +
		cat("'BK-20260101-'", pad("x", 9), "'-X'") + ", " + state + ", CASE x % 200 WHEN 7 THEN 'kiosk' ELSE 'phone' END, 'complaint', '', '', '', " +
		cat("'310113'", pad("x % 10", 3)) + ", '01', " + cat("'unit-'", pad("x % 1000", 4)) + ", " +
		cat("'工单 '", pad("x", 7)) + ", 1767225600000000 + XB * 1000000, 1767225600000000 + XB * 1000000 + 86400000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, " +
		"2, " + blob + ", 1767225600000000 + XB * 1000000, 1767225600000000 + XB * 1000000 " + from
	q = strings.ReplaceAll(q, "XB", xb)
	_, err := s.db.ExecContext(ctx, q)
	require.NoError(t, err)
	_, err = s.db.ExecContext(ctx, "INSERT INTO ticket_units (ticket_id, unit_id, role, received_us) SELECT id, lead_unit, 'lead', received_us FROM tickets WHERE lead_unit <> ''")
	require.NoError(t, err)
	switch s.dialect {
	case MySQL:
		_, err = s.db.ExecContext(ctx, "ANALYZE TABLE tickets, ticket_units")
	default:
		_, err = s.db.ExecContext(ctx, "ANALYZE")
	}
	require.NoError(t, err)
}

// explain returns the plan of the listing query p would run with f.
func explain(t testing.TB, s *Store, p Principal, f Filter) string {
	ctx := context.Background()
	sc, err := s.scopeOf(ctx, s.db, p)
	require.NoError(t, err)
	cur, err := decodeCursor(f.Cursor)
	require.NoError(t, err)
	var rows []ticketRow
	q := s.listQuery(s.db, &rows, sc, f, cur, 50, at("2026-11-23 10:00"))
	prefix := "EXPLAIN "
	if s.dialect == SQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	res, err := s.db.QueryContext(ctx, prefix+q.String())
	require.NoError(t, err)
	defer res.Close()
	cols, _ := res.Columns()
	var b strings.Builder
	for res.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, res.Scan(ptrs...))
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			if v != nil && cols[i] != "id" && cols[i] != "parent" && cols[i] != "notused" {
				fmt.Fprintf(&b, "%s=%v ", cols[i], v)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// BenchmarkListPage reads one page of 50 from HOTLINE_BENCH_ROWS (default 1 000 000) generated
// tickets: a hotline office's whole jurisdiction, a handling unit's (one of 1000 units), a supervisor
// filtering by state, and the office's 101st page through the keyset cursor. The plans are logged.
func BenchmarkListPage(b *testing.B) {
	ctx := context.Background()
	n := benchRows()
	for _, s := range benchDialects(b) {
		seedUnits(b, s)
		bulkTickets(b, s, n)
		unit := Principal{Actor: "clerk", Unit: "unit-0042", Role: RoleHandlingUnit}
		page, err := s.List(ctx, office, Filter{}, at("2026-11-23 10:00"))
		require.NoError(b, err)
		cursor := page.Next
		for range 99 {
			page, err = s.List(ctx, office, Filter{Cursor: cursor}, at("2026-11-23 10:00"))
			require.NoError(b, err)
			cursor = page.Next
		}
		cases := []struct {
			name string
			p    Principal
			f    Filter
		}{
			{"office", office, Filter{}},
			{"unit", unit, Filter{}},
			{"supervisor_state", superv, Filter{States: []string{"handling"}}},
			{"office_page101", office, Filter{Cursor: cursor}},
			{"office_overdue", office, Filter{Overdue: true}},
			{"office_kiosk", office, Filter{Channel: "kiosk"}},
			{"supervisor_kiosk", superv, Filter{Channel: "kiosk"}},
		}
		for _, c := range cases {
			b.Logf("%s %s plan at %d tickets:\n%s", s.dialect, c.name, n, explain(b, s, c.p, c.f))
			b.Run(fmt.Sprintf("%s/%s", s.dialect, c.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					page, err := s.List(ctx, c.p, c.f, at("2026-11-23 10:00"))
					if err != nil || len(page.Items) == 0 {
						b.Fatalf("%v, %d items", err, len(page.Items))
					}
				}
			})
		}
	}
}
