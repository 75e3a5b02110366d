package sweep_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/server/sweep"
	"github.com/hotline12345/hotline/ticket"
)

// benchSizes reads a comma-separated list of sizes from the environment variable name, or returns def.
func benchSizes(name string, def ...int) []int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// BenchmarkSweep measures one sweeper round that finds `changed` tickets due among `open` open
// tickets (HOTLINE_BENCH_OPEN, default 10 000 and 100 000; HOTLINE_BENCH_CHANGED, default 100): each
// due ticket is flagged overdue and gets its overdue notice (urging off, so that every iteration does
// the same work). Beside it, in the same database:
//
//   - bare_read, the floor: the same due rows read through the sweep-instant index, nothing written;
//   - scan, the baseline it replaces: the flag predicate the store's sweep used before the sweep
//     instant existed, (next_due ≤ now ∧ ¬overdue) ∨ (due_soon ≤ now < next_due ∧ ¬due_soon), which
//     no single index serves.
//
// Flat in open tickets means: sweep and bare_read take the same time at 10 000 and 100 000 open;
// scan grows with them.
func BenchmarkSweep(b *testing.B) {
	ctx := context.Background()
	changed := benchSizes("HOTLINE_BENCH_CHANGED", 100)[0]
	received := time.Date(2026, 11, 23, 9, 0, 0, 0, deadline.Location())
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, deadline.Location())
	for _, leg := range storetest.Legs() {
		b.Run(string(leg), func(b *testing.B) {
			st := storetest.Open(b, leg, storetest.DefaultOptions())
			res, err := st.Intake(ctx, store.Principal{Actor: "gateway", Role: store.RoleSystem}, store.IntakeRequest{Intake: ticket.Intake{
				Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Content: "路灯不亮", Place: ticket.Place{RegionCode: "310113001"}}}, received)
			require.NoError(b, err)
			cloneTickets(b, st, res.ID, received, changed-1, 0, false)
			due := []string{res.ID}
			for i := 1; i < changed; i++ {
				due = append(due, cloneID(i))
			}
			reset := func() {
				_, err := st.DB().NewUpdate().Table("tickets").Set("sweep_at_us = 0, overdue = 0, due_soon = 0").
					Where("id IN (?)", bun.In(due)).Exec(ctx)
				require.NoError(b, err)
				_, err = st.DB().NewDelete().Table("outbox").Where("subject IN (?)", bun.In(due)).Exec(ctx)
				require.NoError(b, err)
			}
			have := changed
			for _, open := range benchSizes("HOTLINE_BENCH_OPEN", 10_000, 100_000) {
				if open > have {
					cloneTickets(b, st, res.ID, received, open-have, 1_000_000+have, true)
					have = open
					analyze(b, st)
				}
				b.Run(fmt.Sprintf("open=%d/changed=%d/sweep", open, changed), func(b *testing.B) {
					pol := sweep.Default()
					pol.Urge = false
					s, err := sweep.New(st, pol, sweep.WithClock(func() time.Time { return now }))
					require.NoError(b, err)
					b.ReportAllocs()
					for b.Loop() {
						b.StopTimer()
						reset()
						b.StartTimer()
						rep, err := s.Round(ctx)
						if err != nil || rep.Tickets != changed || rep.Overdue != changed {
							b.Fatalf("round: %+v %v", rep.SweepResult, err)
						}
					}
				})
				reset()
				b.Run(fmt.Sprintf("open=%d/changed=%d/bare_read", open, changed), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						var snaps [][]byte
						if err := st.DB().NewSelect().Table("tickets").Column("snapshot").Where("sweep_at_us <= ?", now.UnixMicro()).
							OrderExpr("sweep_at_us ASC").Limit(10000).Scan(ctx, &snaps); err != nil || len(snaps) != changed {
							b.Fatalf("bare read: %d rows, %v", len(snaps), err)
						}
					}
				})
				b.Run(fmt.Sprintf("open=%d/changed=%d/scan", open, changed), func(b *testing.B) {
					us := now.UnixMicro()
					b.ReportAllocs()
					for b.Loop() {
						var ids []string
						if err := st.DB().NewSelect().Table("tickets").Column("id").
							Where("(next_due_us <= ? AND overdue = 0) OR (due_soon_us <= ? AND next_due_us > ? AND due_soon = 0)", us, us, us).
							OrderExpr("next_due_us ASC").Limit(10000).Scan(ctx, &ids); err != nil || len(ids) != changed {
							b.Fatalf("scan: %d rows, %v", len(ids), err)
						}
					}
				})
			}
		})
	}
}

// analyze refreshes the planner's statistics after a bulk load.
func analyze(b *testing.B, st *store.Store) {
	q := "ANALYZE"
	if st.Dialect() == store.MySQL {
		q = "ANALYZE TABLE tickets"
	}
	_, err := st.DB().ExecContext(context.Background(), q)
	require.NoError(b, err)
}
