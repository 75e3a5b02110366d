package sweep_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/notify/notifytest"
	"github.com/hotline12345/hotline/server/outbox"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/server/sweep"
	"github.com/hotline12345/hotline/ticket"
)

// instanceTickets is how many tickets TestTwoInstances sweeps: HOTLINE_TEST_INSTANCE_TICKETS, or
// 10 000 (1 000 under -race, see race_on_test.go).
func instanceTickets() int {
	if n, err := strconv.Atoi(os.Getenv("HOTLINE_TEST_INSTANCE_TICKETS")); err == nil && n > 0 {
		return n
	}
	if raceEnabled {
		return 1_000
	}
	return 10_000
}

// ticketColumns are the columns of tickets a clone copies (all but id and number).
var ticketColumns = []string{"state", "channel", "kind", "urgency", "complexity", "mode", "region_code", "matter_code", "lead_unit",
	"title", "received_us", "next_due_us", "due_soon_us", "due_first_contact_us", "due_reply_us", "due_redo_us", "due_cap_us",
	"overdue", "due_soon", "supervised", "supervisions", "urgings", "returns", "reopenings", "repeats", "replies", "extensions",
	"version", "caller_phone_bi", "caller_id_bi", "identity", "snapshot", "created_us", "updated_us", "sweep_at_us", "provisional", "sweep_plan"}

// cloneTickets copies ticket id (its projection, events and units) n times in INSERT … SELECT
// statements, under the ids 00000000-0000-7000-8000-<offset+1 …>, then gives each clone a number of
// its own (the day's sequence from offset+2) in its projection and snapshot: n real tickets, as
// intakes would have stored them, without n intakes' time. A light clone is a projection row only,
// with an empty snapshot and every instant in 2100: an open ticket with nothing due, which the
// sweeper must never read.
func cloneTickets(t testing.TB, st *store.Store, id string, received time.Time, n, offset int, light bool) {
	t.Helper()
	ctx := context.Background()
	var with, from string
	pad := func(w int) string {
		switch st.Dialect() {
		case store.SQLite:
			return fmt.Sprintf("printf('%%0%dd', x + %d)", w, offset)
		case store.Postgres:
			return fmt.Sprintf("lpad((x + %d)::text, %d, '0')", offset, w)
		}
		return fmt.Sprintf("LPAD(x + %d, %d, '0')", offset, w)
	}
	cat := func(parts ...string) string {
		if st.Dialect() == store.MySQL {
			return "CONCAT(" + strings.Join(parts, ", ") + ")"
		}
		return "(" + strings.Join(parts, " || ") + ")"
	}
	switch st.Dialect() {
	case store.SQLite:
		with = fmt.Sprintf("WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < %d) ", n)
		from = "g"
	case store.Postgres:
		from = fmt.Sprintf("generate_series(1, %d) AS g(x)", n)
	default:
		from = fmt.Sprintf("(SELECT seq AS x FROM seq_1_to_%d) AS g", n)
	}
	x := cat("'00000000-0000-7000-8000-'", pad(12))
	cols := strings.Join(ticketColumns, ", ")
	sel := cols
	if light {
		const never = "4102444800000000" // 2100-01-01
		blob := "X'7B7D'"
		if st.Dialect() == store.Postgres {
			blob = "'\\x7b7d'::bytea"
		}
		r := strings.NewReplacer("next_due_us,", never+",", "due_soon_us,", never+",", "sweep_at_us,", never+",", "snapshot,", blob+",")
		sel = r.Replace(cols)
	}
	qs := []string{with + "INSERT INTO tickets (id, number, " + cols + ") SELECT " + x + ", " + cat("'CL-'", pad(9)) + ", " + sel +
		" FROM tickets, " + from + " WHERE tickets.id = ?"}
	if !light {
		qs = append(qs,
			with+"INSERT INTO ticket_events (ticket_id, seq, at_us, actor, role, action, from_state, to_state, body) SELECT "+x+
				", seq, at_us, actor, role, action, from_state, to_state, body FROM ticket_events, "+from+" WHERE ticket_events.ticket_id = ?",
			with+"INSERT INTO ticket_units (ticket_id, unit_id, role, received_us) SELECT "+x+
				", unit_id, role, received_us FROM ticket_units, "+from+" WHERE ticket_units.ticket_id = ?")
	}
	for _, q := range qs {
		_, err := st.DB().ExecContext(ctx, q, id)
		require.NoError(t, err)
	}
	if light {
		return
	}
	var snap []byte
	require.NoError(t, st.DB().NewSelect().Table("tickets").Column("snapshot").Where("id = ?", id).Scan(ctx, &snap))
	var tk map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(snap, &tk))
	var batch []string
	flush := func() {
		if len(batch) == 0 {
			return
		}
		_, err := st.DB().ExecContext(ctx, strings.Join(batch, ";\n"))
		require.NoError(t, err)
		batch = batch[:0]
	}
	for i := offset + 1; i <= offset+n; i++ {
		num, err := ticket.NewNumber("HL", received, i+1)
		require.NoError(t, err)
		tk["number"], _ = json.Marshal(num)
		b, err := json.Marshal(tk)
		require.NoError(t, err)
		batch = append(batch, st.DB().NewUpdate().Table("tickets").Set("number = ?", num.String()).Set("snapshot = ?", b).
			Where("id = ?", cloneID(i)).String())
		if len(batch) == 500 {
			flush()
		}
	}
	flush()
}

