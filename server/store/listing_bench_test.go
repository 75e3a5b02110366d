package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// listingRows is how many tickets BenchmarkListingPostgres generates: HOTLINE_BENCH_LISTING_ROWS, or 0
// (the benchmark is opt-in: 10 million tickets take gigabytes and a quarter of an hour to generate).
func listingRows() int {
	n, err := strconv.Atoi(os.Getenv("HOTLINE_BENCH_LISTING_ROWS"))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// listingNow is the instant the listing benchmark reads at; the generated tickets were received in
// the two years before it.
var listingNow = at("2026-11-23 10:00")

// The districts of Shanghai the generated tickets are placed in; office-bs (seedUnits) has 310113.
var listingDistricts = []string{"310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
	"310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151"}

// listingTitles are the generated titles' subjects, equally frequent; listingRareTitle is in 0.02%
// of the tickets.
var listingTitles = []string{"噪声扰民", "占道经营", "违章搭建", "垃圾清运不及时", "小区停车难", "物业服务差", "供水水压不足",
	"道路积水", "路灯不亮", "共享单车乱停放", "群租房", "油烟扰民", "夜间施工噪声", "宠物扰民", "下水道堵塞", "绿化养护不到位",
	"电梯故障", "公交线路调整", "出租车拒载", "医保报销咨询", "社保缴纳咨询", "户籍办理咨询", "拖欠工资", "食品安全",
	"消费纠纷", "房屋漏水", "燃气设施", "停电", "有线电视信号", "入学咨询", "交通信号灯故障", "非机动车停放", "河道污染",
	"空气异味", "建筑垃圾偷倒", "违法广告", "无证经营", "流浪猫狗", "树木修剪", "加装电梯"}

const listingRareTitle = "化粪池满溢"

// fillListing generates n tickets on PostgreSQL with server-side SQL, in the projection table and
// the handling units' table, with a distribution meant to look like two years of a hotline:
//
//   - received evenly over the two years before listingNow (about 13 700 a day at 10 million);
//   - 16 districts, 20 streets each, equally likely;
//   - 1000 handling units, skewed (unit k leads a share sqrt((k+1)/1000) − sqrt(k/1000): unit-0000
//     3.2%, unit-0042 0.24%, unit-0999 0.05%); tickets not yet dispatched have no lead; 8% of the
//     others a co-handling unit;
//   - the last 30 days mostly open (received, dispatched, handling, extension requested, replied,
//     returned, checked, reopened), with a running due instant 1–15 days after receipt, so some are
//     overdue and some due soon; older ones closed (closed, closed stored or unfounded, archived,
//     refused) but for 0.2% still being handled; 4% met a deadline late (the overdue flag);
//   - channels phone 70%, web, Suishenban, the portal, kiosks 0.5% and the rest; kinds complaint 45%,
//     help request, consultation and the rest;
//   - titles one of 40 subjects and the ticket's street, listingRareTitle in 0.02%.
//
// Rows are as wide as real ones but for the snapshot (a stand-in of 120 bytes instead of about 1.1
// kB) and the identity (none). The secondary indexes are dropped during the load and rebuilt from
// their own definitions after it (a sorted build instead of ten million random inserts), and the
// tables vacuumed and analysed, as autovacuum would have.
func fillListing(tb testing.TB, s *Store, n int) {
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	require.NoError(tb, err)
	defer conn.Close()
	exec := func(q string, args ...any) {
		tb.Helper()
		start := time.Now()
		_, err := conn.ExecContext(ctx, q, args...)
		require.NoError(tb, err, q)
		tb.Logf("%6.1fs  %.90s", time.Since(start).Seconds(), strings.Join(strings.Fields(q), " "))
	}
	var defs []string
	require.NoError(tb, conn.NewRaw("SELECT pg_get_indexdef(i.indexrelid) FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indrelid "+
		"WHERE c.relname IN ('tickets', 'ticket_units') AND NOT i.indisprimary").Scan(ctx, &defs))
	// Statistics targets set on an index's columns (tickets_title_bigrams), which pg_get_indexdef
	// does not give back.
	var targets []string
	require.NoError(tb, conn.NewRaw("SELECT format('ALTER INDEX %I ALTER COLUMN %s SET STATISTICS %s', c.relname, a.attnum, a.attstattarget) "+
		"FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid JOIN pg_index AS i ON i.indexrelid = c.oid "+
		"JOIN pg_class AS t ON t.oid = i.indrelid WHERE t.relname IN ('tickets', 'ticket_units') AND a.attstattarget > 0").Scan(ctx, &targets))
	for _, d := range defs {
		// "CREATE [UNIQUE] INDEX name ON …"
		f := strings.Fields(d)
		for i, w := range f {
			if w == "INDEX" {
				exec("DROP INDEX " + f[i+1])
				break
			}
		}
	}
	exec("SET maintenance_work_mem = '256MB'")
	quote := func(ss []string) string {
		q := make([]string, len(ss))
		for i, s := range ss {
			q[i] = "'" + s + "'"
		}
		return "ARRAY[" + strings.Join(q, ", ") + "]"
	}
	start := listingNow.AddDate(-2, 0, 0).UnixMicro()
	span := listingNow.UnixMicro() - start
	recent := listingNow.Add(-30 * 24 * time.Hour).UnixMicro()
	now := listingNow.UnixMicro()
	// r(k) is the ticket's k-th pseudo-random number in [0, 1).
	r := func(k int) string { return fmt.Sprintf("((abs(hashint8extended(x, %d)) %% 1000000) / 1000000.0)", k) }
	exec(`INSERT INTO tickets (id, number, state, channel, kind, urgency, complexity, mode, region_code, matter_code,
		lead_unit, title, received_us, next_due_us, due_soon_us, due_reply_us, overdue, due_soon, supervised, supervisions,
		urgings, returns, reopenings, repeats, replies, extensions, version, snapshot, created_us, updated_us)
	SELECT id, number, state, channel, kind, 'normal', 'simple', 'direct', region, '01',
		CASE WHEN state IN ('received', 'refused') THEN '' ELSE lead END, title, recv, next_due, next_due - 86400000000, next_due,
		CASE WHEN next_due <= ` + strconv.FormatInt(now, 10) + ` OR ` + r(7) + ` < 0.04 THEN 1 ELSE 0 END,
		CASE WHEN next_due - 86400000000 <= ` + strconv.FormatInt(now, 10) + ` AND next_due > ` + strconv.FormatInt(now, 10) + ` THEN 1 ELSE 0 END,
		0, 0, 0, 0, 0, 0, 0, 0, 3, convert_to(repeat('{}', 60), 'UTF8'), recv, recv
	FROM (
		SELECT x, '00000000-0000-7000-8000-' || lpad(x::text, 12, '0') AS id, 'HL-' || lpad(x::text, 12, '0') AS number,
			recv, state,
			CASE WHEN state IN ('received', 'dispatched', 'handling', 'extension_requested', 'returned', 'reopened')
				THEN recv + (86400000000 * (1 + floor(` + r(3) + ` * 14)))::bigint END AS next_due,
			CASE WHEN ` + r(4) + ` < 0.70 THEN 'phone' WHEN ` + r(4) + ` < 0.80 THEN 'web' WHEN ` + r(4) + ` < 0.90 THEN 'suishenban'
				WHEN ` + r(4) + ` < 0.95 THEN 'one_net_portal' WHEN ` + r(4) + ` < 0.955 THEN 'kiosk' ELSE 'gov_website' END AS channel,
			CASE WHEN ` + r(5) + ` < 0.45 THEN 'complaint' WHEN ` + r(5) + ` < 0.70 THEN 'help_request' WHEN ` + r(5) + ` < 0.90 THEN 'consultation'
				WHEN ` + r(5) + ` < 0.95 THEN 'suggestion' WHEN ` + r(5) + ` < 0.98 THEN 'errand' ELSE 'review' END AS kind,
			region,
			'unit-' || lpad(floor(1000 * ` + r(2) + ` ^ 2)::int::text, 4, '0') AS lead,
			CASE WHEN ` + r(6) + ` < 0.0002 THEN '` + listingRareTitle + `' ELSE (` + quote(listingTitles) + `)[1 + floor(` + r(6) + ` * ` + strconv.Itoa(len(listingTitles)) + `)::int] END
				|| '（' || region || '）' AS title
		FROM (
			SELECT x, ` + strconv.FormatInt(start, 10) + ` + (x::numeric * ` + strconv.FormatInt(span, 10) + ` / ` + strconv.Itoa(n) + `)::bigint AS recv,
				(` + quote(listingDistricts) + `)[1 + floor(` + r(1) + ` * 16)::int] || lpad((1 + floor(` + r(8) + ` * 20))::int::text, 3, '0') AS region,
				` + r(0) + ` AS s
			FROM generate_series(1, ` + strconv.Itoa(n) + `::bigint) AS x
		) AS g0, LATERAL (SELECT CASE
			WHEN recv >= ` + strconv.FormatInt(recent, 10) + ` THEN CASE WHEN s < 0.10 THEN 'received' WHEN s < 0.25 THEN 'dispatched'
				WHEN s < 0.65 THEN 'handling' WHEN s < 0.68 THEN 'extension_requested' WHEN s < 0.85 THEN 'replied'
				WHEN s < 0.90 THEN 'returned' WHEN s < 0.95 THEN 'checked' ELSE 'reopened' END
			ELSE CASE WHEN s < 0.002 THEN 'handling' WHEN s < 0.882 THEN 'closed' WHEN s < 0.932 THEN 'closed_stored'
				WHEN s < 0.962 THEN 'closed_unfounded' WHEN s < 0.982 THEN 'archived' ELSE 'refused' END
			END AS state) AS st
	) AS g`)
	exec("INSERT INTO ticket_units (ticket_id, unit_id, role, received_us) SELECT id, lead_unit, 'lead', received_us FROM tickets WHERE lead_unit <> ''")
	exec(`INSERT INTO ticket_units (ticket_id, unit_id, role, received_us)
		SELECT id, 'unit-' || lpad(((substr(lead_unit, 6)::int + 1 + abs(hashint8extended(x, 9)) % 999) % 1000)::text, 4, '0'), 'co', received_us
		FROM (SELECT id, lead_unit, received_us, substr(id, 25)::bigint AS x FROM tickets WHERE lead_unit <> '') AS t
		WHERE abs(hashint8extended(x, 10)) % 100 < 8`)
	for _, d := range defs {
		exec(d)
	}
	for _, a := range targets {
		exec(a)
	}
	exec("VACUUM (ANALYZE) tickets")
	exec("VACUUM (ANALYZE) ticket_units")
}

// explainAnalyze runs the listing query p would run with f under EXPLAIN (ANALYZE, BUFFERS) and
// returns the plan.
func explainAnalyze(tb testing.TB, s *Store, p Principal, f Filter) string {
	ctx := context.Background()
	sc, err := s.scopeOf(ctx, s.db, p)
	require.NoError(tb, err)
	cur, err := decodeCursor(f.Cursor)
	require.NoError(tb, err)
	var rows []ticketRow
	q := s.listQuery(s.db, &rows, sc, f, cur, 50, listingNow)
	var plan []string
	require.NoError(tb, s.db.NewRaw("EXPLAIN (ANALYZE, BUFFERS) "+q.String()).Scan(ctx, &plan))
	return strings.Join(plan, "\n")
}

// BenchmarkListingPostgres reads one page of 50 through Store.List (scope resolution and its own
// transaction included) from HOTLINE_BENCH_LISTING_ROWS tickets generated by fillListing, for the
// filters an operator uses, and logs each query's EXPLAIN (ANALYZE, BUFFERS). The database is
// dropped afterwards. Run with a long -timeout: generating 10 million tickets takes minutes.
func BenchmarkListingPostgres(b *testing.B) {
	n := listingRows()
	if n == 0 {
		b.Skip("opt-in: set HOTLINE_BENCH_LISTING_ROWS (e.g. 10000000) and HOTLINE_TEST_POSTGRES_DSN")
	}
	mk, ok := dialects(b)[Postgres]
	if !ok {
		b.Skipf("set %s", envPostgres)
	}
	if os.Getenv("HOTLINE_BENCH_LISTING_KEEP") == "" {
		s := openFresh(b, mk)
		seedUnits(b, s)
		fillListing(b, s, n)
		benchListing(b, s, n)
		return
	}
	s := openKept(b, n)
	benchListing(b, s, n)
}

// openKept opens the database hotline_listing_N on the PostgreSQL server of HOTLINE_TEST_POSTGRES_DSN,
// creating and filling it only if it does not hold n tickets yet, and keeps it: with
// HOTLINE_BENCH_LISTING_KEEP set, a second run does not pay the generation again (drop the database
// by hand when done). The migrations are applied on every run, so a new index is built on the kept
// tickets.
func openKept(b *testing.B, n int) *Store {
	ctx := context.Background()
	u, err := url.Parse(os.Getenv(envPostgres))
	require.NoError(b, err)
	name := fmt.Sprintf("hotline_listing_%d", n)
	admin, err := sql.Open("pgx", u.String())
	require.NoError(b, err)
	defer admin.Close()
	var exists bool
	require.NoError(b, admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists))
	if !exists {
		_, err := admin.ExecContext(ctx, "CREATE DATABASE "+name)
		require.NoError(b, err)
	}
	u.Path = "/" + name
	s, err := Open(ctx, u.String(), testOptions(b))
	require.NoError(b, err)
	b.Cleanup(func() { _ = s.Close() })
	require.NoError(b, s.Migrate(ctx))
	var have int
	require.NoError(b, s.db.NewRaw("SELECT count(*) FROM tickets").Scan(ctx, &have))
	switch have {
	case n:
		b.Logf("kept database %s: %d tickets", name, n)
	case 0:
		seedUnits(b, s)
		fillListing(b, s, n)
	default:
		b.Fatalf("database %s holds %d tickets, not %d: drop it", name, have, n)
	}
	return s
}

