package store

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkStats reads the figures /metrics reports (tickets by state, due soon, overdue, the audit
// shards' sizes) over HOTLINE_BENCH_ROWS generated tickets, against the baseline of the cheapest
// aggregate over the same table, SELECT COUNT(*) FROM tickets, in the same run.
func BenchmarkStats(b *testing.B) {
	ctx := context.Background()
	n := benchRows()
	for _, s := range benchDialects(b) {
		bulkTickets(b, s, n)
		now := at("2026-06-01 09:00")
		b.Run(fmt.Sprintf("%s/stats", s.dialect), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, err := s.Stats(ctx, system, now)
				if err != nil || len(st.ByState) == 0 {
					b.Fatalf("%v %v", err, st)
				}
			}
		})
		b.Run(fmt.Sprintf("%s/count_baseline", s.dialect), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var c int
				if err := s.db.NewSelect().Table("tickets").ColumnExpr("COUNT(*)").Scan(ctx, &c); err != nil || c != n {
					b.Fatalf("%v %d", err, c)
				}
			}
		})
	}
}
