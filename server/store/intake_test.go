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

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
)

// eachDialectTwice runs fn on every reachable dialect with two Stores on one fresh, migrated
// database: two processes of the reference server sharing it.
func eachDialectTwice(t *testing.T, fn func(t *testing.T, s1, s2 *Store)) {
	t.Helper()
	eachLeg(t, func(t *testing.T, mk func(testing.TB) string) {
		ctx := context.Background()
		dsn := mk(t)
		open := func() *Store {
			s, err := Open(ctx, dsn, testOptions(t))
			require.NoError(t, err)
			t.Cleanup(func() { _ = s.Close() })
			return s
		}
		s1 := open()
		require.NoError(t, s1.Migrate(ctx))
		fn(t, s1, open())
	})
}

// Two Stores writing one database — each remembering the audit heads and jurisdictions it last saw
// (PostgreSQL's one-round-trip intake) and reserving number blocks — stay correct: every intake is
// stored once with a unique number, and every audit shard verifies.
func TestIntakeTwoStoresShareADatabase(t *testing.T) {
	eachDialectTwice(t, func(t *testing.T, s1, s2 *Store) {
		ctx := context.Background()
		seedUnits(t, s1)
		numbers := map[string]bool{}
		intake := func(s *Store, n int, label string) []IntakeResult {
			var out []IntakeResult
			for i := range n {
				res, err := s.Intake(ctx, office, IntakeRequest{Key: fmt.Sprintf("%s-%d", label, i), Intake: sampleIntake(label)}, at("2026-11-23 09:00"))
				require.NoError(t, err)
				require.False(t, numbers[res.Number], "number %s issued twice", res.Number)
				numbers[res.Number] = true
				out = append(out, res)
			}
			return out
		}
		// One Store alone: on PostgreSQL, each shard's first intake reads its head (the slow
		// path), and the rest chain on the head remembered.
		intake(s1, 40, "a")
		if s1.dialect == Postgres {
			assert.Equal(t, int64(40), s1.pg.fast.Load()+s1.pg.slow.Load())
			assert.LessOrEqual(t, s1.pg.slow.Load(), int64(AuditShards))
		}
		// The other Store advances most shards, and its transitions and audit entries advance
		// them through the other write paths: what s1 remembers is out of date.
		for _, res := range intake(s2, 40, "b")[:10] {
			_, err := s2.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2026-11-23 09:30"))
			require.NoError(t, err)
			require.NoError(t, s2.Audit(ctx, office, "ticket.reveal", res.ID, []string{"field=phone"}, at("2026-11-23 09:40")))
		}
		slowBefore := s1.pg.slow.Load()
		intake(s1, 40, "c")
		if s1.dialect == Postgres {
			assert.Greater(t, s1.pg.slow.Load(), slowBefore, "the guard sent intakes on advanced shards to the slow path")
		}
		var n int
		require.NoError(t, s1.db.NewSelect().Table("tickets").ColumnExpr("count(*)").Scan(ctx, &n))
		assert.Equal(t, 120, n)
		require.NoError(t, s1.VerifyAudit(ctx, auditor))
		require.NoError(t, s2.VerifyAudit(ctx, auditor))
	})
}

