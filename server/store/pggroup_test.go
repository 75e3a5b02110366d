package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// postgresStore opens a fresh, migrated PostgreSQL store, or skips naming the variable to set.
func postgresStore(t *testing.T) *Store {
	t.Helper()
	mk, ok := dialects(t)[Postgres]
	if !ok {
		t.Skipf("postgres: set %s to run this test", envPostgres)
	}
	return openFresh(t, mk)
}

// warmShards writes intakes until s remembers every audit shard's head, so that every later intake
// takes the fast path (and so a round).
func warmShards(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	call := time.Now().UnixNano()
	for i := 0; ; i++ {
		known := 0
		for sh := range s.pg.heads {
			if s.pg.heads[sh].known {
				known++
			}
		}
		if known == AuditShards {
			return
		}
		require.Less(t, i, 2000, "shards never all known")
		_, err := s.Intake(ctx, office, IntakeRequest{Key: fmt.Sprintf("warm-%d-%d", call, i), Intake: sampleIntake("预热")}, at("2026-11-23 08:00"))
		require.NoError(t, err)
	}
}

// ticketCount counts the tickets stored.
func ticketCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	require.NoError(t, s.db.NewSelect().Table("tickets").ColumnExpr("count(*)").Scan(context.Background(), &n))
	return n
}

// holdRounds makes s's intakes queue as if every round were in flight, and returns the function
// that ends those rounds: the queue then goes out as one round (up to pgRoundIntakes).
func holdRounds(s *Store) (queued func() int, release func()) {
	g := &s.pg.group
	g.mu.Lock()
	g.inFlight += pgRoundsInFlight()
	g.mu.Unlock()
	queued = func() int {
		g.mu.Lock()
		defer g.mu.Unlock()
		return len(g.queue)
	}
	release = func() {
		for range pgRoundsInFlight() {
			g.finish()
		}
	}
	return queued, release
}

type intakeOutcome struct {
	res IntakeResult
	err error
}

// intakesInOneRound runs reqs concurrently, all queued into one round, and returns their outcomes
// in the order of reqs.
func intakesInOneRound(t *testing.T, s *Store, reqs []IntakeRequest) []intakeOutcome {
	t.Helper()
	queued, release := holdRounds(s)
	out := make([]intakeOutcome, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Go(func() {
			res, err := s.Intake(context.Background(), office, req, at("2026-11-23 09:00"))
			out[i] = intakeOutcome{res, err}
		})
	}
	require.Eventually(t, func() bool { return queued() == len(reqs) }, 10*time.Second, time.Millisecond, "every intake queued for the round")
	release()
	wg.Wait()
	return out
}

// Intakes that arrive together on PostgreSQL go out as one round — one round trip, one transaction,
// one commit — and each is stored exactly as alone: every one lands once, with its own number, and
// the audit chain verifies.
func TestIntakeRoundCommitsTogether(t *testing.T) {
	s := postgresStore(t)
	ctx := context.Background()
	seedUnits(t, s)
	warmShards(t, s)
	rounds, intakes := s.pg.group.rounds.Load(), s.pg.group.intakes.Load()
	var reqs []IntakeRequest
	for i := range 8 {
		reqs = append(reqs, IntakeRequest{Key: fmt.Sprintf("together-%d", i), Intake: sampleIntake(fmt.Sprintf("同一轮 %d", i))})
	}
	numbers := map[string]bool{}
	for i, o := range intakesInOneRound(t, s, reqs) {
		require.NoError(t, o.err, "intake %d", i)
		assert.False(t, o.res.Replayed)
		assert.False(t, numbers[o.res.Number], "number %s issued twice", o.res.Number)
		numbers[o.res.Number] = true
		got, err := s.Get(ctx, office, o.res.ID)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("同一轮 %d", i), got.Ticket.Title)
	}
	assert.Equal(t, int64(1), s.pg.group.rounds.Load()-rounds, "one round")
	assert.Equal(t, int64(8), s.pg.group.intakes.Load()-intakes, "carrying all eight")
	assert.Zero(t, s.pg.group.refused.Load())
	require.NoError(t, s.VerifyAudit(ctx, auditor))
}

// A round holding an intake the database refuses — a replayed key, a duplicate upstream number — is
// rolled back whole, and each of its intakes is written again on its own: the others land, the
// replay returns the stored ticket, the duplicate is reported as a duplicate, and nothing is
// written twice or lost.
func TestIntakeRoundRefusedIsWrittenOneByOne(t *testing.T) {
	s := postgresStore(t)
	ctx := context.Background()
	seedUnits(t, s)
	warmShards(t, s)
	first, err := s.Intake(ctx, office, IntakeRequest{Key: "kept", Intake: sampleIntake("已受理")}, at("2026-11-23 08:30"))
	require.NoError(t, err)
	up := sampleIntake("上游")
	up.Upstream = "GOV-7"
	_, err = s.Intake(ctx, office, IntakeRequest{SourcePlatform: "gov", Intake: up}, at("2026-11-23 08:31"))
	require.NoError(t, err)
	before := ticketCount(t, s)

	reqs := []IntakeRequest{
		{Key: "fresh-0", Intake: sampleIntake("新 0")},
		{Key: "kept", Intake: sampleIntake("已受理")},
		{Key: "fresh-1", Intake: sampleIntake("新 1")},
		{SourcePlatform: "gov", Intake: up},
		{Key: "fresh-2", Intake: sampleIntake("新 2")},
	}
	refused := s.pg.group.refused.Load()
	out := intakesInOneRound(t, s, reqs)
	assert.Equal(t, int64(1), s.pg.group.refused.Load()-refused, "the round was refused once")
	for _, i := range []int{0, 2, 4} {
		require.NoError(t, out[i].err, "intake %d", i)
		assert.False(t, out[i].res.Replayed)
	}
	require.NoError(t, out[1].err)
	assert.True(t, out[1].res.Replayed)
	assert.Equal(t, first.Number, out[1].res.Number)
	var dup *DuplicateError
	assert.True(t, errors.As(out[3].err, &dup), "%v", out[3].err)

	assert.Equal(t, before+3, ticketCount(t, s), "the three fresh intakes, once each")
	require.NoError(t, s.VerifyAudit(ctx, auditor))
}

