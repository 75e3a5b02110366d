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

	"github.com/hotline12345/hotline/ticket"
)

// 50 goroutines apply a transition to the same version: exactly one wins, every other gets the
// current version and writes nothing.
func TestRaceOneVersionOneWinner(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("竞争")}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		const n = 50
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				lead := "unit-a"
				if i%2 == 1 {
					lead = "unit-b"
				}
				_, errs[i] = s.Apply(ctx, office, res.ID, 1, dispatch(lead), at("2026-11-23 09:30"))
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			if err == nil {
				wins++
				continue
			}
			var ve *VersionError
			require.ErrorAs(t, err, &ve, "every loser gets the current version")
			assert.Equal(t, int64(2), ve.Current)
		}
		assert.Equal(t, 1, wins)
		rec, err := s.Get(ctx, office, res.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), rec.Version)
		assert.Len(t, rec.Ticket.History, 2)
		var events int
		require.NoError(t, s.db.NewSelect().Table("ticket_events").ColumnExpr("count(*)").Scan(ctx, &events))
		assert.Equal(t, 2, events)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// 20 concurrent intakes with one key make one ticket; all 20 get its id.
func TestRaceOneKeyOneTicket(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		const n = 20
		var wg sync.WaitGroup
		results := make([]IntakeResult, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = s.Intake(ctx, office, IntakeRequest{Key: "key-1", Intake: sampleIntake("重复提交")}, at("2026-11-23 09:00"))
			}()
		}
		wg.Wait()
		replays := 0
		for i := range n {
			require.NoError(t, errs[i])
			assert.Equal(t, results[0].ID, results[i].ID)
			assert.Equal(t, results[0].Number, results[i].Number)
			if results[i].Replayed {
				replays++
			}
		}
		assert.Equal(t, n-1, replays)
		var tickets int
		require.NoError(t, s.db.NewSelect().Table("tickets").ColumnExpr("count(*)").Scan(ctx, &tickets))
		assert.Equal(t, 1, tickets)
	})
}

// Concurrent intakes get unique, well-formed numbers.
func TestRaceUniqueNumbers(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		const writers, each = 8, 10
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[string]bool{}
		var firstErr error
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake(fmt.Sprintf("w%d-%d", w, i))}, at("2026-11-23 09:00"))
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = err
					}
					if err == nil {
						assert.False(t, seen[res.Number], res.Number)
						seen[res.Number] = true
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		require.NoError(t, firstErr)
		assert.Len(t, seen, writers*each)
		for n := range seen {
			_, err := ticket.ParseNumber(n)
			assert.NoError(t, err, n)
		}
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

func TestIdempotentIntake(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-23 09:00")
		first, err := s.Intake(ctx, office, IntakeRequest{Key: "abc", Intake: sampleIntake("一")}, now)
		require.NoError(t, err)
		assert.False(t, first.Replayed)
		again, err := s.Intake(ctx, office, IntakeRequest{Key: "abc", Intake: sampleIntake("一")}, now.Add(time.Hour))
		require.NoError(t, err)
		assert.True(t, again.Replayed)
		assert.Equal(t, first.ID, again.ID)

		_, err = s.Intake(ctx, office, IntakeRequest{Key: "abc", Intake: sampleIntake("二")}, now)
		var kr *KeyReuseError
		require.ErrorAs(t, err, &kr)
		assert.ErrorIs(t, err, ErrKeyReused)

		// MariaDB's default collation would make "ABC" and "abc " the same key.
		other, err := s.Intake(ctx, office, IntakeRequest{Key: "ABC", Intake: sampleIntake("三")}, now)
		require.NoError(t, err)
		assert.NotEqual(t, first.ID, other.ID)
		other2, err := s.Intake(ctx, office, IntakeRequest{Key: "abc ", Intake: sampleIntake("三")}, now)
		require.NoError(t, err)
		assert.NotEqual(t, other.ID, other2.ID)

		// Keys are per sender: another office's "abc" is its own.
		in := sampleIntake("四")
		in.Place.RegionCode = "310115001"
		pd, err := s.Intake(ctx, office2, IntakeRequest{Key: "abc", Intake: in}, now)
		require.NoError(t, err)
		assert.False(t, pd.Replayed)

		// The (source platform, upstream number) pair backs up senders without a key.
		up := sampleIntake("国办转办")
		up.Upstream = "GB-2026-0001"
		u1, err := s.Intake(ctx, system, IntakeRequest{SourcePlatform: "guoban", Intake: up}, now)
		require.NoError(t, err)
		_, err = s.Intake(ctx, system, IntakeRequest{SourcePlatform: "guoban", Intake: up}, now)
		var dup *DuplicateError
		require.ErrorAs(t, err, &dup)
		assert.Equal(t, u1.ID, dup.ID)

		// Keys are kept 7 days: a purge before then keeps them, after it drops them.
		n, err := s.PurgeKeys(ctx, system, now.Add(7*24*time.Hour-time.Minute))
		require.NoError(t, err)
		assert.Zero(t, n)
		n, err = s.PurgeKeys(ctx, system, now.Add(8*24*time.Hour))
		require.NoError(t, err)
		assert.Equal(t, int64(4), n)
	})
}

func TestOpenRefusesShortKeyRetention(t *testing.T) {
	_, err := Open(context.Background(), t.TempDir()+"/x.db", Options{KeyRetention: 24 * time.Hour, WithoutKeys: true})
	require.True(t, errors.Is(err, ErrInvalid), "%v", err)
}