// cloneID is the id of the i-th clone.
func cloneID(i int) string { return fmt.Sprintf("00000000-0000-7000-8000-%012d", i) }

// Two server instances on one database — two store handles, each with its sweeper and its outbox
// worker, as two processes behind a load balancer — and 10 000 open tickets (instanceTickets) whose first contact (1
// working day, 004 §8 (一)) has run out: every ticket is flagged overdue once and urged once
// (002 §6 (二) 1 (6)), and every notice — the overdue notice and the urging's, 20 000 in all — is
// delivered exactly once to a webhook receiver that verifies each signature and fails a third of
// the requests at random.
func TestTwoInstances(t *testing.T) {
	for _, leg := range storetest.Legs() {
		t.Run(string(leg), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, leg)
			stores := make([]*store.Store, 2)
			opts := storetest.DefaultOptions()
			// SQLite has one writer: the other instance's transactions wait for it, longer under -race.
			opts.BusyTimeout = 30 * time.Second
			for i := range stores {
				st, err := store.Open(ctx, dsn, opts)
				require.NoError(t, err)
				t.Cleanup(func() { _ = st.Close() })
				require.NoError(t, st.Migrate(ctx))
				stores[i] = st
			}
			a := stores[0]
			n := instanceTickets()
			received := time.Date(2026, 11, 23, 9, 0, 0, 0, deadline.Location()) // Monday: first contact due 11-25 00:00
			res, err := a.Intake(ctx, store.Principal{Actor: "gateway", Role: store.RoleSystem}, store.IntakeRequest{Intake: ticket.Intake{
				Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Content: "路灯不亮", Place: ticket.Place{RegionCode: "310113001"}}}, received)
			require.NoError(t, err)
			cloneTickets(t, a, res.ID, received, n-1, 0, false)

			// The receiver: verify, fail a third at random, count acceptances by message id.
			secret := []byte("instances-test-webhook-secret")
			rcv := notifytest.NewReceiver(t, secret, 1.0/3)
			hook, err := notify.NewWebhook(rcv.URL, secret)
			require.NoError(t, err)

			// The instances' clock: the sweep finds every first contact overdue.
			start := time.Now()
			clock := func() time.Time {
				return time.Date(2026, 11, 26, 10, 0, 0, 0, deadline.Location()).Add(time.Since(start))
			}
			spol := sweep.Default()
			spol.Batch = 100
			opol := outbox.Default()
			opol.Batch, opol.Concurrency, opol.Interval, opol.Backoff, opol.MaxBackoff, opol.MaxAttempts = 200, 8, 20*time.Millisecond,
				time.Millisecond, 10*time.Millisecond, 1000
			wctx, stopWorkers := context.WithCancel(ctx)
			var workers, sweepers sync.WaitGroup
			reports := make([]sweep.Report, 2)
			var busy atomic.Int64
			for i, st := range stores {
				sw, err := sweep.New(st, spol, sweep.WithClock(clock), sweep.WithActor(fmt.Sprintf("sweeper-%d", i)))
				require.NoError(t, err)
				sweepers.Go(func() {
					for {
						rep, err := sw.Round(ctx)
						if err != nil && leg == storetest.LegSQLite && strings.Contains(err.Error(), "SQLITE_BUSY") && busy.Add(1) < 20 {
							// The single writer kept the other waiting past its timeout: the round's last
							// batch rolled back whole, and the next round takes its tickets (as Run does).
							t.Logf("instance %d: %v", i, err)
						} else if !assert.NoError(t, err) {
							return
						}
						reports[i].Tickets += rep.Tickets
						reports[i].Flagged += rep.Flagged
						reports[i].Overdue += rep.Overdue
						reports[i].Urged += rep.Urged
						reports[i].DueSoon += rep.DueSoon
						if rep.Tickets == 0 && err == nil {
							return
						}
					}
				})
				w, err := outbox.New(st, hook, opol, outbox.WithClock(clock), outbox.WithActor(fmt.Sprintf("outbox-%d", i)))
				require.NoError(t, err)
				workers.Go(func() { assert.NoError(t, w.Run(wctx)) })
			}
			sweepers.Wait()
			system := store.Principal{Actor: "test", Role: store.RoleSystem}
			require.Eventually(t, func() bool {
				s, err := a.OutboxStats(ctx, system)
				return err == nil && s.Pending == 0
			}, 10*time.Minute, 50*time.Millisecond)
			stopWorkers()
			workers.Wait()

			var sum sweep.Report
			for _, r := range reports {
				sum.Tickets += r.Tickets
				sum.Flagged += r.Flagged
				sum.Overdue += r.Overdue
				sum.Urged += r.Urged
				sum.DueSoon += r.DueSoon
			}
			t.Logf("%s: instance 0 took %d tickets, instance 1 %d; the receiver refused %d requests", leg, reports[0].Tickets, reports[1].Tickets, rcv.Refused())
			assert.Equal(t, n, sum.Tickets, "each ticket taken once by the two")
			assert.Equal(t, n, sum.Flagged)
			assert.Equal(t, n, sum.Overdue)
			assert.Equal(t, n, sum.Urged)
			assert.Zero(t, sum.DueSoon, "past its deadline, a clock is noticed overdue, not due soon")

			count := func(q string, args ...any) int {
				var c int
				require.NoError(t, a.DB().QueryRowContext(ctx, q, args...).Scan(&c))
				return c
			}
			assert.Equal(t, n, count("SELECT COUNT(*) FROM tickets WHERE overdue = 1 AND urgings = 1 AND version = 2"))
			assert.Equal(t, n, count("SELECT COUNT(*) FROM ticket_events WHERE action = 'urge'"))
			assert.Equal(t, n, count("SELECT COUNT(DISTINCT ticket_id) FROM ticket_events WHERE action = 'urge'"))
			assert.Equal(t, n, count("SELECT COUNT(*) FROM outbox WHERE topic = ?", notify.TopicOverdue))
			assert.Equal(t, n, count("SELECT COUNT(*) FROM outbox WHERE topic = ?", notify.TopicUrge))
			assert.Equal(t, 2*n, count("SELECT COUNT(*) FROM outbox WHERE sent_us IS NOT NULL"))

			assert.Zero(t, rcv.Unverified(), "every request carried a valid signature")
			assert.Positive(t, rcv.Refused())
			accepted := rcv.Accepted()
			assert.Len(t, accepted, 2*n, "every notice delivered")
			dup := 0
			for _, c := range accepted {
				if c != 1 {
					dup++
				}
			}
			assert.Zero(t, dup, "no notice accepted twice")
			require.NoError(t, a.VerifyAudit(ctx, store.Principal{Actor: "auditor", Role: store.RoleAuditor}))
		})
	}
}