// An intake whose context is done before it joins a round writes nothing; one that joined a round
// that commits is written whatever its context does meanwhile, and reports it.
func TestIntakeRoundContext(t *testing.T) {
	s := postgresStore(t)
	seedUnits(t, s)
	warmShards(t, s)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Intake(done, office, IntakeRequest{Key: "gone", Intake: sampleIntake("已取消")}, at("2026-11-23 09:00"))
	require.ErrorIs(t, err, context.Canceled)
	for sh := range s.pg.heads {
		assert.True(t, s.pg.heads[sh].known, "shard %d forgotten by an intake that sent nothing", sh)
	}
	var n int
	require.NoError(t, s.db.NewSelect().Table("idempotency_keys").ColumnExpr("count(*)").Where("idem_key = ?", "gone").Scan(context.Background(), &n))
	assert.Zero(t, n)

	queued, release := holdRounds(s)
	joined, cancelJoined := context.WithCancel(context.Background())
	var res IntakeResult
	var wg sync.WaitGroup
	wg.Go(func() {
		res, err = s.Intake(joined, office, IntakeRequest{Key: "joined", Intake: sampleIntake("已排队")}, at("2026-11-23 09:00"))
	})
	require.Eventually(t, func() bool { return queued() == 1 }, 10*time.Second, time.Millisecond)
	cancelJoined()
	release()
	wg.Wait()
	require.NoError(t, err)
	got, err := s.Get(context.Background(), office, res.ID)
	require.NoError(t, err)
	assert.Equal(t, "已排队", got.Ticket.Title)
}

// A client that retries while its first attempt is still in flight puts the same key, or the same
// upstream number, twice into one round: the round is refused, and written one by one the first
// lands and the second is a replay of it, or a duplicate.
func TestIntakeRoundSameRequestTwice(t *testing.T) {
	s := postgresStore(t)
	ctx := context.Background()
	seedUnits(t, s)
	warmShards(t, s)
	up := sampleIntake("上游重发")
	up.Upstream = "GOV-9"
	for _, tc := range []struct {
		name string
		req  IntakeRequest
	}{
		{"same key", IntakeRequest{Key: "retried", Intake: sampleIntake("重发")}},
		{"same upstream number", IntakeRequest{SourcePlatform: "gov", Intake: up}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			warmShards(t, s) // a replay or a duplicate leaves its shard's head to be read again
			before := ticketCount(t, s)
			refused := s.pg.group.refused.Load()
			out := intakesInOneRound(t, s, []IntakeRequest{tc.req, tc.req})
			assert.Equal(t, int64(1), s.pg.group.refused.Load()-refused, "the round was refused once")
			var written, again []intakeOutcome
			for _, o := range out {
				if o.err == nil && !o.res.Replayed {
					written = append(written, o)
				} else {
					again = append(again, o)
				}
			}
			require.Len(t, written, 1, "%+v", out)
			require.Len(t, again, 1)
			if tc.req.Key != "" {
				require.NoError(t, again[0].err)
				assert.True(t, again[0].res.Replayed)
				assert.Equal(t, written[0].res.Number, again[0].res.Number)
			} else {
				var dup *DuplicateError
				assert.True(t, errors.As(again[0].err, &dup), "%v", again[0].err)
			}
			assert.Equal(t, before+1, ticketCount(t, s))
		})
	}
	require.NoError(t, s.VerifyAudit(ctx, auditor))
}

// A round gives up at the latest of its callers' deadlines when each has one, and after
// pgRoundTimeout otherwise.
func TestRoundDeadline(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	in := func(d time.Duration) *pgJoin { return &pgJoin{deadline: now.Add(d)} }
	none := &pgJoin{}
	for _, tc := range []struct {
		name  string
		round []*pgJoin
		want  time.Time
	}{
		{"no deadline", []*pgJoin{none}, now.Add(pgRoundTimeout)},
		{"one deadline", []*pgJoin{in(2 * time.Second)}, now.Add(2 * time.Second)},
		{"the latest of several", []*pgJoin{in(time.Second), in(5 * time.Second), in(3 * time.Second)}, now.Add(5 * time.Second)},
		{"one caller without", []*pgJoin{in(time.Second), none}, now.Add(pgRoundTimeout)},
		{"capped", []*pgJoin{in(time.Hour)}, now.Add(pgRoundTimeout)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, roundDeadline(tc.round, now))
		})
	}
}