// benchListing runs BenchmarkListingPostgres's cases on s, filled with n tickets by fillListing.
func benchListing(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	var size string
	require.NoError(b, s.db.NewRaw("SELECT pg_size_pretty(pg_database_size(current_database()))").Scan(ctx, &size))
	b.Logf("%d tickets generated: database %s", n, size)

	unit := func(id string) Principal { return Principal{Actor: "clerk", Unit: id, Role: RoleHandlingUnit} }
	mid := n / 2
	midReceived := listingNow.AddDate(-2, 0, 0).UnixMicro() + int64(float64(mid)*float64(listingNow.UnixMicro()-listingNow.AddDate(-2, 0, 0).UnixMicro())/float64(n))
	deep := encodeCursor(midReceived, fmt.Sprintf("00000000-0000-7000-8000-%012d", mid))
	day := listingNow.AddDate(-1, 0, 0)
	cases := []struct {
		name string
		p    Principal
		f    Filter
	}{
		{"office_all", office, Filter{}},
		{"office_deep_cursor", office, Filter{Cursor: deep}},
		{"office_received_day", office, Filter{ReceivedFrom: day, ReceivedTo: day.Add(24 * time.Hour)}},
		{"office_overdue", office, Filter{Overdue: true}},
		{"office_title_common", office, Filter{Title: "噪声"}},
		{"office_title_rare", office, Filter{Title: "化粪池"}},
		{"office_title_rare_two", office, Filter{Title: "粪池"}},
		{"unit_big_own", unit("unit-0000"), Filter{}},
		{"unit_mid_own", unit("unit-0042"), Filter{}},
		{"unit_small_own", unit("unit-0999"), Filter{}},
		{"unit_mid_handling", unit("unit-0042"), Filter{States: []string{"handling"}}},
		{"unit_mid_overdue", unit("unit-0042"), Filter{Overdue: true}},
		{"supervisor_handling", superv, Filter{States: []string{"handling"}}},
		{"supervisor_refused", superv, Filter{States: []string{"refused"}}},
		{"supervisor_overdue", superv, Filter{Overdue: true}},
		{"supervisor_due_soon", superv, Filter{DueSoon: true}},
		{"supervisor_kiosk", superv, Filter{Channel: "kiosk"}},
		{"supervisor_title_rare", superv, Filter{Title: "化粪池"}},
		{"supervisor_title_common", superv, Filter{Title: "噪声"}},
		{"supervisor_title_rare_two", superv, Filter{Title: "粪池"}},
		{"office_kiosk", office, Filter{Channel: "kiosk"}},
	}
	for _, c := range cases {
		page, err := s.List(ctx, c.p, c.f, listingNow)
		require.NoError(b, err)
		b.Logf("%s at %d tickets, %d on the page:\n%s", c.name, n, len(page.Items), explainAnalyze(b, s, c.p, c.f))
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.List(ctx, c.p, c.f, listingNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