// Concurrent intakes through two Stores, interleaved with transitions, all land, once each.
func TestIntakeTwoStoresConcurrently(t *testing.T) {
	eachDialectTwice(t, func(t *testing.T, s1, s2 *Store) {
		ctx := context.Background()
		seedUnits(t, s1)
		const writers, each = 8, 12
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[string]bool{}
		errs := make(chan error, writers*each*2)
		for w := range writers {
			s := []*Store{s1, s2}[w%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					res, err := s.Intake(ctx, office, IntakeRequest{Key: fmt.Sprintf("w%d-%d", w, i), Intake: sampleIntake("并发")}, at("2026-11-23 09:00"))
					if err != nil {
						errs <- err
						continue
					}
					mu.Lock()
					if seen[res.Number] {
						errs <- fmt.Errorf("number %s issued twice", res.Number)
					}
					seen[res.Number] = true
					mu.Unlock()
					if i%4 == 0 {
						if _, err := s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2026-11-23 09:30")); err != nil {
							errs <- err
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		assert.Len(t, seen, writers*each)
		require.NoError(t, s1.VerifyAudit(ctx, auditor))
	})
}

// A hotline office whose jurisdiction changed — here through another Store, so the one accepting
// the ticket learns of it only from the database — can no longer accept tickets outside it.
func TestIntakeSeesJurisdictionChange(t *testing.T) {
	eachDialectTwice(t, func(t *testing.T, s1, s2 *Store) {
		ctx := context.Background()
		seedUnits(t, s1)
		for i := range 40 {
			_, err := s1.Intake(ctx, office, IntakeRequest{Intake: sampleIntake(fmt.Sprintf("辖区内 %d", i))}, at("2026-11-23 09:00"))
			require.NoError(t, err)
		}
		require.NoError(t, s2.PutUnit(ctx, admin, routing.Unit{ID: "office-bs", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment,
			Areas: []routing.RegionCode{"310115"}}, at("2026-11-23 09:10")))
		for i := range 10 {
			_, err := s1.Intake(ctx, office, IntakeRequest{Intake: sampleIntake(fmt.Sprintf("辖区外 %d", i))}, at("2026-11-23 09:20"))
			require.ErrorIs(t, err, ErrForbidden)
		}
		var n int
		require.NoError(t, s1.db.NewSelect().Table("tickets").ColumnExpr("count(*)").Scan(ctx, &n))
		assert.Equal(t, 40, n, "nothing accepted outside the new jurisdiction")
		require.NoError(t, s1.VerifyAudit(ctx, auditor))
	})
}

// Replays and duplicates write nothing, and the number an intake drew before finding out is
// issued to the next intake: a Store's numbers stay dense across retried requests.
func TestIntakeReplayGivesItsNumberBack(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		first, err := s.Intake(ctx, office, IntakeRequest{Key: "k1", Intake: sampleIntake("一")}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		for range 3 {
			again, err := s.Intake(ctx, office, IntakeRequest{Key: "k1", Intake: sampleIntake("一")}, at("2026-11-23 09:01"))
			require.NoError(t, err)
			assert.True(t, again.Replayed)
			assert.Equal(t, first.Number, again.Number)
		}
		up := sampleIntake("上游")
		up.Upstream = "GOV-1"
		_, err = s.Intake(ctx, office, IntakeRequest{SourcePlatform: "gov", Intake: up}, at("2026-11-23 09:02"))
		require.NoError(t, err)
		_, err = s.Intake(ctx, office, IntakeRequest{SourcePlatform: "gov", Intake: up}, at("2026-11-23 09:03"))
		var dup *DuplicateError
		require.True(t, errors.As(err, &dup), "%v", err)
		next, err := s.Intake(ctx, office, IntakeRequest{Key: "k2", Intake: sampleIntake("二")}, at("2026-11-23 09:04"))
		require.NoError(t, err)
		a, err := ticket.ParseNumber(first.Number)
		require.NoError(t, err)
		b, err := ticket.ParseNumber(next.Number)
		require.NoError(t, err)
		assert.Equal(t, a.Seq+2, b.Seq, "first %s, next %s", first.Number, next.Number)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// A day's numbers come from its blocks in order, numbers given back first; a block grows while
// blocks go fast and starts small again after a pause.
func TestNumberRange(t *testing.T) {
	r := &numberRange{blocks: [][2]int64{{5, 6}, {40, 41}}, spare: []int64{3}}
	var got []int64
	for {
		n, ok := r.take()
		if !ok {
			break
		}
		got = append(got, n)
	}
	assert.Equal(t, []int64{3, 5, 6, 40, 41}, got)
	assert.Zero(t, r.left())

	t0 := at("2026-11-23 09:00")
	sizes := []struct {
		after time.Duration
		want  int64
	}{
		{0, minNumberBlock},
		{time.Second, 2 * minNumberBlock},
		{time.Second, 4 * minNumberBlock},
		{time.Second, 8 * minNumberBlock},
		{time.Second, 16 * minNumberBlock},
		{time.Second, maxNumberBlock},
		{time.Minute, minNumberBlock},
	}
	r = &numberRange{}
	now := t0
	for i, c := range sizes {
		now = now.Add(c.after)
		assert.Equal(t, c.want, r.nextSize(now), "reservation %d", i)
	}
}
